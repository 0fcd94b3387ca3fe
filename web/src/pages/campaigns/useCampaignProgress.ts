import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { campaignEventsUrl, campaignKey, campaignProgressKey, getCampaignProgress } from "../../api/campaigns";
import type { CampaignProgress } from "../../api/types";

const FINISHED = new Set(["completed", "cancelled"]);

/**
 * Live progress of a campaign: the server's `GET /campaigns/:id/events` stream (one `progress` event a second until
 * the campaign finishes) writes into the query cache; when the stream drops, the browser reconnects on its own
 * and the query polls meanwhile. The first value comes from `GET /progress`, so the page never waits for the stream.
 * `followUp`: keep polling slowly after the campaign finished (webhooks still move recipients to delivered/read).
 */
export function useCampaignProgress(id: string, live: boolean, followUp: boolean) {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  const progress = useQuery({
    queryKey: campaignProgressKey(id),
    queryFn: () => getCampaignProgress(id),
    refetchInterval: (query) => {
      // Delivered and read statuses keep arriving after the last send: follow a recently finished campaign slowly.
      if (FINISHED.has(query.state.data?.status ?? "")) return followUp ? 15_000 : false;
      return live && !connected ? 2_000 : false;
    },
  });
  const finished = FINISHED.has(progress.data?.status ?? "");

  useEffect(() => {
    if (!live || finished || typeof EventSource === "undefined") return;
    const source = new EventSource(campaignEventsUrl(id));
    let lastStatus: string | null = null;
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("error", () => setConnected(false));
    source.addEventListener("progress", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as CampaignProgress;
      queryClient.setQueryData(campaignProgressKey(id), data);
      // A status change (running → completed, paused…) also changes the campaign itself.
      if (data.status !== lastStatus) {
        lastStatus = data.status;
        void queryClient.invalidateQueries({ queryKey: campaignKey(id) });
      }
      if (FINISHED.has(data.status)) {
        source.close();
        setConnected(false);
      }
    });
    return () => {
      source.close();
      setConnected(false);
    };
  }, [id, live, finished, queryClient]);

  return { progress, connected };
}
