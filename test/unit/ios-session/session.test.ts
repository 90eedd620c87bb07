import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { cleanOutput, findPrompt } from "../../../drivers/ios/cli-text.js";
import { MemoryHostKeyStore } from "../../../drivers/ios/host-keys.js";
import { IosSession, type IosTarget } from "../../../drivers/ios/session.js";
import { type Recording, type ReplayServer, startReplayServer } from "../../helpers/replay-ssh-server.js";

/** A small self-written session modelled on a classic Catalyst in user EXEC mode with the pager on. */
const pagedVersion = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of show version`);
const recording: Recording = {
  init_prompt: "\nsw1>",
  commands: {
    "enable\n": "enable\nPassword: ",
    "s3cret\n": "\nsw1#",
    "terminal length 0\n": "terminal length 0\nsw1#",
    "terminal width 0\n": "terminal width 0\nsw1#",
    "show clock\n": "show clock\n*10:00:00.123 CET Sun Nov 22 2026\nsw1#",
    "show paged\n": `show paged\n${pagedVersion.slice(0, 23).join("\n")}\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b${pagedVersion.slice(23).join("\n")}\nsw1#`,
  },
};

const servers: ReplayServer[] = [];
const sessions: IosSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
});

async function serve(opts: Parameters<typeof startReplayServer>[1], rec = recording) {
  const s = await startReplayServer(rec, opts);
  servers.push(s);
  return s;
}
const target = (port: number, extra: Partial<IosTarget> = {}): IosTarget => ({
  name: "sw1",
  host: "127.0.0.1",
  port,
  username: "admin",
  password: "pw",
  enableSecret: "s3cret",
  connectTimeoutMs: 3000,
  ...extra,
});
async function open(t: IosTarget, keys = new MemoryHostKeyStore()) {
  const s = await IosSession.open(t, keys);
  sessions.push(s);
  return s;
}

describe("IOS session", () => {
  it("logs in, enables with the secret, and runs commands", async () => {
    const server = await serve({ username: "admin", password: "pw" });
    const s = await open(target(server.port));
    expect(s.prompt.mode).toBe("privileged");
    expect(await s.run("show clock")).toBe("*10:00:00.123 CET Sun Nov 22 2026\n");
    expect(server.received).toEqual([
      "enable",
      "s3cret",
      "terminal length 0",
      "terminal width 0",
      "show clock",
    ]);
  });

  it("reads through a --More-- pager and its backspaces", async () => {
    const server = await serve({ username: "admin", password: "pw" });
    const s = await open(target(server.port));
    expect(await s.run("show paged")).toBe(`${pagedVersion.join("\n")}\n`);
  });

  it("logs in with keyboard-interactive", async () => {
    const server = await serve({ username: "admin", password: "pw", keyboardInteractive: true });
    expect((await open(target(server.port))).prompt.mode).toBe("privileged");
  });

  it("pins the host key on first use and refuses a changed one", async () => {
    const keys = new MemoryHostKeyStore();
    const first = await serve({ username: "admin", password: "pw" });
    (await open(target(first.port), keys)).close();
    expect([...keys.keys.values()][0]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    // Same address and port, another key: a replaced device or a man in the middle.
    const endpoint = [...keys.keys.keys()][0] as string;
    const second = await serve({ username: "admin", password: "pw" });
    keys.keys.set(`127.0.0.1:${second.port}`, keys.keys.get(endpoint) as string);
    await expect(open(target(second.port), keys)).rejects.toMatchObject({
      code: "PK_ERR_IOS_HOSTKEY",
      message: expect.stringContaining("host key of sw1"),
    });
  });

  it("reports a wrong password as an authentication error without the password", async () => {
    const server = await serve({ username: "admin", password: "pw" });
    const err = await open(target(server.port, { password: "wrong-pw-123" })).catch((e: Error) => e);
    expect(err).toMatchObject({ code: "PK_ERR_IOS_AUTH" });
    expect(String((err as Error).message)).not.toContain("wrong-pw-123");
  });

  it("gives a clear error within its timeout for a device that does not answer, or refuses", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    await expect(open(target(port, { connectTimeoutMs: 1000 }))).rejects.toMatchObject({
      code: "PK_ERR_IOS_CONNECT",
      message: expect.stringContaining("timeout after 1 s"),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    silent.close();
    await expect(open(target(port))).rejects.toMatchObject({
      code: "PK_ERR_IOS_CONNECT",
      message: expect.stringContaining("connection refused"),
    });
  });

  it("speaks to an old IOS that only offers SHA-1 key exchange and CBC ciphers when told to", async () => {
    const server = await serve({ username: "admin", password: "pw", legacyOnly: true });
    await expect(open(target(server.port))).rejects.toMatchObject({ code: "PK_ERR_IOS_CONNECT" });
    expect((await open(target(server.port, { legacyAlgorithms: true }))).prompt.mode).toBe("privileged");
  });
});

describe("CLI text", () => {
  it("finds prompts in every mode and not inside output", () => {
    expect(findPrompt("foo\nsw1#")).toMatchObject({ hostname: "sw1", mode: "privileged" });
    expect(findPrompt("foo\r\nsw1(config-if)#")).toMatchObject({ mode: "config", text: "sw1(config-if)#" });
    expect(findPrompt("foo\nrouter>")).toMatchObject({ mode: "user" });
    expect(findPrompt("interface Gi1/0/1\n description a#b\n")).toBeUndefined();
  });

  it("cleans echo, CR, prompt and pager", () => {
    expect(cleanOutput("show x\r\na\r\n --More-- \b\b\b\b\b\b\b\b\b\bb\r\nsw1#", "show x", "sw1#")).toBe(
      "a\nb\n",
    );
  });
});
