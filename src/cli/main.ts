import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.js";
import { isHeraldError } from "../domain/errors.js";
import { registerApiKeyCommands } from "./apikey.js";
import { registerCampaignCommands } from "./campaign.js";
import { registerMetricsCommand } from "./contacts.js";
import { registerImportCommands } from "./import.js";
import { registerMigrateCommand } from "./migrate.js";
import { registerSandboxCommand } from "./sandbox.js";
import { registerSendCommand } from "./send.js";
import { registerStartCommand } from "./start.js";
import { registerUserCommands } from "./user.js";
import { registerWorkerCommand } from "./worker.js";

/**
 * The `herald` command line. Commands read the same configuration as the server (environment
 * and .env: DATABASE_URL, HERALD_DATA_DIR, …). Results a script may capture go to standard
 * output; everything else (progress, messages) goes to standard error.
 */
const program = new Command()
  .name("herald")
  .description("Herald: self-hosted WhatsApp marketing automation")
  .version("0.1.0")
  .showHelpAfterError()
  .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
  // Throw instead of exiting, so usage errors exit with 2 below (subcommands inherit this).
  .exitOverride();

registerStartCommand(program);
registerWorkerCommand(program);
registerMigrateCommand(program);
registerUserCommands(program);
registerApiKeyCommands(program);
registerSandboxCommand(program);
registerImportCommands(program);
registerMetricsCommand(program);
registerCampaignCommands(program);
registerSendCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`herald: ${err.message}\n`);
    process.exit(2);
  }
  if (isHeraldError(err)) {
    process.stderr.write(`herald: ${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof CommanderError) {
    // Commander has already printed the message (or the help/version text).
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  throw err;
}
