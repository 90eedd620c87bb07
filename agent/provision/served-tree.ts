import { createHash } from "node:crypto";
import type { FamilyId } from "../../drivers/phones/types.js";
import type { RenderedFile } from "../render/render-site.js";

/** One phone file as the provisioning servers hand it out. */
export interface ServedFile {
  /** The name as rendered, e.g. `0015654a1001.cfg`. */
  name: string;
  content: Buffer;
  family: FamilyId;
  /** Lower-case hex MAC of the device the file belongs to; absent for shared files. */
  mac?: string;
  secrets: boolean;
  /** Strong validator for HTTP caching: phones re-fetch often (Yealink compares MD5s, provisioning.md §2.1). */
  etag: string;
}

/**
 * The phone files of one site, held in memory only: files with SIP passwords are never written to disk by
 * the servers (reference/provisioning.md §3.6 item 5). Names match without case, because phones of one
 * family ask in upper case and of another in lower (§0 item 6); render-site refuses names that collide.
 */
export class ServedTree {
  readonly #byName = new Map<string, ServedFile>();

  constructor(files: readonly RenderedFile[]) {
    for (const f of files) {
      if (f.kind !== "phone" || f.family === undefined) continue;
      const name = f.path.replace(/^phones\//, "");
      const content = Buffer.from(f.content, f.encoding);
      this.#byName.set(name.toLowerCase(), {
        name,
        content,
        family: f.family,
        ...(f.device === undefined ? {} : { mac: f.device }),
        secrets: f.secrets,
        etag: `"${createHash("sha256").update(content).digest("base64url").slice(0, 27)}"`,
      });
    }
  }

  /** The file for a sanitised request path (no leading slash), or undefined. */
  get(path: string): ServedFile | undefined {
    return this.#byName.get(path.toLowerCase());
  }

  get size(): number {
    return this.#byName.size;
  }

  files(): IterableIterator<ServedFile> {
    return this.#byName.values();
  }
}
