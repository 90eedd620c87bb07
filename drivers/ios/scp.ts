import type { Client } from "ssh2";

/**
 * Uploads a file with the SCP sink protocol over an exec channel, the way IOS's `ip scp server enable`
 * takes candidate configurations (netconfig.md §0 item 2: SCP needs AAA and `ip scp server enable`, both
 * in the standard config). Protocol: the sink acks with NUL; we send `C0644 <size> <name>\n`, ack, the
 * bytes and a NUL, ack.
 */
export function scpUpload(
  client: Client,
  remotePath: string,
  content: Buffer,
  timeoutMs = 60_000,
): Promise<void> {
  const name = remotePath.replace(/^.*[:/]/, "");
  return new Promise((resolve, reject) => {
    client.exec(`scp -t ${remotePath}`, (err, channel) => {
      if (err) return reject(new Error(`starting scp to ${remotePath}: ${err.message}`));
      const steps = [
        () => channel.write(`C0644 ${content.length} ${name}\n`),
        () => {
          channel.write(content);
          channel.write(Buffer.from([0]));
        },
        () => {
          channel.end();
          done();
        },
      ];
      let step = 0;
      let finished = false;
      const timer = setTimeout(
        () => fail(new Error(`scp to ${remotePath}: no answer after ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const done = () => {
        finished = true;
        clearTimeout(timer);
        resolve();
      };
      const fail = (e: Error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        channel.close();
        reject(e);
      };
      channel.on("data", (d: Buffer) => {
        if (d[0] !== 0)
          return fail(
            new Error(
              `scp to ${remotePath} refused: ${d
                .toString("latin1")
                .replace(/^[\x01\x02]/, "")
                .trim()}`,
            ),
          );
        steps[step++]?.();
      });
      channel.on("close", () => {
        if (!finished) fail(new Error(`scp to ${remotePath}: the device closed the channel`));
      });
    });
  });
}
