import { describe, expect, it } from "vitest";
import { bestLocalHour, nextLocalHour } from "../../../src/domain/campaign/send-time.js";

const seoul = "Asia/Seoul"; // UTC+9, no daylight saving
const at = (iso: string) => Date.parse(iso);

describe("best local send hour", () => {
  it("picks the local hour a contact reads at most, in their own time zone", () => {
    const reads = [
      at("2026-11-01T12:10:00Z"),
      at("2026-11-03T12:40:00Z"),
      at("2026-11-05T12:05:00Z"),
      at("2026-11-06T01:00:00Z"),
    ];
    expect(bestLocalHour(reads, seoul)).toBe(21);
    expect(bestLocalHour(reads, "UTC")).toBe(12);
  });

  it("has no opinion with fewer than three reads", () => {
    expect(bestLocalHour([at("2026-11-01T12:10:00Z"), at("2026-11-02T12:10:00Z")], seoul)).toBeNull();
  });

  it("schedules the next occurrence of the hour: later today, or tomorrow once it has passed", () => {
    const now = at("2026-11-26T00:30:00Z"); // 09:30 in Seoul
    expect(new Date(nextLocalHour(now, 10, seoul)).toISOString()).toBe("2026-11-26T01:00:00.000Z");
    expect(new Date(nextLocalHour(now, 9, seoul)).toISOString()).toBe("2026-11-27T00:00:00.000Z");
  });

  it("crosses a month end", () => {
    const now = at("2026-11-30T14:00:00Z"); // 23:00 on the 30th in Seoul
    expect(new Date(nextLocalHour(now, 10, seoul)).toISOString()).toBe("2026-12-01T01:00:00.000Z");
  });
});
