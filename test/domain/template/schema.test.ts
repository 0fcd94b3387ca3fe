import { describe, expect, it } from "vitest";
import { dottedPath, parseTemplate } from "../../../src/domain/template/index.js";

describe("parseTemplate", () => {
  it("fills defaults for a minimal template", () => {
    const result = parseTemplate({ name: "hello", language: "en_US", category: "UTILITY", body: "Hello there." });
    expect(result).toEqual({
      ok: true,
      template: {
        name: "hello",
        language: "en_US",
        category: "UTILITY",
        parameterFormat: "POSITIONAL",
        header: null,
        body: "Hello there.",
        examples: {},
        footer: null,
        buttons: [],
      },
    });
  });

  it("reads tagged header and button unions", () => {
    const result = parseTemplate({
      name: "x",
      language: "ko",
      category: "MARKETING",
      body: "b",
      header: { kind: "IMAGE", example: "h" },
      buttons: [{ kind: "URL", text: "Go", url: "https://a.example.com" }],
    });
    expect(result.ok).toBe(true);
  });

  it("reports shape errors with dotted paths", () => {
    const result = parseTemplate({
      name: "x",
      language: "ko",
      category: "PROMO",
      body: "b",
      buttons: [{ kind: "QUICK_REPLY" }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path).sort()).toEqual(["buttons[0].text", "category"]);
  });

  it("refuses an absurdly long body before any rule runs", () => {
    const result = parseTemplate({ name: "x", language: "ko", category: "UTILITY", body: "a".repeat(20_000) });
    expect(result.ok).toBe(false);
  });
});

describe("dottedPath", () => {
  it("writes array indexes in brackets", () => {
    expect(dottedPath(["rules", "children", 2, "value"])).toBe("rules.children[2].value");
  });
});
