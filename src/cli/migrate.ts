import type { Command } from "commander";
import { openStore } from "../store/db.js";
import { migrateToLatest } from "../store/migrate.js";
import { cliConfig } from "./common.js";

/** `herald migrate`: applies pending migrations to the configured database. */
export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (start does this automatically)")
    .action(async () => {
      const config = cliConfig();
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrateToLatest(store);
        process.stderr.write(
          applied.length === 0
            ? `database ${store.location} is up to date\n`
            : `applied ${applied.length} migration(s) to ${store.location}: ${applied.join(", ")}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
