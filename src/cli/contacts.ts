import type { Command } from "commander";
import { refreshOnce } from "../engine/metrics-refresh.js";
import { withStore } from "./common.js";

/** `herald metrics refresh`: the full derived-metrics refresh, once, in the foreground. */
export function registerMetricsCommand(program: Command): void {
  program
    .command("metrics")
    .description("derived customer metrics")
    .command("refresh")
    .description("recompute every contact's metrics, RFM scores and rule tags now (prints the timing as JSON)")
    .action(async () => {
      await withStore(async (store) => {
        const report = await refreshOnce(store, Date.now);
        if (report === null) {
          process.stderr.write("another refresh is running (its lease expires after 30 minutes); try again later\n");
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${JSON.stringify(report)}\n`);
      });
    });
}
