/**
 * An SnmpClient that answers from snmprec text in memory, the way snmpsim would: `get` by exact OID,
 * `walk` as the instances strictly below the OID, in OID order. Unit tests run every reader through it;
 * it also lets `patchkast show` read a recording file without an agent.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { PatchkastError } from "../../agent/errors.js";
import { compareOids, parseSnmprec } from "./snmprec.js";
import type { SnmpClient, Varbind, WalkOptions } from "./types.js";

export class FakeSnmpClient implements SnmpClient {
  readonly target: string;
  readonly #varbinds: Varbind[];
  readonly #byOid: Map<string, Varbind>;
  /** Every request made, for tests that check what a reader asks for. */
  readonly requests: { op: "get" | "walk"; oid: string }[] = [];
  #failWith: ((oid: string) => Error | undefined) | undefined;
  #closed = false;

  constructor(varbinds: readonly Varbind[], target = "fake") {
    this.target = target;
    this.#varbinds = [...varbinds].sort((a, b) => compareOids(a.oid, b.oid));
    this.#byOid = new Map(this.#varbinds.map((vb) => [vb.oid, vb]));
  }

  static fromText(text: string, target = "snmprec"): FakeSnmpClient {
    return new FakeSnmpClient(parseSnmprec(text, target).varbinds, target);
  }

  static fromFile(path: string): FakeSnmpClient {
    const name = basename(path).replace(/\.snmprec$/, "");
    return FakeSnmpClient.fromText(readFileSync(path, "utf8"), `snmprec ${name}`);
  }

  /** Makes requests whose OID the function picks fail with the error it returns (timeouts, auth errors). */
  failWhen(pick: (oid: string) => Error | undefined): this {
    this.#failWith = pick;
    return this;
  }

  async get(oids: readonly string[], _label?: string): Promise<Varbind[]> {
    this.#check();
    return oids.map((oid) => {
      this.#fail("get", oid);
      const found = this.#byOid.get(oid);
      if (found) return found;
      const objectExists = this.#varbinds.some((vb) => vb.oid.startsWith(`${oid.replace(/\.\d+$/, "")}.`));
      return { oid, type: objectExists ? "NoSuchInstance" : "NoSuchObject", value: null };
    });
  }

  async walk(oid: string, _opts?: WalkOptions): Promise<Varbind[]> {
    this.#check();
    this.#fail("walk", oid);
    const prefix = `${oid}.`;
    return this.#varbinds.filter((vb) => vb.oid.startsWith(prefix));
  }

  close(): void {
    this.#closed = true;
  }

  #fail(op: "get" | "walk", oid: string): void {
    this.requests.push({ op, oid });
    const err = this.#failWith?.(oid);
    if (err) throw err;
  }

  #check(): void {
    if (this.#closed) throw new PatchkastError("PK_ERR_SNMP_REQUEST", `${this.target}: the client is closed`);
  }
}
