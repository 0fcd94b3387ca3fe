// The sandbox writes status webhooks as bytes (status-bytes.ts) for speed; they must be exactly what the
// reference serializer (payloads.ts statusChange) produces, for every combination of optional parts.
// real: both serializers. fake: nothing.
import { describe, expect, test } from "vitest";
import { hex8, hexLower } from "../../src/whatsapp/sandbox/hex.js";
import { type Failure, pricingOf, statusChange } from "../../src/whatsapp/sandbox/payloads.js";
import { mix } from "../../src/whatsapp/sandbox/random.js";
import type { PhoneState } from "../../src/whatsapp/sandbox/state.js";
import { StatusWriter } from "../../src/whatsapp/sandbox/status-bytes.js";
import { outboundWamid } from "../../src/whatsapp/sandbox/wamid.js";

const phone = { id: "106540352242922", displayPhoneNumber: "15550783881" } as PhoneState;
const failure: Failure = { code: 131026, title: "Message undeliverable.", details: "Message Undeliverable. ‘é’ 😀" };
const STATUSES = ["sent", "delivered", "read", "failed"] as const;

// One writer for all cases, as the sandbox uses it (it remembers the last number and pricing).
const writer = new StatusWriter();

function viaBytes(...args: Parameters<StatusWriter["status"]>): string {
  const w = writer.status(...args);
  const buf = Buffer.alloc(w.maxBytes());
  return buf.subarray(0, w.write(buf, 0)).toString("latin1");
}

describe("status webhooks written as bytes", () => {
  const cases: [string | number, number, number, string | undefined, boolean, string, boolean | undefined, boolean][] =
    [];
  // Numbers are written from their digits' value; text (a leading zero) as is.
  for (const waId of [821012345678, 14155550100, 1234567, 123456789012345, "0101234567"])
    for (const seq of [1, 15, 16, 255, 4096, 123456789])
      for (const status of [0, 1, 2, 3])
        for (const callback of [undefined, "row-1", 'q"uote\\ 한글 😀 /slash'])
          for (const conversation of [true, false])
            for (const category of ["marketing", "utility", "service", "authentication"])
              for (const priced of [undefined, false, true])
                for (const error of [false, true])
                  cases.push([waId, seq, status, callback, conversation, category, priced, error]);

  test(`equal the reference serializer in ${cases.length} combinations`, () => {
    const seed = 99;
    let at = 1_767_571_200_123.5;
    for (const [waId, seq, status, callback, conversation, category, priced, error] of cases) {
      at += 777.25;
      const pricing = priced === undefined ? undefined : pricingOf(category, priced);
      const withConversation = conversation && status !== 3;
      const text = String(waId);
      const expected = statusChange(phone, {
        id: outboundWamid(text, seq),
        status: STATUSES[status] as "sent",
        at,
        recipientId: text,
        callbackData: callback,
        conversation: withConversation
          ? {
              id: hex8(mix(seed, seq, 7)) + hexLower(seq),
              category,
              expiresAt: status === 0 ? at + 24 * 3_600_000 : undefined,
            }
          : undefined,
        pricing,
        error: error ? failure : undefined,
      });
      const got = viaBytes(
        phone,
        waId,
        seq,
        status,
        at,
        callback,
        withConversation ? mix(seed, seq, 7) : -1,
        category,
        pricing,
        error ? failure : undefined,
      );
      expect(got).toBe(expected);
    }
  });
});
