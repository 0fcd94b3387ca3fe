/** The campaign report as CSV: one `section,key,value,detail` row per figure, then the hourly series. */

interface CsvReport {
  funnel: { stage: string; count: number; rateOfSent: number | null }[];
  counts: {
    skipped: Record<string, number>;
    hourly: {
      hour: number;
      sent: number;
      delivered: number;
      read: number;
      replied: number;
      clicked: number;
      converted: number;
      failed: number;
    }[];
  };
  failures: { code: number; count: number; meaning: string }[];
  money: {
    currency: string;
    costMicroUsd: number;
    cost: number | null;
    revenue: number;
    roi: number | null;
    roiPerMessage: number | null;
  };
  estimateMicroUsd: number | null;
}

function cell(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  // Quote when needed; a leading =,+,-,@ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof value === "string" ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** CSV text of a campaign report. */
export function campaignReportCsv(rep: CsvReport): string {
  const rows: (string | number | null)[][] = [["section", "key", "value", "detail"]];
  for (const f of rep.funnel) rows.push(["funnel", f.stage, f.count, f.rateOfSent]);
  for (const [reason, n] of Object.entries(rep.counts.skipped)) rows.push(["skipped", reason, n, null]);
  for (const f of rep.failures) rows.push(["failure", f.code, f.count, f.meaning]);
  rows.push(["money", "cost_micro_usd", rep.money.costMicroUsd, "USD"]);
  rows.push(["money", "estimate_micro_usd", rep.estimateMicroUsd, "USD"]);
  rows.push(["money", "cost", rep.money.cost, rep.money.currency]);
  rows.push(["money", "revenue", rep.money.revenue, rep.money.currency]);
  rows.push(["money", "roi", rep.money.roi, null]);
  rows.push(["money", "roi_per_message", rep.money.roiPerMessage, rep.money.currency]);
  rows.push([]);
  rows.push(["hour", "sent", "delivered", "read", "replied", "clicked", "converted", "failed"]);
  for (const h of rep.counts.hourly) {
    rows.push([
      new Date(h.hour).toISOString(),
      h.sent,
      h.delivered,
      h.read,
      h.replied,
      h.clicked,
      h.converted,
      h.failed,
    ]);
  }
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}
