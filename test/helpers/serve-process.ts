import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { packageRoot } from "../../agent/paths.js";

/** `patchkast` as a real process: the build in dist/ when present (as in Docker), else from source. */
export function patchkastCommand(): string[] {
  const built = join(packageRoot, "dist/agent/main.js");
  return existsSync(built) ? [built] : ["--import", "tsx", join(packageRoot, "agent/main.ts")];
}

export interface ServeProcess {
  child: ChildProcess;
  tftpPort: number;
  httpPort: number;
  logs: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

/**
 * Starts `patchkast serve`, waits for its "patchkast serving" log line and reads the ports from it.
 * Monitoring is off unless `monitor: true`: the example sites' devices and SIP proxy are addresses off
 * this machine, and tests send nothing beyond loopback.
 */
export function startServeProcess(
  args: string[],
  opts: { wrap?: string[]; env?: NodeJS.ProcessEnv; monitor?: boolean } = {},
): Promise<ServeProcess> {
  const cmd = [
    ...(opts.wrap ?? []),
    process.execPath,
    ...patchkastCommand(),
    "serve",
    ...args,
    ...(opts.monitor === true ? [] : ["--no-monitor"]),
  ];
  const child = spawn(cmd[0] as string, cmd.slice(1), {
    cwd: packageRoot,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s: ${stderr}`)), 30_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`serve exited with ${code}: ${stderr}`), { code, stderr }));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(rec);
      if (rec.msg === "patchkast serving") {
        clearTimeout(timer);
        resolve({
          child,
          tftpPort: (rec.tftp as { port: number }).port,
          httpPort: (rec.http as { port: number }).port,
          logs,
          stop: async () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
  });
}
