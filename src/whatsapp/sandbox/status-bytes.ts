// Status changes written as bytes straight into the webhook queue (webhook-queue.ts): the same JSON as
// payloads.ts's statusChange (test/whatsapp/status-bytes.test.ts checks byte equality), without building a
// string, a wamid string or a StatusInfo object per status.
//
// Why: statuses are ~1.8 per send and their strings were the largest allocation of the sandbox; building one
// (~25 concatenations, a Buffer.from + base64 for the wamid, flattening, the copy into the queue) cost
// ~2.5 µs in bench/_micro.ts. Here the constant parts are precomputed bytes, and the wamid, times and ids are
// encoded digit by digit. Every byte is ASCII: the variable text (callback data, error details) is escaped
// like Meta's (serialize.ts) before it gets here; category names are written as UTF-8, as the string was.
import { escapeNonAscii, serializeLikeMeta } from "../webhook/serialize.js";
import { type Failure, metadata, type PricingInfo } from "./payloads.js";
import type { PhoneState } from "./state.js";
import { wamidFrame, wamidInto } from "./wamid.js";

/** Writes one change's bytes; ChangeQueue.pushWritten calls it. */
export interface ChangeWriter {
  /** An upper bound of the bytes `write` will write. */
  maxBytes(): number;
  /** Writes at `at`; returns the offset after the last byte. */
  write(buf: Buffer, at: number): number;
}

const ascii = (s: string): Uint8Array => Buffer.from(s, "latin1");

const STATUS_PARTS = ["sent", "delivered", "read", "failed"].map((name) => ascii(`","status":"${name}","timestamp":"`));
const RECIPIENT = ascii('","recipient_id":"');
const CALLBACK = ascii(',"biz_opaque_callback_data":');
const CONVERSATION = ascii(',"conversation":{"id":"');
const EXPIRATION = ascii('","expiration_timestamp":"');
const ORIGIN = ascii('","origin":{"type":"');
const END_CONVERSATION = ascii('"}}');
const END = ascii('}]},"field":"messages"}');
const HEX_LOWER = ascii("0123456789abcdef");
const DAY_MS = 24 * 3_600_000;

const prefixes = new WeakMap<PhoneState, Uint8Array>();
const errors = new WeakMap<Failure, Uint8Array>();
const pricings = new WeakMap<PricingInfo, Uint8Array>();
const origins = new Map<string, Uint8Array>();

/** The status fields one write needs (set by `status()`, so one writer serves every status). */
export class StatusWriter implements ChangeWriter {
  #phone: PhoneState | undefined = undefined;
  #prefix: Uint8Array = END;
  #pricingInfo: PricingInfo | undefined = undefined;
  #waId: number | string = "";
  #seq = 0;
  #status = 0;
  #at = 0;
  #callback: string | undefined = undefined;
  /** The conversation id's hash part, or -1 without `conversation` (v24+, failed). */
  #conversation = -1;
  #origin: Uint8Array = END;
  #pricing: Uint8Array | undefined = undefined;
  #error: Uint8Array | undefined = undefined;

  /**
   * Sets the status to write. status: 0 sent, 1 delivered, 2 read, 3 failed. conversationHash: the hash part
   * of the conversation id (sim.ts), or -1 for none.
   */
  status(
    phone: PhoneState,
    /** The recipient's number: its digits' value, or the text when it is not plain digits. */
    waId: number | string,
    seq: number,
    status: number,
    at: number,
    callbackData: string | undefined,
    conversationHash: number,
    category: string,
    pricing: PricingInfo | undefined,
    error: Failure | undefined,
  ): this {
    if (phone !== this.#phone) {
      this.#phone = phone;
      this.#prefix = prefixOf(phone);
    }
    this.#waId = waId;
    this.#seq = seq;
    this.#status = status;
    this.#at = at;
    this.#callback = callbackData === undefined ? undefined : escapeNonAscii(JSON.stringify(callbackData));
    this.#conversation = conversationHash;
    this.#origin = conversationHash < 0 ? END : originOf(category);
    if (pricing !== this.#pricingInfo) {
      this.#pricingInfo = pricing;
      this.#pricing = pricing && pricingOf(pricing);
    }
    this.#error = error && errorOf(error);
    return this;
  }

