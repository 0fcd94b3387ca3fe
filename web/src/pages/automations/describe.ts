// One-line, translated descriptions of a rule's trigger and actions for the rule list.
import type { TFunction } from "i18next";
import type { Action, Trigger } from "../../api/automation";

export function describeTrigger(t: TFunction, trigger: Trigger): string {
  switch (trigger.kind) {
    case "keyword":
      return t(`automations.mode.${trigger.mode}`, { words: trigger.keywords.join(", ") });
    case "regex":
      return t("automations.describe.regex", { pattern: trigger.pattern });
    case "button":
      return t("automations.describe.button", { payloads: trigger.payloads.join(", ") });
    case "first_message":
      return t("automations.triggerKind.first_message");
    case "outside_hours":
      return t("automations.describe.outsideHours", { ...trigger.hours });
  }
}

export function describeActions(t: TFunction, actions: Action[]): string {
  return actions.map((a) => describeAction(t, a)).join(" · ");
}

function describeAction(t: TFunction, a: Action): string {
  switch (a.kind) {
    case "reply":
      return t("automations.describe.reply", { text: a.content.kind === "media" ? a.content.link : a.content.body });
    case "add_tag":
      return t("automations.describe.addTag", { tag: a.tag });
    case "remove_tag":
      return t("automations.describe.removeTag", { tag: a.tag });
    case "opt_out":
      return t("automations.actionKind.opt_out");
    case "opt_in":
      return t("automations.actionKind.opt_in");
    case "handover":
      return t("automations.actionKind.handover");
  }
}
