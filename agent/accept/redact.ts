import type { Secret, SecretResolver } from "../site/secrets.js";

export const redacted = "<secret>";

/**
 * Returns a copy of `value` in which every occurrence of a secret inside any string (keys included) is
 * `<secret>`. The report is built from a whitelist of site fields and observations carry no credentials;
 * this is the second net, for a device or a check that echoes a password back into its evidence.
 * Longer secrets go first, so a secret that contains a shorter one is hidden whole.
 */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  const list = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return value;
  const scrub = (s: string) => list.reduce((acc, secret) => acc.split(secret).join(redacted), s);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[scrub(k)] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Wraps the resolver the collectors use and remembers every value it hands out, so that `accept` can
 * tell report.ts which strings must never appear in the report.
 */
export class RecordingSecretResolver implements SecretResolver {
  readonly #inner: SecretResolver;
  readonly #seen = new Set<string>();

  constructor(inner: SecretResolver) {
    this.#inner = inner;
  }

  resolve(ref: string, usedFor: string): Secret {
    const secret = this.#inner.resolve(ref, usedFor);
    this.#seen.add(secret.reveal());
    return secret;
  }

  values(): string[] {
    return [...this.#seen];
  }
}