  maxBytes(): number {
    return (
      this.#prefix.length +
      2 * (typeof this.#waId === "number" ? 16 : this.#waId.length) +
      (this.#callback?.length ?? 0) +
      this.#origin.length +
      (this.#pricing?.length ?? 0) +
      (this.#error?.length ?? 0) +
      400
    );
  }

  write(buf: Buffer, start: number): number {
    let at = put(buf, start, this.#prefix);
    at = wamid(buf, at, this.#waId, this.#seq);
    at = put(buf, at, STATUS_PARTS[this.#status] as Uint8Array);
    at = decimal(buf, at, Math.floor(this.#at / 1000));
    at = put(buf, at, RECIPIENT);
    at = digits(buf, at, this.#waId);
    buf[at++] = 0x22; // '"'
    if (this.#callback !== undefined) at = text(buf, put(buf, at, CALLBACK), this.#callback);
    if (this.#conversation >= 0) {
      at = put(buf, at, CONVERSATION);
      at = hex(buf, at, this.#conversation, 8, HEX_LOWER);
      at = hex(buf, at, this.#seq, 1, HEX_LOWER);
      if (this.#status === 0) at = decimal(buf, put(buf, at, EXPIRATION), Math.floor((this.#at + DAY_MS) / 1000));
      at = put(buf, put(buf, at, ORIGIN), this.#origin);
      at = put(buf, at, END_CONVERSATION);
    }
    if (this.#pricing) at = put(buf, at, this.#pricing);
    if (this.#error) at = put(buf, at, this.#error);
    return put(buf, at, END);
  }
}

function prefixOf(phone: PhoneState): Uint8Array {
  let p = prefixes.get(phone);
  if (p === undefined) {
    p = ascii(`{"value":{"messaging_product":"whatsapp","metadata":${metadata(phone)},"statuses":[{"id":"`);
    prefixes.set(phone, p);
  }
  return p;
}

function originOf(category: string): Uint8Array {
  let o = origins.get(category);
  if (o === undefined) {
    // conversation.origin.type uses underscores where pricing.category uses a hyphen (reference §4.5).
    o = Buffer.from(category.replace("-", "_"));
    origins.set(category, o);
  }
  return o;
}

function pricingOf(p: PricingInfo): Uint8Array {
  let b = pricings.get(p);
  if (b === undefined) {
    b = Buffer.from(
      `,"pricing":{"billable":${p.billable},"pricing_model":"PMP","category":"${p.category}","type":"${p.type}"}`,
    );
    pricings.set(p, b);
  }
  return b;
}

function errorOf(e: Failure): Uint8Array {
  let b = errors.get(e);
  if (b === undefined) {
    b = ascii(
      `,"errors":[${serializeLikeMeta({
        code: e.code,
        title: e.title,
        message: e.title,
        error_data: { details: e.details },
        href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
      })}]`,
    );
    errors.set(e, b);
  }
  return b;
}

function put(buf: Buffer, at: number, bytes: Uint8Array): number {
  buf.set(bytes, at);
  return at + bytes.length;
}

/** Writes an ASCII string (its char codes are its bytes). */
function text(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

/** A recipient number: the digits of its value, or its text. */
function digits(buf: Buffer, at: number, waId: number | string): number {
  return typeof waId === "number" ? decimal(buf, at, waId) : text(buf, at, waId);
}

function decimal(buf: Buffer, at: number, n: number): number {
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER)) return text(buf, at, String(n));
  if (n < 2147483648) {
    // Seconds since 1970 fit until 2038: integer division (| 0) instead of Math.floor on doubles.
    let length = 1;
    for (let x = n; x >= 10; x = (x / 10) | 0) length++;
    for (let k = length - 1, x = n; k >= 0; k--, x = (x / 10) | 0) buf[at + k] = 48 + (x % 10);
    return at + length;
  }
  let length = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) length++;
  for (let k = length - 1; k >= 0; k--) {
    buf[at + k] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + length;
}

/** Hex digits of a non-negative integer, zero-padded to at least `width`. */
function hex(buf: Buffer, at: number, n: number, width: number, digits: Uint8Array): number {
  let length = 1;
  for (let x = n; x >= 16; x = Math.floor(x / 16)) length++;
  length = Math.max(length, width);
  for (let k = length - 1; k >= 0; k--) {
    buf[at + k] = digits[n % 16] as number;
    n = Math.floor(n / 16);
  }
  return at + length;
}

const frame = new Uint8Array(64);

/** wamid.ts's outboundWamid(waId, seq), as bytes. */
function wamid(buf: Buffer, start: number, waId: number | string, seq: number): number {
  return wamidInto(frame, wamidFrame(frame, waId, false, seq), buf, start);
}
