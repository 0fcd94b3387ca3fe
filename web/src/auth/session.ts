// The signed-in session lives in the TanStack Query cache under `sessionKey`: null means signed out. Everything
// that needs the user reads it from there, so signing in or out re-renders the whole app consistently.
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchSession, login, logout } from "../api/auth";
import { setCsrfToken } from "../api/client";
import type { Session, SessionUser } from "../api/types";

export const sessionKey = ["session"] as const;
export const loginMutationKey = ["login"] as const;

async function loadSession(): Promise<Session | null> {
  const session = await fetchSession();
  setCsrfToken(session?.csrfToken ?? null);
  return session;
}

/** The current session (null when signed out), loaded once from `/auth/me`. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY, retry: false });
}

/** The signed-in user; only for components rendered inside `RequireAuth`. */
export function useCurrentUser(): SessionUser {
  const { data } = useSession();
  if (!data) throw new Error("useCurrentUser used outside RequireAuth");
  return data.user;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: loginMutationKey,
    mutationFn: ({ email, password }: { email: string; password: string }) => login(email, password),
    onSuccess: (session) => {
      // Nothing cached from a previous user may leak into this session.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Signed out locally even when the server could not be told (the cookie expires on its own).
    onSettled: () => markSignedOut(queryClient),
  });
}

/** Forgets the session and all data loaded with it; `RequireAuth` then sends the user to /login. */
export function markSignedOut(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
  queryClient.setQueryData(sessionKey, null);
}
