import { createHash } from "node:crypto";

/**
 * The hardware the lab can simulate: the models of the example sites and of the lab site. What a model
 * fixes: its operating system and release, its physical interfaces (which `configure replace` can never
 * add or remove: Cisco "Configuration Replace and Configuration Rollback", Restrictions), PoE, the ifIndex
 * scheme and the texts of `show version` / `show inventory`.
 */

/** router: ISR 4000 on IOS-XE; classic: Catalyst 2960-X on IOS 15.2 (`mls qos`); c9k: Catalyst 9000 on IOS-XE. */
export type Kind = "router" | "classic" | "c9k";

export interface PhysicalPort {
  name: string;
  short: string;
  /** Position in the chassis: the order of `show running-config` and `show interfaces status`. */
  order: number;
  ifIndex: number;
  poe: boolean;
  /** `show interfaces status` Type column. */
  media: string;
  /** Stack member (switches) or 0. */
  member: number;
  /** Port number within the member's module: the POWER-ETHERNET-MIB pethPsePortIndex. */
  portNumber: number;
  speedMbps: number;
}

export interface Hardware {
  model: string;
  kind: Kind;
  os: "IOS" | "IOS-XE";
  /** The `version` line of the running-config. */
  configVersion: string;
  version: string;
  /** The image family in `Cisco IOS Software, … (<image>), Version …`. */
  image: string;
  imageFile: string;
  /** `show version` lines after the copyright block, model specific. */
  processorLine: string;
  ports: PhysicalPort[];
  members: number;
  poeBudgetW: number | null;
  sysObjectId: string;
  serial: string;
  baseMac: string;
  /** 3560/3750 speak ISL and accept `switchport trunk encapsulation`; the 2960 family rejects it. */
  isl: boolean;
}

const digest = (seed: string) => createHash("sha256").update(seed).digest();

function macOf(seed: string): string {
  const d = digest(`mac:${seed}`);
  return ["00", "1e", "7a", d[0], d[1], "80"]
    .map((b) => (typeof b === "number" ? b.toString(16).padStart(2, "0") : b))
    .join(":");
}

function serialOf(prefix: string, seed: string): string {
  const d = digest(`serial:${seed}`);
  return `${prefix}${String(d.readUInt32BE(0) % 10_000).padStart(4, "0")}${String.fromCharCode(65 + ((d[4] ?? 0) % 26))}${(d.readUInt16BE(5) % 1000).toString().padStart(3, "0")}`;
}

function port(
  type: string,
  short: string,
  slot: string,
  n: number,
  rest: Omit<PhysicalPort, "name" | "short" | "order" | "portNumber">,
): Omit<PhysicalPort, "order"> {
  return { name: `${type}${slot}${n}`, short: `${short}${slot}${n}`, portNumber: n, ...rest };
}

type Template = Omit<Hardware, "ports" | "members" | "serial" | "baseMac" | "model"> & {
  ports(members: number): Omit<PhysicalPort, "order">[];
  serialPrefix: string;
};

const xe179 = { os: "IOS-XE" as const, configVersion: "17.9", version: "17.9.4a" };

