/**
 * Approval-risk lint: what tends to get a template rejected, re-categorised or poorly read, as warnings a
 * marketer can still override (hard rules are in validate.ts). Each finding has a stable code, a severity
 * ("warning" = a likely rejection or re-categorisation, "info" = advice), and an explanation of why.
 */
import { detectConsentKeyword } from "../consent/keywords.js";
import { foldText } from "../consent/text.js";
import { META_TEMPLATE_LANGUAGES, PROMOTIONAL_TERMS, URL_SHORTENERS } from "./lint-data.js";
import { capitalShare, countEmoji, countWords, findLinks, hostIs, hostOfUrl, siteOf } from "./lint-text.js";
import type { Template } from "./model.js";
import { findPlaceholders, NAMED_NAME, variableNames } from "./variables.js";

export type LintCode =
  | "promotional_wording"
  | "too_many_variables"
  | "url_shortener"
  | "url_domain_mismatch"
  | "all_caps"
  | "excessive_emoji"
  | "excessive_exclamation"
  | "body_only_variables"
  | "repeated_variable"
  | "unused_example"
  | "long_variable_name"
  | "language_unlisted"
  | "missing_opt_out"
  | "korean_ad_label"
  | "no_personalization"
  | "no_call_to_action"
  | "document_header";

export interface LintFinding {
  code: LintCode;
  severity: "warning" | "info";
  path: string;
  message: string;
  explanation: string;
}

/** Thresholds of the heuristic rules; Meta publishes none, so these are ours and editable. */
export const LINT_THRESHOLDS = {
  /** x variables need at least 2x + 1 words of fixed text (a rule of thumb reported by BSPs; see §5.7). */
  wordsPerVariable: 2,
  /** All caps: at least this many Latin letters, of which at least this share upper case. */
  capsMinLetters: 20,
  capsShare: 0.7,
  maxEmoji: 5,
  maxExclamations: 3,
  /** wajs caps named parameters at 20 characters; Meta's page states no limit. */
  namedVariableLength: 20,
  /** "Greet by name near the start": a variable within the first this many characters. */
  personalizationWindow: 60,
} as const;

const EXPLAIN = {
  promotional:
    "Meta approves a UTILITY or AUTHENTICATION template that reads as promotional as MARKETING instead (since 9 April 2025), " +
    "or rejects it as INCORRECT_CATEGORY, and marketing costs up to ~8× more per message (Korea: $0.0604 vs $0.0077).",
  ratio:
    "Templates with many variables and little fixed text are rejected as INVALID_FORMAT: review cannot tell what will be " +
    "sent. Keep at least 2x + 1 words of fixed text for x variables.",
  shortener:
    "Shortened links hide the destination; Meta's review rejects them and users distrust them. Use the full link on your own domain.",
  mismatch:
    "A button that leads to a different site than the links in the text looks like phishing to review and to users.",
  caps: "Text in capitals reads as shouting; it draws reports and blocks, which lower quality and pause templates.",
  emoji: "Many emoji make a template look like spam and draw reports; keep them to a few.",
  exclamation: "Strings of exclamation marks read as spam and draw reports.",
  onlyVariables:
    "A body that is only variables says nothing review can judge; Meta treats unclear content as MARKETING or rejects it.",
  repeated:
    "Each positional parameter fills one place; repeating {{n}} may be refused. Use a new variable for each place.",
  unusedExample:
    "A sample for a variable the text does not use is dropped on submission, or confuses review if misnumbered.",
  longName: "Some clients refuse named parameters longer than 20 characters; shorter names are safer.",
  language: "Meta accepts templates only in the languages on its list; this code is well-formed but not on it.",
  optOut:
    "Marketing templates with an easy way out (a STOP or 수신거부 quick reply, or a footer that says how) get fewer blocks " +
    "and reports, which keeps quality GREEN.",
  adLabel:
    "Korean law (Information and Communications Network Act art. 50(4), Decree art. 61) requires advertising messages " +
    "to start with (광고) and state a free way to opt out.",
  personalization: "Messages that greet the customer by name early are read and answered more often.",
  callToAction: "A clear call to action (a YES quick reply, a link button) raises replies and keeps the read rate up.",
  document:
    "A link is lighter than an attached PDF: it loads faster and is read more; PDFs in marketing are often ignored.",
} as const;

