import { describe, expect, it } from "vitest";
import { isHeraldError } from "../../../src/domain/errors.js";
import { quintileBreakpoints, quintileScore, rfmScores } from "../../../src/domain/metrics/index.js";

describe("quintileBreakpoints", () => {
  it("takes the top value of each of the first four fifths", () => {
    expect(quintileBreakpoints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([2, 4, 6, 8]);
    expect(quintileBreakpoints([10, 20, 30, 40, 50])).toEqual([10, 20, 30, 40]);
  });

  it("returns null for an empty population", () => {
    expect(quintileBreakpoints([])).toBeNull();
  });

  it("refuses unsorted input", () => {
    try {
      quintileBreakpoints([3, 1, 2]);
      expect.unreachable();
    } catch (err) {
      expect(isHeraldError(err, "internal")).toBe(true);
    }
  });
});

describe("quintileScore", () => {
  it("spreads a population of five over scores 1 to 5", () => {
    const breakpoints = quintileBreakpoints([10, 20, 30, 40, 50]);
    if (breakpoints === null) throw new Error("no breakpoints");
    expect([10, 20, 30, 40, 50].map((value) => quintileScore(value, breakpoints))).toEqual([1, 2, 3, 4, 5]);
  });

  it("gives tied values the lower score", () => {
    const breakpoints = quintileBreakpoints([1, 1, 1, 1, 1, 1, 2, 3, 5, 9]);
    if (breakpoints === null) throw new Error("no breakpoints");
    expect(breakpoints).toEqual([1, 1, 1, 3]);
    expect(quintileScore(1, breakpoints)).toBe(1);
    expect(quintileScore(2, breakpoints)).toBe(4);
    expect(quintileScore(9, breakpoints)).toBe(5);
  });

  it("scores 1 for everyone when every value is the same", () => {
    const breakpoints = quintileBreakpoints([1, 1, 1]);
    if (breakpoints === null) throw new Error("no breakpoints");
    expect(quintileScore(1, breakpoints)).toBe(1);
  });
});

describe("rfmScores", () => {
  const breakpoints = {
    recency: [100, 200, 300, 400] as const,
    frequency: [1, 2, 3, 4] as const,
    monetary: [1_000, 2_000, 3_000, 4_000] as const,
  };

  it("scores recency by last order time, frequency by orders and monetary by spend", () => {
    expect(rfmScores({ lastOrderAt: 450, orders365d: 2, spent365d: 3_500 }, breakpoints)).toEqual({
      recency: 5,
      frequency: 2,
      monetary: 4,
    });
  });

  it("gives no score to a contact who never bought", () => {
    expect(rfmScores({ lastOrderAt: null, orders365d: 0, spent365d: 0 }, breakpoints)).toBeNull();
  });
});
