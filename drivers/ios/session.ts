import { createHash } from "node:crypto";
import { Client, type ClientChannel, type ConnectConfig } from "ssh2";
import { PatchkastError } from "../../agent/errors.js";
import { cleanOutput, findPrompt, morePattern, type Prompt } from "./cli-text.js";
import type { HostKeyStore } from "./host-keys.js";
import { scpUpload } from "./scp.js";

export interface IosTarget {
  /** Device name for messages ("korenschoof-sw1"). */
  name: string;
  host: string;
  port?: number;
  username: string;
  /** Revealed secrets: only the session holds them, and they never appear in an error. */
  password: string;
  enableSecret?: string;
  /** Old IOS offers only group14/group1-sha1 and CBC ciphers (reference/libraries.md §2). */
  legacyAlgorithms?: boolean;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/** The SSH fingerprint as `ssh-keygen -l` prints it: SHA256 of the key blob, unpadded base64. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

const legacy: ConnectConfig["algorithms"] = {
  kex: {
    append: [
      "diffie-hellman-group14-sha1",
      "diffie-hellman-group-exchange-sha1",
      "diffie-hellman-group1-sha1",
    ],
  },
  cipher: { append: ["aes128-cbc", "aes256-cbc", "3des-cbc"] },
  serverHostKey: { append: ["ssh-rsa"] },
} as unknown as ConnectConfig["algorithms"];

/**
 * An interactive CLI session on an IOS device. IOS tears the connection down after one `exec` on many
 * releases (ssh2 #284), so everything runs in one shell with an expect loop: wait for the prompt, go to
 * privileged mode, switch the pager off, then one command at a time, each with its own timeout.
 */
export class IosSession {
  readonly #client: Client;
  readonly #channel: ClientChannel;
  readonly #target: IosTarget;
  #buffer = "";
  #closed = false;
  #waiter: (() => void) | undefined;
  prompt: Prompt;

  private constructor(client: Client, channel: ClientChannel, target: IosTarget, prompt: Prompt) {
    this.#client = client;
    this.#channel = channel;
    this.#target = target;
    this.prompt = prompt;
  }

