/**
 * The real SnmpClient over net-snmp (≥ 3.29.2: earlier releases loop forever on a truncated OID, a remote
 * DoS; see ../shared/reference/libraries.md §1). v2c with a community, or v3 authPriv with SHA-family
 * auth and AES privacy; DES is refused because Node 20's OpenSSL 3 needs --openssl-legacy-provider for it.
 *
 * Secrets arrive revealed (the caller unwraps agent/site/secrets.ts Secret) and stay inside the
 * net-snmp session: errors are rebuilt from codes, never from net-snmp's messages or objects, because
 * ResponseInvalidError.info carries the v3 user with its keys and ECommunityNoMatch quotes the community.
 */
import snmp from "net-snmp";
import { PatchkastError } from "../../agent/errors.js";
import { compareOids } from "./snmprec.js";
import { isMissing, type SnmpClient, type SnmpType, type Varbind, type WalkOptions } from "./types.js";

export interface SnmpV3User {
  name: string;
  authProtocol: "sha" | "sha224" | "sha256" | "sha384" | "sha512" | "md5";
  authKey: string;
  privProtocol: "aes" | "aes256b" | "aes256r";
  privKey: string;
}

export interface SnmpTarget {
  host: string;
  port?: number;
  /** Device name for messages; the host is used when absent. */
  name?: string;
  version: "2c" | "3";
  community?: string;
  user?: SnmpV3User;
  /** v3 context (snmpsim: the recording's name; Cisco: "vlan-<id>" for per-VLAN BRIDGE-MIB). */
  context?: string;
  /** Per try; default 2000 ms. */
  timeoutMs?: number;
  /** Extra tries after the first; default 1. */
  retries?: number;
  /** GETBULK max-repetitions; default 20. Some devices misbehave with large values (snmp_exporter #756). */
  maxRepetitions?: number;
}

/** The same device with Cisco's per-VLAN "community string indexing" (community@vlan) or v3 context vlan-N. */
export function vlanContext(target: SnmpTarget, vlan: number): SnmpTarget {
  return target.version === "3"
    ? { ...target, context: `vlan-${vlan}` }
    : { ...target, community: `${target.community ?? ""}@${vlan}` };
}

const typeNames: Record<number, SnmpType> = {
  2: "Integer",
  4: "OctetString",
  5: "Null",
  6: "OID",
  64: "IpAddress",
  65: "Counter32",
  66: "Gauge32",
  67: "TimeTicks",
  68: "Opaque",
  70: "Counter64",
  128: "NoSuchObject",
  129: "NoSuchInstance",
  130: "EndOfMibView",
};

/** net-snmp varbind → ours. Counter64 arrives as a big-endian Buffer, sometimes 9 bytes (net-snmp #290). */
function convert(vb: snmp.Varbind): Varbind {
  const type = typeNames[vb.type as number] ?? "Opaque";
  const v = vb.value as unknown;
  if (type === "Counter64") {
    const buf = Buffer.isBuffer(v) ? v : Buffer.alloc(0);
    return { oid: vb.oid, type, value: buf.length ? BigInt(`0x${buf.toString("hex")}`) : 0n };
  }
  if (type === "NoSuchObject" || type === "NoSuchInstance" || type === "EndOfMibView" || type === "Null")
    return { oid: vb.oid, type, value: null };
  if (typeof v === "number" || typeof v === "string" || Buffer.isBuffer(v))
    return { oid: vb.oid, type, value: v };
  if (typeof v === "bigint") return { oid: vb.oid, type, value: v };
  return { oid: vb.oid, type, value: null };
}

export class NetSnmpClient implements SnmpClient {
  readonly target: string;
  readonly #session: snmp.Session;
  readonly #secrets: string[];
  readonly #maxRepetitions: number;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #v3: boolean;
  #answered = false;

  private constructor(session: snmp.Session, t: SnmpTarget, secrets: string[]) {
    this.#session = session;
    this.#secrets = secrets.filter((s) => s.length > 0);
    this.#maxRepetitions = t.maxRepetitions ?? 20;
    this.#timeoutMs = t.timeoutMs ?? 2000;
    this.#retries = t.retries ?? 1;
    this.#v3 = t.version === "3";
    const port = t.port ?? 161;
    const at = port === 161 ? t.host : `${t.host}:${port}`;
    this.target = t.name ? `${t.name} (${at})` : at;
  }

  static open(t: SnmpTarget): NetSnmpClient {
    const where = t.name ?? t.host;
    const options = {
      port: t.port ?? 161,
      retries: t.retries ?? 1,
      timeout: t.timeoutMs ?? 2000,
      backoff: 1,
      transport: t.host.includes(":") ? "udp6" : "udp4",
      idBitsSize: 32,
    } as const;
    let session: snmp.Session;
    if (t.version === "2c") {
      if (!t.community)
        throw new PatchkastError("PK_ERR_SNMP_CONFIG", `${where}: SNMP v2c needs a community`);
      session = snmp.createSession(t.host, t.community, { ...options, version: snmp.Version2c });
    } else {
      const u = t.user;
      if (!u?.name || !u.authKey || !u.privKey)
        throw new PatchkastError(
          "PK_ERR_SNMP_CONFIG",
          `${where}: SNMPv3 needs a user with auth and privacy keys`,
        );
      if ((u.privProtocol as string) === "des")
        throw new PatchkastError(
          "PK_ERR_SNMP_CONFIG",
          `${where}: DES privacy needs --openssl-legacy-provider; use AES`,
        );
      const user: snmp.User = {
        name: u.name,
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols[u.authProtocol],
        authKey: u.authKey,
        privProtocol: snmp.PrivProtocols[u.privProtocol],
        privKey: u.privKey,
      };
      session = snmp.createV3Session(t.host, user, {
        ...options,
        version: snmp.Version3,
        context: t.context ?? "",
      });
    }
    // Without a listener an error event (a stray datagram, net-snmp #216) would take the process down.
    session.on("error", () => {});
    const secrets = [t.community ?? "", t.user?.authKey ?? "", t.user?.privKey ?? ""];
    return new NetSnmpClient(session, t, secrets);
  }

