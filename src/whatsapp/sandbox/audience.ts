// The simulated audience: every recipient number gets a profile drawn from the seed and its digits, so the
// same number behaves the same way in every run (issue 3). Reads follow a local-time daily rhythm
// (audience-data.ts): more reads at 10–12 h and 20–22 h, few at night.
//
// Recipients are numbered and their state is kept in columns (struct of arrays), like messages (messages.ts):
// a campaign reaches one new number per send, and an object per number (~150 bytes, kept for the sandbox's
// lifetime) was copied by the young-generation GC like every per-message object. Profile values are computed
// from the hash when read, not stored.
import { isUS, KOREAN_NAMES, localHour, OTHER_NAMES, readWeight, utcOffsetOf } from "./audience-data.js";
import { type Column, grown } from "./columns.js";
import { NONE } from "./messages.js";
import { digitsValue, NumberIndex } from "./number-index.js";
import type { AudienceOptions, AudienceProfileOverride } from "./options.js";
import { hashString, uniform } from "./random.js";

export { localHour, readWeight } from "./audience-data.js";

/** Bits of `flags`. */
const FORCED = 1;
const US = 2;
const HAS_WINDOW = 4;
/** The number is not 1–15 digits without a leading zero: kept as text in a map, not in `number`. */
const TEXT = 8;
const KOREAN = 16;

/** Room for a million recipients from the start: zero pages until written (see messages.ts). */
const INITIAL_CAPACITY = 1 << 20;

/** The recipients' columns, indexed by recipient number (in order of first contact). */
export class Audience {
  readonly #seed: number;
  readonly #options: AudienceOptions;
  readonly #index = new NumberIndex();
  readonly #overrides = new Map<string, Partial<AudienceProfileOverride>>();
  /** Forced profile values, by recipient (FORCED flag set). */
  readonly #forced = new Map<number, Partial<AudienceProfileOverride>>();
  /** Last inbound message time per business number id: the customer-service windows (HAS_WINDOW flag set). */
  readonly #windows = new Map<number, Map<string, number>>();
  /** Numbers kept as text (TEXT flag set). */
  readonly #texts = new Map<number, string>();
  size = 0;
  capacity = 0;

  /** The phone number's digits as a number (a string per recipient was 40 bytes more for the GC to keep). */
  number = new Float64Array(0);
  hash = new Uint32Array(0);
  /** UTC offset by calling code, minutes (audience-data.ts). */
  offset = new Int16Array(0);
  flags = new Uint8Array(0);
  /** Messages received so far: the per-message random key. */
  count = new Int32Array(0);
  /** Pair-rate bucket for the first business number (PhoneState.idKey) that writes to this user (limits.ts). */
  pairPhone = new Int32Array(0);
  pairTokens = new Float64Array(0);
  pairLast = new Float64Array(0);
  /** When this user was counted against a portfolio's messaging limit, and by which (limits.ts ReachWindow). */
  reachAt = new Float64Array(0);
  reachPortfolio = new Int32Array(0);
  /** Newest message slot of the received log (a linked list through MessageStore.prev), and its length. */
  last = new Int32Array(0);
  logLength = new Int32Array(0);

  constructor(seed: number, options: AudienceOptions) {
    this.#seed = seed;
    this.#options = options;
    this.#loadOverrides();
  }

  /** The recipient number of a phone number (created on first use). */
  profile(waId: string): number {
    const key = digitsValue(waId);
    const known = this.#index.get(waId, key);
    return known === NONE ? this.#create(waId, key) : known;
  }

