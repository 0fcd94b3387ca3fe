import { describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/model.js";
import { renderTemplate } from "../../src/domain/template/render.js";
import { trackedLinks } from "../../src/engine/link-tracking.js";
import { templateMessage } from "../../src/engine/template-message.js";

// Real: rendering and the outgoing template builder. Nothing faked; codes are random, so only their shape is checked.
const template: Template = {
  name: "autumn_sale",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "(광고) 가을 세일",
  examples: {},
  footer: null,
  buttons: [
    { kind: "URL", text: "Shop", url: "https://herald.example/r/{{1}}", example: "AbCdEf1234" },
    { kind: "URL", text: "Order", url: "https://shop.example/o/{{1}}", example: "123" },
  ],
};

describe("link tracking at launch", () => {
  it("replaces a tracked button's target with a per-recipient code and records code → target", () => {
    const rendered = renderTemplate(template, { buttons: { "0": "https://shop.example/autumn?utm=wa", "1": "A-77" } });
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.issues));
    const links = trackedLinks(template, "camp-1", 1_000);
    const first = templateMessage(
      "821000000001",
      template.name,
      template.language,
      rendered.components,
      links.wrapperFor("m1", 1),
    );
    const second = templateMessage(
      "821000000002",
      template.name,
      template.language,
      rendered.components,
      links.wrapperFor("m2", 2),
    );
    const codeOf = (m: typeof first) => (m.kind === "template" ? m.buttons?.[0] : undefined);
    const a = codeOf(first);
    const b = codeOf(second);
    expect(a && "text" in a ? a.text : "").toMatch(/^[0-9A-Za-z]{10}$/);
    expect(a && "text" in a ? a.text : "").not.toBe(b && "text" in b ? b.text : "");
    // The untracked button keeps its suffix.
    expect(first.kind === "template" ? first.buttons?.[1] : null).toEqual({ subType: "url", index: 1, text: "A-77" });
    expect(links.rows.map((r) => [r.message_id, r.contact_seq, r.campaign_id, r.url])).toEqual([
      ["m1", 1, "camp-1", "https://shop.example/autumn?utm=wa"],
      ["m2", 2, "camp-1", "https://shop.example/autumn?utm=wa"],
    ]);
    expect(links.rows[0]?.code).toBe(a && "text" in a ? a.text : "");
  });

  it("leaves templates without a tracked button alone", () => {
    const plain: Template = { ...template, buttons: [template.buttons[1] as Template["buttons"][number]] };
    expect(trackedLinks(plain, null, 0).wrapperFor("m", 1)).toBeUndefined();
  });
});
