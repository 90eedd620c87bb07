import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, normalize, sep } from "node:path";

/** A firmware image that passed its checksum. */
export interface FirmwareImage {
  /** Path below the store as phones ask for it (under /firmware/), "/"-separated. */
  path: string;
  size: number;
  sha256: string;
  file: string;
}

export interface FirmwareStoreProblem {
  path: string;
  message: string;
}

/**
 * The local firmware store: a folder with a `SHA256SUMS` file in the format `sha256sum` writes. Every
 * listed image is hashed when the store loads, and only images whose hash matches are served; a missing
 * or corrupt image is reported, never handed to a phone (DESIGN.md "Phone provisioning": a missing
 * firmware is a clear error, never a broken phone). Images are read into memory once and shared by all
 * transfers, so 500 phones fetching the same 20 MB image cost 20 MB.
 */
export class FirmwareStore {
  readonly #images = new Map<string, FirmwareImage>();
  readonly #cache = new Map<string, Promise<Buffer>>();
  readonly problems: FirmwareStoreProblem[] = [];
  readonly dir: string | undefined;

  private constructor(dir: string | undefined) {
    this.dir = dir;
  }

  static empty(): FirmwareStore {
    return new FirmwareStore(undefined);
  }

  static async load(dir: string): Promise<FirmwareStore> {
    const store = new FirmwareStore(dir);
    let list: string;
    try {
      list = await readFile(join(dir, "SHA256SUMS"), "utf8");
    } catch (err) {
      store.problems.push({
        path: "SHA256SUMS",
        message: `cannot read ${join(dir, "SHA256SUMS")}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      });
      return store;
    }
    for (const [i, line] of list.split("\n").entries()) {
      if (line.trim() === "" || line.startsWith("#")) continue;
      const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
      if (!m) {
        store.problems.push({ path: `SHA256SUMS:${i + 1}`, message: "not a `<sha256>  <file>` line" });
        continue;
      }
      await store.#verify((m[2] as string).trim(), (m[1] as string).toLowerCase());
    }
    return store;
  }

  async #verify(path: string, expected: string): Promise<void> {
    const clean = normalize(path).split(sep).join("/");
    if (
      isAbsolute(path) ||
      clean.startsWith("../") ||
      clean === ".." ||
      path.includes("\\") ||
      path.includes("\0")
    ) {
      this.problems.push({ path, message: "must be a relative path inside the store" });
      return;
    }
    const file = join(this.dir as string, clean);
    try {
      const info = await stat(file);
      const actual = await sha256File(file);
      if (actual !== expected) {
        this.problems.push({
          path: clean,
          message: `sha256 mismatch: expected ${expected}, file has ${actual}; not served`,
        });
        return;
      }
      this.#images.set(clean.toLowerCase(), { path: clean, size: info.size, sha256: actual, file });
    } catch (err) {
      this.problems.push({
        path: clean,
        message: `listed but unreadable (${(err as NodeJS.ErrnoException).code ?? err}); not served`,
      });
    }
  }

  get(path: string): FirmwareImage | undefined {
    return this.#images.get(path.toLowerCase());
  }

  /**
   * The image's bytes, read once and shared. They live in shared memory, so the TFTP server's transfer
   * threads read this very copy (agent/serve/tftp/shared-bytes.ts) instead of a second one.
   */
  read(image: FirmwareImage): Promise<Buffer> {
    let data = this.#cache.get(image.path);
    if (!data) {
      data = readFile(image.file).then(toSharedMemory);
      this.#cache.set(image.path, data);
      data.catch(() => this.#cache.delete(image.path));
    }
    return data;
  }

  list(): FirmwareImage[] {
    return [...this.#images.values()];
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

function toSharedMemory(bytes: Buffer): Buffer {
  const shared = Buffer.from(new SharedArrayBuffer(bytes.length));
  bytes.copy(shared);
  return shared;
}
