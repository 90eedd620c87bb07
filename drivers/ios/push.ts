import {
  type ConfigDiffEntry,
  diffConfig,
  parseShowRunningConfig,
  renderConfig,
} from "./parse/show-running-config.js";

/** What push needs from a device connection (an IosSession, or a fake in unit tests). */
export interface IosCli {
  run(command: string, timeoutMs?: number): Promise<string>;
  upload(remotePath: string, content: Buffer): Promise<void>;
  close(): void;
}

/** Where versions are kept (agent/store/config-history.ts). */
export interface PushHistory {
  record(device: string, config: string, message: string): Promise<string | undefined>;
}

export type PushStep =
  | "connect"
  | "backup"
  | "upload"
  | "diff"
  | "replace"
  | "reconnect"
  | "confirm"
  | "save"
  | "record";

export interface PushResult {
  device: string;
  outcome: "applied" | "unchanged" | "dry-run" | "failed";
  /** Running config vs candidate, normalised, hierarchical (what will change / what changed). */
  diff: ConfigDiffEntry[];
  /** The device's own view: `show archive config differences` output. */
  deviceDiff: string;
  message: string;
}

export const candidatePath = "flash:patchkast-candidate.cfg";

/**
 * `configure replace` output that means the candidate did not go in (netconfig.md §1.2, NAPALM's IOS
 * commit checks; §0 item 3: "Rollback aborted after 5 passes" is one NAPALM misses).
 */
const replaceFailure =
  /original configuration has been successfully restored|rollback aborted|not a valid config file|failed|% ?Invalid input|%Error|Please turn config archive on/i;

export interface PushOptions {
  device: string;
  candidate: string;
  connect: () => Promise<IosCli>;
  history: PushHistory;
  /** Minutes before the device restores its old config by itself unless confirmed (IOS: 1-120). */
  revertMinutes?: number;
  dryRun?: boolean;
  onStep?: (step: PushStep) => void;
}

/**
 * Replaces a device's configuration without ever leaving it half-configured (DESIGN.md "Device push
 * safety"): back up the running config into history; upload the candidate; let the device show its own
 * diff; `configure replace … force revert trigger error timer N`; reconnect to prove the device is still
 * reachable with the new config; `configure confirm`; save; record. If anything fails after the replace,
 * nothing is confirmed and the device's revert timer restores the old config by itself.
 */
export async function pushConfig(o: PushOptions): Promise<PushResult> {
  const step = (s: PushStep) => o.onStep?.(s);
  const minutes = o.revertMinutes ?? 5;
  step("connect");
  let cli = await o.connect();
  try {
    step("backup");
    const running = await cli.run("show running-config", 120_000);
    const before = parseShowRunningConfig(running);
    await o.history.record(
      o.device,
      `${renderConfig(before.nodes).join("\n")}\n`,
      `backup of ${o.device} before push`,
    );
    const diff = diffConfig(before.nodes, parseShowRunningConfig(o.candidate).nodes);
    step("upload");
    await cli.upload(candidatePath, Buffer.from(o.candidate, "utf8"));
    step("diff");
    const deviceDiff = await cli.run(
      `show archive config differences system:running-config ${candidatePath}`,
      120_000,
    );
    if (diff.length === 0)
      return {
        device: o.device,
        outcome: "unchanged",
        diff,
        deviceDiff,
        message: "already on the standard config",
      };
    if (o.dryRun)
      return {
        device: o.device,
        outcome: "dry-run",
        diff,
        deviceDiff,
        message: `${diff.length} line(s) would change`,
      };

    step("replace");
    let replaced: string;
    try {
      replaced = await cli.run(
        `configure replace ${candidatePath} force revert trigger error timer ${minutes}`,
        300_000,
      );
    } catch (err) {
      // The session died during the replace: the device either never took the candidate or took it with the
      // revert timer running; unconfirmed, it is back on the old config within `minutes` either way.
      const message = `push to ${o.device} interrupted during configure replace (${(err as Error).message}); not confirmed, so the device keeps or returns to its previous config within ${minutes} min`;
      await o.history.record(o.device, `${renderConfig(before.nodes).join("\n")}\n! ${message}\n`, message);
      return { device: o.device, outcome: "failed", diff, deviceDiff, message };
    }
    const failure = replaceFailure.exec(replaced);
    if (failure) {
      await o.history.record(
        o.device,
        `${renderConfig(before.nodes).join("\n")}\n`,
        `push to ${o.device} failed: the device refused the candidate (${failure[0]}); it restored its previous config`,
      );
      return {
        device: o.device,
        outcome: "failed",
        diff,
        deviceDiff,
        message: `the device refused the candidate: ${failure[0]}`,
      };
    }
    step("reconnect");
    cli.close();
    try {
      cli = await o.connect();
      await cli.run("show clock");
    } catch (err) {
      return {
        device: o.device,
        outcome: "failed",
        diff,
        deviceDiff,
        message: `${o.device} is not reachable with the new config (${(err as Error).message}); not confirmed, so it reverts to the previous config within ${minutes} min`,
      };
    }
    step("confirm");
    await cli.run("configure confirm");
    step("save");
    await cli.run("write memory", 120_000);
    step("record");
    const after = parseShowRunningConfig(await cli.run("show running-config", 120_000));
    await o.history.record(
      o.device,
      `${renderConfig(after.nodes).join("\n")}\n`,
      `push to ${o.device}: standard config applied and confirmed (${diff.length} line(s) changed)`,
    );
    return {
      device: o.device,
      outcome: "applied",
      diff,
      deviceDiff,
      message: `applied and confirmed, ${diff.length} line(s) changed`,
    };
  } finally {
    cli.close();
  }
}
