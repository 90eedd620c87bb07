import type { AddressInfo } from "node:net";
import ssh2 from "ssh2";

const { Server, utils } = ssh2;

/**
 * An SSH server that replays a recorded CLI session: the initial banner and prompt, then for each command
 * line the recorded answer (echo, output, prompt), and IOS's `% Invalid input` for anything not recorded.
 * The recording format is Oxidized's simulation YAML (../shared/field/configs/*.yaml): `init_prompt` and
 * `commands` keyed by the command with its "\n".
 */
export interface Recording {
  init_prompt: string;
  commands: Record<string, string>;
}

export interface ReplayServer {
  port: number;
  /** Commands the client sent, in order. */
  received: string[];
  close(): Promise<void>;
}

export async function startReplayServer(
  recording: Recording,
  opts: {
    username: string;
    password: string;
    hostKey?: string;
    keyboardInteractive?: boolean;
    legacyOnly?: boolean;
    lineEnding?: "\n" | "\r\n";
  },
): Promise<ReplayServer> {
  const hostKey = opts.hostKey ?? parseableEd25519Key();
  const received: string[] = [];
  const eol = opts.lineEnding ?? "\r\n";
  const toWire = (text: string) => text.replace(/\r?\n/g, eol);
  const server = new Server(
    {
      hostKeys: [hostKey],
      ...(opts.legacyOnly
        ? {
            algorithms: { kex: ["diffie-hellman-group14-sha1"], cipher: ["aes128-cbc"], hmac: ["hmac-sha1"] },
          }
        : {}),
    },
    (client) => {
      client.on("authentication", (ctx) => {
        if (ctx.username !== opts.username) return ctx.reject();
        if (opts.keyboardInteractive) {
          if (ctx.method !== "keyboard-interactive") return ctx.reject(["keyboard-interactive"]);
          return ctx.prompt([{ prompt: "Password: ", echo: false }], (answers) =>
            answers[0] === opts.password ? ctx.accept() : ctx.reject(),
          );
        }
        if (ctx.method === "password" && ctx.password === opts.password) return ctx.accept();
        return ctx.reject(["password"]);
      });
      client.on("error", () => {});
      client.on("ready", () => {
        client.on("session", (accept) => {
          const session = accept();
          session.on("pty", (ok) => ok?.());
          session.on("shell", (ok) => {
            const stream = ok();
            const prompt = recording.init_prompt.split("\n").at(-1) ?? "#";
            stream.write(toWire(recording.init_prompt));
            let line = "";
            stream.on("data", (d: Buffer) => {
              line += d.toString("latin1");
              let nl = line.indexOf("\n");
              while (nl >= 0) {
                const command = line.slice(0, nl).replace(/\r$/, "");
                line = line.slice(nl + 1);
                received.push(command);
                const answer = recording.commands[`${command}\n`];
                if (command === "exit") {
                  stream.end();
                  return;
                }
                stream.write(toWire(answer ?? `${command}\n${invalidInput(command, prompt)}\n${prompt}`));
                nl = line.indexOf("\n");
              }
            });
          });
        });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** IOS's answer to an unknown command: the caret under the first character it could not take. */
export function invalidInput(_command: string, prompt: string): string {
  return `${" ".repeat(prompt.length)}^\n% Invalid input detected at '^' marker.\n`;
}

/**
 * ssh2's generateKeyPairSync("ed25519") writes an OpenSSH private key that its own parser rejects
 * ("Malformed OpenSSH private key") about 4 times in 1,000 (measured: 12 of 3,000 with ssh2 1.x here);
 * a test must not fail on that, so a key is taken only once ssh2 can read it back.
 */
function parseableEd25519Key(): string {
  for (;;) {
    const key = (utils.generateKeyPairSync("ed25519") as { private: string }).private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
}
