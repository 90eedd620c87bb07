import { mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { contains, type Ipv4Net } from "../site/ip.js";
import type { AuditSink } from "./audit-log.js";

export interface UploadRequest {
  path: string;
  source: string;
  body: Buffer;
  protocol: "http" | "https";
  userAgent?: string;
}

export interface UploadResult {
  status: 201 | 204 | 403 | 404 | 413;
  message: string;
}

/**
 * What Polycom phones upload (Poly FAQ "What files does my phone download or upload", provisioning.md
 * §2.2): logs, local settings made on the phone or its web UI, and the directory. Nothing else is
 * accepted, and never from a phone that is not in the site's inventory.
 */
const polycomUpload = /^([0-9a-f]{12})-(app\.log|boot\.log|phone\.cfg|web\.cfg|directory\.xml|calls\.xml)$/i;

export interface UploadAreaOptions {
  /** <state>/uploads; each phone gets its own folder. Undefined: uploads are refused. */
  dir: string | undefined;
  mode: "accept" | "refuse";
  limitBytes: number;
  /** MACs of the site's Polycom phones. */
  polycomMacs: ReadonlySet<string>;
  allowedSubnets: readonly Ipv4Net[];
  audit: AuditSink;
  now?: () => number;
}

export class UploadArea {
  #o: UploadAreaOptions;

  constructor(options: UploadAreaOptions) {
    this.#o = options;
  }

  /** Follows a changed site file (inventory, limits, subnets). */
  update(changes: Partial<Omit<UploadAreaOptions, "dir" | "audit">>): void {
    this.#o = { ...this.#o, ...changes };
  }

  async accept(req: UploadRequest): Promise<UploadResult> {
    const result = await this.#decide(req);
    this.#o.audit.write({
      time: new Date((this.#o.now ?? Date.now)()).toISOString(),
      protocol: req.protocol,
      source: req.source,
      method: "PUT",
      path: req.path,
      result: result.status < 300 ? "uploaded" : "refused",
      status: result.status,
      bytes: req.body.length,
      family: "polycom",
      ...(req.userAgent === undefined ? {} : { userAgent: req.userAgent.slice(0, 256) }),
      ...(result.status < 300 ? {} : { reason: result.message }),
    });
    return result;
  }

  async #decide(req: UploadRequest): Promise<UploadResult> {
    // Answering 403 for a refused upload makes the phone stop retrying; 204 would make it believe us.
    if (this.#o.mode === "refuse" || this.#o.dir === undefined)
      return { status: 403, message: "uploads are not accepted at this site" };
    const m = polycomUpload.exec(req.path);
    if (!m) return { status: 403, message: "only Polycom logs and local settings may be uploaded" };
    const mac = (m[1] as string).toLowerCase();
    if (!this.#o.polycomMacs.has(mac)) return { status: 403, message: "not a phone of this site" };
    if (!this.#o.allowedSubnets.some((net) => contains(net, req.source)))
      return { status: 403, message: "uploads only from the voice VLAN" };
    const folder = join(this.#o.dir, mac);
    const name = (m[2] as string).toLowerCase();
    await mkdir(folder, { recursive: true, mode: 0o750 });
    const used = await folderBytes(folder, name);
    if (used + req.body.length > this.#o.limitBytes) {
      return { status: 413, message: `this phone's upload area is full (${this.#o.limitBytes} bytes)` };
    }
    const target = join(folder, `${mac}-${name}`);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, req.body, { mode: 0o640 });
    await rename(temp, target);
    return { status: 204, message: "stored" };
  }
}

/** Bytes the phone already keeps, not counting the file this upload replaces. */
async function folderBytes(folder: string, replacing: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder)) {
    if (entry.endsWith(replacing) || entry.endsWith(".tmp")) continue;
    total += (await stat(join(folder, entry))).size;
  }
  return total;
}
