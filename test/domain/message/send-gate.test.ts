import { describe, expect, it } from "vitest";
import { DEFAULT_FREQUENCY_CAP } from "../../../src/domain/consent/frequency-cap.js";
import { type SendGateInput, singleMessageGate } from "../../../src/domain/message/send-gate.js";

const NOW = Date.UTC(2026, 10, 26, 9, 0, 0);
const HOUR = 3_600_000;
const base: SendGateInput = {
  kind: "template",
  category: "UTILITY",
  consent: { kind: "unknown" },
  lastInboundAt: null,
  marketingSentAt: [],
  cap: DEFAULT_FREQUENCY_CAP,
  now: NOW,
};

describe("single message gate", () => {
  it("sends a utility template to a contact who never opted in, at any time", () => {
    expect(singleMessageGate(base)).toBeNull();
  });

  it("refuses free text to a contact who never wrote, naming the window", () => {
    const refusal = singleMessageGate({ ...base, kind: "text", category: "SERVICE" });
    expect(refusal?.reason).toBe("outside_service_window");
    expect(refusal?.message).toMatch(/never written/);
  });

  it("sends free text 23 hours after the contact's last message, refuses it at exactly 24 hours", () => {
    const text = { ...base, kind: "text" as const, category: "SERVICE" as const };
    expect(singleMessageGate({ ...text, lastInboundAt: NOW - 23 * HOUR })).toBeNull();
    expect(singleMessageGate({ ...text, lastInboundAt: NOW - 24 * HOUR })?.reason).toBe("outside_service_window");
  });

  it("refuses a marketing template to an opted-out contact and to one who never opted in", () => {
    const marketing = { ...base, category: "MARKETING" as const };
    expect(
      singleMessageGate({ ...marketing, consent: { kind: "opted_out", reason: "keyword", at: NOW - HOUR } })?.reason,
    ).toBe("opted_out");
    expect(singleMessageGate(marketing)?.reason).toBe("not_opted_in");
  });

  it("refuses a marketing template to a contact who received one 3 hours ago, saying when it would pass", () => {
    const refusal = singleMessageGate({
      ...base,
      category: "MARKETING",
      consent: { kind: "opted_in", source: "form", at: NOW - 100 * HOUR },
      marketingSentAt: [NOW - 3 * HOUR],
    });
    expect(refusal?.reason).toBe("frequency_cap");
    expect(refusal?.retryAt).toBe(NOW + 21 * HOUR);
  });

  it("does not cap utility templates", () => {
    expect(singleMessageGate({ ...base, marketingSentAt: [NOW - HOUR, NOW - 2 * HOUR] })).toBeNull();
  });
});
