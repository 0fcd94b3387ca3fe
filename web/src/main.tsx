// Entry point: providers (Mantine, TanStack Query, i18next via ./i18n) around the router.
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./i18n";
import { Badge, createTheme, MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { ApiError } from "./api/client";
import { loginMutationKey, markSignedOut, sessionKey } from "./auth/session";
import { router } from "./router";

const theme = createTheme({
  primaryColor: "teal",
  defaultRadius: "md",
  // Korean text needs a Korean-capable font; these are the common system ones before the generic fallback.
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', 'Noto Sans CJK KR', sans-serif",
  components: {
    // A badge truncates its label, so a table column would squeeze it to "AC…"; keep badges as wide as their text.
    Badge: Badge.extend({ styles: { root: { minWidth: "max-content" } } }),
  },
});

/** A 401 from any call after sign-in means the session ended (expired, logged out elsewhere): go to /login. */
function onApiError(error: unknown, key: readonly unknown[] | undefined): void {
  if (!(error instanceof ApiError) || error.status !== 401) return;
  if (key?.[0] === sessionKey[0] || key?.[0] === loginMutationKey[0]) return;
  markSignedOut(queryClient);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onApiError(error, query.queryKey) }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => onApiError(error, mutation.options.mutationKey),
  }),
  defaultOptions: {
    queries: {
      // Client errors (401, 403, 404, 400) will not change on retry; network and server errors may.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
