import { iosTime, uptimeText } from "../../clock.js";
import type { IosDevice } from "../device.js";

/**
 * `show version`, `show inventory` and `show clock`, laid out like the real outputs in
 * ../shared/field/cli/cisco_ios/show_version (IOS 15 / IOS-XE banners, the `uptime is` sentence, the
 * `cisco <model> (…) processor` line, the per-switch block and the `Switch Ports Model` table) and the
 * C9200L session in ../shared/field/configs.
 */

const crypto = `This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.
Importers, exporters, distributors and users are responsible for
compliance with U.S. and local country laws. By using this product you
agree to comply with applicable laws and regulations. If you are unable
to comply with U.S. and local laws, return this product immediately.

A summary of U.S. laws governing Cisco cryptographic products may be found at:
http://www.cisco.com/wwl/export/crypto/tool/stqrg.html

If you require further assistance please contact us by sending email to
export@cisco.com.`;

const xeLicence = `Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.
All rights reserved.  Certain components of Cisco IOS-XE software are
licensed under the GNU General Public License ("GPL") Version 2.0.  The
software code licensed under GPL Version 2.0 is free software that comes
with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such
GPL code under the terms of GPL Version 2.0.  For more details, see the
documentation or "License Notice" file accompanying the IOS-XE software,
or the applicable URL provided on the flyer accompanying the IOS-XE
software.`;

/** `17.9.4a` → `17.09.04a`, the first line of IOS-XE's `show version`. */
const xeLong = (v: string) =>
  v
    .split(".")
    .map((p, i) => (i === 0 ? p : p.padStart(/\d+[a-z]$/.test(p) ? 3 : 2, "0")))
    .join(".");

export function showVersion(dev: IosDevice): string {
  const hw = dev.hw;
  const s = dev.state();
  const now = dev.clock.now();
  const up = uptimeText(now.getTime() - dev.clock.bootedAt.getTime());
  const restarted = iosTime(dev.clock.bootedAt, s.tz);
  const out: string[] = [];
  if (hw.os === "IOS-XE") {
    const train = hw.kind === "router" ? "ISR Software" : "Catalyst L3 Switch Software";
    out.push(
      `Cisco IOS XE Software, Version ${xeLong(hw.version)}`,
      `Cisco IOS Software [Cupertino], ${train} (${hw.image}), Version ${hw.version}, RELEASE SOFTWARE (fc3)`,
    );
  } else
    out.push(
      `Cisco IOS Software, C2960X Software (${hw.image}), Version ${hw.version}, RELEASE SOFTWARE (fc2)`,
    );
  out.push(
    "Technical Support: http://www.cisco.com/techsupport",
    "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
    "Compiled Fri 20-Oct-23 10:33 by mcpre",
    "",
    "",
  );
  if (hw.os === "IOS-XE") out.push(xeLicence, "", "", "ROM: IOS-XE ROMMON");
  else out.push("ROM: Bootstrap program is C2960X boot loader");
  out.push(
    hw.os === "IOS-XE"
      ? "BOOTLDR: System Bootstrap, Version 17.9.1r [FC13], RELEASE SOFTWARE (P)"
      : "BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E2, RELEASE SOFTWARE (fc1)",
    "",
    `${s.hostname} uptime is ${up}`,
  );
  if (hw.os === "IOS-XE") out.push(`Uptime for this control processor is ${up}`);
  out.push(
    "System returned to ROM by Reload Command",
    `System restarted at ${restarted}`,
    `System image file is "${hw.imageFile}"`,
    "Last reload reason: Reload Command",
    "",
    "",
    crypto,
    "",
    "",
    hw.processorLine,
    `Processor board ID ${hw.serial}`,
  );
  const gig = hw.ports.filter((p) => p.name.startsWith("GigabitEthernet")).length;
  const ten = hw.ports.filter((p) => p.name.startsWith("TenGigabitEthernet")).length;
  out.push(`${gig} Gigabit Ethernet interfaces`);
  if (ten > 0) out.push(`${ten} Ten Gigabit Ethernet interfaces`);
  out.push("2048K bytes of non-volatile configuration memory.", "");
  if (hw.kind !== "router") out.push(...switchBlocks(dev));
  out.push(`Configuration register is ${hw.os === "IOS-XE" ? "0x102" : "0xF"}`, "");
  return out.join("\n");
}

function switchBlocks(dev: IosDevice): string[] {
  const hw = dev.hw;
  const out: string[] = [];
  const pad = (k: string) => k.padEnd(35);
  for (let m = 1; m <= hw.members; m++) {
    if (m > 1) out.push("", `Switch 0${m}`, "---------");
    out.push(
      `${pad("Base Ethernet MAC Address")}: ${hw.baseMac.replace(/80$/, `${m}0`)}`,
      `${pad("Model Number")}: ${hw.model}`,
      `${pad("System Serial Number")}: ${hw.serial}${m > 1 ? m : ""}`,
    );
    if (m === 1) out.push("", "");
    if (m === 1) out.push(...stackTable(dev), "");
  }
  out.push("");
  return out;
}

function stackTable(dev: IosDevice): string[] {
  const hw = dev.hw;
  const rows = [
    "Switch Ports Model              SW Version        SW Image              Mode   ",
    "------ ----- -----              ----------        ----------            ----   ",
  ];
  const perMember = hw.ports.length / hw.members;
  for (let m = 1; m <= hw.members; m++) {
    const mode = hw.os === "IOS-XE" ? "INSTALL" : "";
    rows.push(
      `${m === 1 ? "*" : " "}${String(m).padStart(5)} ${String(perMember).padEnd(5)} ${hw.model.padEnd(18)} ${(hw.os === "IOS-XE" ? hw.version.replace(/^17\.9\./, "17.09.0") : hw.version).padEnd(17)} ${hw.image.padEnd(21)} ${mode}`.trimEnd(),
    );
  }
  return rows;
}

export function showInventory(dev: IosDevice): string {
  const hw = dev.hw;
  const out: string[] = [];
  for (let m = 1; m <= Math.max(1, hw.kind === "router" ? 1 : hw.members); m++) {
    const name = hw.kind === "router" ? "Chassis" : `${m}`;
    out.push(
      `NAME: "${name}", DESCR: "${hw.model}"`,
      `PID: ${hw.model.padEnd(18)}, VID: V04  , SN: ${hw.serial}${m > 1 ? m : ""}`,
      "",
    );
  }
  return `${out.join("\n")}\n`;
}

export function showClock(dev: IosDevice): string {
  return `*${iosTime(dev.clock.now(), dev.state().tz, true)}\n`;
}
