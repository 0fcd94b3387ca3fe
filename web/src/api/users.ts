import { API, request } from "./client";
import type { Role, User } from "./types";

export interface NewUser {
  email: string;
  name?: string;
  password: string;
  role: Role;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  password?: string;
  disabled?: boolean;
}

/** TanStack Query key of the user list. */
export const usersKey = ["users"] as const;

export async function listUsers(): Promise<User[]> {
  return (await request<{ data: User[] }>("GET", `${API}/users`)).data;
}

export function createUser(input: NewUser): Promise<User> {
  return request<User>("POST", `${API}/users`, input);
}

export function updateUser(id: string, changes: UserChanges): Promise<User> {
  return request<User>("PATCH", `${API}/users/${encodeURIComponent(id)}`, changes);
}

export function deleteUser(id: string): Promise<void> {
  return request<void>("DELETE", `${API}/users/${encodeURIComponent(id)}`);
}
