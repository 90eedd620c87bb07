import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { PatchkastError } from "../errors.js";

/**
 * A secret value. It prints as `<secret>` everywhere (logs, JSON, errors, util.inspect) so that it
 * cannot leak by accident; only `reveal()` gives the value, and only renderers call it.
 */
export class Secret {
  readonly #value: string;
  readonly ref: string;

  constructor(value: string, ref: string) {
    this.#value = value;
    this.ref = ref;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "<secret>";
  }

  toJSON(): string {
    return "<secret>";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `<secret ${this.ref}>`;
  }
}

/** `env:NAME` or `file:path`; nothing else may stand where a secret goes in a site file. */
export const secretRefPattern = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:\S.*)$/;

export type SecretRef =
  | { kind: "env"; name: string; ref: string }
  | { kind: "file"; path: string; ref: string };

export function parseSecretRef(ref: string): SecretRef | undefined {
  if (!secretRefPattern.test(ref)) return undefined;
  if (ref.startsWith("env:")) return { kind: "env", name: ref.slice(4), ref };
  return { kind: "file", path: ref.slice(5), ref };
}

/** Turns a reference into a Secret. Renderers get one of these so tests can swap in placeholders. */
export interface SecretResolver {
  resolve(ref: string, usedFor: string): Secret;
}

/** Reads `env:` from the environment and `file:` relative to the site file's folder. */
export class EnvFileSecretResolver implements SecretResolver {
  readonly #env: NodeJS.ProcessEnv;
  readonly #baseDir: string;

  constructor(baseDir: string, env: NodeJS.ProcessEnv = process.env) {
    this.#baseDir = baseDir;
    this.#env = env;
  }

  resolve(ref: string, usedFor: string): Secret {
    const parsed = parseSecretRef(ref);
    if (!parsed) {
      throw new PatchkastError(
        "PK_ERR_SECRET_UNRESOLVED",
        `${usedFor}: "${ref}" is not env:NAME or file:path`,
      );
    }
    if (parsed.kind === "env") {
      const value = this.#env[parsed.name];
      if (value === undefined || value === "") {
        throw new PatchkastError(
          "PK_ERR_SECRET_UNRESOLVED",
          `${usedFor}: environment variable ${parsed.name} is not set (referenced as ${ref})`,
        );
      }
      return new Secret(value, ref);
    }
    const path = isAbsolute(parsed.path) ? parsed.path : resolve(this.#baseDir, parsed.path);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? "unreadable";
      throw new PatchkastError("PK_ERR_SECRET_UNRESOLVED", `${usedFor}: cannot read ${ref} (${why})`);
    }
    // One trailing newline is what `echo secret > file` leaves; it is never part of the secret.
    return new Secret(text.replace(/\r?\n$/, ""), ref);
  }
}

/**
 * Deterministic stand-ins, for golden files and the demo: the same reference always gives the same
 * value, and no real secret is ever needed or written. They are nine digits because that is the one
 * form every family accepts: Aastra admin passwords must be numeric (Aastra admin guide 41-001343-02,
 * "Password Settings", at most 4294967295), and the leading 9 makes them easy to spot in a rendered file.
 */
export class PlaceholderSecretResolver implements SecretResolver {
  resolve(ref: string): Secret {
    const digest = createHash("sha256").update(ref).digest();
    return new Secret(`9${String(digest.readUInt32BE(0) % 100_000_000).padStart(8, "0")}`, ref);
  }
}
