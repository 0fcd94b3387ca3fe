import { type Command, InvalidArgumentError } from "commander";
import { HeraldError } from "../domain/errors.js";
import { withStore } from "./common.js";

const collect = (value: string, previous: Record<string, string>) => {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`--var must be NAME=VALUE (got "${value}")`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
};

interface SendOptions {
  to: string;
  sender?: string;
  template?: string;
  language?: string;
  var: Record<string, string>;
  text?: string;
  idempotencyKey?: string;
}

/**
 * `herald send`: one message, like `POST /api/v1/messages` (same gates, same outbox). Prints the
 * message id on standard output; a running `herald start` or `herald worker` sends it within a second.
 */
export function registerSendCommand(program: Command): void {
  program
    .command("send")
    .description("queue one message: an approved template (any time) or free text (within the 24-hour window)")
    .requiredOption("--to <phone>", "recipient, E.164 preferred (+821012345678)")
    .option("--sender <id>", "sender number id (default: the only enabled sender)")
    .option("--template <name>", "an APPROVED template of the sender's WhatsApp Business Account")
    .option("--language <code>", "template language (default: the template's only language)")
    .option("--var <name=value>", "a template body variable (repeat), e.g. --var 1=A-1001", collect, {})
    .option("--text <body>", "free-form text instead of a template")
    .option("--idempotency-key <key>", "a repeat with the same key prints the first message instead of sending again")
    .action(async (opts: SendOptions) => {
      if ((opts.template === undefined) === (opts.text === undefined))
        throw new HeraldError("validation_failed", "give either --template NAME or --text BODY");
      const [{ sendMessage }, { listSenders }] = await Promise.all([
        import("../engine/messages.js"),
        import("../store/senders.js"),
      ]);
      await withStore(async (store) => {
        let senderId = opts.sender;
        if (senderId === undefined) {
          const enabled = (await listSenders(store.db)).filter((s) => !s.disabled);
          if (enabled.length !== 1)
            throw new HeraldError(
              "validation_failed",
              `--sender is required: there are ${enabled.length} enabled senders (${enabled.map((s) => `${s.id} ${s.name}`).join(", ") || "none"})`,
            );
          senderId = (enabled[0] as (typeof enabled)[number]).id;
        }
        let language = opts.language;
        if (opts.template !== undefined && language === undefined) {
          const rows = await store.db
            .selectFrom("templates")
            .select("language")
            .where("name", "=", opts.template)
            .where("status", "=", "APPROVED")
            .execute();
          const languages = [...new Set(rows.map((r) => r.language))];
          if (languages.length !== 1)
            throw new HeraldError(
              "validation_failed",
              `--language is required: approved template ${opts.template} exists in ${languages.length === 0 ? "no language" : languages.join(", ")}`,
            );
          language = languages[0];
        }
        const engine = { wakeApplier: () => {}, wakeDispatcher: () => {}, tickScheduler: async () => {} };
        const { message, replayed } = await sendMessage(
          { store, now: Date.now, engine },
          {
            senderId,
            to: opts.to,
            ...(opts.template !== undefined
              ? { template: { name: opts.template, language: language as string, variables: opts.var } }
              : { text: { body: opts.text as string } }),
            ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
          },
        );
        process.stderr.write(
          replayed
            ? `already queued with this idempotency key: message ${message.id} is ${message.status}\n`
            : `queued message ${message.id} to ${message.to}; a running herald start or herald worker sends it\n`,
        );
        process.stdout.write(`${message.id}\n`);
      });
    });
}
