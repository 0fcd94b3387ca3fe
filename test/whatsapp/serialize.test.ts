// Unit: Meta-style JSON serialisation (non-ASCII escaped as lowercase \uXXXX). real: everything.
import { describe, expect, test } from "vitest";
import { escapeNonAscii, serializeLikeMeta } from "../../src/whatsapp/webhook/serialize.js";

describe("serializeLikeMeta", () => {
  test("escapes Korean as lowercase \\uXXXX", () => {
    expect(serializeLikeMeta({ name: "김민수" })).toBe('{"name":"\\uae40\\ubbfc\\uc218"}');
  });

  test("escapes Latin accents like Meta's documented example äöå", () => {
    expect(serializeLikeMeta("äöå")).toBe('"\\u00e4\\u00f6\\u00e5"');
  });

  test("writes an emoji outside the BMP as its surrogate pair", () => {
    expect(serializeLikeMeta({ emoji: "👍" })).toBe('{"emoji":"\\ud83d\\udc4d"}');
    expect(serializeLikeMeta("😮")).toBe('"\\ud83d\\ude2e"');
  });

  test("produces pure ASCII that parses back to the same value", () => {
    const value = { text: "할인 50% 🎉 café", n: 1, nested: [{ a: "✓" }] };
    const json = serializeLikeMeta(value);
    expect(/^[\x20-\x7e]*$/.test(json)).toBe(true);
    expect(JSON.parse(json)).toEqual(value);
  });

  test("leaves ASCII, slashes and JSON escapes as JSON.stringify writes them", () => {
    expect(serializeLikeMeta({ url: "https://x/y", q: 'say "hi"\n' })).toBe(
      JSON.stringify({ url: "https://x/y", q: 'say "hi"\n' }),
    );
    expect(serializeLikeMeta({ url: "https://x/y" }, { escapeSlash: true })).toBe('{"url":"https:\\/\\/x\\/y"}');
  });

  test("keeps a lone surrogate escaped in lowercase", () => {
    expect(escapeNonAscii(JSON.stringify("\ud83d"))).toBe('"\\ud83d"');
  });
});
