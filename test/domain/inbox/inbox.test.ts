import { describe, expect, it } from "vitest";
import {
  isOverdue,
  normalizeShortcut,
  OVERDUE_AFTER_MS,
  summarizeResponses,
  waitingMs,
  windowState,
} from "../../../src/domain/inbox/index.js";

// Plain values; the clock is passed in.
const t0 = Date.UTC(2026, 10, 26, 9);
const MIN = 60_000;

describe("inbox rules", () => {
  it("flags a customer unanswered for exactly 2 hours as overdue, not one a minute short of it", () => {
    expect(isOverdue(t0, t0 + OVERDUE_AFTER_MS)).toBe(true);
    expect(isOverdue(t0, t0 + OVERDUE_AFTER_MS - MIN)).toBe(false);
    expect(isOverdue(null, t0 + 10 * OVERDUE_AFTER_MS)).toBe(false);
    expect(waitingMs(t0, t0 + 5 * MIN)).toBe(5 * MIN);
    expect(waitingMs(null, t0)).toBe(0);
  });

  it("counts down the 24-hour window from the contact's last message and closes it at exactly 24 hours", () => {
    expect(windowState(t0, t0 + 60 * MIN)).toEqual({ open: true, closesAt: t0 + 1440 * MIN, remainingMs: 1380 * MIN });
    expect(windowState(t0, t0 + 1440 * MIN)).toEqual({ open: false, closesAt: t0 + 1440 * MIN, remainingMs: 0 });
    expect(windowState(null, t0)).toEqual({ open: false, closesAt: null, remainingMs: 0 });
  });

  it("accepts shortcuts typed with a slash or capitals and refuses spaces and Hangul", () => {
    expect(normalizeShortcut("/Hours ")).toBe("hours");
    expect(normalizeShortcut("refund-kr")).toBe("refund-kr");
    expect(normalizeShortcut("two words")).toBeNull();
    expect(normalizeShortcut("/환불")).toBeNull();
    expect(normalizeShortcut("")).toBeNull();
  });

  it("summarises first responses: median, P90, share within 5 minutes (waiting customers are misses), auto share", () => {
    const samples = [
      { responseMs: 30_000, by: "auto" as const },
      { responseMs: 2 * MIN, by: "agent" as const },
      { responseMs: 4 * MIN, by: "agent" as const },
      { responseMs: 40 * MIN, by: "agent" as const },
    ];
    expect(summarizeResponses(samples, 1)).toEqual({
      answered: 4,
      waiting: 1,
      medianMs: 2 * MIN,
      averageMs: Math.round((30_000 + 2 * MIN + 4 * MIN + 40 * MIN) / 4),
      p90Ms: 40 * MIN,
      within5MinShare: 3 / 5,
      autoShare: 1 / 4,
    });
    expect(summarizeResponses([])).toMatchObject({
      answered: 0,
      medianMs: null,
      within5MinShare: null,
      autoShare: null,
    });
  });
});
