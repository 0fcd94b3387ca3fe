import type { SecretBox } from "../../src/secret-box.js";
import { createSender, type NewSender, type Sender } from "../../src/store/senders.js";

/** The sandbox sender number the store, engine and API tests start from (80 msg/s, TIER_250), with overrides. */
export function createTestSender(
  db: Parameters<typeof createSender>[0],
  box: SecretBox,
  at: number,
  overrides: Partial<NewSender> = {},
): Promise<Sender> {
  return createSender(
    db,
    box,
    {
      name: "Main",
      provider: "sandbox",
      phoneNumberId: "1065",
      wabaId: "1022",
      apiVersion: "v23.0",
      accessToken: "t",
      appSecret: "s",
      verifyToken: "v",
      mpsLimit: 80,
      messagingTier: "TIER_250",
      ...overrides,
    },
    at,
  );
}
