import { describe, expect, it } from "vitest";
import {
  freeEntryPointClosesAt,
  isFreeEntryPointOpen,
  isWindowOpen,
  windowClosesAt,
} from "../../../src/domain/consent/index.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe("customer-service window", () => {
  it("is open 23 hours 59 minutes after the contact's last message", () => {
    expect(isWindowOpen(NOW - 24 * HOUR + 60_000, NOW)).toBe(true);
  });

  it("is closed exactly 24 hours after the contact's last message", () => {
    expect(isWindowOpen(NOW - 24 * HOUR, NOW)).toBe(false);
  });

  it("is closed for a contact who never wrote", () => {
    expect(isWindowOpen(null, NOW)).toBe(false);
    expect(windowClosesAt(null)).toBeNull();
  });

  it("closes 24 hours after the last inbound message", () => {
    expect(windowClosesAt(NOW)).toBe(NOW + 24 * HOUR);
  });
});

describe("free entry point window", () => {
  it("lasts 72 hours from the business's first reply", () => {
    const entry = { referralAt: NOW, firstReplyAt: NOW + 2 * HOUR };
    expect(freeEntryPointClosesAt(entry)).toBe(NOW + 74 * HOUR);
    expect(isFreeEntryPointOpen(entry, NOW + 73 * HOUR)).toBe(true);
    expect(isFreeEntryPointOpen(entry, NOW + 74 * HOUR)).toBe(false);
  });

  it("never opens when the business replied more than 24 hours after the ad click", () => {
    const entry = { referralAt: NOW, firstReplyAt: NOW + 25 * HOUR };
    expect(freeEntryPointClosesAt(entry)).toBeNull();
    expect(isFreeEntryPointOpen(entry, NOW + 26 * HOUR)).toBe(false);
  });

  it("treats a first reply sent within 24 hours of the referral as free", () => {
    const entry = { referralAt: NOW, firstReplyAt: null };
    expect(isFreeEntryPointOpen(entry, NOW + 23 * HOUR)).toBe(true);
    expect(isFreeEntryPointOpen(entry, NOW + 24 * HOUR)).toBe(false);
  });
});
