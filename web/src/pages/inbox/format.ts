// Durations and countdowns of the inbox, in the UI language.
import type { TFunction } from "i18next";
import { useEffect, useState } from "react";

/** A duration for people: "45s", "12m", "2h 5m", "1d 3h" (and the Korean equivalents). */
export function formatDuration(t: TFunction, ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t("inbox.units.seconds", { count: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t("inbox.units.minutes", { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("inbox.units.hours", { h: hours, m: minutes % 60 });
  return t("inbox.units.days", { d: Math.floor(hours / 24), h: hours % 24 });
}

/** The current time, re-read every `everyMs` (countdowns and waiting times tick without refetching). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
