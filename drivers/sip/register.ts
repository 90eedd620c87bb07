/**
 * REGISTER (RFC 3261 §10.2) with one digest retry: a 401/407 challenge is answered once with
 * Authorization/Proxy-Authorization (§22.2, §22.3); a second challenge means the credentials are
 * wrong, and we say so instead of looping. The password is only ever passed to digest.ts.
 */
import { PatchkastError } from "../../agent/errors.js";
import { buildRequest, checkUser, formatHost, hostPort, randomHex } from "./build.js";
import { digestAuthorization, pickChallenge } from "./digest.js";
import { type SipRequestOptions, type SipResult, toResult, withExchange } from "./exchange.js";
import { parseNameAddr } from "./headers.js";
import { headerValue, headerValues, type SipResponse } from "./message.js";
import type { SipTarget } from "./transport.js";

export interface RegisterAccount {
  username: string;
  /** Digest user name when it differs from the SIP user (phones call it "auth ID"). */
  authId?: string;
  /** A plain string or anything with reveal(), such as agent/site's Secret. */
  password: string | { reveal(): string };
  /** Registrar domain for the AOR and Request-URI; default the target host. */
  domain?: string;
  /** Requested binding lifetime in seconds (default 3600; 0 removes the binding). */
  expires?: number;
}

export interface RegisterResult extends SipResult {
  /** A 2xx final response arrived. */
  registered: boolean;
  /** Lifetime the registrar granted for our Contact (its `expires` param, else Expires). */
  expires?: number;
  /** The challenge we answered, for diagnostics (never the credentials). */
  challenge?: { status: 401 | 407; realm: string; algorithm: string; qop: string[] };
}

export async function register(
  target: SipTarget,
  account: RegisterAccount,
  opts: SipRequestOptions = {},
): Promise<RegisterResult> {
  const user = checkUser("username", account.username);
  const authUser = account.authId ?? account.username;
  const expires = account.expires ?? 3600;
  if (!Number.isInteger(expires) || expires < 0 || expires >= 2 ** 31)
    throw new PatchkastError("PK_ERR_SIP_REQUEST", `expires ${expires} is not a number of seconds`);
  const domain = formatHost(account.domain ?? target.host);
  // §10.2: the Request-URI names the registrar's domain without a user; To/From carry the AOR.
  const requestUri = `sip:${domain}`;
  const aor = `sip:${user}@${domain}`;
  return withExchange(
    target,
    opts,
    async (x) => {
      const tcp = x.flow.transport === "tcp" ? ";transport=tcp" : "";
      const contact = `sip:${user}@${hostPort(x.via.host, x.via.port)}${tcp}`;
      const send = (cseq: number, auth: ReadonlyArray<readonly [string, string]>) =>
        x.run("REGISTER", (branch) =>
          buildRequest({
            method: "REGISTER",
            uri: requestUri,
            via: { ...x.via, branch },
            from: { uri: aor, tag: x.fromTag },
            to: { uri: aor },
            // §10.2: the same Call-ID for every REGISTER to this registrar, CSeq increasing.
            callId: x.callId,
            cseq,
            userAgent: x.userAgent,
            contact,
            headers: [["Expires", String(expires)], ...auth],
          }),
        );
      const first = await send(1, []);
      if (first.kind !== "final" || (first.response.status !== 401 && first.response.status !== 407))
        return finish(toResult(first), first.kind === "final" ? first.response : undefined, contact);
      const response = first.response;
      const proxy = response.status === 407;
      const values = response.headers
        .filter((h) => h.name === (proxy ? "proxy-authenticate" : "www-authenticate"))
        .map((h) => h.value);
      let challenge: ReturnType<typeof pickChallenge>;
      try {
        challenge = pickChallenge(values);
      } catch {
        challenge = undefined;
      }
      if (!challenge) {
        const result = toResult(first);
        return finish(
          { ...result, reason: `${result.reason} (no MD5 Digest challenge we can answer)` },
          undefined,
          contact,
        );
      }
      const password = typeof account.password === "string" ? account.password : account.password.reveal();
      const { header } = digestAuthorization({
        challenge,
        method: "REGISTER",
        uri: requestUri,
        username: authUser,
        password,
        cnonce: randomHex(8),
        nc: 1,
      });
      const second = await send(2, [[proxy ? "Proxy-Authorization" : "Authorization", header]]);
      const result = toResult(second);
      result.retransmissions += first.retransmissions;
      const { realm, algorithm, qop } = challenge;
      return {
        ...finish(result, second.kind === "final" ? second.response : undefined, contact),
        challenge: { status: proxy ? 407 : 401, realm, algorithm, qop },
      };
    },
    (result) => ({ ...result, registered: false }),
  );
}

function finish(result: SipResult, response: SipResponse | undefined, contact: string): RegisterResult {
  const registered = response !== undefined && response.status >= 200 && response.status < 300;
  const expires = registered ? grantedExpires(response, contact) : undefined;
  return expires === undefined ? { ...result, registered } : { ...result, registered, expires };
}

/** §10.3 step 8 / §10.2.4: the 200 lists every binding; ours is the one with our Contact URI. */
function grantedExpires(response: SipResponse, contact: string): number | undefined {
  let values: string[];
  try {
    values = headerValues(response, "contact");
  } catch {
    values = [];
  }
  for (const value of values) {
    try {
      const addr = parseNameAddr(value);
      const param = addr.params.get("expires");
      if (addr.uri.toLowerCase() === contact.toLowerCase() && param !== undefined && /^\d+$/.test(param))
        return Number(param);
    } catch {
      // Another binding we cannot parse does not make ours unknown; keep looking.
    }
  }
  const header = headerValue(response, "expires");
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}
