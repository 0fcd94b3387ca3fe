import { describe, expect, it } from "vitest";
import {
  epochFromLocal,
  isQuietHour,
  isQuietTime,
  localDateTime,
  nextAllowedSendTime,
  zoneOffsetMs,
} from "../../../src/domain/consent/index.js";

const HOUR = 3_600_000;

describe("quiet hours", () => {
  it("sends at once at 14:00 in Seoul", () => {
    const now = Date.UTC(2026, 10, 24, 5, 0, 0); // 14:00 KST
    expect(nextAllowedSendTime(now, "Asia/Seoul")).toBe(now);
  });

  it("holds a message at 22:30 Seoul time until 08:00 the next morning", () => {
    const now = Date.UTC(2026, 10, 24, 13, 30, 0); // 22:30 KST on the 24th
    expect(nextAllowedSendTime(now, "Asia/Seoul")).toBe(Date.UTC(2026, 10, 24, 23, 0, 0)); // 08:00 KST on the 25th
  });

  it("holds a message at 03:00 Seoul time until 08:00 the same morning", () => {
    const now = Date.UTC(2026, 10, 24, 18, 0, 0); // 03:00 KST on the 25th
    expect(nextAllowedSendTime(now, "Asia/Seoul")).toBe(Date.UTC(2026, 10, 24, 23, 0, 0));
  });

  it("treats 21:00 as quiet and 08:00 as allowed", () => {
    expect(isQuietTime(Date.UTC(2026, 10, 24, 12, 0, 0), "Asia/Seoul")).toBe(true); // 21:00 KST
    expect(isQuietTime(Date.UTC(2026, 10, 24, 11, 59, 59), "Asia/Seoul")).toBe(false); // 20:59:59 KST
    expect(isQuietTime(Date.UTC(2026, 10, 24, 23, 0, 0), "Asia/Seoul")).toBe(false); // 08:00 KST
  });

  it("uses the recipient's zone, not UTC: 22:30 UTC is 17:30 in New York", () => {
    const now = Date.UTC(2026, 10, 24, 22, 30, 0);
    expect(nextAllowedSendTime(now, "America/New_York")).toBe(now);
  });

  it("handles a quiet period that does not wrap midnight", () => {
    const policy = { startHour: 12, endHour: 14 };
    expect(isQuietHour(13, policy)).toBe(true);
    expect(isQuietHour(14, policy)).toBe(false);
    const now = Date.UTC(2026, 10, 24, 3, 30, 0); // 12:30 KST
    expect(nextAllowedSendTime(now, "Asia/Seoul", policy)).toBe(Date.UTC(2026, 10, 24, 5, 0, 0));
  });

  it("has no quiet period when start equals end", () => {
    expect(isQuietHour(3, { startHour: 8, endHour: 8 })).toBe(false);
  });

  it("crosses a month end when holding until tomorrow", () => {
    const now = Date.UTC(2026, 10, 30, 13, 0, 0); // 22:00 KST on 30 November
    expect(nextAllowedSendTime(now, "Asia/Seoul")).toBe(Date.UTC(2026, 10, 30, 23, 0, 0)); // 08:00 KST 1 December
  });

  it("ends quiet hours at local 08:00 on the day New York switches to winter time", () => {
    const now = Date.UTC(2026, 10, 1, 5, 0, 0); // 01:00 EDT, 1 November 2026; clocks fall back at 02:00
    expect(nextAllowedSendTime(now, "America/New_York")).toBe(Date.UTC(2026, 10, 1, 13, 0, 0)); // 08:00 EST
  });
});

describe("local time helpers", () => {
  it("reads Seoul's offset as +9 hours", () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 1), "Asia/Seoul")).toBe(9 * HOUR);
  });

  it("reads the local date and time in a zone", () => {
    expect(localDateTime(Date.UTC(2026, 11, 31, 15, 30, 5), "Asia/Seoul")).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      hour: 0,
      minute: 30,
      second: 5,
    });
  });

  it("picks the earlier instant for a wall time shown twice (clocks fall back)", () => {
    const instant = epochFromLocal({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, "Europe/Berlin");
    expect(instant).toBe(Date.UTC(2026, 9, 25, 0, 30, 0)); // 02:30 CEST, not 02:30 CET
  });

  it("shifts a skipped wall time forward by the gap (clocks spring forward)", () => {
    const instant = epochFromLocal({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Berlin");
    expect(localDateTime(instant, "Europe/Berlin")).toMatchObject({ hour: 3, minute: 30 });
  });
});
