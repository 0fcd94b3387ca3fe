/**
 * Meta's pricing markets and the calling-code prefixes that select them (whatsapp-reference.md §6.1). A number's
 * market is its longest matching prefix (phone/market.ts); a number no prefix matches is in "other" — South
 * Korea (+82) among them, as Meta lists it in no region.
 *
 * Seed data, editable: the standalone markets are from §6.1; the region memberships follow Meta's pricing page
 * as transcribed by BSPs (*uncertain* — verify against the current card). Numbers sharing a calling code are
 * split by area code where Meta's market differs: +1 is North America (US, CA) except the Caribbean and Pacific
 * members of the North American Numbering Plan; +7 is Russia except Kazakhstan (+7 7…, +7 33…).
 */
import { type CountryCode, getCountryCallingCode } from "libphonenumber-js/max";
import type { PhoneMarket } from "../phone/market.js";

export const OTHER_MARKET = "other";

/** Countries per market; "other" also takes every country not listed anywhere. */
export const MARKET_COUNTRIES: Readonly<Record<string, readonly CountryCode[]>> = {
  north_america: ["US", "CA"],
  argentina: ["AR"],
  brazil: ["BR"],
  chile: ["CL"],
  colombia: ["CO"],
  egypt: ["EG"],
  france: ["FR"],
  germany: ["DE"],
  india: ["IN"],
  indonesia: ["ID"],
  israel: ["IL"],
  italy: ["IT"],
  malaysia: ["MY"],
  mexico: ["MX"],
  netherlands: ["NL"],
  nigeria: ["NG"],
  pakistan: ["PK"],
  peru: ["PE"],
  russia: ["RU"],
  saudi_arabia: ["SA"],
  south_africa: ["ZA"],
  spain: ["ES"],
  turkey: ["TR"],
  united_arab_emirates: ["AE"],
  united_kingdom: ["GB"],
  rest_of_africa: [
    "DZ",
    "AO",
    "BJ",
    "BW",
    "BF",
    "BI",
    "CM",
    "TD",
    "CG",
    "ER",
    "ET",
    "GA",
    "GM",
    "GH",
    "GW",
    "CI",
    "KE",
    "LS",
    "LR",
    "LY",
    "MG",
    "MW",
    "ML",
    "MR",
    "MA",
    "MZ",
    "NA",
    "NE",
    "RW",
    "SN",
    "SL",
    "SO",
    "SS",
    "SD",
    "SZ",
    "TZ",
    "TG",
    "TN",
    "UG",
    "ZM",
    "ZW", // Zimbabwe moved here on 1 October 2025
  ],
  rest_of_asia_pacific: [
    "AF",
    "AU",
    "BD",
    "KH",
    "CN",
    "HK",
    "JP",
    "LA",
    "MN",
    "NP",
    "NZ",
    "PG",
    "PH",
    "SG",
    "LK",
    "TW",
    "TJ",
    "TH",
    "TM",
    "UZ",
    "VN",
  ],
  rest_of_central_eastern_europe: [
    "AL",
    "AM",
    "AZ",
    "BY",
    "BG",
    "HR",
    "CZ",
    "GE",
    "GR",
    "HU",
    "LV",
    "LT",
    "MK",
    "MD",
    "PL",
    "RO",
    "RS",
    "SK",
    "SI",
    "UA",
  ],
  rest_of_latin_america: ["BO", "CR", "DO", "EC", "SV", "GT", "HT", "HN", "JM", "NI", "PA", "PY", "PR", "UY", "VE"],
  rest_of_middle_east: ["BH", "IQ", "JO", "KW", "LB", "OM", "QA", "YE"],
  rest_of_western_europe: ["AT", "BE", "DK", "FI", "IE", "NO", "PT", "SE", "CH"],
};

/**
 * Area-code prefixes for countries that share a calling code with another market (the rest of +1 and +7).
 * Each must be longer than the shared code so it wins the longest-prefix match.
 */
export const SHARED_CODE_PREFIXES: Readonly<Partial<Record<CountryCode, readonly string[]>>> = {
  AG: ["1268"],
  AI: ["1264"],
  AS: ["1684"],
  BB: ["1246"],
  BM: ["1441"],
  BS: ["1242"],
  DM: ["1767"],
  DO: ["1809", "1829", "1849"],
  GD: ["1473"],
  GU: ["1671"],
  JM: ["1876", "1658"],
  KN: ["1869"],
  KY: ["1345"],
  LC: ["1758"],
  MP: ["1670"],
  MS: ["1664"],
  PR: ["1787", "1939"],
  SX: ["1721"],
  TC: ["1649"],
  TT: ["1868"],
  VC: ["1784"],
  VG: ["1284"],
  VI: ["1340"],
  KZ: ["77", "733"],
};

/** The prefixes of one country: its area-code split if it shares a code, else its calling code. */
function prefixesOf(country: CountryCode): readonly string[] {
  return SHARED_CODE_PREFIXES[country] ?? [getCountryCallingCode(country)];
}

/**
 * The markets as prefix lists for `marketForPhone`. Shared-code countries that are in no listed market are put in
 * "other" explicitly, or their shared code's market (+1 → North America) would claim them.
 */
export function buildPricingMarkets(
  countries: Readonly<Record<string, readonly CountryCode[]>> = MARKET_COUNTRIES,
): PhoneMarket[] {
  const listed = new Set(Object.values(countries).flat());
  const markets: PhoneMarket[] = Object.entries(countries).map(([id, members]) => ({
    id,
    prefixes: members.flatMap((country) => prefixesOf(country)),
  }));
  const unlistedShared = (Object.keys(SHARED_CODE_PREFIXES) as CountryCode[]).filter((country) => !listed.has(country));
  markets.push({ id: OTHER_MARKET, prefixes: unlistedShared.flatMap((country) => prefixesOf(country)) });
  return markets;
}

export const PRICING_MARKETS: readonly PhoneMarket[] = buildPricingMarkets();
