import { randomBytes } from "node:crypto";
import type { Config } from "./config.js";
import { seedAnalyticsDemo } from "./demo-analytics.js";
import { seedAutomationDemo } from "./demo-automation.js";
import { seedCustomerDemo } from "./demo-customers.js";
import { seedInboxDemo } from "./demo-inbox.js";
import type { EmbeddedSandbox } from "./engine/embedded-sandbox.js";
import { seedDemoTemplates } from "./engine/template-demo.js";
import type { SecretBox } from "./secret-box.js";
import type { Store } from "./store/db.js";
import { createSender } from "./store/senders.js";
import { createWebhookSubscription } from "./store/webhook-subscriptions.js";

/**
 * The demo data a first `herald start` creates so a newcomer sees Herald working at once
 * (`--no-demo` skips it). It grows with the product; each entry says what it added.
 */
export async function seedDemo(
  deps: { store: Store; box: SecretBox; config: Config; sandbox: EmbeddedSandbox | null },
  now: number,
): Promise<string[]> {
  const added: string[] = [];
  let sandboxSenderId: string | null = null;
  if (deps.sandbox) {
    // A sandbox sender: campaigns and replies work against the embedded Cloud API sandbox with no Meta account.
    // (server.ts registers it with the sandbox once Herald listens, with Herald's webhook URL.)
    const sender = await createSender(
      deps.store.db,
      deps.box,
      {
        name: "Sandbox number",
        provider: "sandbox",
        phoneNumberId: "106540352242922",
        wabaId: "102290129340398",
        displayPhoneNumber: "+1 555 078 3881",
        apiVersion: deps.config.graphVersion,
        accessToken: `sandbox-${randomBytes(24).toString("base64url")}`,
        appSecret: randomBytes(24).toString("hex"),
        verifyToken: randomBytes(16).toString("hex"),
        mpsLimit: 80,
        messagingTier: "TIER_10K",
        qualityRating: "GREEN",
      },
      now,
    );
    sandboxSenderId = sender.id;
    added.push(`sender "${sender.name}" (${sender.displayPhoneNumber}) on the built-in sandbox`);
    added.push(...(await seedDemoTemplates(deps, sender.id, now)));
  }
  added.push(await seedCustomerDemo(deps.store, now));
  added.push(await seedDemoWebhook(deps, now));
  if (sandboxSenderId) added.push(await seedInboxDemo(deps.store, sandboxSenderId, now));
  added.push(await seedAutomationDemo(deps.store, now));
  const sender = await deps.store.db.selectFrom("senders").select("id").orderBy("created_at").executeTakeFirst();
  const analytics = sender ? await seedAnalyticsDemo(deps.store, sender.id, now) : null;
  if (analytics) added.push(analytics);
  return added;
}

/**
 * A webhook subscription to show the Settings → Webhooks tab, created off: nothing listens on port 9 (discard), so
 * while it is off no event is queued or sent and nothing fails in the logs; "Send test event" shows a refused
 * connection in its delivery log. Point it at a real CRM and switch it on to use it.
 */
async function seedDemoWebhook(deps: { store: Store; box: SecretBox }, now: number): Promise<string> {
  const { subscription } = await createWebhookSubscription(
    deps.store.db,
    deps.box,
    {
      name: "Demo CRM (off)",
      url: "http://127.0.0.1:9/crm",
      events: ["message.status_changed", "message.received", "contact.opted_out", "contact.opted_in"],
      enabled: false,
    },
    { userId: null },
    now,
  );
  return `webhook subscription "${subscription.name}" (disabled, to ${subscription.url})`;
}
