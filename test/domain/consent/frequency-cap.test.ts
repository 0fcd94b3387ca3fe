import { describe, expect, it } from "vitest";
import { frequencyCapAllows } from "../../../src/domain/consent/index.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe("frequencyCapAllows", () => {
  it("allows a contact who never received a marketing message", () => {
    expect(frequencyCapAllows([], NOW)).toEqual({ allowed: true, countInWindow: 0 });
  });

  it("skips a contact who received a marketing message 3 hours ago", () => {
    expect(frequencyCapAllows([NOW - 3 * HOUR], NOW)).toEqual({
      allowed: false,
      countInWindow: 1,
      nextAllowedAt: NOW + 21 * HOUR,
    });
  });

  it("allows a contact whose last marketing message was exactly 24 hours ago", () => {
    expect(frequencyCapAllows([NOW - 24 * HOUR], NOW).allowed).toBe(true);
  });

  it("counts a send recorded slightly in the future (clock skew) against the cap", () => {
    expect(frequencyCapAllows([NOW + 1000], NOW).allowed).toBe(false);
  });

  it("waits for enough sends to leave the window under a cap of 3 per week", () => {
    const policy = { max: 3, windowMs: 7 * 24 * HOUR };
    const sends = [NOW - 1 * HOUR, NOW - 50 * HOUR, NOW - 100 * HOUR, NOW - 200 * HOUR];
    // 200 h ago is outside a 168 h week; the oldest of the three counted (100 h ago) must expire.
    expect(frequencyCapAllows(sends, NOW, policy)).toEqual({
      allowed: false,
      countInWindow: 3,
      nextAllowedAt: NOW - 100 * HOUR + 168 * HOUR,
    });
    expect(frequencyCapAllows(sends.slice(0, 2), NOW, policy).allowed).toBe(true);
  });

  it("never allows anything under a cap of zero", () => {
    expect(frequencyCapAllows([], NOW, { max: 0, windowMs: HOUR })).toEqual({
      allowed: false,
      countInWindow: 0,
      nextAllowedAt: null,
    });
  });
});
