import examples from "libphonenumber-js/examples.mobile.json";
import { type CountryCode, getCountries, getCountryCallingCode } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { MARKET_COUNTRIES, OTHER_MARKET, pricingMarketOf } from "../../../src/domain/pricing/index.js";

const expectedMarket = new Map<string, string>();
for (const [market, countries] of Object.entries(MARKET_COUNTRIES)) {
  for (const country of countries) expectedMarket.set(country, market);
}

describe("pricing markets", () => {
  it("puts South Korea in Other", () => {
    expect(pricingMarketOf("+821012345678")).toBe(OTHER_MARKET);
  });

  it("splits +1: the US and Canada are North America, Jamaica is Rest of Latin America, Barbados is Other", () => {
    expect(pricingMarketOf("+12015550123")).toBe("north_america");
    expect(pricingMarketOf("+15062345678")).toBe("north_america");
    expect(pricingMarketOf("+18762101234")).toBe("rest_of_latin_america");
    expect(pricingMarketOf("+12462501234")).toBe(OTHER_MARKET);
  });

  it("splits +7: Russia is its own market, Kazakhstan is Other", () => {
    expect(pricingMarketOf("+79123456789")).toBe("russia");
    expect(pricingMarketOf("+77710009998")).toBe(OTHER_MARKET);
  });

  it("maps every country's example mobile number to the market that lists it, or Other", () => {
    const listedCodes = new Set([...expectedMarket.keys()].map((c) => getCountryCallingCode(c as CountryCode)));
    const wrong: string[] = [];
    for (const country of getCountries()) {
      const national = (examples as Record<string, string>)[country];
      if (national === undefined) continue;
      const e164 = `+${getCountryCallingCode(country as CountryCode)}${national}`;
      const want = expectedMarket.get(country) ?? OTHER_MARKET;
      const got = pricingMarketOf(e164);
      // Countries sharing a calling code with a listed country and not split by area code (the Crown
      // dependencies in +44, Åland in +358…) are priced with that country, as Meta prices by calling code.
      const sharesListedCode = listedCodes.has(getCountryCallingCode(country as CountryCode));
      if (got !== want && !(sharesListedCode && !expectedMarket.has(country)))
        wrong.push(`${country} ${e164}: ${got}, want ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it("lists no country in two markets", () => {
    const all = Object.values(MARKET_COUNTRIES).flat();
    expect(all.length).toBe(new Set(all).size);
  });
});
