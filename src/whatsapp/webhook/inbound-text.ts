import type { InboundMessage } from "./events.js";

/** What a person reads of an inbound message, and the machine payload of a button or list choice. */
export function inboundText(message: InboundMessage): { text: string | null; payload: string | null } {
  switch (message.type) {
    case "text":
      return { text: message.body, payload: null };
    case "button":
      return { text: message.text, payload: message.payload };
    case "interactive":
      return { text: message.reply.title, payload: message.reply.id };
    case "interactive_flow":
      return { text: message.body ?? null, payload: message.responseJson };
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return { text: message.media.caption ?? message.media.filename ?? null, payload: null };
    case "location":
      return {
        text: [message.name, message.address].filter((part) => part !== undefined).join(", ") || null,
        payload: `${message.latitude},${message.longitude}`,
      };
    case "reaction":
      return { text: message.emoji ?? null, payload: message.messageId };
    case "order":
      return { text: message.text ?? null, payload: message.catalogId ?? null };
    case "system":
      return { text: message.body ?? null, payload: null };
    case "contacts":
    case "unsupported":
      return { text: null, payload: null };
    default: {
      const unexpected: never = message;
      throw new Error(`unknown inbound message ${JSON.stringify(unexpected)}`);
    }
  }
}
