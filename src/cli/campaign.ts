import type { Command } from "commander";
import { HeraldError } from "../domain/errors.js";
import { withStore } from "./common.js";

const BAR = 30;

function bar(done: number, total: number): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * BAR);
  return `[${"█".repeat(filled)}${"░".repeat(BAR - filled)}] ${(share * 100).toFixed(1).padStart(5)}%`;
}

/**
 * `herald campaign list | launch | pause | resume | cancel | watch`. They act on the database the
 * server uses: a running `herald start` picks up a launch within a second (its scheduler), and
 * `watch` shows the live progress with a bar until the campaign finishes.
 */
export function registerCampaignCommands(program: Command): void {
  const campaign = program.command("campaign").description("list, control and watch campaigns");
  const engine = { wakeApplier: () => {}, wakeDispatcher: () => {}, tickScheduler: async () => {} };

  campaign
    .command("list")
    .description("list campaigns (tab-separated: id, status, name, audience)")
    .action(async () => {
      const { listCampaigns } = await import("../store/campaigns.js");
      await withStore(async (store) => {
        for (const c of (await listCampaigns(store.db, { limit: 200 })).data) {
          process.stdout.write(`${c.id}\t${c.status}\t${c.name}\t${c.audience?.total ?? ""}\n`);
        }
      });
    });

  for (const [name, description] of [
    ["launch", "launch a draft now (or schedule it for its time); a running `herald start` sends it"],
    ["pause", "pause sending (takes effect within a second)"],
    ["resume", "resume a paused campaign"],
    ["cancel", "cancel: queued recipients become skipped (cancelled)"],
  ] as const) {
    campaign
      .command(`${name} <id>`)
      .description(description)
      .action(async (id: string) => {
        const actions = await import("../engine/campaigns.js");
        await withStore(async (store) => {
          const c = await actions[name]({ store, now: Date.now, engine }, id);
          process.stderr.write(`campaign ${c.id} is now ${c.status}\n`);
        });
      });
  }

  campaign
    .command("watch <id>")
    .description("show live progress with a progress bar until the campaign finishes (Ctrl-C to stop watching)")
    .option("--interval <ms>", "refresh interval in milliseconds", "1000")
    .action(async (id: string, opts: { interval: string }) => {
      const interval = Number(opts.interval);
      if (!Number.isInteger(interval) || interval < 100)
        throw new HeraldError("validation_failed", "--interval must be a whole number ≥ 100");
      const { progress } = await import("../engine/campaigns.js");
      await withStore(async (store) => {
        const tty = process.stderr.isTTY;
        for (;;) {
          const p = await progress({ store, now: Date.now, engine }, id);
          const c = p.counts;
          const total = p.audience?.total ?? 0;
          const done = total - c.queued - c.sending;
          const eta = p.etaSeconds === null ? "—" : `${p.etaSeconds}s`;
          const line =
            `${bar(done, total)} ${done}/${total}  ${p.status}  ${p.ratePerSecond.toFixed(1)} msg/s  ETA ${eta}  ` +
            `sent ${c.sent} delivered ${c.delivered} read ${c.read} failed ${c.failed} skipped ${c.skipped} unknown ${c.unknown}` +
            // Recipients not due yet: quiet hours in their zone, their best hour, or the tier's next window.
            (p.waiting > 0 && p.nextDueAt !== null
              ? `  waiting ${p.waiting} (next due ${new Date(p.nextDueAt).toISOString()})`
              : "");
          process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
          if (p.status === "completed" || p.status === "cancelled" || p.status === "draft") break;
          await new Promise((r) => setTimeout(r, interval));
        }
        if (tty) process.stderr.write("\n");
      });
    });
}
