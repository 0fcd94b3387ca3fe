import type { Command } from "commander";
import { HeraldError } from "../domain/errors.js";
import { createApiKey, listApiKeys, revokeApiKey } from "../store/api-keys.js";
import { parseRole, withStore } from "./common.js";

/** `herald apikey create | list | revoke`. */
export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command("apikey").description("manage API keys for integrations");

  apikey
    .command("create")
    .description("create an API key; prints only the key on standard output (shown once)")
    .requiredOption("--name <name>", 'what the key is for, e.g. "CRM sync"')
    .requiredOption("--role <role>", "admin, marketer or agent", parseRole)
    .action(async (opts: { name: string; role: ReturnType<typeof parseRole> }) => {
      const name = opts.name.trim();
      if (name.length === 0 || name.length > 100)
        throw new HeraldError("validation_failed", "--name must be 1–100 characters");
      await withStore(async (store) => {
        const { apiKey, key } = await createApiKey(store.db, { name, role: opts.role, createdBy: null }, Date.now());
        process.stderr.write(
          `created ${apiKey.role} API key "${apiKey.name}" (${apiKey.id}); it will not be shown again\n`,
        );
        process.stdout.write(`${key}\n`);
      });
    });

  apikey
    .command("list")
    .description("list API keys (tab-separated: id, name, role, prefix, status)")
    .action(async () => {
      await withStore(async (store) => {
        for (const k of await listApiKeys(store.db)) {
          process.stdout.write(`${k.id}\t${k.name}\t${k.role}\t${k.prefix}…\t${k.revokedAt ? "revoked" : "active"}\n`);
        }
      });
    });

  apikey
    .command("revoke <id>")
    .description("revoke an API key at once")
    .action(async (id: string) => {
      await withStore(async (store) => {
        const key = await revokeApiKey(store.db, id, Date.now());
        process.stderr.write(`revoked "${key.name}" (${key.id})\n`);
      });
    });
}
