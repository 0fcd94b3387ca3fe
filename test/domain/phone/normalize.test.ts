import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../../src/domain/phone/index.js";

describe("normalizePhone", () => {
  it("normalises a Korean mobile number written nationally with the KR default", () => {
    expect(normalizePhone("010-1234-5678", "KR")).toEqual({
      ok: true,
      e164: "+821012345678",
      digits: "821012345678",
      country: "KR",
      callingCode: "82",
      lineType: "mobile",
    });
  });

  it("reads an international number with spaces, dashes and brackets", () => {
    const result = normalizePhone(" +82 (10) 1234-5678 ");
    expect(result.ok && result.e164).toBe("+821012345678");
  });

  it("reads a bare wa_id (digits without +) as international when no default country is given", () => {
    const result = normalizePhone("821012345678");
    expect(result.ok && result.e164).toBe("+821012345678");
  });

  it("falls back to the international reading when the national one is invalid", () => {
    const result = normalizePhone("821012345678", "KR");
    expect(result.ok && result.e164).toBe("+821012345678");
  });

  it("reads a 00 international prefix", () => {
    expect(normalizePhone("0082 10 1234 5678").ok).toBe(true);
    const withDefault = normalizePhone("0082 10 1234 5678", "US");
    expect(withDefault.ok && withDefault.e164).toBe("+821012345678");
  });

  it("keeps the national reading when it is valid for the default country", () => {
    const result = normalizePhone("2125550100", "US");
    expect(result.ok && result.e164).toBe("+12125550100");
  });

  it("tells the territory that shares a calling code (American Samoa on +1 684)", () => {
    const result = normalizePhone("+1 684 733 1234");
    expect(result.ok && result.country).toBe("AS");
  });

  it("rejects an empty string", () => {
    expect(normalizePhone("   ")).toMatchObject({ ok: false, reason: "empty" });
  });

  it("rejects letters", () => {
    expect(normalizePhone("call me")).toMatchObject({ ok: false, reason: "not_a_number" });
    expect(normalizePhone("+1 800 FLOWERS")).toMatchObject({ ok: false, reason: "not_a_number" });
  });

  it("rejects a number that is too short", () => {
    expect(normalizePhone("+82 10 12")).toMatchObject({ ok: false, reason: "too_short" });
  });

  it("rejects a number that is too long", () => {
    expect(normalizePhone("+82 10 1234 5678 9012 34")).toMatchObject({ ok: false, reason: "too_long" });
  });

  it("rejects digits whose country cannot be told", () => {
    expect(normalizePhone("+999 1234567")).toMatchObject({ ok: false, reason: "unknown_country" });
  });

  it("rejects a default country that is not an ISO code", () => {
    expect(normalizePhone("01012345678", "ZZ")).toMatchObject({ ok: false, reason: "unsupported_default_country" });
  });

  it("rejects a number of the right length outside every assigned range", () => {
    // +44 7700 900xxx is Ofcom's range reserved for drama: the length is right, the range is not assigned.
    expect(normalizePhone("+44 7700 900123")).toMatchObject({ ok: false, reason: "invalid_for_country" });
  });

  it("rejects a toll-free number as not mobile-capable", () => {
    expect(normalizePhone("+1 800 555 0100")).toMatchObject({ ok: false, reason: "not_mobile_capable" });
  });

  it("rejects a non-geographic global service number", () => {
    expect(normalizePhone("+800 1234 5678")).toMatchObject({ ok: false, reason: "non_geographic" });
  });

  it("accepts a fixed line by default and marks its line type", () => {
    const result = normalizePhone("+82 2-123-4567");
    expect(result).toMatchObject({ ok: true, e164: "+8221234567", lineType: "fixed_line" });
  });

  it("rejects a fixed line when a mobile number is required", () => {
    expect(normalizePhone("+82 2-123-4567", undefined, { requireMobile: true })).toMatchObject({
      ok: false,
      reason: "not_mobile_capable",
    });
  });

  it("accepts a number whose plan cannot tell mobile from fixed (the US) even when mobile is required", () => {
    const result = normalizePhone("+1 212 555 0100", undefined, { requireMobile: true });
    expect(result).toMatchObject({ ok: true, lineType: "fixed_line_or_mobile" });
  });

  it("gives every rejection a message", () => {
    const result = normalizePhone("+82 10 12");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain("too short");
  });
});
