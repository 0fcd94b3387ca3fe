import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { addUser } from "../api/auth/accounts.js";
import { PASSWORD_MAX, PASSWORD_MIN } from "../api/auth/password.js";
import { HeraldError } from "../domain/errors.js";
import { listUsers } from "../store/users.js";
import { parseRole, readStdin, withStore } from "./common.js";

/** `herald user create | list`. */
export function registerUserCommands(program: Command): void {
  const user = program.command("user").description("manage dashboard users");

  user
    .command("create")
    .description("create a dashboard user; prints the password on standard output when it was generated")
    .requiredOption("--email <email>", "the user's email (their login)")
    .requiredOption("--role <role>", "admin, marketer or agent", parseRole)
    .option("--name <name>", "display name", "")
    .option("--password-stdin", "read the password from standard input instead of generating one")
    .action(
      async (opts: { email: string; role: ReturnType<typeof parseRole>; name: string; passwordStdin?: boolean }) => {
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(opts.email)) {
          throw new HeraldError("validation_failed", `--email must be an email address (got "${opts.email}")`);
        }
        const password = opts.passwordStdin ? await readStdin() : randomBytes(12).toString("base64url");
        if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
          throw new HeraldError("validation_failed", `the password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters`);
        }
        await withStore(async (store) => {
          const created = await addUser(
            store,
            { email: opts.email, name: opts.name, password, role: opts.role },
            Date.now(),
          );
          process.stderr.write(`created ${created.role} ${created.email} (${created.id})\n`);
          if (!opts.passwordStdin) process.stdout.write(`${password}\n`);
        });
      },
    );

  user
    .command("list")
    .description("list users (tab-separated: id, email, role, status)")
    .action(async () => {
      await withStore(async (store) => {
        for (const u of await listUsers(store.db)) {
          process.stdout.write(`${u.id}\t${u.email}\t${u.role}\t${u.disabled ? "disabled" : "active"}\n`);
        }
      });
    });
}
