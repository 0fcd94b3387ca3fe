import { describe, expect, it } from "vitest";
import { DEFAULT_CONSENT_KEYWORDS, detectConsentKeyword, foldText } from "../../../src/domain/consent/index.js";

describe("detectConsentKeyword", () => {
  it.each([
    "STOP",
    "stop",
    " Stop! ",
    "“stop”",
    "ＳＴＯＰ",
    "Unsubscribe",
    "opt-out",
    "Opt out",
    "stop please",
    "Please STOP.",
    "stop all",
  ])("detects the English opt-out %j", (text) => {
    expect(detectConsentKeyword(text).kind).toBe("opt_out");
  });

  it.each([
    "수신거부",
    "수신 거부",
    "수신거부요",
    "수신거부합니다",
    "그만",
    "그만 보내주세요",
    "구독취소",
    "해지해주세요",
    "수신거부 🙏",
  ])("detects the Korean opt-out %j", (text) => {
    expect(detectConsentKeyword(text).kind).toBe("opt_out");
  });

  it.each(["START", "unstop", "Subscribe!", "수신동의", "수신 동의", "재구독"])("detects the opt-in %j", (text) => {
    expect(detectConsentKeyword(text).kind).toBe("opt_in");
  });

  it.each([
    "don't stop",
    "Don't stop sending me deals!",
    "how do I stop my order?",
    "stopwatch",
    "stopplease",
    "할인 그만",
    "수신거부는 어떻게 하나요?",
    "cancel",
    "yes",
    "",
    "🙏",
  ])("does not treat %j as a consent keyword", (text) => {
    expect(detectConsentKeyword(text)).toEqual({ kind: "none" });
  });

  it("names the keyword that matched", () => {
    expect(detectConsentKeyword("Opt-Out")).toEqual({ kind: "opt_out", keyword: "opt out" });
  });

  it("uses a business's own list", () => {
    const keywords = { ...DEFAULT_CONSENT_KEYWORDS, optOut: ["cancel"] };
    expect(detectConsentKeyword("CANCEL", keywords).kind).toBe("opt_out");
    expect(detectConsentKeyword("STOP", keywords).kind).toBe("none");
  });
});

describe("foldText", () => {
  it("folds full-width letters and case, and collapses whitespace", () => {
    expect(foldText("  ＨＥＬＬＯ\t  World ")).toBe("hello world");
  });
});
