import { dirTime, leaseTime } from "../../clock.js";
import { contextualDiff } from "../config-diff.js";
import type { IosDevice } from "../device.js";
import { readConfigFile } from "../replace.js";

/**
 * `show archive`, `show archive config differences`, `dir` and `show ip dhcp binding`. The archive list
 * follows the Cisco command reference example of `show archive` (numbered slots, `:Deleted` for copies
 * beyond `maximum`, `<- Most Recent`); IOS-XE adds the `maximum` line (integrate.uk "IOS-XE Configuration
 * Archive" transcript). `show archive config differences` defaults per the command reference: no file =
 * running vs startup, one file = that file vs running.
 */

export function showArchive(dev: IosDevice): string {
  const a = dev.state().archive;
  if (!a?.path) return " Archive feature not enabled\n";
  const live = dev.archive.filter((f) => f !== null);
  const out: string[] = [];
  if (dev.hw.os === "IOS-XE") out.push(`The maximum archive configurations allowed is ${a.maximum}.`);
  out.push(
    `There are currently ${live.length} archive configurations saved.`,
    `The next archive file will be named ${dev.nextArchiveName()}`,
    " Archive #  Name",
  );
  const last = dev.archive.length;
  dev.archive.forEach((f, i) => {
    const n = String(i + 1).padStart(4);
    out.push(
      f === null ? `${n}        :Deleted` : `${n}        ${f}${i + 1 === last ? " <- Most Recent" : ""}`,
    );
  });
  return `${out.join("\n")}\n`;
}

export function showArchiveDifferences(dev: IosDevice, first?: string, second?: string): string {
  const a = first ?? "system:running-config";
  const b = first === undefined ? "nvram:startup-config" : (second ?? "system:running-config");
  const textA = readConfigFile(dev, a);
  if (textA === undefined) return `%Error opening ${a} (No such file or directory)\n`;
  const textB = readConfigFile(dev, b);
  if (textB === undefined) return `%Error opening ${b} (No such file or directory)\n`;
  return contextualDiff(textA, textB);
}

export function dir(dev: IosDevice, path = "flash:"): string {
  const fs = path.startsWith("nvram:") ? dev.nvram : dev.flash;
  const fsName = path.startsWith("nvram:") ? "nvram" : "flash";
  const sub = path.replace(/^[a-z]+:/, "").replace(/^\/+|\/+$/g, "");
  if (sub && !fs.isDirectory(sub)) return `%Error opening ${fsName}:/${sub} (No such file or directory)\n`;
  const tz = dev.state().tz;
  const out = [`Directory of ${fsName}:/${sub ? `${sub}/` : ""}`, ""];
  fs.list(sub).forEach((e, i) => {
    const perms = e.directory ? "drwx" : "-rwx";
    out.push(
      `${String(i + 2).padStart(6)}  ${perms}  ${String(e.size).padStart(10)}  ${dirTime(e.directory ? dev.clock.bootedAt : e.mtime, tz)}  ${e.name}`,
    );
  });
  out.push("", `${fs.totalBytes} bytes total (${fs.totalBytes - fs.usedBytes()} bytes free)`);
  return `${out.join("\n")}\n`;
}

/** MAC as a DHCP client id: `01` + MAC, dotted in groups of four (`0100.1565.4a10.01`). */
function clientId(mac: string): string {
  const hex = `01${mac.replace(/[^0-9a-f]/gi, "").toLowerCase()}`;
  return hex.match(/.{1,4}/g)?.join(".") ?? hex;
}

export function showIpDhcpBinding(dev: IosDevice): string {
  const tz = dev.state().tz;
  const out = [
    "Bindings from all pools not associated with VRF:",
    "IP address      Client-ID/              Lease expiration        Type       State      Interface",
    "                Hardware address/",
    "                User name",
  ];
  for (const l of dev.surroundings.leases())
    out.push(
      `${l.ip.padEnd(16)}${clientId(l.mac).padEnd(24)}${leaseTime(l.expires, tz).padEnd(24)}Automatic  Active     ${l.interface}`,
    );
  return `${out.join("\n")}\n`;
}
