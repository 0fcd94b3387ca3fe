// The simulated audience: every recipient number gets a profile drawn from the seed and its digits, so the
// same number behaves the same way in every run (issue 3). Reads follow a local-time daily rhythm: more
// reads at 10–12 h and 20–22 h, few at night. Local time uses a fixed UTC offset per calling code (no DST):
// enough for a rhythm, and far cheaper than time-zone lookups on every message.
import type { AudienceOptions, AudienceProfileOverride } from "./options.js";
import { hashString, uniform } from "./random.js";

/** How one recipient behaves. */
export interface AudienceProfile {
  waId: string;
  hash: number;
  unreachable: boolean;
  marketingOptOut: boolean;
  deliveryRate: number;
  readRate: number;
  replyRate: number;
  deliveryDelayMeanMs: number;
  readDelayMeanMs: number;
  replyDelayMeanMs: number;
  utcOffsetMinutes: number;
  name: string;
  replyText: string | undefined;
  /** +1 with a US area code: no marketing template is delivered there since 1 April 2025 (131049). */
  isUS: boolean;
  /** Messages received so far: the per-message random key. */
  count: number;
}

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

const KOREAN_NAMES = [
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
const OTHER_NAMES = [
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

/** Profiles of simulated recipients, memoised per number. */
export class Audience {
  readonly #seed: number;
  #options: AudienceOptions;
  readonly #profiles = new Map<string, AudienceProfile>();
  readonly #overrides = new Map<string, Partial<AudienceProfileOverride>>();

  constructor(seed: number, options: AudienceOptions) {
    this.#seed = seed;
    this.#options = options;
    for (const [waId, o] of Object.entries(options.overrides ?? {})) this.#overrides.set(waId, o);
  }

  /** The profile of a number (created on first use). */
  profile(waId: string): AudienceProfile {
    let p = this.#profiles.get(waId);
    if (!p) {
      p = this.#create(waId);
      this.#profiles.set(waId, p);
    }
    return p;
  }

  /** Forces parts of a number's profile (control API). */
  override(waId: string, o: Partial<AudienceProfileOverride>): AudienceProfile {
    this.#overrides.set(waId, { ...this.#overrides.get(waId), ...o });
    this.#profiles.delete(waId);
    return this.profile(waId);
  }

  /** Forgets all profiles (overrides given as options stay). */
  reset(): void {
    this.#profiles.clear();
    this.#overrides.clear();
    for (const [waId, o] of Object.entries(this.#options.overrides ?? {})) this.#overrides.set(waId, o);
  }

  /** A uniform draw for message `n` of this number, slot `k`. */
  draw(p: AudienceProfile, n: number, k: number): number {
    return uniform(p.hash, n, k);
  }

  /**
   * Delay from delivery to read, shaped by the local daily rhythm: exponential candidates are accepted with
   * the weight of the local hour they land in (rejection sampling), so reads pile up at 10–12 h and 20–22 h.
   */
  readDelay(p: AudienceProfile, n: number, deliveredAt: number): number {
    let delay = 0;
    for (let i = 0; i < 12; i++) {
      delay = -p.readDelayMeanMs * Math.log(1 - this.draw(p, n, 100 + i));
      if (this.draw(p, n, 200 + i) < readWeight(localHour(deliveredAt + delay, p.utcOffsetMinutes))) return delay;
    }
    return delay;
  }

  /** A reply text for a message (free text), from the profile or the weighted list. */
  replyText(p: AudienceProfile, n: number): string {
    if (p.replyText !== undefined) return p.replyText;
    const texts = this.#options.replyTexts;
    const total = texts.reduce((s, t) => s + t.weight, 0);
    let x = this.draw(p, n, 300) * total;
    for (const t of texts) {
      x -= t.weight;
      if (x < 0) return t.text;
    }
    return texts[texts.length - 1]?.text ?? "YES";
  }

  #create(waId: string): AudienceProfile {
    const o = this.#options;
    const hash = hashString(waId, this.#seed ^ 0x9e3779b9);
    const u = (k: number) => uniform(hash, 0x7fffffff, k);
    // Each person varies around the defaults: rates ×0.6–1.4 (capped at 1), delays ×0.5–2.
    const around = (v: number, k: number) => Math.min(1, v * (0.6 + 0.8 * u(k)));
    const slower = (v: number, k: number) => v * (0.5 + 1.5 * u(k));
    const f = this.#overrides.get(waId) ?? {};
    const korean = waId.startsWith("82");
    const names = korean ? KOREAN_NAMES : OTHER_NAMES;
    return {
      waId,
      hash,
      unreachable: f.unreachable ?? u(1) < o.unreachableRate,
      marketingOptOut: f.marketingOptOut ?? u(2) < o.marketingOptOutRate,
      deliveryRate: f.deliveryRate ?? Math.max(o.deliveryRate, around(o.deliveryRate, 3)),
      readRate: f.readRate ?? around(o.readRate, 4),
      replyRate: f.replyRate ?? around(o.replyRate, 5),
      deliveryDelayMeanMs: f.deliveryDelayMeanMs ?? slower(o.deliveryDelayMeanMs, 6),
      readDelayMeanMs: f.readDelayMeanMs ?? slower(o.readDelayMeanMs, 7),
      replyDelayMeanMs: f.replyDelayMeanMs ?? slower(o.replyDelayMeanMs, 8),
      utcOffsetMinutes: f.utcOffsetMinutes ?? o.utcOffsetMinutes ?? utcOffsetFor(waId),
      name: f.name ?? (names[Math.floor(u(9) * names.length)] as string),
      replyText: f.replyText,
      isUS: isUSNumber(waId),
      count: 0,
    };
  }
}
