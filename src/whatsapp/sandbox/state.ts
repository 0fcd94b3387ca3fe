// The sandbox's in-memory state: numbers, portfolios, templates and media. Per-user state (windows, what each
// user received) lives in audience.ts, per-message state in messages.ts. Plain maps; nothing here does I/O.
import type { TemplateCategory, TemplateComponentDefinition, TemplateStatus } from "../provider.js";
import { Interner } from "./columns.js";
import { ReachWindow, TokenBucket } from "./limits.js";
import { type Quality, type SandboxPhoneNumberOptions, TIER_LIMITS } from "./options.js";

/** A business phone number as the sandbox holds it. */
export interface PhoneState {
  /** This object's number (SandboxState.phoneByKey): message columns refer to the sending number by it. */
  readonly key: number;
  /** The number of its id string: the same for every registration of that id. */
  readonly idKey: number;
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  accessToken: string;
  appSecret: string;
  webhookUrl: string | undefined;
  verifyToken: string | undefined;
  verifiedName: string;
  mpsLimit: number;
  tier: string;
  quality: Quality;
  webhookVersion: string | undefined;
  portfolio: Portfolio;
  bucket: TokenBucket;
}

/** A business portfolio: its numbers share one messaging limit (since 7 Oct 2025, reference §5.4). */
export interface Portfolio {
  id: string;
  phones: PhoneState[];
  reach: ReachWindow;
}

/** A template as stored, with what sends need precomputed. */
export interface TemplateState {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: "POSITIONAL" | "NAMED";
  components: TemplateComponentDefinition[];
  status: TemplateStatus;
  rejectedReason: string;
  quality: Quality;
  createdAt: number;
  body: string;
  /** Length of the body without its placeholders, and the placeholder keys in order: the filled-in length
   * (132005) is computed without building the string. */
  bodyStatic: number;
  bodyKeys: string[];
  /** Positional variable count, or the named variables, of the body and of a TEXT header. */
  bodyVars: number;
  bodyNames: string[];
  headerVars: number;
  headerNames: string[];
  /** HEADER format when it is media ("IMAGE", "VIDEO", "DOCUMENT"), else undefined. */
  headerMedia: string | undefined;
  /** Button definitions by index. */
  buttons: { type: string; text: string; urlHasVar: boolean }[];
}

/** An uploaded media object. */
export interface MediaState {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  sha256: string;
  size: number;
  filename: string;
  data: Buffer;
}

/** One message a simulated user received, as the control API lists it. */
export interface ReceivedMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  at: number;
  status: "accepted" | "sent" | "delivered" | "read" | "failed";
  statusAt: number;
  text: string | undefined;
  template: { name: string; language: string; category: string } | undefined;
  callbackData: string | undefined;
  error: { code: number; title: string } | undefined;
  reply: string | undefined;
}

/** Largest tier limit among a portfolio's numbers (a new number inherits the portfolio's limit). */
export function portfolioLimit(p: Portfolio): number {
  let max = 0;
  for (const phone of p.phones) max = Math.max(max, TIER_LIMITS[phone.tier] ?? 0);
  return max;
}

/** All mutable state of one sandbox. */
export class SandboxState {
  readonly phones = new Map<string, PhoneState>();
  readonly portfolios = new Map<string, Portfolio>();
  readonly tokens = new Map<string, PhoneState[]>();
  readonly templates = new Map<string, TemplateState>();
  /** Templates by "wabaId|name|language" (use findTemplate / indexTemplate / unindexTemplate). */
  readonly #templateIndex = new Map<string, TemplateState>();
  /** The last template found and its key parts: a campaign sends one template thousands of times. */
  #lastFound: { wabaId: string; name: string; language: string; template: TemplateState } | undefined;
  readonly media = new Map<string, MediaState>();
  /** Counters shown by GET /_sandbox/state. */
  readonly counters = { accepted: 0, rejected: 0, inbound: 0, statuses: 0 };
  readonly rejectedByCode = new Map<number, number>();
  /** Every PhoneState ever registered, by its key (a few objects; old messages may refer to replaced ones). */
  readonly phoneByKey: PhoneState[] = [];
  readonly #phoneIds = new Interner<string>();
  seq = 0;
  idSeq = 0;

