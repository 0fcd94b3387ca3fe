/**
 * Turns a planned reply (domain/automation) into the provider port's message: free-form content as is, a
 * template fallback rendered from the stored, approved template with the rule's constant variables.
 */
import type { PlannedReply } from "../../domain/automation/index.js";
import { renderTemplate } from "../../domain/template/render.js";
import type { Store } from "../../store/db.js";
import { getTemplate } from "../../store/templates.js";
import type { OutboundMessage } from "../../whatsapp/provider.js";
import { templateMessage } from "../template-message.js";

type Db = Store["db"] | Parameters<typeof getTemplate>[0];

export type BuiltReply =
  | { ok: true; message: OutboundMessage; category: "service" | "marketing" | "utility" }
  | { ok: false; reason: string };

/** The message a planned reply sends to `to` (E.164 digits). */
export async function buildReply(db: Db, reply: PlannedReply, to: string): Promise<BuiltReply> {
  if (reply.kind === "free") {
    const c = reply.content;
    switch (c.kind) {
      case "text":
        return { ok: true, category: "service", message: { kind: "text", to, body: c.body } };
      case "media":
        return {
          ok: true,
          category: "service",
          message: {
            kind: "media",
            to,
            mediaType: c.mediaType,
            media: { link: c.link },
            ...(c.caption ? { caption: c.caption } : {}),
          },
        };
      case "buttons":
        return { ok: true, category: "service", message: { kind: "buttons", to, body: c.body, buttons: c.buttons } };
      default: {
        const never: never = c;
        return never;
      }
    }
  }
  let template: Awaited<ReturnType<typeof getTemplate>>;
  try {
    template = await getTemplate(db, reply.template.templateId);
  } catch {
    return { ok: false, reason: "template_missing: the rule's template no longer exists" };
  }
  if (template.status !== "APPROVED")
    return {
      ok: false,
      reason: `template_not_approved: ${template.name} (${template.language}) is ${template.status}`,
    };
  const rendered = renderTemplate(template.template, { body: reply.template.variables });
  if (!rendered.ok)
    return { ok: false, reason: `template_variables: ${rendered.issues.map((i) => i.message).join("; ")}` };
  const category = template.category === "MARKETING" ? "marketing" : "utility";
  return { ok: true, category, message: templateMessage(to, template.name, template.language, rendered.components) };
}