  /** The phone number of recipient r. */
  waId(r: number): string {
    return (this.flags[r] as number) & TEXT ? (this.#texts.get(r) as string) : String(this.number[r]);
  }

  /** The phone number of recipient r as its digits' value, or as text when it is not plain digits. */
  waIdKey(r: number): number | string {
    return (this.flags[r] as number) & TEXT ? (this.#texts.get(r) as string) : (this.number[r] as number);
  }

  /** The recipient number of a phone number if it was seen, else NONE. */
  find(waId: string): number {
    return this.#index.get(waId);
  }

  /** Forces parts of a number's profile (control API); its history stays. */
  override(waId: string, o: Partial<AudienceProfileOverride>): number {
    const forced = { ...this.#overrides.get(waId), ...o };
    this.#overrides.set(waId, forced);
    const r = this.profile(waId);
    this.#forced.set(r, forced);
    (this.flags[r] as number) |= FORCED;
    return r;
  }

  /** Forgets all recipients and their history (overrides given as options stay). */
  reset(): void {
    this.#index.clear();
    this.#overrides.clear();
    this.#forced.clear();
    this.#windows.clear();
    this.#texts.clear();
    this.size = 0;
    this.#loadOverrides();
  }

  // Each person varies around the defaults: rates ×0.6–1.4 (capped at 1), delays ×0.5–2.
  unreachable(r: number): boolean {
    return this.#f(r)?.unreachable ?? uniform(this.hash[r] as number, 1) < this.#options.unreachableRate;
  }
  marketingOptOut(r: number): boolean {
    return this.#f(r)?.marketingOptOut ?? uniform(this.hash[r] as number, 2) < this.#options.marketingOptOutRate;
  }
  deliveryRate(r: number): number {
    const d = this.#options.deliveryRate;
    return this.#f(r)?.deliveryRate ?? Math.max(d, Math.min(1, d * (0.6 + 0.8 * uniform(this.hash[r] as number, 3))));
  }
  readRate(r: number): number {
    return (
      this.#f(r)?.readRate ?? Math.min(1, this.#options.readRate * (0.6 + 0.8 * uniform(this.hash[r] as number, 4)))
    );
  }
  replyRate(r: number): number {
    return (
      this.#f(r)?.replyRate ?? Math.min(1, this.#options.replyRate * (0.6 + 0.8 * uniform(this.hash[r] as number, 5)))
    );
  }
  deliveryDelayMeanMs(r: number): number {
    return (
      this.#f(r)?.deliveryDelayMeanMs ??
      this.#options.deliveryDelayMeanMs * (0.5 + 1.5 * uniform(this.hash[r] as number, 6))
    );
  }
  readDelayMeanMs(r: number): number {
    return (
      this.#f(r)?.readDelayMeanMs ?? this.#options.readDelayMeanMs * (0.5 + 1.5 * uniform(this.hash[r] as number, 7))
    );
  }
  replyDelayMeanMs(r: number): number {
    return (
      this.#f(r)?.replyDelayMeanMs ?? this.#options.replyDelayMeanMs * (0.5 + 1.5 * uniform(this.hash[r] as number, 8))
    );
  }
  utcOffsetMinutes(r: number): number {
    return this.#f(r)?.utcOffsetMinutes ?? this.#options.utcOffsetMinutes ?? (this.offset[r] as number);
  }
  name(r: number): string {
    const names = (this.flags[r] as number) & KOREAN ? KOREAN_NAMES : OTHER_NAMES;
    return this.#f(r)?.name ?? (names[Math.floor(uniform(this.hash[r] as number, 9) * names.length)] as string);
  }
  forcedReplyText(r: number): string | undefined {
    return this.#f(r)?.replyText;
  }
  /** +1 with a US area code: no marketing template is delivered there since 1 April 2025 (131049). */
  isUS(r: number): boolean {
    return ((this.flags[r] as number) & US) !== 0;
  }

  /** When the user last wrote to this business number (the 24-hour window), if ever. */
  lastInbound(r: number, phoneId: string): number | undefined {
    return (this.flags[r] as number) & HAS_WINDOW ? this.#windows.get(r)?.get(phoneId) : undefined;
  }

  /** The user wrote to this business number: opens (or renews) the 24-hour window. */
  openWindow(r: number, phoneId: string, at: number): void {
    let windows = this.#windows.get(r);
    if (windows === undefined) {
      windows = new Map();
      this.#windows.set(r, windows);
      (this.flags[r] as number) |= HAS_WINDOW;
    }
    windows.set(phoneId, at);
  }

  /** A uniform draw for message `n` of this number, slot `k`. */
  draw(r: number, n: number, k: number): number {
    return uniform(this.hash[r] as number, n, k);
  }

  /**
   * Delay from delivery to read, shaped by the local daily rhythm: exponential candidates are accepted with
   * the weight of the local hour they land in (rejection sampling), so reads pile up at 10–12 h and 20–22 h.
   */
  readDelay(r: number, n: number, deliveredAt: number): number {
    const mean = this.readDelayMeanMs(r);
    const offset = this.utcOffsetMinutes(r);
    let delay = 0;
    for (let i = 0; i < 12; i++) {
      delay = -mean * Math.log(1 - this.draw(r, n, 100 + i));
      if (this.draw(r, n, 200 + i) < readWeight(localHour(deliveredAt + delay, offset))) return delay;
    }
    return delay;
  }

  /** A reply text for a message (free text), from the profile or the weighted list. */
  replyText(r: number, n: number): string {
    const forced = this.forcedReplyText(r);
    if (forced !== undefined) return forced;
    const texts = this.#options.replyTexts;
    let total = 0;
    for (const t of texts) total += t.weight;
    let x = this.draw(r, n, 300) * total;
    for (const t of texts) {
      x -= t.weight;
      if (x < 0) return t.text;
    }
    return texts[texts.length - 1]?.text ?? "YES";
  }

  #f(r: number): Partial<AudienceProfileOverride> | undefined {
    return (this.flags[r] as number) & FORCED ? this.#forced.get(r) : undefined;
  }

  #create(waId: string, key: number): number {
    const r = this.size++;
    if (r >= this.capacity) this.#grow(Math.max(INITIAL_CAPACITY, this.capacity * 2));
    this.#index.add(waId, r, key);
    this.number[r] = key;
    if (key < 0) this.#texts.set(r, waId);
    this.hash[r] = hashString(waId, this.#seed ^ 0x9e3779b9);
    this.offset[r] = utcOffsetOf(waId);
    const forced = this.#overrides.get(waId);
    if (forced !== undefined) this.#forced.set(r, forced);
    this.flags[r] =
      (forced === undefined ? 0 : FORCED) |
      (isUS(waId) ? US : 0) |
      (key < 0 ? TEXT : 0) |
      (waId.charCodeAt(0) === 56 && waId.charCodeAt(1) === 50 ? KOREAN : 0); // "82"
    this.count[r] = 0;
    this.pairPhone[r] = NONE;
    this.pairTokens[r] = 0;
    this.pairLast[r] = 0;
    this.reachAt[r] = 0;
    this.reachPortfolio[r] = NONE;
    this.last[r] = NONE;
    this.logLength[r] = 0;
    return r;
  }

  #grow(size: number): void {
    const self = this as unknown as Record<string, Column>;
    for (const key of COLUMNS) self[key] = grown(self[key] as Column, size);
    this.capacity = size;
  }

  #loadOverrides(): void {
    for (const [waId, o] of Object.entries(this.#options.overrides ?? {})) this.#overrides.set(waId, o);
  }
}

const COLUMNS = [
  "number",
  "hash",
  "offset",
  "flags",
  "count",
  "pairPhone",
  "pairTokens",
  "pairLast",
  "reachAt",
  "reachPortfolio",
  "last",
  "logLength",
] as const satisfies readonly (keyof Audience)[];
