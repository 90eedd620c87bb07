import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../agent/paths.js";
import { FakeSnmpClient } from "../../../drivers/snmp/fake-client.js";
import { parseSnmprec } from "../../../drivers/snmp/snmprec.js";
import type { Varbind } from "../../../drivers/snmp/types.js";

/** The self-written fixtures of test/fixtures/snmp/ (see SOURCE.md there). */
export type FixtureName = "cat2960x-voice" | "isr4321-cbqos";

export function fixtureVarbinds(name: FixtureName): Varbind[] {
  const path = join(packageRoot, "test", "fixtures", "snmp", `${name}.snmprec`);
  return parseSnmprec(readFileSync(path, "utf8"), name).varbinds;
}

export function fixtureClient(
  name: FixtureName,
  keep: (vb: Varbind) => boolean = () => true,
): FakeSnmpClient {
  return new FakeSnmpClient(fixtureVarbinds(name).filter(keep), `snmprec ${name}`);
}
