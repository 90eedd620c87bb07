/**
 * What the SNMP client hands the readers: one varbind per object instance, its value already in a
 * JavaScript shape (RFC 3416 §3 / RFC 2578 types). Readers never see net-snmp's own objects, so the real
 * client and FakeSnmpClient are interchangeable.
 */

export type SnmpType =
  | "Integer"
  | "OctetString"
  | "Null"
  | "OID"
  | "IpAddress"
  | "Counter32"
  | "Gauge32"
  | "TimeTicks"
  | "Opaque"
  | "Counter64"
  | "NoSuchObject"
  | "NoSuchInstance"
  | "EndOfMibView";

/**
 * One object instance. `value` is a number for Integer/Counter32/Gauge32/TimeTicks, a bigint for
 * Counter64 (it does not fit a double), a Buffer for OctetString/Opaque (SNMP strings are bytes; MAC
 * addresses and bitmaps are not text), a dotted string for OID and IpAddress, and null otherwise.
 */
export interface Varbind {
  oid: string;
  type: SnmpType;
  value: number | bigint | Buffer | string | null;
}

export interface WalkOptions {
  /** What is being walked, for error messages: "IF-MIB ifName". */
  label?: string;
  /** GETBULK max-repetitions for this walk; defaults to the target's setting. */
  maxRepetitions?: number;
}

/**
 * The one interface every reader uses. `walk` returns the instances strictly below `oid` (like
 * `snmpbulkwalk`), in the agent's order; `get` returns one varbind per requested OID, with type
 * NoSuchObject/NoSuchInstance where the agent has none.
 */
export interface SnmpClient {
  /** Where the client points, for messages ("10.0.0.2", "snmprec ios_2960x"). */
  readonly target: string;
  get(oids: readonly string[], label?: string): Promise<Varbind[]>;
  walk(oid: string, opts?: WalkOptions): Promise<Varbind[]>;
  close(): void;
}

/** True for the "no value here" pseudo-types that v2c/v3 agents answer with instead of an error. */
export function isMissing(vb: Varbind | undefined): boolean {
  return (
    vb === undefined ||
    vb.type === "NoSuchObject" ||
    vb.type === "NoSuchInstance" ||
    vb.type === "EndOfMibView"
  );
}
