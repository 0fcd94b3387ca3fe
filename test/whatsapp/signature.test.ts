// Unit: X-Hub-Signature-256 verification. real: node:crypto. fake: nothing.
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signBody, verifySignature } from "../../src/whatsapp/webhook/signature.js";

const secret = "app-secret";
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const good = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("verifySignature", () => {
  test("accepts the HMAC-SHA256 of the exact raw bytes under the app secret", () => {
    expect(verifySignature(body, good, secret)).toBe(true);
    expect(signBody(body, secret)).toBe(good);
  });

  test("accepts an uppercase prefix and hex digits", () => {
    expect(verifySignature(body, `SHA256=${good.slice(7).toUpperCase()}`, secret)).toBe(true);
  });

  test("rejects a body changed by one byte", () => {
    expect(verifySignature(Buffer.from(body.toString().replace("[]", "[ ]")), good, secret)).toBe(false);
  });

  test("rejects another secret, a missing header, a bare hex digest and garbage", () => {
    expect(verifySignature(body, good, "other")).toBe(false);
    expect(verifySignature(body, undefined, secret)).toBe(false);
    expect(verifySignature(body, good.slice(7), secret)).toBe(false);
    expect(verifySignature(body, "sha256=zz", secret)).toBe(false);
    expect(verifySignature(body, `sha256=${"g".repeat(64)}`, secret)).toBe(false);
    expect(verifySignature(body, good, "")).toBe(false);
  });

  test("fails when the receiver re-serialises Meta's escaped JSON instead of using the raw bytes", () => {
    const raw = Buffer.from('{"text":{"body":"\\ud560\\uc778"}}');
    const header = signBody(raw, secret);
    expect(verifySignature(raw, header, secret)).toBe(true);
    expect(verifySignature(Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), header, secret)).toBe(false);
  });
});
