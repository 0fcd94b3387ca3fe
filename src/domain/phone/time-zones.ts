/**
 * Country → primary IANA time zone. libphonenumber-js has no time zones, so this table fills the gap for
 * scheduling (quiet hours, best local send hour) when a contact has no explicit time zone.
 *
 * It covers every region libphonenumber-js knows (every country or territory with a calling code; a test
 * checks this). Countries spanning several zones get their most populous zone, marked "multi" with the
 * reason, so a contact in Los Angeles is scheduled on New York time unless their own zone is recorded.
 */
import type { CountryCode } from "libphonenumber-js/max";
import { normalizePhone } from "./normalize.js";

export const COUNTRY_TIME_ZONES: Readonly<Record<CountryCode, string>> = {
  AC: "Atlantic/St_Helena", // Ascension: GMT all year, no zone of its own in the IANA database
  AD: "Europe/Andorra",
  AE: "Asia/Dubai",
  AF: "Asia/Kabul",
  AG: "America/Antigua",
  AI: "America/Anguilla",
  AL: "Europe/Tirane",
  AM: "Asia/Yerevan",
  AO: "Africa/Luanda",
  AR: "America/Argentina/Buenos_Aires", // multi: the provinces' zones all keep UTC-3; Buenos Aires is the largest
  AS: "Pacific/Pago_Pago",
  AT: "Europe/Vienna",
  AU: "Australia/Sydney", // multi: New South Wales is the most populous state
  AW: "America/Aruba",
  AX: "Europe/Mariehamn",
  AZ: "Asia/Baku",
  BA: "Europe/Sarajevo",
  BB: "America/Barbados",
  BD: "Asia/Dhaka",
  BE: "Europe/Brussels",
  BF: "Africa/Ouagadougou",
  BG: "Europe/Sofia",
  BH: "Asia/Bahrain",
  BI: "Africa/Bujumbura",
  BJ: "Africa/Porto-Novo",
  BL: "America/St_Barthelemy",
  BM: "Atlantic/Bermuda",
  BN: "Asia/Brunei",
  BO: "America/La_Paz",
  BQ: "America/Kralendijk",
  BR: "America/Sao_Paulo", // multi: Brasília time (UTC-3) covers the south-east, where most Brazilians live
  BS: "America/Nassau",
  BT: "Asia/Thimphu",
  BW: "Africa/Gaborone",
  BY: "Europe/Minsk",
  BZ: "America/Belize",
  CA: "America/Toronto", // multi: Eastern time (Ontario, Quebec) holds most of the population
  CC: "Indian/Cocos",
  CD: "Africa/Lubumbashi", // multi: the eastern UTC+2 provinces (Kivu, Kasai, Katanga) outnumber Kinshasa's UTC+1 west
  CF: "Africa/Bangui",
  CG: "Africa/Brazzaville",
  CH: "Europe/Zurich",
  CI: "Africa/Abidjan",
  CK: "Pacific/Rarotonga",
  CL: "America/Santiago", // multi: continental Chile; Easter Island and Magallanes differ
  CM: "Africa/Douala",
  CN: "Asia/Shanghai", // one official zone (UTC+8) for the whole country
  CO: "America/Bogota",
  CR: "America/Costa_Rica",
  CU: "America/Havana",
  CV: "Atlantic/Cape_Verde",
  CW: "America/Curacao",
  CX: "Indian/Christmas",
  CY: "Asia/Nicosia", // multi: the south; Asia/Famagusta covers the north
  CZ: "Europe/Prague",
  DE: "Europe/Berlin",
  DJ: "Africa/Djibouti",
  DK: "Europe/Copenhagen",
  DM: "America/Dominica",
  DO: "America/Santo_Domingo",
  DZ: "Africa/Algiers",
  EC: "America/Guayaquil", // multi: mainland; the Galápagos are Pacific/Galapagos
  EE: "Europe/Tallinn",
  EG: "Africa/Cairo",
  EH: "Africa/El_Aaiun",
  ER: "Africa/Asmara",
  ES: "Europe/Madrid", // multi: mainland; the Canary Islands are Atlantic/Canary
  ET: "Africa/Addis_Ababa",
  FI: "Europe/Helsinki",
  FJ: "Pacific/Fiji",
  FK: "Atlantic/Stanley",
  FM: "Pacific/Chuuk", // multi: Chuuk state is the most populous; Pohnpei and Kosrae are UTC+11
  FO: "Atlantic/Faroe",
  FR: "Europe/Paris", // metropolitan France; the overseas departments have their own region codes
  GA: "Africa/Libreville",
  GB: "Europe/London",
  GD: "America/Grenada",
  GE: "Asia/Tbilisi",
  GF: "America/Cayenne",
  GG: "Europe/Guernsey",
  GH: "Africa/Accra",
  GI: "Europe/Gibraltar",
  GL: "America/Nuuk", // multi: Nuuk and the west coast hold most of the population
  GM: "Africa/Banjul",
  GN: "Africa/Conakry",
  GP: "America/Guadeloupe",
  GQ: "Africa/Malabo",
  GR: "Europe/Athens",
  GT: "America/Guatemala",
  GU: "Pacific/Guam",
  GW: "Africa/Bissau",
  GY: "America/Guyana",
  HK: "Asia/Hong_Kong",
  HN: "America/Tegucigalpa",
  HR: "Europe/Zagreb",
  HT: "America/Port-au-Prince",
  HU: "Europe/Budapest",
  ID: "Asia/Jakarta", // multi: Western Indonesia Time (Java, Sumatra) holds most of the population
  IE: "Europe/Dublin",
  IL: "Asia/Jerusalem",
  IM: "Europe/Isle_of_Man",
  IN: "Asia/Kolkata",
  IO: "Indian/Chagos",
  IQ: "Asia/Baghdad",
  IR: "Asia/Tehran",
  IS: "Atlantic/Reykjavik",
  IT: "Europe/Rome",
  JE: "Europe/Jersey",
  JM: "America/Jamaica",
  JO: "Asia/Amman",
  JP: "Asia/Tokyo",
  KE: "Africa/Nairobi",
  KG: "Asia/Bishkek",
  KH: "Asia/Phnom_Penh",
  KI: "Pacific/Tarawa", // multi: the Gilbert Islands (Tarawa) hold almost all of the population
  KM: "Indian/Comoro",
  KN: "America/St_Kitts",
  KP: "Asia/Pyongyang",
  KR: "Asia/Seoul",
  KW: "Asia/Kuwait",
  KY: "America/Cayman",
  KZ: "Asia/Almaty", // multi in the database; the whole country has kept UTC+5 since March 2024
  LA: "Asia/Vientiane",
  LB: "Asia/Beirut",
  LC: "America/St_Lucia",
  LI: "Europe/Vaduz",
  LK: "Asia/Colombo",
  LR: "Africa/Monrovia",
  LS: "Africa/Maseru",
  LT: "Europe/Vilnius",
  LU: "Europe/Luxembourg",
  LV: "Europe/Riga",
  LY: "Africa/Tripoli",
  MA: "Africa/Casablanca",
  MC: "Europe/Monaco",
  MD: "Europe/Chisinau",
  ME: "Europe/Podgorica",
  MF: "America/Marigot",
  MG: "Indian/Antananarivo",
  MH: "Pacific/Majuro", // multi: Majuro is the capital and largest atoll
  MK: "Europe/Skopje",
  ML: "Africa/Bamako",
  MM: "Asia/Yangon",
  MN: "Asia/Ulaanbaatar", // multi: the far west (Hovd) is an hour behind
  MO: "Asia/Macau",
  MP: "Pacific/Saipan",
  MQ: "America/Martinique",
  MR: "Africa/Nouakchott",
  MS: "America/Montserrat",
  MT: "Europe/Malta",
  MU: "Indian/Mauritius",
  MV: "Indian/Maldives",
  MW: "Africa/Blantyre",
  MX: "America/Mexico_City", // multi: Central time covers most Mexicans
  MY: "Asia/Kuala_Lumpur", // multi in the database; all of Malaysia keeps UTC+8
  MZ: "Africa/Maputo",
  NA: "Africa/Windhoek",
  NC: "Pacific/Noumea",
  NE: "Africa/Niamey",
  NF: "Pacific/Norfolk",
  NG: "Africa/Lagos",
  NI: "America/Managua",
  NL: "Europe/Amsterdam",
  NO: "Europe/Oslo",
  NP: "Asia/Kathmandu",
  NR: "Pacific/Nauru",
  NU: "Pacific/Niue",
  NZ: "Pacific/Auckland", // multi: the Chatham Islands are 45 minutes ahead
  OM: "Asia/Muscat",
  PA: "America/Panama",
  PE: "America/Lima",
  PF: "Pacific/Tahiti", // multi: the Society Islands hold most of the population
  PG: "Pacific/Port_Moresby", // multi: Bougainville is an hour ahead
  PH: "Asia/Manila",
  PK: "Asia/Karachi",
  PL: "Europe/Warsaw",
  PM: "America/Miquelon",
  PR: "America/Puerto_Rico",
  PS: "Asia/Hebron", // multi: the West Bank is more populous than Gaza (Asia/Gaza)
  PT: "Europe/Lisbon", // multi: the Azores are an hour behind
  PW: "Pacific/Palau",
  PY: "America/Asuncion",
  QA: "Asia/Qatar",
  RE: "Indian/Reunion",
  RO: "Europe/Bucharest",
  RS: "Europe/Belgrade",
  RU: "Europe/Moscow", // multi: Moscow time covers most of European Russia, the most populous part
  RW: "Africa/Kigali",
  SA: "Asia/Riyadh",
  SB: "Pacific/Guadalcanal",
  SC: "Indian/Mahe",
  SD: "Africa/Khartoum",
  SE: "Europe/Stockholm",
  SG: "Asia/Singapore",
  SH: "Atlantic/St_Helena",
  SI: "Europe/Ljubljana",
  SJ: "Arctic/Longyearbyen",
  SK: "Europe/Bratislava",
  SL: "Africa/Freetown",
  SM: "Europe/San_Marino",
  SN: "Africa/Dakar",
  SO: "Africa/Mogadishu",
  SR: "America/Paramaribo",
  SS: "Africa/Juba",
  ST: "Africa/Sao_Tome",
  SV: "America/El_Salvador",
  SX: "America/Lower_Princes",
  SY: "Asia/Damascus",
  SZ: "Africa/Mbabane",
  TA: "Atlantic/St_Helena", // Tristan da Cunha: GMT all year, no zone of its own
  TC: "America/Grand_Turk",
  TD: "Africa/Ndjamena",
  TG: "Africa/Lome",
  TH: "Asia/Bangkok",
  TJ: "Asia/Dushanbe",
  TK: "Pacific/Fakaofo",
  TL: "Asia/Dili",
  TM: "Asia/Ashgabat",
  TN: "Africa/Tunis",
  TO: "Pacific/Tongatapu",
  TR: "Europe/Istanbul",
  TT: "America/Port_of_Spain",
  TV: "Pacific/Funafuti",
  TW: "Asia/Taipei",
  TZ: "Africa/Dar_es_Salaam",
  UA: "Europe/Kyiv", // multi: Crimea is listed as Europe/Simferopol
  UG: "Africa/Kampala",
  US: "America/New_York", // multi: Eastern time is the most populous of the six
  UY: "America/Montevideo",
  UZ: "Asia/Tashkent", // multi: Samarkand has the same offset
  VA: "Europe/Vatican",
  VC: "America/St_Vincent",
  VE: "America/Caracas",
  VG: "America/Tortola",
  VI: "America/St_Thomas",
  VN: "Asia/Ho_Chi_Minh",
  VU: "Pacific/Efate",
  WF: "Pacific/Wallis",
  WS: "Pacific/Apia",
  XK: "Europe/Belgrade", // Kosovo has no zone of its own; it keeps Central European Time like Serbia
  YE: "Asia/Aden",
  YT: "Indian/Mayotte",
  ZA: "Africa/Johannesburg",
  ZM: "Africa/Lusaka",
  ZW: "Africa/Harare",
};

/** The primary IANA time zone of an ISO 3166 alpha-2 country, or null when the code is unknown. */
export function timeZoneForCountry(country: string): string | null {
  const upper = country.toUpperCase();
  return Object.hasOwn(COUNTRY_TIME_ZONES, upper) ? COUNTRY_TIME_ZONES[upper as CountryCode] : null;
}

/** The primary time zone of the country an E.164 number belongs to, or null when the number is not valid. */
export function timeZoneForPhone(e164: string): string | null {
  const phone = normalizePhone(e164);
  return phone.ok ? COUNTRY_TIME_ZONES[phone.country] : null;
}
