import { Client } from "ssh2";
import { loadCatalog } from "../../agent/catalog/load.js";
import { renderRouterConfig, renderSwitchConfig } from "../../agent/render/network-view.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { IosSession } from "../../drivers/ios/session.js";
import type { Lab, LabDevice } from "../../lab/lab.js";

export const secrets = new PlaceholderSecretResolver();
export const catalog = loadCatalog();

/** The standard config patchkast renders for a device of the site (placeholder secrets, as the golden files). */
export function rendered(site: Site, device: string): string {
  if (site.router.name === device) return renderRouterConfig(site, catalog, secrets).content;
  const sw = site.switches.find((s) => s.name === device);
  if (!sw) throw new Error(`no device ${device}`);
  return renderSwitchConfig(site, sw, catalog, secrets).content;
}

export function credentials(
  lab: Lab,
  d: LabDevice,
): { username: string; password: string; enableSecret?: string } {
  const c =
    d.role === "router"
      ? lab.site.router.credentials
      : lab.site.switches.find((s) => s.name === d.name)?.credentials;
  if (!c) throw new Error(`no credentials for ${d.name}`);
  return {
    username: c.username,
    password: secrets.resolve(c.password).reveal(),
    ...(c.enable_secret ? { enableSecret: secrets.resolve(c.enable_secret).reveal() } : {}),
  };
}

/** A CLI session through the agent's own IOS driver (drivers/ios/session.ts). */
export function open(lab: Lab, d: LabDevice, hostKeys = new MemoryHostKeyStore()): Promise<IosSession> {
  return IosSession.open({ name: d.name, host: d.host, port: d.sshPort, ...credentials(lab, d) }, hostKeys);
}

/** Uploads `content` as `target` with the SCP sink protocol (`scp -t`), as an agent does before a replace. */
export function scpUpload(
  target: { host: string; port: number; username: string; password: string },
  path: string,
  content: string,
): Promise<{ status: number; stderr: string }> {
  const data = Buffer.from(content, "utf8");
  const name = path.replace(/^.*[:/]/, "");
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on("error", reject);
    client.on("ready", () => {
      client.exec(`scp -t ${path}`, (err, ch) => {
        if (err) return reject(err);
        let step = 0;
        let stderr = "";
        ch.on("data", (d: Buffer) => {
          if (d[0] !== 0) {
            stderr += d.toString("utf8");
            return;
          }
          step++;
          if (step === 1) ch.write(`C0644 ${data.length} ${name}\n`);
          else if (step === 2) {
            ch.write(data);
            ch.write(Buffer.from([0]));
          } else if (step === 3) ch.end();
        });
        ch.on("exit", (status: number) => {
          client.end();
          resolve({ status, stderr });
        });
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
    });
  });
}

/** patchkast's push by hand: upload the standard config, configure replace with a timer, confirm. */
export async function pushStandardConfig(lab: Lab, d: LabDevice): Promise<string> {
  const up = await scpUpload(
    { host: d.host, port: d.sshPort, ...credentials(lab, d) },
    "flash:candidate.cfg",
    rendered(lab.site, d.name),
  );
  if (up.status !== 0) throw new Error(`SCP to ${d.name} failed: ${up.stderr}`);
  const s = await open(lab, d);
  try {
    const out = await s.run("configure replace flash:candidate.cfg force revert trigger error timer 5");
    const confirm = await s.run("configure confirm");
    if (confirm !== "") throw new Error(`configure confirm on ${d.name}: ${confirm}`);
    return out;
  } finally {
    s.close();
  }
}

/** Waits until `test` is true (polling), or fails after `ms`. */
export async function eventually(test: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

/**
 * A bare interactive shell with its own small expect loop that takes any IOS prompt, `(dhcp-config)#`
 * included, which drivers/ios/cli-text.ts does not recognise (its prompt pattern wants `(config…)`).
 */
export interface RawShell {
  /** Sends a line and returns what came back up to the next prompt, or up to `until` (echo included). */
  run(line: string, until?: RegExp): Promise<string>;
  /** Everything received so far. */
  transcript(): string;
  close(): void;
}

const anyPrompt = /(?:^|\n)[A-Za-z0-9][\w.-]*(?:\([\w-]+\))?[#>] ?$/;

export function rawShell(target: {
  host: string;
  port: number;
  username: string;
  password: string;
}): Promise<RawShell> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on("error", reject);
    client.on("ready", () =>
      client.shell({ term: "vt100", rows: 24, cols: 200 }, (err, ch) => {
        if (err) return reject(err);
        let all = "";
        let buffer = "";
        let waiter: (() => void) | undefined;
        ch.on("data", (d: Buffer) => {
          const t = d.toString("latin1").replace(/\r/g, "");
          all += t;
          buffer += t;
          waiter?.();
        });
        const prompt = (until = anyPrompt) =>
          new Promise<string>((res, rej) => {
            const timer = setTimeout(
              () => rej(new Error(`no prompt; got ${JSON.stringify(buffer.slice(-200))}`)),
              10_000,
            );
            waiter = () => {
              if (until.test(buffer)) {
                clearTimeout(timer);
                waiter = undefined;
                const out = buffer;
                buffer = "";
                res(out);
              }
            };
            waiter();
          });
        prompt().then(
          () =>
            resolve({
              run: (line, until) => {
                ch.write(`${line}\n`);
                return prompt(until);
              },
              transcript: () => all,
              close: () => client.end(),
            }),
          reject,
        );
      }),
    );
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
    });
  });
}
