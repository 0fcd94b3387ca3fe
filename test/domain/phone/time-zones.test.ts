import { getCountries } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { COUNTRY_TIME_ZONES, timeZoneForCountry, timeZoneForPhone } from "../../../src/domain/phone/index.js";

describe("timeZoneForCountry", () => {
  it("has a zone for every country libphonenumber-js has a calling code for", () => {
    const missing = getCountries().filter((country) => timeZoneForCountry(country) === null);
    expect(missing).toEqual([]);
  });

  it("lists only zones the runtime's Intl knows", () => {
    const unknown = Object.values(COUNTRY_TIME_ZONES).filter((zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return false;
      } catch {
        return true;
      }
    });
    expect(unknown).toEqual([]);
  });

  it("gives Seoul for South Korea and accepts lower case", () => {
    expect(timeZoneForCountry("KR")).toBe("Asia/Seoul");
    expect(timeZoneForCountry("kr")).toBe("Asia/Seoul");
  });

  it("gives the most populous zone for a multi-zone country", () => {
    expect(timeZoneForCountry("US")).toBe("America/New_York");
    expect(timeZoneForCountry("RU")).toBe("Europe/Moscow");
  });

  it("returns null for an unknown country", () => {
    expect(timeZoneForCountry("ZZ")).toBeNull();
    expect(timeZoneForCountry("toString")).toBeNull();
  });
});

describe("timeZoneForPhone", () => {
  it("derives the zone from the number's country", () => {
    expect(timeZoneForPhone("+821012345678")).toBe("Asia/Seoul");
    expect(timeZoneForPhone("+16847331234")).toBe("Pacific/Pago_Pago");
  });

  it("returns null for an invalid number", () => {
    expect(timeZoneForPhone("+999123")).toBeNull();
  });
});
