import { describe, expect, it } from "vitest";
import { audienceGate, type GateInput, tierRemaining } from "../../../src/domain/campaign/gates.js";
import { canTransition, isFinished, statesLeadingTo } from "../../../src/domain/campaign/status.js";
import { requiredPlaces, resolveVariables } from "../../../src/domain/campaign/variables.js";

const now = Date.UTC(2026, 10, 26, 9);
const HOUR = 3_600_000;
const base: GateInput = {
  category: "MARKETING",
  consent: { kind: "opted_in", source: "import", at: now - 1000 * HOUR },
  heat: "active",
  excludeInactive: true,
  phoneValid: true,
  marketingSentAt: [],
  cap: { max: 1, windowMs: 24 * HOUR },
  now,
};

describe("campaign gates", () => {
  it("lets an opted-in, active contact with a valid number and no recent marketing through", () => {
    expect(audienceGate(base)).toBeNull();
  });

  it("skips a contact who received a marketing message 3 hours ago", () => {
    expect(audienceGate({ ...base, marketingSentAt: [now - 3 * HOUR] })).toBe("frequency_cap");
  });

  it("lets a contact through whose last marketing message was exactly 24 hours ago", () => {
    expect(audienceGate({ ...base, marketingSentAt: [now - 24 * HOUR] })).toBeNull();
  });

  it("does not apply the marketing frequency cap to utility templates", () => {
    expect(audienceGate({ ...base, category: "UTILITY", marketingSentAt: [now - HOUR] })).toBeNull();
  });

  it("skips opted-out contacts and, for marketing, contacts who never opted in", () => {
    expect(audienceGate({ ...base, consent: { kind: "opted_out", reason: "keyword", at: now - HOUR } })).toBe(
      "opted_out",
    );
    expect(audienceGate({ ...base, consent: { kind: "unknown" } })).toBe("not_opted_in");
    expect(audienceGate({ ...base, category: "UTILITY", consent: { kind: "unknown" } })).toBeNull();
  });

  it("skips inactive contacts only while the segment excludes them", () => {
    expect(audienceGate({ ...base, heat: "inactive" })).toBe("inactive_90d");
    expect(audienceGate({ ...base, heat: "inactive", excludeInactive: false })).toBeNull();
  });

  it("records the most fundamental reason first: an invalid number before consent", () => {
    expect(audienceGate({ ...base, phoneValid: false, consent: { kind: "unknown" } })).toBe("invalid_number");
  });

  it("counts what is left of the daily tier, never below zero", () => {
    expect(tierRemaining(200, 250)).toBe(50);
    expect(tierRemaining(300, 250)).toBe(0);
    expect(tierRemaining(5, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("campaign lifecycle", () => {
  it("allows draft → launching → running ⇄ paused → cancelled, and nothing out of completed", () => {
    expect(canTransition("draft", "launching")).toBe(true);
    expect(canTransition("launching", "running")).toBe(true);
    expect(canTransition("running", "paused")).toBe(true);
    expect(canTransition("paused", "running")).toBe(true);
    expect(canTransition("paused", "cancelled")).toBe(true);
    expect(canTransition("completed", "running")).toBe(false);
    expect(canTransition("cancelled", "running")).toBe(false);
    expect(canTransition("draft", "running")).toBe(false);
    expect(isFinished("completed")).toBe(true);
    expect(statesLeadingTo("running").sort()).toEqual(["launching", "paused"]);
  });
});

describe("variable mapping", () => {
  const recipient = {
    name: "김민수",
    phone: "+821012345678",
    country: "KR",
    language: "ko",
    attributes: { tier: "gold", points: 0 },
    metrics: { orders_90d: 3 },
  };

  it("fills body, header and button places from fields, attributes, metrics and constants", () => {
    const result = resolveVariables(
      {
        "1": { from: "field", field: "name" },
        "2": { from: "constant", value: "SPRING20" },
        "3": { from: "metric", name: "orders_90d" },
        header: { from: "attribute", name: "tier" },
        "button.0": { from: "field", field: "country" },
      },
      recipient,
    );
    expect(result).toEqual({
      ok: true,
      values: {
        body: { "1": "김민수", "2": "SPRING20", "3": "3" },
        buttons: { "0": "KR" },
        header: { kind: "text", text: "gold" },
      },
    });
  });

  it("uses the fallback for an empty value and reports places with neither", () => {
    const noName = { ...recipient, name: "  " };
    expect(resolveVariables({ "1": { from: "field", field: "name", fallback: "고객" } }, noName)).toMatchObject({
      ok: true,
      values: { body: { "1": "고객" } },
    });
    expect(
      resolveVariables({ "1": { from: "field", field: "name" }, "2": { from: "attribute", name: "missing" } }, noName),
    ).toEqual({
      ok: false,
      missing: ["1", "2"],
    });
  });

  it("treats the number zero as a value, not as missing", () => {
    expect(resolveVariables({ "1": { from: "attribute", name: "points" } }, recipient)).toMatchObject({
      ok: true,
      values: { body: { "1": "0" } },
    });
  });

  it("lists the places a template needs: body variables, a text header variable and a URL button suffix", () => {
    expect(
      requiredPlaces({
        body: "Hi {{1}}, code {{2}} — again {{1}}",
        header: { kind: "TEXT", text: "For {{1}}" },
        buttons: [{ kind: "QUICK_REPLY" }, { kind: "URL", url: "https://shop.example/o/{{1}}" }],
      }),
    ).toEqual(["1", "2", "header", "button.1"]);
  });
});
