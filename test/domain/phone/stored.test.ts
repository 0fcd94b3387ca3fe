import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../../src/domain/phone/normalize.js";
import { storedPhoneCountry, storedPhoneDigits } from "../../../src/domain/phone/stored.js";

// Real: libphonenumber-js's metadata. A stored number is what normalizePhone accepted; these read it back cheaply.
const valid = [
  "+821012345678",
  "+12025550147",
  "+14165550123",
  "+447911123456",
  "+33612345678",
  "+79161234567",
  "+77012345678",
  "+61412345678",
  "+5511987654321",
  "+2348031234567",
  "+6591234567",
];

describe("stored phone numbers", () => {
  it("agree with normalizePhone on every number it accepted: the same digits and country", () => {
    for (const phone of valid) {
      const parsed = normalizePhone(phone);
      if (!parsed.ok) throw new Error(`${phone} should be valid: ${parsed.message}`);
      expect(storedPhoneDigits(phone)).toBe(parsed.digits);
      expect(storedPhoneCountry(phone)).toBe(parsed.country);
    }
  });

  it("refuse what is not E.164 with a country's calling code", () => {
    for (const phone of ["", "821012345678", "+8210", "+0101234567", "+82 10 1234 5678", "+8001234567", "+99912345678"])
      expect(storedPhoneDigits(phone), phone).toBeNull();
  });
});
