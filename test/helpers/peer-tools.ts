import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Whether a program is on the PATH (or in /usr/sbin and /usr/bin, where Debian puts kamailio and in.tftpd
 * and which a non-root PATH may lack); peer tests skip (with the package named) when it is not.
 */
export function onPath(binary: string): boolean {
  return [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin"].some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs a program to completion (killed after 60 s), never rejecting: exit code and all output. */
export function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, timeout: 60_000, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** tftp-hpa and BSD tftp share the binary name; only tftp-hpa takes "-c get" the way we call it. */
export function isTftpHpa(): boolean {
  if (!onPath("tftp")) return false;
  const version = spawnSync("tftp", ["-V"], { encoding: "utf8", timeout: 10_000 });
  return `${version.stdout}${version.stderr}`.includes("tftp-hpa");
}

/**
 * Why a test that captures SIPp's calls with tcpdump cannot run here, or "" when it can: both programs
 * installed (Debian sip-tester, tcpdump) and root (or CAP_NET_RAW) for the capture.
 */
export function sippCaptureSkipReason(): string {
  const missing = ["sipp", "tcpdump"].filter((p) => !onPath(p));
  if (missing.length > 0) return `${missing.join(", ")} not installed (apt-get install sip-tester tcpdump)`;
  return process.getuid?.() === 0 ? "" : "tcpdump needs root or CAP_NET_RAW";
}
