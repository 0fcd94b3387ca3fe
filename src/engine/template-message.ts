import type { SendComponent, SendParameter } from "../domain/template/render.js";
import type {
  OutboundMessage,
  TemplateButtonParameter,
  TemplateHeaderParameter,
  TemplateParameter,
} from "../whatsapp/provider.js";

/**
 * Turns the Cloud API `components` that domain/template/render.ts produces for one recipient into
 * the provider port's typed template message. Location headers are not in the port yet: such a
 * template is refused here with a clear error rather than sent wrong. `wrapUrl`, when given, replaces a
 * URL button's suffix (e.g. with a per-recipient short-link code, docs/analytics.md "Click tracking").
 */
export function templateMessage(
  to: string,
  name: string,
  language: string,
  components: SendComponent[],
  wrapUrl?: (buttonIndex: number, suffix: string) => string,
): OutboundMessage {
  let header: TemplateHeaderParameter | undefined;
  const body: TemplateParameter[] = [];
  const buttons: TemplateButtonParameter[] = [];
  for (const c of components) {
    if (c.type === "header") header = headerParameter(c.parameters[0]);
    else if (c.type === "body") for (const p of c.parameters) body.push(bodyParameter(p));
    else {
      const button = buttonParameter(c.sub_type, Number(c.index), c.parameters[0]);
      if (wrapUrl && button.subType === "url") button.text = wrapUrl(button.index, button.text);
      buttons.push(button);
    }
  }
  return {
    kind: "template",
    to,
    name,
    language,
    ...(header ? { header } : {}),
    ...(body.length > 0 ? { body } : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
  };
}

function headerParameter(p: SendParameter | undefined): TemplateHeaderParameter {
  switch (p?.type) {
    case "text":
      return { type: "text", text: p.text, ...(p.parameter_name ? { name: p.parameter_name } : {}) };
    case "image":
      return { type: "image", media: p.image };
    case "video":
      return { type: "video", media: p.video };
    case "document": {
      const { filename, ...media } = p.document;
      return { type: "document", media, ...(filename ? { filename } : {}) };
    }
    default:
      throw new Error(`header parameter of type ${p?.type ?? "none"} cannot be sent through the provider port`);
  }
}

function bodyParameter(p: SendParameter): TemplateParameter {
  if (p.type !== "text") throw new Error(`body parameter of type ${p.type} is not supported`);
  return { type: "text", text: p.text, ...(p.parameter_name ? { name: p.parameter_name } : {}) };
}

function buttonParameter(
  subType: "quick_reply" | "url" | "copy_code",
  index: number,
  p: SendParameter | undefined,
): TemplateButtonParameter {
  if (subType === "quick_reply" && p?.type === "payload") return { subType, index, payload: p.payload };
  if (subType === "url" && p?.type === "text") return { subType, index, text: p.text };
  if (subType === "copy_code" && p?.type === "coupon_code") return { subType, index, couponCode: p.coupon_code };
  throw new Error(`button ${index} (${subType}) has an unexpected parameter ${p?.type ?? "none"}`);
}
