import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PatchkastError } from "../errors.js";

/**
 * Per-device tokens for call-event URLs (reference/call-events.md §8 item 1: no vendor signs or
 * authenticates these requests, and Aastra has no MAC variable, so the URL carries a token that names the
 * device). A token is derived from the site's event key and the phone's MAC, so the agent recomputes it at
 * any time and the rendered files stay the same across restarts; a new key file changes every token.
 */

/** The key file in the agent's state directory: 32 random bytes as 64 hex digits, mode 0600. */
export const eventKeyFileName = "call-events.key";

/** 96 bits as 24 hex digits: unguessable, and Aastra URLs stay under the 128 characters its guides allow. */
export const deviceTokenLength = 24;

const keyBytes = 32;

/**
 * The site event key. Prints as `<secret>` everywhere (logs, JSON, util.inspect), like agent/site/secrets.ts
 * `Secret`; only tokenFor() uses the bytes.
 */
export class EventKey {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** A key from 64 hex digits; tests use obviously fake ones. */
  static fromHex(hex: string): EventKey {
    if (!/^[0-9a-f]{64}$/i.test(hex)) {
      throw new PatchkastError("PK_ERR_SECRET_UNRESOLVED", "a call-event key must be 64 hex digits");
    }
    return new EventKey(Buffer.from(hex, "hex"));
  }

  static random(): EventKey {
    return new EventKey(randomBytes(keyBytes));
  }

  /** HMAC-SHA256(key, "patchkast call events v1 " + MAC), hex, truncated to deviceTokenLength. */
  tokenFor(mac: string): string {
    const normalised = mac.replace(/[^0-9a-f]/gi, "").toLowerCase();
    if (normalised.length !== 12) {
      throw new PatchkastError(
        "PK_ERR_RENDER_REFUSED",
        `no call-event token for "${mac}": not a MAC address`,
      );
    }
    return createHmac("sha256", this.#bytes)
      .update(`patchkast call events v1 ${normalised}`)
      .digest("hex")
      .slice(0, deviceTokenLength);
  }

  /** The token function rendering takes (render-site.ts RenderOptions.deviceToken). */
  tokens(): (mac: string) => string {
    return (mac) => this.tokenFor(mac);
  }

  /** For writing the key file only. */
  toFileText(): string {
    return `${this.#bytes.toString("hex")}\n`;
  }

  toString(): string {
    return "<secret>";
  }

  toJSON(): string {
    return "<secret>";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "<secret call-event key>";
  }
}

/**
 * Reads `<stateDir>/call-events.key`, creating it (0600, exclusively, so two starts cannot race to two
 * keys) on first start. Refuses a key file that others can read or that is not 64 hex digits; messages name
 * the file, never its content.
 */
export function loadOrCreateEventKey(stateDir: string): EventKey {
  const file = join(stateDir, eventKeyFileName);
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const fd = openSync(file, "wx", 0o600);
    try {
      const key = EventKey.random();
      writeSync(fd, key.toFileText());
      // The umask cannot widen 0600, but a filesystem that ignored the mode would.
      chmodSync(file, 0o600);
      return key;
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new PatchkastError("PK_ERR_SECRET_UNRESOLVED", `cannot create the call-event key ${file}`, {
        cause: err,
        details: [(err as NodeJS.ErrnoException).code ?? "unknown error"],
      });
    }
  }
  return readEventKey(file);
}

function readEventKey(file: string): EventKey {
  let text: string;
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new PatchkastError(
        "PK_ERR_SECRET_UNRESOLVED",
        `the call-event key ${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`,
      );
    }
    text = readFileSync(file, "utf8").trim();
  } catch (err) {
    if (err instanceof PatchkastError) throw err;
    throw new PatchkastError("PK_ERR_SECRET_UNRESOLVED", `cannot read the call-event key ${file}`, {
      cause: err,
    });
  }
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new PatchkastError(
      "PK_ERR_SECRET_UNRESOLVED",
      `the call-event key ${file} is not 64 hex digits; delete it to make a new one (phones then need a resync)`,
    );
  }
  return EventKey.fromHex(text);
}
