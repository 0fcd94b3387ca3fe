import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Encrypts provider credentials at rest with AES-256-GCM under HERALD_SECRET_KEY.
 * Format: `v1:<iv b64url>:<tag b64url>:<ciphertext b64url>`; a 12-byte random IV per value.
 * The optional `context` (e.g. "sender:<id>:accessToken") is bound as associated data, so a
 * ciphertext copied into another row or column does not decrypt.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("SecretBox needs a 32-byte key");
    this.#key = key;
  }

  /** Encrypts `plain` and returns the self-describing text form. */
  seal(plain: string, context = ""): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
      ":",
    );
  }

  /** Decrypts a value made by `seal` with the same key and context; throws when it was tampered with. */
  open(sealed: string, context = ""): string {
    const [version, iv, tag, data] = sealed.split(":");
    if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed value");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }
}
