export {
  LINT_THRESHOLDS,
  type LintCode,
  type LintFinding,
  lintTemplate,
  promotionalTerms,
} from "./lint.js";
export { META_TEMPLATE_LANGUAGES, PROMOTIONAL_TERMS, URL_SHORTENERS } from "./lint-data.js";
export {
  type MetaButton,
  type MetaComponent,
  type MetaNamedExample,
  type MetaTemplateDefinition,
  toMetaTemplate,
} from "./meta-format.js";
export {
  MEDIA_HEADER_FORMATS,
  type MediaHeaderFormat,
  type OtpType,
  PARAMETER_FORMATS,
  type ParameterFormat,
  TEMPLATE_CATEGORIES,
  type Template,
  type TemplateButton,
  type TemplateButtonKind,
  type TemplateCategory,
  type TemplateHeader,
} from "./model.js";
export {
  type Bubble,
  type BubbleButton,
  type BubbleHeader,
  type HeaderValue,
  type MediaRef,
  RENDER_ERROR_META_CODES,
  type RenderErrorCode,
  type RenderIssue,
  type RenderResult,
  type RenderValues,
  renderTemplate,
  type SendComponent,
  type SendParameter,
} from "./render.js";
export { TEMPLATE_LIMITS, type TemplateIssue, type TemplateRule } from "./rules.js";
export { dottedPath, type ParseTemplateResult, parseTemplate, type TemplateInput, templateSchema } from "./schema.js";
export { assertValidTemplate, validateTemplate } from "./validate.js";
export { findPlaceholders, type Placeholder, variableNames } from "./variables.js";
