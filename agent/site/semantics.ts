import type { Catalog } from "../catalog/load.js";
import type { PathKey } from "../yaml-source.js";
import { contains, overlaps, parseCidr } from "./ip.js";
import type { Site, SiteVlan } from "./schema.js";

/** A rule broken across fields, or against the catalog: where, and why. */
export interface SemanticIssue {
  path: PathKey[];
  message: string;
}

/**
 * A site whose structurally broken parts were left out: a missing top-level section is undefined, and a
 * broken list item is undefined at its index, so the paths of the good items stay right.
 */
export type PartialSite = {
  [K in Exclude<keyof Site, "vlans">]?: Site[K] extends readonly (infer E)[] ? (E | undefined)[] : Site[K];
} & { vlans?: Partial<Site["vlans"]> };

/**
 * Rules that need the catalog or compare fields with each other. They run on whatever parts of the site
 * are structurally valid, so one run reports structural and semantic mistakes together.
 */
export function checkSite(site: PartialSite, catalog: Catalog): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const add = (path: PathKey[], message: string) => issues.push({ path, message });

  if (site.time_zone !== undefined && !isTimeZone(site.time_zone))
    add(["time_zone"], `"${site.time_zone}" is not an IANA time zone like Europe/Amsterdam`);

  const line = site.access_line === undefined ? undefined : catalog.findLine(site.access_line);
  if (site.access_line !== undefined && !line) {
    const known = catalog.lines.map((l) => l.key).join(", ");
    add(["access_line"], `"${site.access_line}" is not a row of the line-capacity table (one of: ${known})`);
  } else if (line && site.wan && site.wan.shaping_rate_kbps > line.up_kbps) {
    add(
      ["wan", "shaping_rate_kbps"],
      `shaping at ${site.wan.shaping_rate_kbps} kbit/s is above the line's ${line.up_kbps} kbit/s upstream; voice would queue in the modem, not the router`,
    );
  }

  const vlans = site.vlans;
  const vlanNames = ["data", "voice", "management"] as const;
  const present = vlanNames.filter((n) => vlans?.[n] !== undefined);
  // With a VLAN section broken, "in none of the subnets" cannot be decided; its own mistake is reported.
  const inVlan = (addr: string) =>
    present.length < vlanNames.length ||
    present.some((n) => {
      const net = parseCidr(vlans?.[n]?.subnet ?? "");
      return net !== undefined && contains(net, addr);
    });
  if (vlans) checkVlans(vlans, add);
  if (site.agent && !inVlan(site.agent.address))
    add(
      ["agent", "address"],
      `the agent's address ${site.agent.address} is in none of the site's VLAN subnets; phones could not reach it`,
    );

  if (site.wan?.mode === "pppoe" && !site.wan.pppoe)
    add(["wan", "pppoe"], "wan mode is pppoe, so the pppoe section (username, password) is required");
  if (site.wan?.mode === "static" && !site.wan.static)
    add(
      ["wan", "static"],
      "wan mode is static, so the static section (address, prefix_length, gateway) is required",
    );

  // Management addresses in the management subnet, names unique.
  const mgmtSubnet = vlans?.management?.subnet;
  const mgmt = mgmtSubnet === undefined ? undefined : parseCidr(mgmtSubnet);
  const devices: { path: PathKey[]; name: string; addr: string }[] = [];
  if (site.router)
    devices.push({ path: ["router"], name: site.router.name, addr: site.router.management_address });
  (site.switches ?? []).forEach((s, i) => {
    if (s) devices.push({ path: ["switches", i], name: s.name, addr: s.management_address });
  });
  const names = new Set<string>();
  for (const d of devices) {
    if (mgmt && !contains(mgmt, d.addr))
      add([...d.path, "management_address"], `${d.addr} is outside the management subnet ${mgmtSubnet}`);
    if (names.has(d.name.toLowerCase())) add([...d.path, "name"], `device name "${d.name}" is used twice`);
    names.add(d.name.toLowerCase());
  }

  // Port forwards: one per protocol/port, to a host on the LAN; SMTP is blocked upstream anyway.
  const forwards = new Set<string>();
  (site.port_forwards ?? []).forEach((f, i) => {
    if (!f) return;
    const key = `${f.protocol}/${f.port}`;
    if (forwards.has(key)) add(["port_forwards", i, "port"], `${key} is forwarded twice`);
    forwards.add(key);
    if (!inVlan(f.inside_host))
      add(["port_forwards", i, "inside_host"], `${f.inside_host} is in none of the site's VLAN subnets`);
    if (f.protocol === "tcp" && f.port === 25)
      add(
        ["port_forwards", i, "port"],
        "inbound TCP 25 is blocked by the provider (003:L572-L576); use the provider's mail service",
      );
  });

  checkPhones(site, catalog, add);
  (site.numbering?.did_ranges ?? []).forEach((r, i) => {
    if (r.first.length !== r.last.length || r.first > r.last)
      add(
        ["numbering", "did_ranges", i],
        `DID range ${r.first}..${r.last} is not ascending numbers of equal length`,
      );
  });
  return issues;
}

