import type { AddressInfo } from "node:net";
import ssh2, { type Connection, type ServerChannel } from "ssh2";
import { IosCli } from "./device/cli.js";
import type { IosDevice } from "./device/device.js";
import { scpSink } from "./scp.js";

const { Server, utils } = ssh2;

/**
 * The SSH server of one lab device: IOS-like in the ways the agent depends on (reference/libraries.md §2):
 * the `Cisco-1.25` identification, password and keyboard-interactive logins checked against the local
 * user database of the running-config, an interactive shell with the IOS CLI, SCP uploads over `exec`,
 * and any other `exec` command answered once, after which the connection is closed (ssh2 #284: IOS
 * tears the connection down after one exec).
 */
export interface DeviceSshServer {
  host: string;
  port: number;
  close(): Promise<void>;
  /** Cuts every open session (a link that went down), as a test of the revert timer needs. */
  dropAll(): void;
}

/** An RSA host key, as `crypto key generate rsa modulus 2048` gives the device. */
export function generateHostKey(): string {
  return (utils.generateKeyPairSync("rsa", { bits: 2048 }) as { private: string }).private;
}

export async function startSshServer(
  dev: IosDevice,
  opts: { host: string; port: number; hostKey: string },
): Promise<DeviceSshServer> {
  const clients = new Set<Connection>();
  const server = new Server({ hostKeys: [opts.hostKey], ident: "Cisco-1.25" }, (client) => {
    clients.add(client);
    let user = "";
    let privilege = 0;
    client.on("close", () => clients.delete(client));
    client.on("error", () => {});
    client.on("authentication", (ctx) => {
      const accept = (password: string) => {
        const level = dev.authenticate(ctx.username, password);
        if (level === null) return false;
        user = ctx.username;
        privilege = level;
        return true;
      };
      if (ctx.method === "password")
        return accept(ctx.password) ? ctx.accept() : ctx.reject(["password", "keyboard-interactive"]);
      if (ctx.method === "keyboard-interactive")
        return ctx.prompt([{ prompt: "Password: ", echo: false }], (answers) =>
          accept(answers[0] ?? "") ? ctx.accept() : ctx.reject(["password", "keyboard-interactive"]),
        );
      return ctx.reject(["password", "keyboard-interactive"]);
    });
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("pty", (ok) => ok?.());
        session.on("window-change", (ok) => ok?.());
        session.on("shell", (ok) => {
          const stream: ServerChannel = ok();
          const cli = new IosCli(
            dev,
            user,
            privilege,
            (t) => stream.write(t),
            () => {
              stream.exit(0);
              stream.end();
              client.end();
            },
          );
          stream.on("data", (d: Buffer) => cli.feed(d.toString("latin1")));
          stream.on("close", () => cli.close());
          cli.start();
        });
        session.on("exec", (ok, _reject, info) => {
          const stream: ServerChannel = ok();
          const finish = (status: number) => {
            stream.exit(status);
            stream.end();
          };
          if (/^scp\s/.test(info.command)) {
            scpSink(dev, privilege, info.command, stream, finish);
            return;
          }
          const cli = new IosCli(
            dev,
            user,
            privilege,
            () => {},
            () => {},
          );
          // IOS closes the connection after one exec: once the client closed the channel (OpenSSH does), so
          // the output arrives first, or after a moment (the ssh2 client leaves the channel open).
          const end = () => client.end();
          stream.on("close", end);
          setTimeout(end, 300).unref();
          stream.write(cli.runOnce(info.command).replace(/\r?\n/g, "\r\n"));
          finish(0);
        });
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", () => {});
  return {
    host: opts.host,
    port: (server.address() as AddressInfo).port,
    dropAll: () => {
      for (const c of clients) c.end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
