/**
 * Demo templates for the first `herald start`: a Korean and an English marketing template with a name variable, a
 * discount code and YES / STOP quick replies (send them with payloads OFFER_YES / OPT_OUT), a Korean shipping update
 * with a tracking link, and a draft whose promotional wording in a UTILITY template draws a lint warning. The first
 * three are submitted to the embedded sandbox, which reviews and approves them (no random rejections there), and
 * Herald learns the verdict from its webhook or from the template sync.
 */
import type { Config } from "../config.js";
import type { Template } from "../domain/template/model.js";
import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import { getSenderCredentials } from "../store/senders.js";
import type { EmbeddedSandbox } from "./embedded-sandbox.js";
import { ProviderRegistry } from "./providers.js";
import { createTemplateDraft, submitTemplate } from "./templates.js";

const base = { parameterFormat: "POSITIONAL", header: null, footer: null } as const;

/** The demo's templates, in creation order; `submit: false` stays a draft. */
export const DEMO_TEMPLATES: { template: Template; submit: boolean }[] = [
  {
    submit: true,
    template: {
      ...base,
      name: "spring_sale",
      language: "ko",
      category: "MARKETING",
      header: { kind: "TEXT", text: "(광고) 봄맞이 세일" },
      body: "안녕하세요 {{1}}님, 봄맞이 세일이 시작되었어요! 할인 코드 {{2}}를 입력하면 전 상품 20% 할인을 받을 수 있어요. 이번 주 일요일까지입니다.",
      examples: { "1": "김민수", "2": "SPRING20" },
      footer: "수신을 원하지 않으시면 STOP을 눌러주세요",
      buttons: [
        { kind: "QUICK_REPLY", text: "YES" },
        { kind: "QUICK_REPLY", text: "STOP" },
      ],
    },
  },
  {
    submit: true,
    template: {
      ...base,
      name: "spring_sale",
      language: "en_US",
      category: "MARKETING",
      header: { kind: "TEXT", text: "Spring sale" },
      body: "Hi {{1}}, our spring sale has started! Use code {{2}} at checkout for 20% off everything until Sunday.",
      examples: { "1": "Minsu", "2": "SPRING20" },
      footer: "Tap STOP to opt out",
      buttons: [
        { kind: "QUICK_REPLY", text: "YES" },
        { kind: "QUICK_REPLY", text: "STOP" },
      ],
    },
  },
  {
    submit: true,
    template: {
      ...base,
      name: "order_shipped",
      language: "ko",
      category: "UTILITY",
      body: "안녕하세요 {{1}}님, 주문하신 상품(주문번호 {{2}})이 발송되었습니다. 아래 버튼에서 배송 상황을 확인하세요.",
      examples: { "1": "김민수", "2": "ORD-20260326" },
      buttons: [
        { kind: "URL", text: "배송 조회", url: "https://shop.example.com/orders/{{1}}", example: "ORD-20260326" },
      ],
    },
  },
  {
    // Promotional wording in a UTILITY template: Meta would approve it as MARKETING or reject it (see the lint).
    submit: false,
    template: {
      ...base,
      name: "welcome_back",
      language: "en_US",
      category: "UTILITY",
      body: "Hi {{1}}, welcome back to our store. Enjoy an exclusive discount of 10% on your next order this week.",
      examples: { "1": "Minsu" },
      buttons: [],
    },
  },
];

/**
 * Creates the demo templates for the sandbox sender and submits the ones meant for review; returns what it did, one
 * line each. A failed submission leaves that template a draft and says so; the demo never stops the start.
 */
export async function seedDemoTemplates(
  deps: { store: Store; box: SecretBox; config: Config; sandbox: EmbeddedSandbox | null },
  senderId: string,
  now: number,
): Promise<string[]> {
  const { sandbox } = deps;
  if (!sandbox) return [];
  // The sandbox plays Meta and must know the number before a template is submitted on its account; server.ts
  // registers it again with Herald's webhook URL once Herald listens (registering twice replaces the first).
  sandbox.register(await getSenderCredentials(deps.store.db, deps.box, senderId));
  const providers = new ProviderRegistry({ cloudOrigin: deps.config.graphOrigin, sandboxOrigin: sandbox.origin });
  const lines: string[] = [];
  try {
    for (const { template, submit } of DEMO_TEMPLATES) {
      const saved = await createTemplateDraft(deps.store.db, { template, senderId, createdBy: null }, now);
      const label = `template "${template.name}" (${template.language})`;
      if (!submit) {
        const warnings = saved.lint.filter((finding) => finding.severity === "warning").map((finding) => finding.code);
        lines.push(`${label} as a draft with lint warnings: ${warnings.join(", ") || "none"}`);
        continue;
      }
      try {
        await submitTemplate({ store: deps.store, box: deps.box, providers }, saved.id, senderId, now);
        lines.push(`${label} submitted to the sandbox for review`);
      } catch (err) {
        lines.push(`${label} left as a draft: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    await providers.close();
  }
  return lines;
}
