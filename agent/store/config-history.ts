import * as fs from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import git from "isomorphic-git";

export interface HistoryEntry {
  commit: string;
  message: string;
  time: string;
}

const author = { name: "patchkast", email: "patchkast@localhost" };

/**
 * Every version of every device's configuration, as plain files in a git repository in the state
 * directory: `git log` and `git diff` read it, and customers can clone it (reference/libraries.md §6:
 * isomorphic-git, pure JS, no native build). Device names are the site's hostnames, which the schema keeps
 * to letters, digits and '-', so they are safe file names.
 */
export class ConfigHistory {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async #init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (!fs.existsSync(join(this.dir, ".git"))) await git.init({ fs, dir: this.dir, defaultBranch: "main" });
  }

  #file(device: string): string {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(device)) throw new Error(`"${device}" is not a device name`);
    return `${device}.cfg`;
  }

  /**
   * Records a configuration (already normalised and with secrets masked by the caller) and commits it
   * with `message`; returns the commit, or undefined when nothing changed since the last version.
   */
  async record(
    device: string,
    config: string,
    message: string,
    now = new Date(),
  ): Promise<string | undefined> {
    await this.#init();
    const name = this.#file(device);
    const path = join(this.dir, name);
    const before = await readFile(path, "utf8").catch(() => undefined);
    if (before === config) return undefined;
    await writeFile(`${path}.tmp`, config, { mode: 0o640 });
    await rename(`${path}.tmp`, path);
    await git.add({ fs, dir: this.dir, filepath: name });
    const timestamp = Math.floor(now.getTime() / 1000);
    return git.commit({ fs, dir: this.dir, message, author: { ...author, timestamp, timezoneOffset: 0 } });
  }

  /** Newest first. */
  async log(device: string): Promise<HistoryEntry[]> {
    if (!fs.existsSync(join(this.dir, ".git"))) return [];
    const entries = await git.log({ fs, dir: this.dir, filepath: this.#file(device) }).catch(() => []);
    return entries.map((e) => ({
      commit: e.oid,
      message: e.commit.message.trim(),
      time: new Date(e.commit.author.timestamp * 1000).toISOString(),
    }));
  }

  /** The configuration as recorded at `commit`, or the newest one. */
  async read(device: string, commit?: string): Promise<string | undefined> {
    const name = this.#file(device);
    if (commit === undefined) return readFile(join(this.dir, name), "utf8").catch(() => undefined);
    const { blob } = await git.readBlob({ fs, dir: this.dir, oid: commit, filepath: name });
    return Buffer.from(blob).toString("utf8");
  }
}
