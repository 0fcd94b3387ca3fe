// What the simulated audience looks like by number: local time by calling code, US numbers, names, and the
// daily reading rhythm. Local time uses a fixed UTC offset per calling code (no DST): enough for a rhythm,
// and far cheaper than time-zone lookups on every message.

// Fixed offsets (minutes) by calling code, longest prefix first; a sandbox approximation without DST.
const OFFSETS: [string, number][] = [
  ["852", 480],
  ["886", 480],
  ["971", 240],
  ["966", 180],
  ["234", 60],
  ["351", 0],
  ["353", 0],
  ["82", 540],
  ["81", 540],
  ["86", 480],
  ["65", 480],
  ["60", 480],
  ["63", 480],
  ["66", 420],
  ["84", 420],
  ["62", 420],
  ["91", 330],
  ["92", 300],
  ["90", 180],
  ["20", 120],
  ["27", 120],
  ["30", 120],
  ["44", 0],
  ["49", 60],
  ["33", 60],
  ["34", 60],
  ["39", 60],
  ["31", 60],
  ["32", 60],
  ["41", 60],
  ["43", 60],
  ["45", 60],
  ["46", 60],
  ["47", 60],
  ["48", 60],
  ["55", -180],
  ["54", -180],
  ["56", -240],
  ["57", -300],
  ["52", -360],
  ["61", 600],
  ["64", 720],
  ["7", 180],
  ["1", -300],
];

// Canadian area codes: +1 numbers that are not US (US numbers get no marketing templates, reference §5.9).
const CANADA = new Set(
  "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 460 468 474 506 514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905".split(
    " ",
  ),
);

export const KOREAN_NAMES = [
  "김민수",
  "이서연",
  "박지훈",
  "최유진",
  "정하늘",
  "강도윤",
  "조수아",
  "윤서준",
  "장예린",
  "임지호",
];
export const OTHER_NAMES = [
  "Alex Kim",
  "Sam Lee",
  "Jordan Park",
  "Taylor Choi",
  "Morgan Jung",
  "Casey Kang",
  "Riley Cho",
  "Jamie Yoon",
];

/** Fixed UTC offset (minutes) for a number, by calling code. */
export function utcOffsetFor(waId: string): number {
  for (const [prefix, offset] of OFFSETS) if (waId.startsWith(prefix)) return offset;
  return 0;
}

/** True for +1 numbers with a US (not Canadian) area code. */
export function isUSNumber(waId: string): boolean {
  return waId.length === 11 && waId.startsWith("1") && !CANADA.has(waId.slice(1, 4));
}

/** Relative read likelihood by local hour: peaks 10–12 h and 20–22 h, low at night (issue 3). */
export function readWeight(localHour: number): number {
  if ((localHour >= 10 && localHour < 12) || (localHour >= 20 && localHour < 22)) return 1;
  if (localHour < 7) return 0.08;
  return 0.35;
}

/** Local hour of an epoch time at a fixed offset. */
export function localHour(at: number, offsetMinutes: number): number {
  return Math.floor(((((at / 60_000 + offsetMinutes) % 1440) + 1440) % 1440) / 60);
}

// The same answers by table, for the recipient's first digits: a new recipient per send looked them up with
// up to 44 startsWith and a slice (bench sandbox profile: 1% of the sandbox's time).
const OFFSET_BY_PREFIX = Int16Array.from({ length: 1000 }, (_, p) => utcOffsetFor(String(p).padStart(3, "0")));
const CANADIAN_AREA = Uint8Array.from({ length: 1000 }, (_, a) => (CANADA.has(String(a).padStart(3, "0")) ? 1 : 0));

/** The value of the 3 digits at `at` (0–999), or -1 when they are not all digits. */
function digits3(s: string, at: number): number {
  let n = 0;
  for (let i = at; i < at + 3; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** utcOffsetFor(waId), by table when the number starts with 3 digits. */
export function utcOffsetOf(waId: string): number {
  const p = waId.length >= 3 ? digits3(waId, 0) : -1;
  return p >= 0 ? (OFFSET_BY_PREFIX[p] as number) : utcOffsetFor(waId);
}

/** isUSNumber(waId), by table. */
export function isUS(waId: string): boolean {
  if (waId.length !== 11 || waId.charCodeAt(0) !== 49) return false;
  const area = digits3(waId, 1);
  return area >= 0 ? CANADIAN_AREA[area] === 0 : isUSNumber(waId);
}
