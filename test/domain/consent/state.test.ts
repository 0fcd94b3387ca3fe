import { describe, expect, it } from "vitest";
import {
  applyConsentEvent,
  type ConsentState,
  consentAllows,
  UNKNOWN_CONSENT,
} from "../../../src/domain/consent/index.js";

const T = Date.UTC(2026, 10, 24, 12, 0, 0);
const optedIn: ConsentState = { kind: "opted_in", source: "form", at: T };
const optedOut: ConsentState = { kind: "opted_out", reason: "keyword", at: T };

describe("applyConsentEvent", () => {
  it("opts in an unknown contact from any source", () => {
    const result = applyConsentEvent(UNKNOWN_CONSENT, { kind: "opt_in", source: "import", at: T });
    expect(result).toEqual({ changed: true, state: { kind: "opted_in", source: "import", at: T } });
  });

  it("opts out an opted-in contact and keeps the note", () => {
    const result = applyConsentEvent(optedIn, { kind: "opt_out", reason: "keyword", at: T + 1, note: "STOP" });
    expect(result).toEqual({
      changed: true,
      state: { kind: "opted_out", reason: "keyword", at: T + 1, note: "STOP" },
    });
  });

  it("lets the contact's own START undo their STOP", () => {
    const result = applyConsentEvent(optedOut, { kind: "opt_in", source: "keyword", at: T + 1000 });
    expect(result.changed).toBe(true);
    expect(result.state.kind).toBe("opted_in");
  });

  it("refuses an imported opt-in over a contact's opt-out", () => {
    const result = applyConsentEvent(optedOut, { kind: "opt_in", source: "import", at: T + 1000 });
    expect(result).toEqual({ changed: false, state: optedOut, ignored: "opt_out_needs_contact_action" });
  });

  it("refuses an API or operator opt-in over an opt-out too", () => {
    expect(applyConsentEvent(optedOut, { kind: "opt_in", source: "api", at: T + 1 }).changed).toBe(false);
    expect(applyConsentEvent(optedOut, { kind: "opt_in", source: "manual", at: T + 1 }).changed).toBe(false);
  });

  it("ignores an opt-out older than the opt-in it would replace (a reordered webhook)", () => {
    const result = applyConsentEvent(optedIn, { kind: "opt_out", reason: "whatsapp", at: T - 1 });
    expect(result).toMatchObject({ changed: false, ignored: "stale" });
  });

  it("lets an opt-out win a tie with an opt-in at the same millisecond", () => {
    expect(applyConsentEvent(optedIn, { kind: "opt_out", reason: "button", at: T }).changed).toBe(true);
    expect(applyConsentEvent(optedOut, { kind: "opt_in", source: "keyword", at: T })).toMatchObject({
      changed: false,
      ignored: "stale",
    });
  });

  it("reports an event that changes nothing as unchanged", () => {
    expect(applyConsentEvent(optedIn, { kind: "opt_in", source: "api", at: T + 5 })).toMatchObject({
      changed: false,
      ignored: "unchanged",
    });
    expect(applyConsentEvent(optedOut, { kind: "opt_out", reason: "api", at: T + 5 })).toMatchObject({
      changed: false,
      ignored: "unchanged",
    });
  });
});

describe("consentAllows", () => {
  it("allows marketing only to opted-in contacts by default", () => {
    expect(consentAllows(optedIn, "MARKETING")).toEqual({ allowed: true });
    expect(consentAllows(UNKNOWN_CONSENT, "MARKETING")).toEqual({ allowed: false, reason: "no_opt_in" });
    expect(consentAllows(optedOut, "MARKETING")).toEqual({ allowed: false, reason: "opted_out" });
  });

  it("allows marketing to unknown contacts when the policy says so, never to opted-out ones", () => {
    const policy = { marketingToUnknown: true, utilityToOptedOut: true };
    expect(consentAllows(UNKNOWN_CONSENT, "MARKETING", policy)).toEqual({ allowed: true });
    expect(consentAllows(optedOut, "MARKETING", policy).allowed).toBe(false);
  });

  it("sends utility to opted-out contacts unless the policy forbids it", () => {
    expect(consentAllows(optedOut, "UTILITY")).toEqual({ allowed: true });
    expect(consentAllows(optedOut, "UTILITY", { marketingToUnknown: false, utilityToOptedOut: false })).toEqual({
      allowed: false,
      reason: "opted_out",
    });
  });

  it("never blocks authentication codes or service replies", () => {
    expect(consentAllows(optedOut, "AUTHENTICATION")).toEqual({ allowed: true });
    expect(consentAllows(optedOut, "SERVICE")).toEqual({ allowed: true });
  });
});
