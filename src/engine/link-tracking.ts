/**
 * Per-recipient short links for a campaign's tracked URL buttons. A template's URL button is tracked when its URL
 * is Herald's short-link route with one variable (`https://herald.example/r/{{1}}`); the campaign maps that
 * variable to the real target (`https://shop.example/sale`). At launch each recipient's suffix becomes a fresh
 * code, and the code → target row is written with the recipient's message, in the same transaction.
 */
import { isTrackableUrl, isTrackedButtonUrl } from "../domain/analytics/clicks.js";
import type { Template } from "../domain/template/model.js";
import { type NewLinkCode, newLinkCode } from "../store/analytics-links.js";

export interface TrackedLinks {
  /** Codes created so far (written with the page). */
  rows: NewLinkCode[];
  /** The suffix wrapper for one recipient's message, or undefined when the template has no tracked button. */
  wrapperFor(messageId: string, contactSeq: number | null): ((index: number, suffix: string) => string) | undefined;
}

/** Link tracking for one launch page of `template`. */
export function trackedLinks(template: Template, campaignId: string | null, now: number): TrackedLinks {
  const tracked = new Set<number>();
  template.buttons.forEach((b, i) => {
    if (b.kind === "URL" && isTrackedButtonUrl(b.url)) tracked.add(i);
  });
  const rows: NewLinkCode[] = [];
  return {
    rows,
    wrapperFor(messageId, contactSeq) {
      if (tracked.size === 0) return undefined;
      return (index, suffix) => {
        // Not a tracked button, or a value that is not an absolute URL: sent as it is.
        if (!tracked.has(index) || !isTrackableUrl(suffix)) return suffix;
        const code = newLinkCode();
        rows.push({
          code,
          message_id: messageId,
          campaign_id: campaignId,
          contact_seq: contactSeq,
          url: suffix,
          created_at: now,
        });
        return code;
      };
    },
  };
}