/** All approval-risk findings for a template, warnings first. */
export function lintTemplate(template: Template): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (code: LintCode, severity: LintFinding["severity"], path: string, message: string, why: string) =>
    findings.push({ code, severity, path, message, explanation: why });

  const texts = textParts(template);
  const isMarketing = template.category === "MARKETING";

  if (!isMarketing) {
    for (const part of texts) {
      const terms = promotionalTerms(part.text);
      if (terms.length > 0) {
        add(
          "promotional_wording",
          "warning",
          part.path,
          `Promotional wording in a ${template.category} template: ${terms.map((t) => `"${t}"`).join(", ")}.`,
          EXPLAIN.promotional,
        );
      }
    }
  }

  const placeholders = findPlaceholders(template.body);
  const words = countWords(template.body);
  if (placeholders.length > 0 && words === 0) {
    add("body_only_variables", "warning", "body", "The body has no text besides its variables.", EXPLAIN.onlyVariables);
  } else if (placeholders.length > 0 && words < LINT_THRESHOLDS.wordsPerVariable * placeholders.length + 1) {
    add(
      "too_many_variables",
      "warning",
      "body",
      `${placeholders.length} variables for ${words} words of text; aim for at least ${LINT_THRESHOLDS.wordsPerVariable * placeholders.length + 1} words.`,
      EXPLAIN.ratio,
    );
  }

  lintLinks(template, add);

  const shouted = texts.filter((part) => part.path !== "footer" && !part.path.startsWith("buttons"));
  const caps = capitalShare(shouted.map((part) => part.text).join(" "));
  if (caps.letters >= LINT_THRESHOLDS.capsMinLetters && caps.share >= LINT_THRESHOLDS.capsShare) {
    add("all_caps", "warning", "body", `${Math.round(caps.share * 100)}% of the letters are capitals.`, EXPLAIN.caps);
  }
  const allText = texts.map((part) => part.text).join(" ");
  const emoji = countEmoji(allText);
  if (emoji > LINT_THRESHOLDS.maxEmoji) {
    add(
      "excessive_emoji",
      "warning",
      "body",
      `${emoji} emoji; keep to ${LINT_THRESHOLDS.maxEmoji} or fewer.`,
      EXPLAIN.emoji,
    );
  }
  const folded = allText.normalize("NFKC");
  const exclamations = folded.match(/!/gu)?.length ?? 0;
  if (exclamations > LINT_THRESHOLDS.maxExclamations || /!{2,}/u.test(folded)) {
    add("excessive_exclamation", "warning", "body", `${exclamations} exclamation marks.`, EXPLAIN.exclamation);
  }

  lintVariables(template, add);

  // A malformed code is validateTemplate's error; only a well-formed code missing from Meta's list is flagged here.
  const wellFormed = /^[a-z]{2,3}(_[A-Z]{2})?$/.test(template.language);
  if (wellFormed && !META_TEMPLATE_LANGUAGES.has(template.language)) {
    add(
      "language_unlisted",
      "warning",
      "language",
      `"${template.language}" is not on Meta's language list.`,
      EXPLAIN.language,
    );
  }

  if (isMarketing) lintMarketing(template, add);
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "warning" ? -1 : 1));
}

type Add = (code: LintCode, severity: LintFinding["severity"], path: string, message: string, why: string) => void;

interface TextPart {
  path: string;
  text: string;
}

function textParts(template: Template): TextPart[] {
  const parts: TextPart[] = [];
  if (template.header?.kind === "TEXT") parts.push({ path: "header.text", text: template.header.text });
  parts.push({ path: "body", text: template.body });
  if (template.footer !== null) parts.push({ path: "footer", text: template.footer });
  template.buttons.forEach((button, index) => {
    if (button.kind === "QUICK_REPLY" || button.kind === "URL" || button.kind === "PHONE_NUMBER") {
      parts.push({ path: `buttons[${index}].text`, text: button.text });
    }
  });
  return parts;
}

/** The promotional terms found in `text` (English as whole words, Korean anywhere). */
export function promotionalTerms(text: string): string[] {
  const folded = foldText(text);
  const found: string[] = [];
  for (const term of PROMOTIONAL_TERMS.en) {
    const escaped = term.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
    // "% off" starts with a non-word character, so the leading boundary is only asked for word-initial terms.
    const pattern = new RegExp(`${/^\w/u.test(term) ? "(?<![\\p{L}\\p{N}])" : ""}${escaped}(?![\\p{L}\\p{N}])`, "u");
    if (pattern.test(folded)) found.push(term);
  }
  for (const term of PROMOTIONAL_TERMS.ko) if (folded.includes(term)) found.push(term);
  return found;
}

