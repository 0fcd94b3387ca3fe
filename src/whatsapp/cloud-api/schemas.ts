// Light zod checks of outbound bodies, so Herald's own bugs show before the network. The limits are
// Meta's (reference §2.2: text ≤ 4096, 1–3 reply buttons with titles ≤ 20, ≤ 10 list rows in all, row
// title ≤ 24 and description ≤ 72); anything subtler is left to Meta (or the sandbox) to judge.
import { z } from "zod";
import { ProviderError } from "../provider-error.js";

const nonEmpty = z.string().min(1);
const mediaObject = z
  .object({ link: z.url().optional(), id: nonEmpty.optional(), caption: z.string().max(1024).optional() })
  .refine((m) => (m.link === undefined) !== (m.id === undefined), { message: "exactly one of link or id" });

const replyButton = z.object({
  type: z.literal("reply"),
  reply: z.object({ id: nonEmpty.max(256), title: nonEmpty.max(20) }),
});

const interactive = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("button"),
    body: z.object({ text: nonEmpty.max(1024) }),
    action: z.object({ buttons: z.array(replyButton).min(1).max(3) }),
  }),
  z.object({
    type: z.literal("list"),
    body: z.object({ text: nonEmpty.max(4096) }),
    action: z.object({
      button: nonEmpty.max(20),
      sections: z
        .array(
          z.object({
            title: z.string().max(24).optional(),
            rows: z
              .array(
                z.object({
                  id: nonEmpty.max(200),
                  title: nonEmpty.max(24),
                  description: z.string().max(72).optional(),
                }),
              )
              .min(1),
          }),
        )
        .min(1)
        .max(10)
        .refine((sections) => sections.reduce((n, s) => n + s.rows.length, 0) <= 10, {
          message: "at most 10 rows in all sections together",
        }),
    }),
  }),
]);

const template = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "lowercase letters, digits and underscores"),
  language: z.object({ code: nonEmpty }),
  components: z.array(z.object({ type: z.enum(["header", "body", "button"]) }).loose()),
});

const common = {
  messaging_product: z.literal("whatsapp"),
  to: z.string().regex(/^\+?[0-9 ()-]{5,24}$/, "a phone number in digits"),
};

const outbound = z.discriminatedUnion("type", [
  z.object({ ...common, type: z.literal("text"), text: z.object({ body: nonEmpty.max(4096) }) }),
  z.object({ ...common, type: z.literal("template"), template }),
  z.object({ ...common, type: z.literal("interactive"), interactive }),
  z.object({ ...common, type: z.literal("image"), image: mediaObject }),
  z.object({ ...common, type: z.literal("video"), video: mediaObject }),
  z.object({ ...common, type: z.literal("audio"), audio: mediaObject }),
  z.object({ ...common, type: z.literal("sticker"), sticker: mediaObject }),
  z.object({ ...common, type: z.literal("document"), document: mediaObject }),
  z.object({ ...common, type: z.literal("reaction"), reaction: z.object({ message_id: nonEmpty, emoji: z.string() }) }),
]);

/** Throws a local ProviderError (code 100, naming the field) when a wire body breaks one of Meta's basic rules. */
export function assertOutbound(body: unknown): void {
  const result = outbound.safeParse(body);
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = issue ? issue.path.join(".") : "";
  const reason = issue ? issue.message : "invalid";
  throw new ProviderError({
    code: 100,
    origin: "local",
    message: `(#100) Invalid parameter ${field}: ${reason}`,
    details: {
      field,
      reason,
      issues: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    },
  });
}
