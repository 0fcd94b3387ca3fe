// The sandbox's recipient index (open addressing on the digits' value, a map for anything else) must find
// every number it was given, across its growth, and nothing else. real: the index. fake: nothing.
import { describe, expect, test } from "vitest";
import { NONE } from "../../src/whatsapp/sandbox/messages.js";
import { digitsValue, NumberIndex } from "../../src/whatsapp/sandbox/number-index.js";

describe("recipient number index", () => {
  test("finds 300k numbers and odd keys after growing, and misses the rest", () => {
    const index = new NumberIndex();
    const keys: string[] = [];
    for (let i = 0; i < 300_000; i++) keys.push(String(100_000 + ((i * 7_919_039) % 999_999_999_999_99)));
    keys.push("0101234567", "123456789012345", "1234567890123456", "not-a-number", "", "١٢٣");
    const wrong: string[] = [];
    keys.forEach((k, i) => {
      if (index.get(k) !== NONE) wrong.push(`${k} found before it was added`);
      index.add(k, i);
    });
    keys.forEach((k, i) => {
      if (index.get(k) !== i) wrong.push(`${k} → ${index.get(k)}, not ${i}`);
    });
    expect(wrong).toEqual([]);
    expect(index.get("101234567")).toBe(NONE); // "0101234567" without its zero
    expect(index.get("99")).toBe(NONE);
    index.clear();
    expect(index.get(keys[0] as string)).toBe(NONE);
  });

  test("reads 1–15 digits without a leading zero as numbers, anything else as text", () => {
    expect(digitsValue("821012345678")).toBe(821012345678);
    expect(digitsValue("999999999999999")).toBe(999999999999999);
    for (const text of ["", "0123", "1234567890123456", "12a", "+8210"]) expect(digitsValue(text)).toBe(-1);
  });
});
