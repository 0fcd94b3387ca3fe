import { describe, expect, it } from "vitest";
import { newId } from "../src/ids.js";

// Real: the id generator. The properties the store relies on: UUIDv7 shape, unique, sorted by creation.
describe("newId", () => {
  const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("makes UUIDv7 strings carrying the millisecond, unique and strictly increasing within one millisecond", () => {
    const now = Date.UTC(2026, 10, 26, 9);
    // More than the 12-bit counter holds: the generator borrows the next millisecond instead of wrapping around.
    const ids = Array.from({ length: 10_000 }, () => newId(now));
    expect(ids.every((id) => shape.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(Number.parseInt(ids[0]!.replace(/-/g, "").slice(0, 12), 16)).toBe(now);
  });

  it("never goes backwards when the clock does", () => {
    const now = Date.UTC(2026, 10, 27, 9);
    const a = newId(now);
    const b = newId(now - 5_000);
    expect(b > a).toBe(true);
  });

  it("sorts by time across milliseconds and stays unique over many pool refills", () => {
    const start = Date.UTC(2026, 10, 28, 9);
    const ids: string[] = [];
    for (let i = 0; i < 100_000; i++) ids.push(newId(start + Math.floor(i / 7)));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The random tail differs between consecutive ids (it is not a counter).
    const tails = new Set(ids.slice(0, 1000).map((id) => id.slice(24)));
    expect(tails.size).toBe(1000);
  });
});
