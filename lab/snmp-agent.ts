import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import snmp from "net-snmp";
import type { IosDevice, SnmpUser } from "./device/device.js";
import { interfaceTables, type Mib, T, vlanTables } from "./snmp-mib.js";
import { cdpTable, lldpTables } from "./snmp-neighbors.js";
import { poeTables } from "./snmp-poe.js";

/**
 * The SNMP agent of one lab device (net-snmp Agent, reference/libraries.md §1). Who may read follows the
 * running-config: v2c communities from `snmp-server community`, v3 users from `snmp-server user` (which
 * IOS keeps outside the running-config; they survive `configure replace`). The MIB is rebuilt from the
 * device's state on every change, and CISCO-CONFIG-MAN-MIB ccmHistoryRunningLastChanged /
 * RunningLastSaved / StartupLastChanged (1.3.6.1.4.1.9.9.43.1.1.1–3, TimeStamps in sysUpTime ticks)
 * follow the configuration's change and save times. Not modelled: views, groups and the access ACL.
 */
export interface DeviceSnmpAgent {
  host: string;
  port: number;
  /** Something around the device changed (a neighbour's config): rebuild before the next answer. */
  invalidate(): void;
  close(): Promise<void>;
}

function scalar(
  mib: Mib,
  name: string,
  oid: string,
  type: number,
  value: unknown,
  handler?: () => unknown,
): void {
  mib.registerProvider({
    name,
    type: snmp.MibProviderType.Scalar,
    oid,
    scalarType: type,
    maxAccess: snmp.MaxAccess["read-only"],
    ...(handler
      ? {
          handler: (req: { instanceNode: { value: unknown }; done(): void }) => {
            req.instanceNode.value = handler();
            req.done();
          },
        }
      : {}),
  });
  mib.setScalarValue(name, value as never);
}

/** A fresh MIB with the device's current state. */
export function buildMib(dev: IosDevice): Mib {
  const mib = snmp.createMib();
  const s = dev.state();
  const hw = dev.hw;
  const ticks = () => dev.clock.uptimeTicks();
  const at = (d: Date | null) => (d ? dev.clock.uptimeTicks(d) : 0);
  const descr =
    hw.os === "IOS-XE"
      ? `Cisco IOS Software [Cupertino], ${hw.kind === "router" ? "ISR" : "Catalyst L3 Switch"} Software (${hw.image}), Version ${hw.version}, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2023 by Cisco Systems, Inc.`
      : `Cisco IOS Software, C2960X Software (${hw.image}), Version ${hw.version}, RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2023 by Cisco Systems, Inc.`;
  scalar(mib, "sysDescr", "1.3.6.1.2.1.1.1", T.OctetString, descr);
  scalar(mib, "sysObjectID", "1.3.6.1.2.1.1.2", T.OID, hw.sysObjectId);
  scalar(mib, "sysUpTime", "1.3.6.1.2.1.1.3", T.TimeTicks, ticks(), ticks);
  scalar(mib, "sysContact", "1.3.6.1.2.1.1.4", T.OctetString, "");
  scalar(
    mib,
    "sysName",
    "1.3.6.1.2.1.1.5",
    T.OctetString,
    s.domain ? `${s.hostname}.${s.domain}` : s.hostname,
  );
  scalar(mib, "sysLocation", "1.3.6.1.2.1.1.6", T.OctetString, s.location ?? "");
  scalar(mib, "ifNumber", "1.3.6.1.2.1.2.1", T.Integer, s.ports.length);
  interfaceTables(mib, dev);
  if (hw.kind !== "router") {
    vlanTables(mib, dev);
    poeTables(mib, dev);
    lldpTables(mib, dev);
  }
  cdpTable(mib, dev);
  scalar(
    mib,
    "ccmHistoryRunningLastChanged",
    "1.3.6.1.4.1.9.9.43.1.1.1",
    T.TimeTicks,
    at(dev.changedAt.running),
  );
  scalar(mib, "ccmHistoryRunningLastSaved", "1.3.6.1.4.1.9.9.43.1.1.2", T.TimeTicks, at(dev.changedAt.saved));
  scalar(
    mib,
    "ccmHistoryStartupLastChanged",
    "1.3.6.1.4.1.9.9.43.1.1.3",
    T.TimeTicks,
    at(dev.changedAt.startup),
  );
  return mib;
}

function v3User(u: SnmpUser): snmp.User | null {
  if (!u.auth || !u.priv || u.priv === "des" || u.priv === "3des") return null;
  return {
    name: u.name,
    level: snmp.SecurityLevel.authPriv,
    authProtocol: u.auth === "sha" ? snmp.AuthProtocols.sha : snmp.AuthProtocols.md5,
    authKey: u.authKey,
    privProtocol:
      u.priv === "aes128"
        ? snmp.PrivProtocols.aes
        : u.priv === "aes256"
          ? snmp.PrivProtocols.aes256r
          : snmp.PrivProtocols.aes256b,
    privKey: u.privKey,
  };
}

export async function startSnmpAgent(
  dev: IosDevice,
  opts: { host: string; port: number },
): Promise<DeviceSnmpAgent> {
  // net-snmp turns port 0 into 161 (`port || 161`); its dgramModule option lets the socket bind to 0 anyway.
  const dgramModule = {
    createSocket: (type: "udp4") => {
      const socket = createSocket(type);
      const bind = socket.bind.bind(socket) as (port: number, address: string) => void;
      (socket as unknown as { bind: (p: number, a: string) => void }).bind = (_p, address) =>
        bind(opts.port, address);
      return socket;
    },
  };
  const agent = snmp.createAgent(
    { port: opts.port || 161, address: opts.host, transport: "udp4", dgramModule },
    () => {},
  );
  const socket = Object.values(
    (agent as unknown as { listener: { sockets: Record<string, import("node:dgram").Socket> } }).listener
      .sockets,
  )[0];
  if (!socket) throw new Error("net-snmp agent opened no socket");
  await new Promise<void>((resolve, reject) => {
    socket.once("listening", () => resolve());
    socket.once("error", reject);
  });
  let dirty = true;
  let builtAt = 0;
  const refresh = () => {
    dirty = false;
    builtAt = Date.now();
    const auth = agent.getAuthorizer();
    for (const c of auth.getCommunities()) auth.deleteCommunity(c);
    for (const u of auth.getUsers()) auth.deleteUser(u.name);
    for (const c of dev.state().communities) auth.addCommunity(c);
    for (const u of dev.snmpUsers.values()) {
      const user = v3User(u);
      if (user) auth.addUser(user);
    }
    agent.setMib(buildMib(dev));
  };
  refresh();
  // Rebuilt lazily, just before the next request is handled (this listener runs before net-snmp's), so a
  // config pasted line by line costs one rebuild, and an answer never lags behind the configuration.
  // Counters move with uptime, so a MIB older than 5 s is rebuilt too.
  socket.prependListener("message", () => {
    if (dirty || Date.now() - builtAt > 5000) refresh();
  });
  const invalidate = () => {
    dirty = true;
  };
  const off = dev.onChange(invalidate);
  return {
    host: opts.host,
    port: (socket.address() as AddressInfo).port,
    invalidate,
    close: () =>
      new Promise<void>((resolve) => {
        off();
        agent.close(() => resolve());
      }),
  };
}
