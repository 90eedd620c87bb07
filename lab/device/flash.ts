import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface FlashEntry {
  name: string;
  size: number;
  mtime: Date;
  directory: boolean;
}

/**
 * `flash:` and `nvram:` of one device: in memory, and mirrored into a folder when the lab has a state
 * directory, so a restarted lab boots from the startup-config it saved (`write memory`) with the files
 * it had (candidates, archive copies).
 */
export class FileSystem {
  readonly #files = new Map<string, { data: Buffer; mtime: Date }>();
  readonly #dirs = new Set<string>();
  readonly #mirror: string | undefined;
  readonly totalBytes: number;

  constructor(mirror?: string, totalBytes = 122_185_728) {
    this.#mirror = mirror;
    this.totalBytes = totalBytes;
    if (mirror && existsSync(mirror)) this.#load(mirror, mirror);
  }

  #load(root: string, dir: string): void {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const rel = relative(root, full).split("\\").join("/");
      const st = statSync(full);
      if (st.isDirectory()) {
        this.#dirs.add(rel);
        this.#load(root, full);
      } else this.#files.set(rel, { data: readFileSync(full), mtime: st.mtime });
    }
  }

  /** `flash:/archive/x`, `flash:archive/x` and `archive/x` all name `archive/x`. */
  static key(path: string): string {
    return path.replace(/^[a-z]+:/i, "").replace(/^\/+/, "");
  }

  read(path: string): Buffer | undefined {
    return this.#files.get(FileSystem.key(path))?.data;
  }

  exists(path: string): boolean {
    return this.#files.has(FileSystem.key(path));
  }

  isDirectory(path: string): boolean {
    const k = FileSystem.key(path).replace(/\/+$/, "");
    return k === "" || this.#dirs.has(k);
  }

  write(path: string, data: Buffer | string, mtime = new Date()): void {
    const k = FileSystem.key(path);
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const parent = k.includes("/") ? k.slice(0, k.lastIndexOf("/")) : "";
    if (parent) this.mkdir(parent);
    this.#files.set(k, { data: buf, mtime });
    if (this.#mirror) {
      mkdirSync(dirname(join(this.#mirror, k)), { recursive: true });
      writeFileSync(join(this.#mirror, k), buf, { mode: 0o600 });
    }
  }

  mkdir(path: string): void {
    const k = FileSystem.key(path).replace(/\/+$/, "");
    if (!k) return;
    this.#dirs.add(k);
    if (this.#mirror) mkdirSync(join(this.#mirror, k), { recursive: true });
  }

  delete(path: string): boolean {
    const k = FileSystem.key(path);
    const had = this.#files.delete(k);
    if (had && this.#mirror) rmSync(join(this.#mirror, k), { force: true });
    return had;
  }

  /** Entries directly in `dir` ("" = the root), directories included. */
  list(dir = ""): FlashEntry[] {
    const d = FileSystem.key(dir).replace(/\/+$/, "");
    const prefix = d ? `${d}/` : "";
    const out: FlashEntry[] = [];
    for (const name of this.#dirs)
      if (name.startsWith(prefix) && !name.slice(prefix.length).includes("/") && name !== d)
        out.push({ name: name.slice(prefix.length), size: 0, mtime: new Date(0), directory: true });
    for (const [name, f] of this.#files)
      if (name.startsWith(prefix) && !name.slice(prefix.length).includes("/"))
        out.push({ name: name.slice(prefix.length), size: f.data.length, mtime: f.mtime, directory: false });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  usedBytes(): number {
    let n = 0;
    for (const f of this.#files.values()) n += f.data.length;
    return n;
  }
}
