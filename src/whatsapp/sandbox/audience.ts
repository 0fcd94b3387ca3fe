// The simulated audience: every recipient number gets a profile drawn from the seed and its digits, so the
// same number behaves the same way in every run (issue 3). Reads follow a local-time daily rhythm: more
// reads at 10–12 h and 20–22 h, few at night. Local time uses a fixed UTC offset per calling code (no DST):
// enough for a rhythm, and far cheaper than time-zone lookups on every message.
import type { AudienceOptions, AudienceProfileOverride } from "./options.js";
import { hashString, uniform } from "./random.js";
import type { MessageRecord } from "./state.js";

/** What every Recipient shares: the audience options and the simulator that plays their messages. */
export interface ProfileSource {
  options: AudienceOptions;
}

/**
 * One simulated user: a seeded profile plus the little state the sandbox keeps per user. Profile values are
 * computed from the hash when read, not stored: a campaign creates one Recipient per contact, and at 30k
 * sends/s every retained byte costs garbage-collector time.
 */
export class Recipient {
  /** Messages received so far: the per-message random key. */
  count = 0;
  /** Pair-rate bucket for the first business number that writes to this user (others use a map). */
  pairPhone: string | undefined = undefined;
  pairTokens = 0;
  pairLast = 0;
  /** Last inbound message time per business number: the customer-service windows. */
  windows: Map<string, number> | undefined = undefined;
  /** When this user was counted against a portfolio's messaging limit (limits.ts ReachWindow). */
  reachAt = 0;
  reachPortfolio: string | undefined = undefined;
  /** Newest entry of the received log (a linked list through `prev`), and its length. */
  last: MessageRecord | undefined = undefined;
  logLength = 0;

  constructor(
    readonly waId: string,
    readonly hash: number,
    readonly src: ProfileSource,
    /** Values forced by a test or the control API. */
    public forced: Partial<AudienceProfileOverride> | undefined,
  ) {}

  // Each person varies around the defaults: rates ×0.6–1.4 (capped at 1), delays ×0.5–2.
  get unreachable(): boolean {
    return this.forced?.unreachable ?? uniform(this.hash, 1) < this.src.options.unreachableRate;
  }
  get marketingOptOut(): boolean {
    return this.forced?.marketingOptOut ?? uniform(this.hash, 2) < this.src.options.marketingOptOutRate;
  }
  get deliveryRate(): number {
    const d = this.src.options.deliveryRate;
    return this.forced?.deliveryRate ?? Math.max(d, Math.min(1, d * (0.6 + 0.8 * uniform(this.hash, 3))));
  }
  get readRate(): number {
    return this.forced?.readRate ?? Math.min(1, this.src.options.readRate * (0.6 + 0.8 * uniform(this.hash, 4)));
  }
  get replyRate(): number {
    return this.forced?.replyRate ?? Math.min(1, this.src.options.replyRate * (0.6 + 0.8 * uniform(this.hash, 5)));
  }
  get deliveryDelayMeanMs(): number {
    return (
      this.forced?.deliveryDelayMeanMs ?? this.src.options.deliveryDelayMeanMs * (0.5 + 1.5 * uniform(this.hash, 6))
    );
  }
  get readDelayMeanMs(): number {
    return this.forced?.readDelayMeanMs ?? this.src.options.readDelayMeanMs * (0.5 + 1.5 * uniform(this.hash, 7));
  }
  get replyDelayMeanMs(): number {
    return this.forced?.replyDelayMeanMs ?? this.src.options.replyDelayMeanMs * (0.5 + 1.5 * uniform(this.hash, 8));
  }
  get utcOffsetMinutes(): number {
    return this.forced?.utcOffsetMinutes ?? this.src.options.utcOffsetMinutes ?? utcOffsetFor(this.waId);
  }
  get name(): string {
    const names = this.waId.startsWith("82") ? KOREAN_NAMES : OTHER_NAMES;
    return this.forced?.name ?? (names[Math.floor(uniform(this.hash, 9) * names.length)] as string);
  }
  get replyText(): string | undefined {
    return this.forced?.replyText;
  }
  /** +1 with a US area code: no marketing template is delivered there since 1 April 2025 (131049). */
  get isUS(): boolean {
    return isUSNumber(this.waId);
  }

