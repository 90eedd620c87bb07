/**
 * Active calls from CISCO-VOICE-DIAL-CONTROL-MIB (1.3.6.1.4.1.9.9.63), monitoring.md §2.6:
 * cvCallVolConnActiveConnection (…63.1.3.8.1.1.2), INDEX cvCallVolConnIndex = h323(1) sip(2) mgcp(3)
 * sccp(4) multicast(5) cacontrol(6) telephony(7); the scalars cvCallVolConnTotalActiveConnections
 * (…63.1.3.8.2.0) and cvCallVolConnMaxCallConnectionLicenese (sic, …63.1.3.8.3.0).
 *
 * These count call legs on the router's own voice stack (CUBE/CME/SRST): the iosxe_isr4321 recording, a
 * CUBE, has sip = 2. A plain NAT router in front of hosted phones has no rows at all, which is reported as
 * `supported: false`, not as zero calls.
 */

import { dropUndefined } from "./if-mib.js";
import type { SnmpClient, Varbind } from "./types.js";
import { num, suffix } from "./values.js";

export const cvCallVolConnActiveConnection = "1.3.6.1.4.1.9.9.63.1.3.8.1.1.2";
export const cvCallVolConnTotalActiveConnections = "1.3.6.1.4.1.9.9.63.1.3.8.2.0";
export const cvCallVolConnMaxCallConnectionLicenese = "1.3.6.1.4.1.9.9.63.1.3.8.3.0";

const protocols = ["h323", "sip", "mgcp", "sccp", "multicast", "cacontrol", "telephony"] as const;
export type CallProtocol = (typeof protocols)[number];

export interface Calls {
  /** False when the router has no CISCO-VOICE-DIAL-CONTROL-MIB call-volume rows (not a voice gateway). */
  supported: boolean;
  byProtocol: Partial<Record<CallProtocol, number>>;
  /** cvCallVolConnActiveConnection.2, the figure LibreNMS graphs as "SIP Active Connections". */
  sip?: number;
  totalLegs?: number;
  licensedMax?: number;
}

/** Pure: the walked cvCallVolConnActiveConnection column plus the two scalars (if fetched). */
export function parseCalls(varbinds: readonly Varbind[]): Calls {
  const byProtocol: Partial<Record<CallProtocol, number>> = {};
  for (const vb of varbinds) {
    const idx = suffix(vb.oid, cvCallVolConnActiveConnection)?.[0];
    const name = idx === undefined ? undefined : protocols[idx - 1];
    const n = num(vb);
    if (name && n !== undefined) byProtocol[name] = n;
  }
  const scalar = (oid: string) => num(varbinds.find((vb) => vb.oid === oid));
  const licensed = scalar(cvCallVolConnMaxCallConnectionLicenese);
  return dropUndefined({
    supported: Object.keys(byProtocol).length > 0,
    byProtocol,
    sip: byProtocol.sip,
    totalLegs: scalar(cvCallVolConnTotalActiveConnections),
    // 0 means "no licence limit configured" per the MIB's DESCRIPTION.
    licensedMax: licensed === 0 ? undefined : licensed,
  });
}

export async function readCalls(client: SnmpClient): Promise<Calls> {
  const rows = await client.walk(cvCallVolConnActiveConnection, {
    label: "CISCO-VOICE-DIAL-CONTROL-MIB cvCallVolConnActiveConnection",
  });
  if (rows.length === 0) return parseCalls(rows);
  const scalars = await client.get(
    [cvCallVolConnTotalActiveConnections, cvCallVolConnMaxCallConnectionLicenese],
    "CISCO-VOICE-DIAL-CONTROL-MIB call volume totals",
  );
  return parseCalls([...rows, ...scalars]);
}
