// The control API's view of one message a simulated user received, rebuilt from the message columns.
import { fill, statusName } from "./lifecycle.js";
import { NONE } from "./messages.js";
import type { Simulator } from "./sim.js";
import type { PhoneState, ReceivedMessage } from "./state.js";
import { outboundWamid } from "./wamid.js";

/** Message slot i as GET /_sandbox/received lists it. */
export function receivedView(sim: Simulator, i: number): ReceivedMessage {
  const m = sim.store;
  const waId = sim.audience.waId(m.recipient[i] as number);
  const t = m.template[i] === NONE ? undefined : sim.templates.get(m.template[i] as number);
  const content = m.content.get(i);
  const failure = m.failure[i] === NONE ? undefined : sim.failures.get(m.failure[i] as number);
  return {
    id: outboundWamid(waId, m.seq[i] as number),
    phoneNumberId: (sim.state.phoneByKey[m.phone[i] as number] as PhoneState).id,
    to: waId,
    type: sim.types.get(m.type[i] as number),
    at: m.acceptedAt[i] as number,
    status: statusName(m.status[i] as number),
    statusAt: Math.floor(m.statusAt[i] as number),
    // A template keeps its values (one value is kept as the string itself); other messages their text.
    text: t ? fill(t.body, typeof content === "string" ? [content] : content) : (content as string | undefined),
    template: t ? { name: t.name, language: t.language, category: t.category } : undefined,
    callbackData: m.callback.get(i),
    error: failure ? { code: failure.code, title: failure.title } : undefined,
    reply: m.replies.get(i),
  };
}