const models: Record<string, Template> = {
  ISR4321: {
    kind: "router",
    ...xe179,
    image: "X86_64_LINUX_IOSD-UNIVERSALK9-M",
    imageFile: "bootflash:isr4300-universalk9.17.09.04a.SPA.bin",
    processorLine: "cisco ISR4321/K9 (1RU) processor with 1795979K/6147K bytes of memory.",
    poeBudgetW: null,
    sysObjectId: "1.3.6.1.4.1.9.1.2093",
    isl: false,
    serialPrefix: "FDO",
    ports: () =>
      [0, 1].map((n) =>
        port("GigabitEthernet", "Gi", "0/0/", n, {
          ifIndex: n + 1,
          poe: false,
          media: "",
          member: 0,
          speedMbps: 1000,
        }),
      ),
  },
  ISR4331: {
    kind: "router",
    ...xe179,
    image: "X86_64_LINUX_IOSD-UNIVERSALK9-M",
    imageFile: "bootflash:isr4300-universalk9.17.09.04a.SPA.bin",
    processorLine: "cisco ISR4331/K9 (1RU) processor with 1795979K/6147K bytes of memory.",
    poeBudgetW: null,
    sysObjectId: "1.3.6.1.4.1.9.1.1653",
    isl: false,
    serialPrefix: "FDO",
    ports: () =>
      [0, 1, 2].map((n) =>
        port("GigabitEthernet", "Gi", "0/0/", n, {
          ifIndex: n + 1,
          poe: false,
          media: "",
          member: 0,
          speedMbps: 1000,
        }),
      ),
  },
  "WS-C2960X-24PS-L": {
    kind: "classic",
    os: "IOS",
    configVersion: "15.2",
    version: "15.2(7)E10",
    image: "C2960X-UNIVERSALK9-M",
    imageFile: "flash:c2960x-universalk9-mz.152-7.E10.bin",
    processorLine: "cisco WS-C2960X-24PS-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.",
    poeBudgetW: 370,
    // ../shared/field/snmp/ios_2960x.snmprec (a 2960-X stack): sysObjectID and ifIndex 10101 for Gi1/0/1.
    sysObjectId: "1.3.6.1.4.1.9.1.1208",
    isl: false,
    serialPrefix: "FOC",
    ports: () =>
      Array.from({ length: 28 }, (_, i) =>
        port("GigabitEthernet", "Gi", "1/0/", i + 1, {
          ifIndex: 10101 + i,
          poe: i < 24,
          media: i < 24 ? "10/100/1000BaseTX" : "1000BaseSX SFP",
          member: 1,
          speedMbps: 1000,
        }),
      ),
  },
  "C9200L-24P-4G": {
    kind: "c9k",
    ...xe179,
    image: "CAT9K_LITE_IOSXE",
    imageFile: "flash:cat9k_lite_iosxe.17.09.04a.SPA.bin",
    processorLine: "cisco C9200L-24P-4G (ARM64) processor with 519464K/3071K bytes of memory.",
    poeBudgetW: 370,
    sysObjectId: "1.3.6.1.4.1.9.1.2694",
    isl: false,
    serialPrefix: "JAE",
    ports: () => [
      ...Array.from({ length: 24 }, (_, i) =>
        port("GigabitEthernet", "Gi", "1/0/", i + 1, {
          ifIndex: 9 + i,
          poe: true,
          media: "10/100/1000BaseTX",
          member: 1,
          speedMbps: 1000,
        }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        port("GigabitEthernet", "Gi", "1/1/", i + 1, {
          ifIndex: 33 + i,
          poe: false,
          media: "1000BaseSX SFP",
          member: 1,
          speedMbps: 1000,
        }),
      ),
    ],
  },
  "C9300-48P": {
    kind: "c9k",
    ...xe179,
    image: "CAT9K_IOSXE",
    imageFile: "flash:packages.conf",
    processorLine: "cisco C9300-48P (X86) processor with 1419044K/6147K bytes of memory.",
    poeBudgetW: 437,
    sysObjectId: "1.3.6.1.4.1.9.1.2494",
    isl: false,
    serialPrefix: "FOC",
    ports: (members) =>
      Array.from({ length: members }, (_, m) => [
        ...Array.from({ length: 48 }, (_, i) =>
          port("GigabitEthernet", "Gi", `${m + 1}/0/`, i + 1, {
            ifIndex: 9 + m * 60 + i,
            poe: true,
            media: "10/100/1000BaseTX",
            member: m + 1,
            speedMbps: 1000,
          }),
        ),
        ...Array.from({ length: 4 }, (_, i) =>
          port("TenGigabitEthernet", "Te", `${m + 1}/1/`, i + 1, {
            ifIndex: 57 + m * 60 + i,
            poe: false,
            media: "SFP-10GBase-SR",
            member: m + 1,
            speedMbps: 10_000,
          }),
        ),
      ]).flat(),
  },
};

export const supportedModels = Object.keys(models);

/** The hardware of `model` with `members` stack members, identified by `seed` (the device name). */
export function hardwareFor(model: string, seed: string, members = 1): Hardware {
  const t = models[model];
  if (!t) throw new Error(`the lab has no simulation of ${model}; it knows ${supportedModels.join(", ")}`);
  const { ports, serialPrefix, ...rest } = t;
  return {
    ...rest,
    model,
    members,
    ports: ports(members).map((p, order) => ({ ...p, order })),
    serial: serialOf(serialPrefix, seed),
    baseMac: macOf(seed),
  };
}

/** Stack members a site needs: the highest member number in the switch's port names (`Gi2/0/5` → 2). */
export function membersFor(portNames: readonly string[]): number {
  return Math.max(1, ...portNames.map((p) => Number(/^[A-Za-z-]+(\d+)\/\d+\/\d+/.exec(p)?.[1] ?? 1)));
}
