/**
 * The live preview: a template filled with one recipient's values, as the WhatsApp bubble and the Cloud API
 * components that would send it. Values not given fall back to the template's own samples (the ones Meta reviews),
 * so a template previews before any contact is chosen.
 */
import type { Template } from "../domain/template/model.js";
import { type RenderResult, type RenderValues, renderTemplate } from "../domain/template/render.js";
import { variableNames } from "../domain/template/variables.js";

/** The values used (given ones, completed with samples) and the rendering. */
export interface Preview {
  values: RenderValues;
  result: RenderResult;
}

/** Renders `template` with `given` values, filling what is missing from the template's samples. */
export function previewTemplate(template: Template, given: RenderValues = {}): Preview {
  const values: RenderValues = { body: { ...template.examples, ...given.body } };
  const header = given.header ?? sampleHeader(template);
  if (header !== undefined) values.header = header;
  const buttons: Record<string, string> = {};
  template.buttons.forEach((button, index) => {
    const sample =
      button.kind === "COPY_CODE" || (button.kind === "URL" && variableNames(button.url).length > 0)
        ? button.example
        : undefined;
    if (sample !== undefined) buttons[String(index)] = sample;
  });
  values.buttons = { ...buttons, ...given.buttons };
  return { values, result: renderTemplate(template, values) };
}

function sampleHeader(template: Template): RenderValues["header"] {
  const header = template.header;
  if (header === null) return undefined;
  switch (header.kind) {
    case "TEXT":
      return header.example === undefined ? undefined : { kind: "text", text: header.example };
    case "IMAGE":
    case "VIDEO":
    case "DOCUMENT":
      // A sample given as a link can be shown; an upload handle cannot, so the caller must give the media.
      return header.example !== undefined && /^https?:\/\//.test(header.example)
        ? { kind: "media", media: { link: header.example } }
        : undefined;
    case "LOCATION":
      return undefined;
    default: {
      const unexpected: never = header;
      throw new Error(`unknown header ${JSON.stringify(unexpected)}`);
    }
  }
}