  /** Adds a message to the received log, dropping the oldest beyond `limit` (amortised O(1)). */
  remember(entry: MessageRecord, limit: number): void {
    entry.prev = this.last;
    this.last = entry;
    if (++this.logLength > 2 * limit) {
      let node: MessageRecord | undefined = entry;
      for (let i = 1; i < limit && node; i++) node = node.prev;
      if (node) node.prev = undefined;
      this.logLength = limit;
    }
  }

  /** The received log, oldest first, at most `limit` entries. */
  log(limit: number): MessageRecord[] {
    const out: MessageRecord[] = [];
    for (let node = this.last; node && out.length < limit; node = node.prev) out.push(node);
    return out.reverse();
  }
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
  readonly #src: ProfileSource;
  readonly #recipients = new Map<string, Recipient>();
  readonly #overrides = new Map<string, Partial<AudienceProfileOverride>>();

  constructor(seed: number, options: AudienceOptions) {
    this.#seed = seed;
    this.#src = { options };
    this.#loadOverrides();
  }

  /** Numbers seen so far. */
  get size(): number {
    return this.#recipients.size;
  }

  /** The recipient for a number (created on first use). */
  profile(waId: string): Recipient {
    let r = this.#recipients.get(waId);
    if (r === undefined) {
      r = new Recipient(waId, hashString(waId, this.#seed ^ 0x9e3779b9), this.#src, this.#overrides.get(waId));
      this.#recipients.set(waId, r);
    }
    return r;
  }

  /** The recipient for a number if it was seen. */
  find(waId: string): Recipient | undefined {
    return this.#recipients.get(waId);
  }

  /** Every recipient seen (control API). */
  all(): IterableIterator<Recipient> {
    return this.#recipients.values();
  }

  /** Forces parts of a number's profile (control API); its history stays. */
  override(waId: string, o: Partial<AudienceProfileOverride>): Recipient {
    const forced = { ...this.#overrides.get(waId), ...o };
    this.#overrides.set(waId, forced);
    const r = this.profile(waId);
    r.forced = forced;
    return r;
  }

  /** Forgets all recipients and their history (overrides given as options stay). */
  reset(): void {
    this.#recipients.clear();
    this.#overrides.clear();
    this.#loadOverrides();
  }

  #loadOverrides(): void {
    for (const [waId, o] of Object.entries(this.#src.options.overrides ?? {})) this.#overrides.set(waId, o);
  }

  /** A uniform draw for message `n` of this number, slot `k`. */
  draw(p: Recipient, n: number, k: number): number {
    return uniform(p.hash, n, k);
  }

  /**
   * Delay from delivery to read, shaped by the local daily rhythm: exponential candidates are accepted with
   * the weight of the local hour they land in (rejection sampling), so reads pile up at 10–12 h and 20–22 h.
   */
  readDelay(p: Recipient, n: number, deliveredAt: number): number {
    const mean = p.readDelayMeanMs;
    const offset = p.utcOffsetMinutes;
    let delay = 0;
    for (let i = 0; i < 12; i++) {
      delay = -mean * Math.log(1 - this.draw(p, n, 100 + i));
      if (this.draw(p, n, 200 + i) < readWeight(localHour(deliveredAt + delay, offset))) return delay;
    }
    return delay;
  }

  /** A reply text for a message (free text), from the profile or the weighted list. */
  replyText(p: Recipient, n: number): string {
    const forced = p.replyText;
    if (forced !== undefined) return forced;
    const texts = this.#src.options.replyTexts;
    let total = 0;
    for (const t of texts) total += t.weight;
    let x = this.draw(p, n, 300) * total;
    for (const t of texts) {
      x -= t.weight;
      if (x < 0) return t.text;
    }
    return texts[texts.length - 1]?.text ?? "YES";
  }
}
