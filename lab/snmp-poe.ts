import type { IosDevice } from "./device/device.js";
import { portDraws } from "./device/show/power.js";
import { switchPorts } from "./device/show/switching.js";
import { type Mib, T, table } from "./snmp-mib.js";

/**
 * PoE over SNMP: POWER-ETHERNET-MIB (RFC 3621) pethMainPseTable (budget and consumption in W) and
 * pethPsePortTable (admin enable, detection status disabled/searching/deliveringPower, class), the
 * CISCO-POWER-ETHERNET-EXT-MIB augmentation in mW, and CISCO-STACK-MIB portIfIndex, the map from the
 * PoE index (module.port) to the ifIndex that ../shared/field/snmp/ios_2960x.snmprec carries.
 * `power inline never` reads as admin disabled, detection disabled, 0 mW.
 */
export function poeTables(mib: Mib, dev: IosDevice): void {
  const budget = dev.hw.poeBudgetW;
  if (budget === null) return;
  const draws = portDraws(dev);
  const members = Array.from({ length: dev.hw.members }, (_, i) => i + 1);
  const used = (m: number) => draws.filter((d) => d.member === m).reduce((s, d) => s + d.watts, 0);
  table(
    mib,
    "pethMainPseEntry",
    "1.3.6.1.2.1.105.1.3.1.1",
    [T.Integer],
    members.map((m) => ({
      index: [m],
      cells: [
        [2, T.Gauge, budget],
        [3, T.Integer, 1],
        [4, T.Gauge, Math.round(used(m))],
      ],
    })),
  );
  table(
    mib,
    "cpeExtMainPseEntry",
    "1.3.6.1.4.1.9.9.402.1.3.1",
    [T.Integer],
    members.map((m) => ({
      index: [m],
      cells: [
        [4, T.Gauge, Math.round(used(m) * 1000)],
        [5, T.Gauge, Math.round((budget - used(m)) * 1000)],
      ],
    })),
  );
  const ports = switchPorts(dev).filter((p) => p.physical?.poe);
  const rows = ports.map((p) => {
    const d = draws.find((x) => x.name === p.name);
    return { p, d, index: [p.physical?.member ?? 1, p.physical?.portNumber ?? 0] };
  });
  table(
    mib,
    "pethPsePortEntry",
    "1.3.6.1.2.1.105.1.1.1",
    [T.Integer, T.Integer],
    rows.map(({ p, d, index }) => ({
      index,
      cells: [
        [3, T.Integer, p.poe === "never" ? 2 : 1],
        [6, T.Integer, p.poe === "never" || p.shutdown ? 1 : d && d.watts > 0 ? 3 : 2],
        [7, T.Integer, 3],
        [10, T.Integer, d?.cls === null || d?.cls === undefined ? 1 : d.cls + 1],
      ],
    })),
  );
  table(
    mib,
    "cpeExtPsePortEntry",
    "1.3.6.1.4.1.9.9.402.1.2.1",
    [T.Integer, T.Integer],
    rows.map(({ p, d, index }) => ({
      index,
      cells: [
        [1, T.Integer, p.poe === "never" ? 4 : p.poe === "static" ? 2 : 1],
        [4, T.Integer, d && d.watts > 0 ? 1 : 2],
        [7, T.Gauge, d && d.watts > 0 ? 15_400 : 0],
        [9, T.Gauge, Math.round((d?.watts ?? 0) * 1000)],
        [10, T.Gauge, Math.round((d?.watts ?? 0) * 1000)],
      ],
    })),
  );
  table(
    mib,
    "portEntry",
    "1.3.6.1.4.1.9.5.1.4.1.1",
    [T.Integer, T.Integer],
    rows.map(({ p, index }) => ({
      index,
      cells: [[11, T.Integer, p.ifIndex]],
    })),
  );
}
