// The signed-webhook body the auto-reply benches POST: customer i's text message asking for the discount ("할인"),
// as Meta sends it (one message, one contact, the sender's WABA and phone number id).
export function discountInboundBody(input: {
  wabaId: string;
  phoneNumberId: string;
  customer: number;
  wamid: string;
  timestamp: string;
}): string {
  const i = input.customer;
  const from = `8210${String(20_000_000 + i)}`;
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: input.wabaId,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550009999", phone_number_id: input.phoneNumberId },
              contacts: [{ profile: { name: `고객 ${i}` }, wa_id: from }],
              messages: [
                {
                  from,
                  id: input.wamid,
                  timestamp: input.timestamp,
                  type: "text",
                  text: { body: i % 2 ? "할인 코드 주세요" : "할인!" },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}
