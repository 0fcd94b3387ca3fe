import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Password hashing with scrypt (RFC 7914). N=2^15, r=8, p=1 costs ~32 MiB and ~80 ms per hash on
 * this project's 2-core reference machine: slow enough to make offline guessing expensive, fast
 * enough for interactive logins. The parameters are stored in the hash, so they can be raised later
 * without invalidating existing passwords.
 * Format: `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: 256 * N * R });
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** True when `password` matches `stored`; false for a malformed hash. Constant time in the comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const key = await derive(password, Buffer.from(salt, "base64url"), { ...cost, maxmem: 256 * cost.N * cost.r });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// A hash of a random password, compared against when the email is unknown, so a login for a
// missing user takes as long as one for an existing user (no user enumeration by timing).
let decoy: Promise<string> | undefined;
/** A fixed hash to verify against when no user matches. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}

/** Password rule shared by the API, the CLI and the first-run admin: at least 12 characters, at most 256. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