  /** Registers (or replaces) a business number. */
  addPhone(o: SandboxPhoneNumberOptions, now: number): PhoneState {
    this.removePhone(o.id);
    const portfolioId = o.portfolioId ?? o.wabaId;
    let portfolio = this.portfolios.get(portfolioId);
    if (!portfolio) {
      portfolio = { id: portfolioId, phones: [], reach: new ReachWindow() };
      this.portfolios.set(portfolioId, portfolio);
    }
    const mps = o.mpsLimit ?? 80;
    const phone: PhoneState = {
      key: this.phoneByKey.length,
      idKey: this.#phoneIds.id(o.id),
      id: o.id,
      wabaId: o.wabaId,
      displayPhoneNumber: o.displayPhoneNumber.replace(/\D/g, ""),
      accessToken: o.accessToken,
      appSecret: o.appSecret,
      webhookUrl: o.webhookUrl,
      verifyToken: o.verifyToken,
      verifiedName: o.verifiedName ?? "Herald Sandbox",
      mpsLimit: mps,
      tier: o.tier ?? "TIER_10K",
      quality: o.quality ?? "GREEN",
      webhookVersion: o.webhookVersion,
      portfolio,
      // Throughput is "messages per second": a bucket of one second's worth, refilled continuously.
      bucket: new TokenBucket(mps, mps, now),
    };
    portfolio.phones.push(phone);
    this.phoneByKey.push(phone);
    this.phones.set(phone.id, phone);
    const list = this.tokens.get(phone.accessToken) ?? [];
    list.push(phone);
    this.tokens.set(phone.accessToken, list);
    return phone;
  }

  /** Removes a number (its portfolio keeps its reach history). */
  removePhone(id: string): void {
    const old = this.phones.get(id);
    if (!old) return;
    this.phones.delete(id);
    old.portfolio.phones = old.portfolio.phones.filter((p) => p !== old);
    const list = (this.tokens.get(old.accessToken) ?? []).filter((p) => p !== old);
    if (list.length > 0) this.tokens.set(old.accessToken, list);
    else this.tokens.delete(old.accessToken);
  }

  /** The template a send names, if any (the lookup of every template send). */
  findTemplate(wabaId: string, name: string, language: string): TemplateState | undefined {
    const last = this.#lastFound;
    if (last !== undefined && last.name === name && last.language === language && last.wabaId === wabaId) {
      return last.template;
    }
    const template = this.#templateIndex.get(`${wabaId}|${name}|${language}`);
    if (template !== undefined) this.#lastFound = { wabaId, name, language, template };
    return template;
  }

  /** Makes a template findable by name and language in its WABA (false: that name and language exist). */
  indexTemplate(t: TemplateState): boolean {
    const key = `${t.wabaId}|${t.name}|${t.language}`;
    if (this.#templateIndex.has(key)) return false;
    this.#templateIndex.set(key, t);
    return true;
  }

  /** Removes a template from the name index. */
  unindexTemplate(t: TemplateState): void {
    this.#templateIndex.delete(`${t.wabaId}|${t.name}|${t.language}`);
    this.#lastFound = undefined;
  }

  /** True when the token may act on this WABA or phone-number id. */
  tokenCanUse(token: string, objectId: string): boolean {
    for (const p of this.tokens.get(token) ?? []) if (p.id === objectId || p.wabaId === objectId) return true;
    return false;
  }

  /** Counts a rejected request by code. */
  reject(code: number): void {
    this.counters.rejected++;
    this.rejectedByCode.set(code, (this.rejectedByCode.get(code) ?? 0) + 1);
  }

  /** Forgets everything but the registered numbers (whose buckets and windows restart). */
  reset(now: number): void {
    const phones = [...this.phones.values()];
    this.phones.clear();
    this.portfolios.clear();
    this.tokens.clear();
    this.templates.clear();
    this.#templateIndex.clear();
    this.#lastFound = undefined;
    this.media.clear();
    this.rejectedByCode.clear();
    Object.assign(this.counters, { accepted: 0, rejected: 0, inbound: 0, statuses: 0 });
    this.seq = 0;
    this.idSeq = 0;
    for (const p of phones) {
      this.addPhone(
        {
          id: p.id,
          wabaId: p.wabaId,
          displayPhoneNumber: p.displayPhoneNumber,
          accessToken: p.accessToken,
          appSecret: p.appSecret,
          webhookUrl: p.webhookUrl,
          verifyToken: p.verifyToken,
          verifiedName: p.verifiedName,
          mpsLimit: p.mpsLimit,
          tier: p.tier,
          quality: p.quality,
          portfolioId: p.portfolio.id,
          webhookVersion: p.webhookVersion,
        },
        now,
      );
    }
  }
}
