import { describe, expect, it } from "vitest";
import { engagementMetrics, heatLevel, type Interaction } from "../../../src/domain/metrics/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const LONG_AGO = NOW - 1000 * DAY;

describe("heatLevel", () => {
  it("is active when the contact engaged within the last 7 days", () => {
    expect(heatLevel(NOW - 6.9 * DAY, LONG_AGO, NOW)).toBe("active");
  });

  it("is quiet from exactly 7 days to under 30", () => {
    expect(heatLevel(NOW - 7 * DAY, LONG_AGO, NOW)).toBe("quiet");
    expect(heatLevel(NOW - 29.9 * DAY, LONG_AGO, NOW)).toBe("quiet");
  });

  it("is silent from 30 days to under 90", () => {
    expect(heatLevel(NOW - 30 * DAY, LONG_AGO, NOW)).toBe("silent");
    expect(heatLevel(NOW - 89.9 * DAY, LONG_AGO, NOW)).toBe("silent");
  });

  it("is inactive from 90 days", () => {
    expect(heatLevel(NOW - 90 * DAY, LONG_AGO, NOW)).toBe("inactive");
  });

  it("measures a contact who never engaged from when they were added, never calling them active", () => {
    expect(heatLevel(null, NOW - DAY, NOW)).toBe("quiet");
    expect(heatLevel(null, NOW - 40 * DAY, NOW)).toBe("silent");
    expect(heatLevel(null, NOW - 90 * DAY, NOW)).toBe("inactive");
  });
});

describe("engagementMetrics", () => {
  const outbound = (daysAgo: number, delivered: boolean, readDaysAgo: number | null): Interaction => ({
    kind: "outbound",
    at: NOW - daysAgo * DAY,
    deliveredAt: delivered ? NOW - daysAgo * DAY + 1000 : null,
    readAt: readDaysAgo === null ? null : NOW - readDaysAgo * DAY,
  });

  it("takes heat from the later of the last inbound message and the last read", () => {
    const metrics = engagementMetrics([{ kind: "inbound", at: NOW - 40 * DAY }, outbound(10, true, 3)], LONG_AGO, NOW);
    expect(metrics).toMatchObject({ heat: "active", lastInboundAt: NOW - 40 * DAY, lastReadAt: NOW - 3 * DAY });
  });

  it("does not count a delivery without a read as engagement", () => {
    expect(engagementMetrics([outbound(1, true, null)], LONG_AGO, NOW).heat).toBe("inactive");
  });

  it("computes the read rate over delivered messages of the last 90 days", () => {
    const metrics = engagementMetrics(
      [
        outbound(5, true, 4),
        outbound(6, true, null),
        outbound(7, false, null),
        outbound(8, true, 8),
        outbound(100, true, 99),
      ],
      LONG_AGO,
      NOW,
    );
    expect(metrics.readRate).toBeCloseTo(2 / 3);
  });

  it("counts a read whose delivered webhook was skipped as delivered", () => {
    expect(engagementMetrics([outbound(5, false, 4)], LONG_AGO, NOW).readRate).toBe(1);
  });

  it("has no read rate when nothing was delivered", () => {
    expect(engagementMetrics([outbound(5, false, null)], LONG_AGO, NOW).readRate).toBeNull();
  });
});
