// Live updates: the server's stream of changed conversations refreshes the list and the open thread.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { conversationEventsUrl, inboxKey } from "../../api/inbox";

/** Opens the inbox's server-sent events while the page is shown; returns whether the stream is connected. */
export function useInboxStream(): boolean {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(conversationEventsUrl);
    let pending: ReturnType<typeof setTimeout> | null = null;
    // Several changes in one burst refresh once.
    const refresh = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        void queryClient.invalidateQueries({ queryKey: inboxKey });
      }, 150);
    };
    source.addEventListener("ready", () => setConnected(true));
    source.addEventListener("conversation", refresh);
    source.onerror = () => setConnected(false);
    return () => {
      if (pending) clearTimeout(pending);
      source.close();
    };
  }, [queryClient]);
  return connected;
}