type Add = (path: PathKey[], message: string) => void;

/** VLANs: distinct ids, gateways inside their subnets, no overlapping subnets. */
function checkVlans(site: Partial<Site["vlans"]>, add: Add): void {
  const vlanNames = (["data", "voice", "management"] as const).filter((n) => site[n] !== undefined);
  const seenIds = new Map<number, string>();
  for (const name of vlanNames) {
    const v = site[name] as SiteVlan;
    const other = seenIds.get(v.id);
    if (other)
      add(["vlans", name, "id"], `VLAN ${v.id} is already the ${other} VLAN; each role needs its own VLAN`);
    seenIds.set(v.id, name);
    const net = parseCidr(v.subnet);
    if (net && net.address !== net.network)
      add(
        ["vlans", name, "subnet"],
        `${v.subnet} has host bits set; did you mean ${net.networkText}/${net.prefix}?`,
      );
    if (net && !contains(net, v.gateway))
      add(["vlans", name, "gateway"], `gateway ${v.gateway} is outside the ${name} subnet ${v.subnet}`);
  }
  for (let i = 0; i < vlanNames.length; i++) {
    for (let j = i + 1; j < vlanNames.length; j++) {
      const a = vlanNames[i] as (typeof vlanNames)[number];
      const b = vlanNames[j] as (typeof vlanNames)[number];
      const sa = (site[a] as SiteVlan).subnet;
      const sb = (site[b] as SiteVlan).subnet;
      const na = parseCidr(sa);
      const nb = parseCidr(sb);
      if (na && nb && overlaps(na, nb))
        add(["vlans", b, "subnet"], `the ${b} subnet ${sb} overlaps the ${a} subnet ${sa}`);
    }
  }
}

/** Phones: a known model that autoprovisions, unique MAC and extension, on a known switch port. */
function checkPhones(site: PartialSite, catalog: Catalog, add: Add): void {
  const macs = new Map<string, number>();
  const extensions = new Map<string, number>();
  const numbering = site.numbering;
  (site.phones ?? []).forEach((p, i) => {
    if (!p) return;
    const model = catalog.findPhone(p.model);
    if (!model)
      add(["phones", i, "model"], `"${p.model}" is not in the phone catalog (configs/catalog/phones.yaml)`);
    else if (!model.autoprovisioning)
      add(
        ["phones", i, "model"],
        `${model.brand} ${model.model} does not autoprovision (provider's list, ${model.source}); patchkast cannot render its files`,
      );
    const mac = p.mac.replace(/[:-]/g, "").toLowerCase();
    const firstMac = macs.get(mac);
    if (firstMac !== undefined)
      add(["phones", i, "mac"], `MAC ${p.mac} is already used by phones[${firstMac}]`);
    else macs.set(mac, i);
    const firstExt = extensions.get(p.extension);
    if (firstExt !== undefined)
      add(["phones", i, "extension"], `extension ${p.extension} is already used by phones[${firstExt}]`);
    else extensions.set(p.extension, i);
    if (numbering && p.extension.length !== numbering.extension_length)
      add(
        ["phones", i, "extension"],
        `extension ${p.extension} has ${p.extension.length} digits; the numbering plan says ${numbering.extension_length}`,
      );
    if (
      p.number &&
      numbering &&
      numbering.did_ranges.length > 0 &&
      !numbering.did_ranges.some((r) => inRange(p.number as string, r.first, r.last))
    ) {
      add(["phones", i, "number"], `${p.number} is in none of the site's DID ranges`);
    }
    if (p.port && site.switches) {
      const sw = site.switches.find((s) => s?.name === p.port?.switch);
      if (!sw) add(["phones", i, "port", "switch"], `no switch named "${p.port.switch}" in this site`);
      else if (!sw.phone_ports.some((r) => portInRange(p.port?.interface ?? "", r)))
        add(
          ["phones", i, "port", "interface"],
          `${p.port.interface} is not one of ${sw.name}'s phone ports (${sw.phone_ports.join(", ")})`,
        );
    }
  });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.includes("/") || tz === "UTC";
  } catch {
    return false;
  }
}

function inRange(n: string, first: string, last: string): boolean {
  return n.length === first.length && n >= first && n <= last;
}

/** "GigabitEthernet1/0/7" within "GigabitEthernet1/0/1-24" (same prefix, last number in range). */
export function portInRange(port: string, range: string): boolean {
  const m = /^(.*?)([0-9]+)(?:-([0-9]+))?$/.exec(range);
  const p = /^(.*?)([0-9]+)$/.exec(port);
  if (!m || !p || m[1] !== p[1]) return false;
  const n = Number(p[2]);
  const lo = Number(m[2]);
  const hi = m[3] === undefined ? lo : Number(m[3]);
  return n >= lo && n <= hi;
}
