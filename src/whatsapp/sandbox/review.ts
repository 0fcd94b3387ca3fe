// Template review, mirroring the rejection causes Meta and BSPs document (whatsapp-platform.md §3, reference
// §5.7): variable placement, adjacency and density, category fit, abusive or scam wording. Pure: text in, verdict
// out. Meta publishes no exact thresholds; the word lists and the density rule are our approximations.
import type { TemplateCategory } from "../provider.js";

/** The outcome of a review. */
export interface ReviewVerdict {
  status: "APPROVED" | "REJECTED";
  /** Meta's `reason`: "NONE" when approved. */
  reason: string;
  category: TemplateCategory;
  /** Set when a UTILITY template was approved as MARKETING (Meta's behaviour since 9 April 2025). */
  recategorizedFrom: TemplateCategory | undefined;
  rejectionInfo: { reason: string; recommendation: string } | undefined;
}

/** What the review looks at. */
export interface ReviewInput {
  category: TemplateCategory;
  body: string;
  hasOtpButton: boolean;
  utilityPromotional: "recategorize" | "reject";
  /** A uniform draw in [0, 1) for the random rejection share. */
  draw: number;
  randomRejectRate: number;
}

/** Promotional wording that makes a UTILITY template MARKETING (English and Korean). */
export const PROMOTIONAL_WORDS = [
  "discount",
  "sale",
  "% off",
  "coupon",
  "promo",
  "offer",
  "limited time",
  "deal",
  "buy now",
  "free gift",
  "할인",
  "세일",
  "특가",
  "쿠폰",
  "기간 한정",
  "한정 판매",
  "이벤트",
  "프로모션",
  "무료 증정",
];

const ABUSIVE_WORDS = ["idiot", "stupid", "kill you", "바보", "멍청"];
const SCAM_WORDS = ["bitcoin", "crypto giveaway", "wire transfer", "lottery", "you have won", "당첨", "비트코인"];

const VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

function contains(text: string, words: string[]): string | undefined {
  const lower = text.toLowerCase();
  return words.find((w) =>
    /^[a-z %]+$/.test(w) ? new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(lower) : lower.includes(w),
  );
}

function rejected(reason: string, category: TemplateCategory, why: string, recommendation: string): ReviewVerdict {
  return {
    status: "REJECTED",
    reason,
    category,
    recategorizedFrom: undefined,
    rejectionInfo: { reason: why, recommendation },
  };
}

/** Reviews a template the way Meta's guidelines describe; deterministic given `draw`. */
export function reviewTemplate(input: ReviewInput): ReviewVerdict {
  const { body, category } = input;
  const vars = [...body.matchAll(VARIABLE)].map((m) => m[1] as string);
  const trimmed = body.trim().replace(/[.!?。…\s]+$/u, "");
  if (vars.length > 0 && (/^\{\{[^}]+\}\}/.test(body.trim()) || /\{\{[^}]+\}\}$/.test(trimmed))) {
    return rejected(
      "INVALID_FORMAT",
      category,
      "Your template has a parameter at the very beginning or end of the message body.",
      "Add text before the first parameter and after the last one.",
    );
  }
  if (/\}\}\s*\{\{/.test(body)) {
    return rejected(
      "INVALID_FORMAT",
      category,
      "Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.",
      "Separate parameters with descriptive text and ensure each parameter is clearly contextualized.",
    );
  }
  if (vars.every((v) => /^\d+$/.test(v))) {
    const sequential = vars.map(Number).every((n, i, all) => all.includes(i + 1) && n >= 1 && n <= all.length);
    if (!sequential) {
      return rejected(
        "INVALID_FORMAT",
        category,
        "Your template's parameters are not numbered in sequence starting at {{1}}.",
        "Number parameters {{1}}, {{2}}, … without gaps.",
      );
    }
  }
  // Observed rule of thumb (reference §5.7): at least 2x+1 words of text for x variables.
  const words = body
    .replace(VARIABLE, " ")
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (vars.length > 0 && words < 2 * vars.length + 1) {
    return rejected(
      "INVALID_FORMAT",
      category,
      "Your template has too many parameters for the length of its text.",
      "Add more text around the parameters, or use fewer parameters.",
    );
  }
  if (category === "AUTHENTICATION" && !input.hasOtpButton) {
    return rejected(
      "INVALID_FORMAT",
      category,
      "Authentication templates need a one-time-password button.",
      "Add an OTP button.",
    );
  }
  const scam = contains(body, SCAM_WORDS);
  if (scam)
    return rejected("SCAM", category, `The template looks like a scam ("${scam}").`, "Remove misleading content.");
  const abusive = contains(body, ABUSIVE_WORDS);
  if (abusive) {
    return rejected("ABUSIVE_CONTENT", category, `The template contains abusive content ("${abusive}").`, "Remove it.");
  }
  if (category === "UTILITY") {
    const promo = contains(body, PROMOTIONAL_WORDS);
    if (promo) {
      if (input.utilityPromotional === "reject") {
        return rejected(
          "INCORRECT_CATEGORY",
          category,
          `The template contains promotional content ("${promo}") but was submitted as UTILITY.`,
          "Submit it as MARKETING, or remove the promotional content.",
        );
      }
      return {
        status: "APPROVED",
        reason: "NONE",
        category: "MARKETING",
        recategorizedFrom: "UTILITY",
        rejectionInfo: undefined,
      };
    }
  }
  if (input.draw < input.randomRejectRate) {
    return rejected(
      "TAG_CONTENT_MISMATCH",
      category,
      "The template content does not match its category or tags.",
      "Review Meta's template guidelines.",
    );
  }
  return { status: "APPROVED", reason: "NONE", category, recategorizedFrom: undefined, rejectionInfo: undefined };
}