  get(oids: readonly string[], label?: string): Promise<Varbind[]> {
    const doing = `getting ${label ?? oids.join(", ")}`;
    return new Promise((resolve, reject) => {
      this.#session.get([...oids], (err, vbs) => {
        if (err) return reject(this.#error(doing, err));
        this.#answered = true;
        resolve((vbs ?? []).map(convert));
      });
    });
  }

  walk(oid: string, opts: WalkOptions = {}): Promise<Varbind[]> {
    const doing = `walking ${opts.label ?? oid}`;
    const out: Varbind[] = [];
    let last = oid;
    let broken: PatchkastError | undefined;
    return new Promise((resolve, reject) => {
      this.#session.subtree(
        oid,
        opts.maxRepetitions ?? this.#maxRepetitions,
        // Returning true ends the walk. net-snmp walks on from the last OID it got, so an agent that
        // answers GETBULK with the requested OID again (the lab's and net-snmp's own Agent answer
        // noSuchObject past their last object instead of endOfMibView) would loop forever, flooding it.
        (vbs) => {
          this.#answered = true;
          for (const vb of vbs) {
            const v = convert(vb);
            if (isMissing(v)) return true;
            if (compareOids(v.oid, last) <= 0) {
              broken = new PatchkastError(
                "PK_ERR_SNMP_REQUEST",
                `${doing} on ${this.target}: the agent answered ${v.oid} after ${last} (OIDs must increase)`,
              );
              return true;
            }
            last = v.oid;
            out.push(v);
          }
          return false;
        },
        (err) => (err ? reject(this.#error(doing, err)) : broken ? reject(broken) : resolve(out)),
      );
    });
  }

  close(): void {
    this.#session.close();
  }

  /** Builds our error from net-snmp's by class and code only (see the file comment for why). */
  #error(doing: string, err: Error): PatchkastError {
    const at = `${doing} on ${this.target}`;
    // By name, not instanceof: @types/net-snmp 3.23 lags behind and lacks RequestTimedOutError.
    const code = (err as { code?: number }).code;
    const invalid = err.name === "ResponseInvalidError";
    const seconds = (this.#timeoutMs * (this.#retries + 1)) / 1000;
    if (err.name === "RequestTimedOutError") {
      // A v3 agent that answered engine discovery but never an authenticated request is up and reachable:
      // snmpsim and snmpd both stay silent on a wrong privacy key (tested in test/field/snmp-v3.test.ts).
      const engine = (
        this.#session as unknown as { msgSecurityParameters?: { msgAuthoritativeEngineID?: Buffer } }
      ).msgSecurityParameters?.msgAuthoritativeEngineID;
      if (this.#v3 && engine && !this.#answered)
        return new PatchkastError(
          "PK_ERR_SNMP_AUTH",
          `${at}: the agent answered SNMPv3 engine discovery but not the request within ${seconds} s (wrong privacy key, or the user has no access)`,
        );
      const hint = this.#v3 ? "" : " (unreachable, or a wrong community: agents drop those silently)";
      return new PatchkastError("PK_ERR_SNMP_TIMEOUT", `${at}: timeout after ${seconds} s${hint}`);
    }
    if (invalid && code === snmp.ResponseInvalidCode.EAuthFailure) {
      // net-snmp reports a usmStats* report PDU (RFC 3414 §3.2: usmStatsWrongDigests etc.) by its label,
      // and a response whose digest does not verify with "Authentication digest … does not match".
      const usm =
        /^(Unsupported Security Level|Not In Time Window|Unknown User Name|Unknown Engine ID|Wrong Digest|Decryption Error)/.exec(
          err.message,
        )?.[1];
      const why = usm ? `the agent reports ${usm}` : "the answer's authentication digest does not verify";
      return new PatchkastError(
        "PK_ERR_SNMP_AUTH",
        `${at}: SNMPv3 authentication failed: ${why} (wrong user or auth key?)`,
      );
    }
    if (invalid && code === snmp.ResponseInvalidCode.ECouldNotDecrypt)
      return new PatchkastError(
        "PK_ERR_SNMP_AUTH",
        `${at}: the answer could not be decrypted (wrong privacy key?)`,
      );
    if (invalid && code === snmp.ResponseInvalidCode.ECommunityNoMatch)
      return new PatchkastError("PK_ERR_SNMP_REQUEST", `${at}: the answer carries a different community`);
    if (err.name === "RequestFailedError") {
      const status = snmp.ErrorStatus[(err as { status?: number }).status ?? -1] ?? "genErr";
      const auth = status === "AuthorizationError" || status === "NoAccess";
      return new PatchkastError(
        auth ? "PK_ERR_SNMP_AUTH" : "PK_ERR_SNMP_REQUEST",
        `${at}: the agent answered ${status}`,
      );
    }
    return new PatchkastError("PK_ERR_SNMP_REQUEST", `${at}: ${this.#scrub(err.message)}`);
  }

  #scrub(message: string): string {
    return this.#secrets.reduce((m, s) => m.split(s).join("<secret>"), message);
  }
}

export function openSnmpClient(target: SnmpTarget): SnmpClient {
  return NetSnmpClient.open(target);
}
