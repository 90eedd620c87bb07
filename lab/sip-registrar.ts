import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { splitOutside, tokenPattern, unquote } from "../drivers/sip/headers.js";

/**
 * The lab proxy's registrar side: HTTP Digest (RFC 3261 §22.4, RFC 2617 §3.2) with MD5 and qop=auth, the
 * scheme the provider's phones use. Nonces are stateless (a timestamp signed with a per-proxy key, the
 * construction RFC 2617 §3.2.1 suggests), so a restarted proxy refuses old ones with stale=true instead of
 * keeping a table. Passwords only enter HA1; nothing here logs or echoes them.
 */
export interface RegistrarConfig {
  realm: string;
  /** SIP auth user (the site's auth_id, else username) → password. */
  accounts: ReadonlyMap<string, string>;
  /** How long a nonce is accepted, s (default 300). */
  nonceSeconds?: number;
}

export type AuthVerdict =
  | { kind: "challenge"; stale: boolean }
  | { kind: "ok"; user: string }
  | { kind: "forbidden"; why: string }
  | { kind: "bad-request"; why: string };

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

export class Registrar {
  readonly config: RegistrarConfig;
  readonly #key = randomBytes(16);

  constructor(config: RegistrarConfig) {
    this.config = config;
  }

  nonce(nowMs: number): string {
    const ts = Math.floor(nowMs / 1000).toString(16);
    return `${ts}.${this.#sign(ts)}`;
  }

  /** `WWW-Authenticate` of a 401 (RFC 3261 §22.4 example: Digest realm, nonce, algorithm, qop). */
  challenge(nowMs: number, stale: boolean): string {
    const parts = [
      `realm="${this.config.realm}"`,
      `nonce="${this.nonce(nowMs)}"`,
      "algorithm=MD5",
      'qop="auth"',
    ];
    if (stale) parts.push("stale=true");
    return `Digest ${parts.join(", ")}`;
  }

  /** Judges the Authorization header of a REGISTER whose Request-URI is `requestUri`. */
  verify(authorization: string | undefined, requestUri: string, nowMs: number): AuthVerdict {
    if (authorization === undefined) return { kind: "challenge", stale: false };
    const params = digestParams(authorization);
    if (!params) return { kind: "challenge", stale: false };
    const user = params.get("username");
    const nonce = params.get("nonce");
    const uri = params.get("uri");
    const response = params.get("response");
    if (!user || !nonce || !uri || !response) return { kind: "bad-request", why: "incomplete credentials" };
    // RFC 2617 §3.2.2.5: the digest-uri must name the resource of the request.
    if (uri !== requestUri)
      return { kind: "bad-request", why: "the digest uri differs from the Request-URI" };
    if (params.get("realm") !== this.config.realm) return { kind: "challenge", stale: false };
    const algorithm = (params.get("algorithm") ?? "MD5").toUpperCase();
    if (algorithm !== "MD5") return { kind: "challenge", stale: false };
    if (!this.#fresh(nonce, nowMs)) return { kind: "challenge", stale: true };
    const password = this.config.accounts.get(user);
    if (password === undefined) return { kind: "forbidden", why: `no account ${user}` };
    const ha1 = md5(`${user}:${this.config.realm}:${password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const qop = params.get("qop");
    let want: string;
    if (qop === undefined) want = md5(`${ha1}:${nonce}:${ha2}`);
    else if (qop.toLowerCase() === "auth") {
      const nc = params.get("nc");
      const cnonce = params.get("cnonce");
      if (!nc || !cnonce) return { kind: "bad-request", why: "qop=auth without nc or cnonce" };
      want = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    } else return { kind: "challenge", stale: false };
    return same(want, response.toLowerCase())
      ? { kind: "ok", user }
      : { kind: "forbidden", why: `wrong password for ${user}` };
  }

  #sign(ts: string): string {
    return createHmac("sha256", this.#key).update(`${ts}:${this.config.realm}`).digest("hex").slice(0, 24);
  }

  #fresh(nonce: string, nowMs: number): boolean {
    const m = /^([0-9a-f]{1,12})\.([0-9a-f]{24})$/.exec(nonce);
    if (!m || !same(this.#sign(m[1] as string), m[2] as string)) return false;
    const age = nowMs / 1000 - Number.parseInt(m[1] as string, 16);
    return age >= -5 && age <= (this.config.nonceSeconds ?? 300);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The parameters of `Digest k=v, …` (RFC 2617 §3.2.2), names lower-cased; undefined for other schemes. */
export function digestParams(value: string): Map<string, string> | undefined {
  const m = /^([A-Za-z0-9-]+)[ \t]+(.*)$/s.exec(value.trim());
  if (!m || (m[1] as string).toLowerCase() !== "digest") return undefined;
  const params = new Map<string, string>();
  let parts: string[];
  try {
    parts = splitOutside(m[2] as string, ",");
  } catch {
    return undefined;
  }
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    const raw = part.slice(eq + 1).trim();
    if (!tokenPattern.test(name) || params.has(name)) continue;
    try {
      params.set(name, unquote(raw));
    } catch {
      return undefined;
    }
  }
  return params;
}
