import { API, request } from "./client";
import type { MessagingTier, Sender, SenderConnectionTest, SenderProvider } from "./types";

/** TanStack Query key of the sender list. */
export const sendersKey = ["senders"] as const;

/** What creating a sender needs. The three secrets are stored encrypted and never come back. */
export interface NewSender {
  name: string;
  provider: SenderProvider;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber?: string;
  apiOrigin?: string | null;
  apiVersion?: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  mpsLimit?: number;
  messagingTier?: MessagingTier;
}

/** A change to a sender. The provider and phone number id cannot change; omitted secrets are kept. */
export type SenderChanges = Partial<Omit<NewSender, "provider" | "phoneNumberId">> & { disabled?: boolean };

export async function listSenders(): Promise<Sender[]> {
  return (await request<{ data: Sender[] }>("GET", `${API}/senders`)).data;
}

export function createSender(input: NewSender): Promise<Sender> {
  return request<Sender>("POST", `${API}/senders`, input);
}

export function updateSender(id: string, changes: SenderChanges): Promise<Sender> {
  return request<Sender>("PATCH", `${API}/senders/${encodeURIComponent(id)}`, changes);
}

export function deleteSender(id: string): Promise<void> {
  return request<void>("DELETE", `${API}/senders/${encodeURIComponent(id)}`);
}

/** Reads the number's profile from the provider with the stored credentials; the server records the outcome. */
export function testSender(id: string): Promise<SenderConnectionTest> {
  return request<SenderConnectionTest>("POST", `${API}/senders/${encodeURIComponent(id)}/test`);
}
