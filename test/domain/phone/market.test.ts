import { describe, expect, it } from "vitest";
import { marketForPhone, type PhoneMarket } from "../../../src/domain/phone/index.js";

const markets: PhoneMarket[] = [
  { id: "north_america", prefixes: ["1"] },
  { id: "rest_of_latin_america", prefixes: ["1876", "52"] },
  { id: "india", prefixes: ["91"] },
];

describe("marketForPhone", () => {
  it("picks the longest matching calling-code prefix", () => {
    expect(marketForPhone("+18765551234", markets)).toBe("rest_of_latin_america");
    expect(marketForPhone("+12125550100", markets)).toBe("north_america");
  });

  it("accepts the wa_id form without +", () => {
    expect(marketForPhone("919876543210", markets)).toBe("india");
  });

  it("returns null when no prefix matches (the caller falls back to Other)", () => {
    expect(marketForPhone("+821012345678", markets)).toBeNull();
  });
});
