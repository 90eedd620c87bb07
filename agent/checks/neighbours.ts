import type { DeviceObservations, Observed } from "../monitor/observations.js";

/**
 * A switch's LLDP and CDP neighbours in one shape, each table from the CLI when it was read, else from
 * SNMP: where a phone is (phone_port) and what software it announces (phone_firmware).
 */

export interface Sighting {
  switch: string;
  port: string | null;
  protocol: "LLDP" | "CDP";
  ids: (string | null | undefined)[];
  /** What the neighbour announces as its software: LLDP-MED software (else firmware) revision, CDP version. */
  firmware: string | null;
  source: string;
}

export interface ProtocolView {
  protocol: "LLDP" | "CDP";
  sightings: Sighting[] | null;
  /** Why the table could not be read, for the evidence when that matters. */
  missing?: Observed<unknown> | undefined;
}

/** One switch's neighbour tables, each from the CLI when it was read, else from SNMP. */
export function neighbours(dev: DeviceObservations | undefined, sw: string): ProtocolView[] {
  const lldpCli = dev?.cli["show lldp neighbors detail"];
  const lldpSnmp = dev?.snmp.lldp;
  const cdpCli = dev?.cli["show cdp neighbors detail"];
  const cdpSnmp = dev?.snmp.cdp;
  const lldp: Sighting[] | null = lldpCli?.ok
    ? lldpCli.value.map((n) => ({
        switch: sw,
        port: n.localInterface,
        protocol: "LLDP",
        ids: [n.chassisId, n.portId, n.systemName],
        firmware: n.med?.swRevision ?? n.med?.fwRevision ?? null,
        source: lldpCli.source,
      }))
    : lldpSnmp?.ok
      ? lldpSnmp.value.map((n) => ({
          switch: sw,
          port: n.localPort ?? null,
          protocol: "LLDP",
          ids: [n.chassisId, n.portId, n.sysName],
          firmware: n.med?.inventory.softwareRev ?? n.med?.inventory.firmwareRev ?? null,
          source: lldpSnmp.source,
        }))
      : null;
  const cdp: Sighting[] | null = cdpCli?.ok
    ? cdpCli.value.map((n) => ({
        switch: sw,
        port: n.localInterface,
        protocol: "CDP",
        ids: [n.deviceId],
        firmware: n.version,
        source: cdpCli.source,
      }))
    : cdpSnmp?.ok
      ? cdpSnmp.value.map((n) => ({
          switch: sw,
          port: n.ifName ?? null,
          protocol: "CDP",
          ids: [n.deviceId],
          firmware: n.version ?? null,
          source: cdpSnmp.source,
        }))
      : null;
  return [
    { protocol: "LLDP", sightings: lldp, missing: lldpCli ?? lldpSnmp },
    { protocol: "CDP", sightings: cdp, missing: cdpCli ?? cdpSnmp },
  ];
}