  static async open(target: IosTarget, hostKeys: HostKeyStore): Promise<IosSession> {
    const port = target.port ?? 22;
    const endpoint = `${target.host}:${port}`;
    const where = `${target.name} (${endpoint})`;
    const client = new Client();
    let keyProblem: string | undefined;
    const connectMs = target.connectTimeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error & { level?: string; code?: string }) =>
        reject(connectError(where, err, keyProblem, connectMs));
      client.once("ready", () => resolve());
      // `on`, not `once`: ssh2 can emit a second error (e.g. "Connection lost before handshake" after a
      // timeout), and an unhandled one would take the whole agent down.
      client.on("error", fail);
      client.on("keyboard-interactive", (_n, _i, _l, prompts, finish) =>
        finish(prompts.map(() => target.password)),
      );
      client.connect({
        host: target.host,
        port,
        username: target.username,
        password: target.password,
        tryKeyboard: true,
        readyTimeout: connectMs,
        ...(target.legacyAlgorithms ? { algorithms: legacy } : {}),
        hostVerifier: (key: Buffer) => {
          const fingerprint = fingerprintOf(key);
          const verdict = hostKeys.check(endpoint, fingerprint);
          if (verdict === "changed") {
            keyProblem = `the host key of ${where} changed (now ${fingerprint}); if the device was replaced on purpose, remove its line from the known-hosts file`;
            return false;
          }
          if (verdict === "new") hostKeys.record(endpoint, fingerprint);
          return true;
        },
      });
    });
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: "vt100", cols: 511, rows: 24 }, (err, ch) => (err ? reject(err) : resolve(ch))),
    ).catch((err: Error) => {
      client.end();
      throw new PatchkastError("PK_ERR_IOS_SESSION", `opening a CLI shell on ${where}: ${err.message}`);
    });
    const session = new IosSession(client, channel, target, { hostname: "", mode: "user", text: "" });
    channel.on("data", (d: Buffer) => session.#receive(d.toString("latin1")));
    channel.stderr.on("data", (d: Buffer) => session.#receive(d.toString("latin1")));
    channel.on("close", () => {
      session.#closed = true;
      session.#waiter?.();
    });
    try {
      session.prompt = await session.#waitForPrompt("the first prompt");
      await session.#enable();
      for (const setup of ["terminal length 0", "terminal width 0"]) await session.run(setup);
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    // A pager still on (before `terminal length 0`, or a device that ignores it): ask for the next page.
    if (morePattern.test(this.#buffer)) this.#channel.write(" ");
    this.#waiter?.();
  }

  #waitFor<T>(what: string, test: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(
          new PatchkastError(
            "PK_ERR_IOS_TIMEOUT",
            `${this.#target.name}: no ${what} after ${timeoutMs / 1000} s`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        const hit = test();
        if (hit !== undefined) {
          clearTimeout(timer);
          this.#waiter = undefined;
          resolve(hit);
        } else if (this.#closed) {
          clearTimeout(timer);
          this.#waiter = undefined;
          reject(
            new PatchkastError(
              "PK_ERR_IOS_CLOSED",
              `${this.#target.name}: the device closed the session while waiting for ${what}`,
            ),
          );
        }
      };
      this.#waiter = check;
      check();
    });
  }

  #waitForPrompt(what: string, timeoutMs = this.#target.commandTimeoutMs ?? 30_000): Promise<Prompt> {
    return this.#waitFor(what, () => findPrompt(this.#buffer), timeoutMs);
  }

  async #enable(): Promise<void> {
    if (this.prompt.mode !== "user") return;
    if (this.#target.enableSecret === undefined) {
      throw new PatchkastError(
        "PK_ERR_IOS_AUTH",
        `${this.#target.name}: logged in without privilege (prompt ${this.prompt.text}) and no enable secret is configured`,
      );
    }
    this.#buffer = "";
    this.#channel.write("enable\n");
    await this.#waitFor(
      "enable password prompt",
      () => (/Password: ?$/i.test(this.#buffer) ? true : undefined),
      10_000,
    );
    this.#buffer = "";
    this.#channel.write(`${this.#target.enableSecret}\n`);
    const prompt = await this.#waitForPrompt("prompt after enable", 10_000);
    if (prompt.mode !== "privileged") {
      throw new PatchkastError("PK_ERR_IOS_AUTH", `${this.#target.name}: the enable secret was not accepted`);
    }
    this.prompt = prompt;
  }

  /** Runs one command and returns what it printed (echo, pager and prompt removed). */
  async run(command: string, timeoutMs = this.#target.commandTimeoutMs ?? 30_000): Promise<string> {
    if (this.#closed)
      throw new PatchkastError("PK_ERR_IOS_CLOSED", `${this.#target.name}: the session is closed`);
    this.#buffer = "";
    this.#channel.write(`${command}\n`);
    // The prompt must come after the echoed command line, not be a prompt-like line inside the output.
    const prompt = await this.#waitFor(
      `prompt after "${command}"`,
      () => (this.#buffer.includes("\n") ? findPrompt(this.#buffer) : undefined),
      timeoutMs,
    );
    this.prompt = prompt;
    return cleanOutput(this.#buffer, command, prompt.text);
  }

  /** Uploads a file to the device (SCP; e.g. `flash:patchkast-candidate.cfg`). */
  upload(remotePath: string, content: Buffer): Promise<void> {
    return scpUpload(this.#client, remotePath, content).catch((err: Error) => {
      throw new PatchkastError("PK_ERR_IOS_SESSION", `${this.#target.name}: ${err.message}`);
    });
  }

  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#channel.end("exit\n");
    }
    this.#client.end();
  }
}

function connectError(
  where: string,
  err: Error & { level?: string; code?: string },
  keyProblem: string | undefined,
  timeoutMs: number,
): PatchkastError {
  if (keyProblem) return new PatchkastError("PK_ERR_IOS_HOSTKEY", keyProblem);
  if (err.level === "client-authentication")
    return new PatchkastError(
      "PK_ERR_IOS_AUTH",
      `logging in to ${where}: the username or password was refused`,
    );
  if (err.code === "ECONNREFUSED")
    return new PatchkastError(
      "PK_ERR_IOS_CONNECT",
      `connecting to ${where}: connection refused (is SSH enabled on the device?)`,
    );
  if (/Timed out while waiting for handshake/.test(err.message) || err.code === "ETIMEDOUT") {
    return new PatchkastError(
      "PK_ERR_IOS_CONNECT",
      `connecting to ${where}: timeout after ${timeoutMs / 1000} s`,
    );
  }
  if (err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH" || err.code === "ENOTFOUND") {
    return new PatchkastError(
      "PK_ERR_IOS_CONNECT",
      `connecting to ${where}: ${err.code === "ENOTFOUND" ? "unknown host" : "unreachable"}`,
    );
  }
  if (/no matching/.test(err.message)) {
    return new PatchkastError(
      "PK_ERR_IOS_CONNECT",
      `connecting to ${where}: ${err.message}; old IOS needs the legacy key exchange and ciphers (legacy_ssh: true on the device in the site file)`,
    );
  }
  return new PatchkastError("PK_ERR_IOS_CONNECT", `connecting to ${where}: ${err.message}`);
}
