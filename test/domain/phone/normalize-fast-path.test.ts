import { parsePhoneNumberFromString, validatePhoneNumberLength } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../../src/domain/phone/index.js";

// normalizePhone checks "parses and is valid" before the (slower) length check, for import speed. This pins the
// assumption behind that order: every number libphonenumber calls valid also passes the length check.
describe("normalizePhone fast path", () => {
  const samples = [
    "+821012345678",
    "+14155550123",
    "+442079460958",
    "+8613800138000",
    "+819012345678",
    "+5511912345678",
    "+491711234567",
    "+33612345678",
    "+6591234567",
    "+919876543210",
  ];

  it("never accepts a number whose length the numbering plan rejects", () => {
    for (const text of samples) {
      const parsed = parsePhoneNumberFromString(text);
      if (parsed?.isValid()) expect(validatePhoneNumberLength(text)).toBeUndefined();
      expect(normalizePhone(text).ok).toBe(true);
    }
  });

  it("still explains a rejection with the length reason", () => {
    expect(normalizePhone("+8212")).toMatchObject({ ok: false, reason: "too_short" });
    expect(normalizePhone("+82101234")).toMatchObject({ ok: false, reason: "invalid_for_country" });
  });
});
