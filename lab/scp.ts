import type { ServerChannel } from "ssh2";
import type { IosDevice } from "./device/device.js";
import { FileSystem } from "./device/flash.js";

/**
 * The SCP server of IOS (`ip scp server enable`) in sink mode: the client runs `scp -t <target>` over an
 * exec channel and the two sides speak the classic rcp/scp protocol (OpenSSH scp.c, `sink()`): the server
 * sends `\0` when ready; the client sends `C<mode> <size> <name>\n`; `\0`; then <size> bytes and a `\0`;
 * `\0` again. A `\x01<message>\n` is a warning, `\x02…` fatal. IOS needs AAA for SCP ("SCP relies on
 * authentication, authorization, and accounting (AAA) to function correctly", Cisco SSHv2 guide) and
 * privilege 15 (napalm #1296: "SCPException: Privilege denied").
 */
export function scpSink(
  dev: IosDevice,
  privilege: number,
  command: string,
  channel: ServerChannel,
  done: (status: number) => void,
): void {
  const args = command.trim().split(/\s+/).slice(1);
  const target = args.filter((a) => !a.startsWith("-")).at(-1);
  const sink = args.includes("-t");
  const s = dev.state();
  let finished = false;
  const finish = (status: number) => {
    if (finished) return;
    finished = true;
    done(status);
  };
  const fail = (message: string) => {
    channel.write(`\x01scp: ${message}\n`);
    finish(1);
  };
  const refusal = !s.scp
    ? "SCP server is not enabled (ip scp server enable)"
    : !sink || !target
      ? "only sink mode (scp -t <file>) is supported"
      : !s.authorization || privilege < 15
        ? "Privilege denied."
        : !/^(flash|bootflash):/.test(target) && target.includes(":")
          ? `${target}: Permission denied`
          : null;
  if (refusal !== null || !target) {
    fail(refusal ?? "no target");
    return;
  }
  let buffer = Buffer.alloc(0);
  let pending: { name: string; size: number } | null = null;
  const ack = () => channel.write(Buffer.from([0]));
  channel.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!pending) {
        const nl = buffer.indexOf(0x0a);
        if (nl < 0) return;
        const header = buffer.subarray(0, nl).toString("utf8");
        buffer = buffer.subarray(nl + 1);
        if (header.startsWith("T")) {
          ack();
          continue;
        }
        const m = /^C([0-7]{4}) (\d+) (.+)$/.exec(header);
        if (!m) return fail(`protocol error: ${JSON.stringify(header.slice(0, 40))}`);
        pending = { name: m[3] as string, size: Number(m[2]) };
        ack();
        continue;
      }
      if (buffer.length < pending.size + 1) return;
      const data = buffer.subarray(0, pending.size);
      buffer = buffer.subarray(pending.size + 1);
      const key = FileSystem.key(target);
      const path =
        key === "" || key.endsWith("/") || dev.flash.isDirectory(key)
          ? `${key.replace(/\/?$/, key ? "/" : "")}${pending.name}`
          : key;
      dev.flash.write(path, Buffer.from(data), dev.clock.now());
      pending = null;
      ack();
    }
  });
  channel.on("end", () => finish(0));
  ack();
}
