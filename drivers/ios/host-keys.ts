import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export type HostKeyVerdict = "known" | "new" | "changed";

/**
 * Pinned SSH host keys: trust on first use, recorded in a file in the state directory, and a changed key
 * refused (a changed key means a replaced device or a man in the middle; either needs a person). One line
 * per device: `<host>:<port> <SHA256 fingerprint>`, the fingerprint as `ssh-keygen -l` prints it.
 */
export interface HostKeyStore {
  check(endpoint: string, fingerprint: string): HostKeyVerdict;
  record(endpoint: string, fingerprint: string): void;
}

export class FileHostKeyStore implements HostKeyStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  #load(): Map<string, string> {
    const keys = new Map<string, string>();
    let text = "";
    try {
      text = readFileSync(this.#file, "utf8");
    } catch {
      return keys;
    }
    for (const line of text.split("\n")) {
      const [endpoint, fingerprint] = line.trim().split(/\s+/);
      if (endpoint && fingerprint && !endpoint.startsWith("#")) keys.set(endpoint, fingerprint);
    }
    return keys;
  }

  check(endpoint: string, fingerprint: string): HostKeyVerdict {
    const known = this.#load().get(endpoint);
    if (known === undefined) return "new";
    return known === fingerprint ? "known" : "changed";
  }

  record(endpoint: string, fingerprint: string): void {
    mkdirSync(dirname(this.#file), { recursive: true });
    appendFileSync(this.#file, `${endpoint} ${fingerprint}\n`, { mode: 0o600 });
  }
}

export class MemoryHostKeyStore implements HostKeyStore {
  readonly keys = new Map<string, string>();
  check(endpoint: string, fingerprint: string): HostKeyVerdict {
    const known = this.keys.get(endpoint);
    return known === undefined ? "new" : known === fingerprint ? "known" : "changed";
  }
  record(endpoint: string, fingerprint: string): void {
    this.keys.set(endpoint, fingerprint);
  }
}
