import { describe, expect, it } from "vitest";
import {
  DEFAULT_QUIET_HOURS,
  quietDueAt,
  recipientTimeZone,
  resumedDueAt,
} from "../../../src/domain/campaign/quiet-hours.js";
import { nextAllowedSendTime } from "../../../src/domain/consent/quiet-hours.js";

const HOUR = 3_600_000;

describe("campaign quiet hours", () => {
  it("leaves a due time outside the window alone", () => {
    const at = Date.UTC(2026, 10, 26, 5, 0); // 14:00 KST
    expect(quietDueAt(at, "Asia/Seoul", DEFAULT_QUIET_HOURS)).toBe(at);
  });

  it("moves a due time inside the window to its end, in the recipient's own zone", () => {
    const at = Date.UTC(2026, 10, 26, 13, 0); // 22:00 KST, 05:00 in Los Angeles (PST), 14:00 in Paris
    expect(quietDueAt(at, "Asia/Seoul", DEFAULT_QUIET_HOURS)).toBe(Date.UTC(2026, 10, 26, 23, 0)); // 08:00 KST
    expect(quietDueAt(at, "America/Los_Angeles", DEFAULT_QUIET_HOURS)).toBe(Date.UTC(2026, 10, 26, 16, 0)); // 08:00
    expect(quietDueAt(at, "Europe/Paris", DEFAULT_QUIET_HOURS)).toBe(at);
  });

  it("honours a campaign's own window, and none at all without a policy", () => {
    const at = Date.UTC(2026, 10, 26, 11, 30); // 20:30 KST
    expect(quietDueAt(at, "Asia/Seoul", { startHour: 20, endHour: 9 })).toBe(Date.UTC(2026, 10, 27, 0, 0)); // 09:00
    expect(quietDueAt(at, "Asia/Seoul", { startHour: 12, endHour: 14 })).toBe(at);
    expect(quietDueAt(at, "Asia/Seoul", null)).toBe(at);
    // A window inside one day (13–15h): 14:10 waits until 15:00.
    const noon = Date.UTC(2026, 10, 26, 5, 10); // 14:10 KST
    expect(quietDueAt(noon, "Asia/Seoul", { startHour: 13, endHour: 15 })).toBe(Date.UTC(2026, 10, 26, 6, 0));
  });

  it("on resume moves only rows whose time passed while it is quiet hours now", () => {
    const now = Date.UTC(2026, 10, 26, 13, 0); // 22:00 KST
    const morning = Date.UTC(2026, 10, 26, 23, 0);
    expect(resumedDueAt(now - 2 * HOUR, now, "Asia/Seoul", DEFAULT_QUIET_HOURS)).toBe(morning);
    expect(resumedDueAt(now, now, "Asia/Seoul", DEFAULT_QUIET_HOURS)).toBe(morning);
    // Already in the future (the launch placed it outside the window): untouched.
    expect(resumedDueAt(morning + HOUR, now, "Asia/Seoul", DEFAULT_QUIET_HOURS)).toBeNull();
    // Not quiet now for this recipient (14:00 in Paris): due now, untouched.
    expect(resumedDueAt(now - 2 * HOUR, now, "Europe/Paris", DEFAULT_QUIET_HOURS)).toBeNull();
    expect(resumedDueAt(now - 2 * HOUR, now, "Asia/Seoul", null)).toBeNull();
  });

  it("answers exactly as the consent rule does, at every minute of two days across zones with odd offsets", () => {
    // quietDueAt remembers answers per UTC quarter hour: check it against nextAllowedSendTime, including zones 30
    // and 45 minutes off the hour and a daylight-saving change (Europe/Paris, 25 October 2026).
    const zones = ["Asia/Seoul", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "Europe/Paris", "UTC"];
    const policies = [DEFAULT_QUIET_HOURS, { startHour: 13, endHour: 15 }];
    for (const start of [Date.UTC(2026, 10, 26), Date.UTC(2026, 9, 24, 12)])
      for (let minute = 0; minute < 2 * 24 * 60; minute += 7)
        for (const zone of zones)
          for (const policy of policies) {
            const at = start + minute * 60_000 + 13_000;
            expect(quietDueAt(at, zone, policy)).toBe(nextAllowedSendTime(at, zone, policy));
          }
  });

  it("finds the recipient's zone: their own, else their number's country's, else UTC", () => {
    expect(recipientTimeZone("Europe/Paris", "KR")).toBe("Europe/Paris");
    expect(recipientTimeZone(null, "KR")).toBe("Asia/Seoul");
    expect(recipientTimeZone(null, null)).toBe("UTC");
  });
});
