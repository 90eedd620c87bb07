/**
 * The IOS session driver reads a real switch: the recorded SSH session of a Catalyst 9200L
 * (../shared/field/configs/oxidized_C9200L-24P-4G_17.09.04a_simulation.yaml) replayed by an SSH server.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../../agent/paths.js";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { IosSession } from "../../drivers/ios/session.js";
import { type Recording, type ReplayServer, startReplayServer } from "../helpers/replay-ssh-server.js";

const file = join(
  packageRoot,
  "..",
  "shared",
  "field",
  "configs",
  "oxidized_C9200L-24P-4G_17.09.04a_simulation.yaml",
);
const present = existsSync(file);
if (!present)
  console.warn(`field SSH session test skipped: ${file} is absent (../shared/field beside the checkout)`);

describe.runIf(present)("the C9200L recording through the IOS session driver", () => {
  const recording = present
    ? (parse(readFileSync(file, "utf8")) as Recording)
    : { init_prompt: "", commands: {} };
  const answer = (cmd: string) =>
    (recording.commands[`${cmd}\n`] ?? "").split("\n").slice(1, -1).join("\n").trimEnd();
  let server: ReplayServer;
  let session: IosSession;
  beforeAll(async () => {
    server = await startReplayServer(recording, { username: "oxidized", password: "pw" });
    session = await IosSession.open(
      { name: "LAB-SW123_9200L", host: "127.0.0.1", port: server.port, username: "oxidized", password: "pw" },
      new MemoryHostKeyStore(),
    );
  });
  afterAll(async () => {
    session?.close();
    await server?.close();
  });

  it("finds the privileged prompt and switches the pager off", () => {
    expect(session.prompt).toEqual({
      hostname: "LAB-SW123_9200L",
      mode: "privileged",
      text: "LAB-SW123_9200L#",
    });
    expect(server.received.slice(0, 2)).toEqual(["terminal length 0", "terminal width 0"]);
  });

  it.each(["show version", "show vtp status", "show inventory", "show running-config"])(
    "reads %s exactly as the device printed it",
    async (cmd) => {
      const out = await session.run(cmd);
      expect(out.trimEnd()).toBe(answer(cmd));
      expect(out.length).toBeGreaterThan(100);
    },
  );

  it("gets IOS's own error for a command the device does not know", async () => {
    const out = await session.run("show nonsense");
    expect(out).toContain("% Invalid input detected at '^' marker.");
  });
});
