import { describe, expect, it } from "vitest";
import {
  consentStateSchema,
  frequencyCapPolicySchema,
  quietHoursPolicySchema,
} from "../../../src/domain/consent/index.js";

describe("consent schemas", () => {
  it("reads a stored opted-out state back from JSON", () => {
    const state = { kind: "opted_out", reason: "keyword", at: 1_764_000_000_000, note: "STOP" };
    expect(consentStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it("refuses an opt-in without a source", () => {
    expect(consentStateSchema.safeParse({ kind: "opted_in", at: 1 }).success).toBe(false);
  });

  it("refuses a frequency cap of zero and quiet hours outside 0–23", () => {
    expect(frequencyCapPolicySchema.safeParse({ max: 0, windowMs: 86_400_000 }).success).toBe(false);
    expect(quietHoursPolicySchema.safeParse({ startHour: 21, endHour: 24 }).success).toBe(false);
    expect(quietHoursPolicySchema.safeParse({ startHour: 21, endHour: 8 }).success).toBe(true);
  });
});