function lintLinks(template: Template, add: Add): void {
  const bodyLinks = findLinks(template.body);
  const isShortener = (host: string) => URL_SHORTENERS.some((shortener) => hostIs(host, shortener));
  for (const link of bodyLinks) {
    if (isShortener(link.host)) {
      add("url_shortener", "warning", "body", `"${link.text}" is a shortened link.`, EXPLAIN.shortener);
    }
  }
  const bodySites = new Set(bodyLinks.filter((link) => !isShortener(link.host)).map((link) => siteOf(link.host)));
  template.buttons.forEach((button, index) => {
    if (button.kind !== "URL") return;
    const host = hostOfUrl(button.url);
    if (host === null) return;
    const path = `buttons[${index}].url`;
    if (isShortener(host)) add("url_shortener", "warning", path, `${host} is a link shortener.`, EXPLAIN.shortener);
    else if (bodySites.size > 0 && !bodySites.has(siteOf(host))) {
      add(
        "url_domain_mismatch",
        "warning",
        path,
        `The button opens ${siteOf(host)} but the text links to ${[...bodySites].join(", ")}.`,
        EXPLAIN.mismatch,
      );
    }
  });
}

function lintVariables(template: Template, add: Add): void {
  const placeholders = findPlaceholders(template.body);
  const names = variableNames(template.body);
  if (template.parameterFormat === "POSITIONAL" && placeholders.length > names.length) {
    const repeated = names.filter((name) => placeholders.filter((p) => p.name === name).length > 1);
    add(
      "repeated_variable",
      "warning",
      "body",
      `${repeated.map((n) => `{{${n}}}`).join(", ")} appears more than once.`,
      EXPLAIN.repeated,
    );
  }
  for (const key of Object.keys(template.examples)) {
    if (!names.includes(key)) {
      add(
        "unused_example",
        "warning",
        `examples.${key}`,
        `There is a sample for {{${key}}} but the body has no such variable.`,
        EXPLAIN.unusedExample,
      );
    }
  }
  if (template.parameterFormat === "NAMED") {
    for (const name of names) {
      if (NAMED_NAME.test(name) && name.length > LINT_THRESHOLDS.namedVariableLength) {
        add("long_variable_name", "warning", "body", `{{${name}}} is longer than 20 characters.`, EXPLAIN.longName);
      }
    }
  }
}

const OPT_OUT_HINT = /\bstop\b|unsubscribe|opt[\s-]?out|수신\s?거부|구독\s?취소|수신\s?해지/iu;

function lintMarketing(template: Template, add: Add): void {
  const quickReplyOptOut = template.buttons.some(
    (button) => button.kind === "QUICK_REPLY" && detectConsentKeyword(button.text).kind === "opt_out",
  );
  const textHint = OPT_OUT_HINT.test(template.footer ?? "") || OPT_OUT_HINT.test(template.body);
  if (!quickReplyOptOut && !textHint) {
    add(
      "missing_opt_out",
      "info",
      "buttons",
      'No way to opt out: add a "STOP" / "수신거부" quick reply or say how in the footer.',
      EXPLAIN.optOut,
    );
  }
  if (template.language === "ko" || template.language.startsWith("ko_")) {
    const opening = template.header?.kind === "TEXT" ? template.header.text : template.body;
    if (!opening.trimStart().startsWith("(광고)")) {
      add(
        "korean_ad_label",
        "info",
        template.header?.kind === "TEXT" ? "header.text" : "body",
        'Start with "(광고)".',
        EXPLAIN.adLabel,
      );
    }
  }
  const first = findPlaceholders(template.body)[0];
  if (first === undefined || first.start > LINT_THRESHOLDS.personalizationWindow) {
    add(
      "no_personalization",
      "info",
      "body",
      "No variable (such as the customer's name) near the start.",
      EXPLAIN.personalization,
    );
  }
  if (template.buttons.length === 0) {
    add("no_call_to_action", "info", "buttons", "No button: add a quick reply or a link.", EXPLAIN.callToAction);
  }
  if (template.header?.kind === "DOCUMENT") {
    add("document_header", "info", "header", "A document header in a marketing template.", EXPLAIN.document);
  }
}
