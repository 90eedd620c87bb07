import { iosTime } from "../clock.js";
import { replaceCommands } from "./config-diff.js";
import type { IosDevice } from "./device.js";

/**
 * `configure replace` and Rollback Confirmed Change, as Cisco documents them ("Configuration Replace and
 * Configuration Rollback"; "Configuration Rollback Confirmed Change", IOS XE 17 System Management
 * configuration guide) and as devices print them (transcripts in napalm #135 and PR #1701):
 * - the file must be a complete configuration (a `version` line and `end`: NAPALM docs/support/ios.rst);
 * - `revert trigger` and `time`/`timer` need the archive (`%Please turn config archive on…`);
 * - with a timer, the running-config is first backed up to the archive ("Rollback Confirmed Change:
 *   Backing up current running config to …"), and reverted to that backup when the timer expires unless
 *   `configure confirm` came first; the timer belongs to the device, not to the session that started it;
 * - a refused line with `revert trigger error` restores the original at once ("Failed to apply command …
 *   The original configuration has been successfully restored."); without it, the rest stays applied
 *   ("Rollback aborted after 5 passes / The following commands are failed to apply to the IOS image.").
 */

export interface ReplaceRequest {
  url: string;
  list: boolean;
  revertOnError: boolean;
  /** Minutes of `revert trigger … timer N` / `time N`; null without a timer. */
  timer: number | null;
  user: string;
}

export function readConfigFile(dev: IosDevice, url: string): string | undefined {
  if (url === "system:running-config") return dev.configText();
  if (url === "nvram:startup-config") return dev.startupConfig();
  if (url.startsWith("flash:") || url.startsWith("bootflash:")) return dev.flash.read(url)?.toString("utf8");
  return undefined;
}

export function configureReplace(dev: IosDevice, r: ReplaceRequest): string {
  const text = readConfigFile(dev, r.url);
  if (text === undefined) return `%Error opening ${r.url} (No such file or directory)\n`;
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (!lines.includes("end") || !lines.some((l) => l.startsWith("version ")))
    return "%The input file is not a valid config file.\n";
  const confirmed = r.revertOnError || r.timer !== null;
  if (confirmed && !dev.state().archive?.path)
    return "%Please turn config archive on before using Rollback Confirmed Change\n";
  if (r.timer !== null && dev.revert)
    return "%Rollback Confirmed Change is in progress; enter configure confirm or configure revert now first\n";
  const before = dev.configText();
  const parsed = dev.parse(text);
  let out = "";
  const backup = confirmed ? dev.archiveNow() : null;
  if (r.timer !== null)
    out += `Rollback Confirmed Change: Backing up current running config to ${backup}\n\n`;
  const commands = replaceCommands(before, text);
  if (r.list) out += `!Pass 1\n!List of Rollback Commands:\n${[...commands, "end"].join("\n")}\n\n`;
  const failed = parsed.failed.map((f) => f.line);
  if (failed.length === 0) {
    dev.install(parsed.root, parsed.users, r.user);
    if (r.timer !== null) startTimer(dev, backup as string, r.timer, r.user);
    return `${out}Total number of passes: ${commands.length === 0 ? 0 : 1}\nRollback Done\n\n`;
  }
  if (r.revertOnError) {
    return `${out}Failed to apply command ${failed[0]}\nAborting Rollback.\n\nRollback failed.Reverting back to the original configuration: ${backup} ...\n\nTotal number of passes: 1\nRollback Done\n\nThe original configuration has been successfully restored.\n`;
  }
  dev.install(parsed.root, parsed.users, r.user);
  const list = failed.join("\n");
  return `${out}The rollback configlet from the last pass is listed below:\n********\n!List of Rollback Commands:\n${list}\nend\n********\n\n\nRollback aborted after 5 passes\nThe following commands are failed to apply to the IOS image.\n********\n${list}\n********\n\n`;
}

function startTimer(dev: IosDevice, backup: string, minutes: number, user: string): void {
  const timer = dev.clock.after(minutes, () => rollbackNow(dev));
  dev.revert = { backup, minutes, configuredAt: dev.clock.now(), user, cancel: () => timer.cancel() };
}

/** The timer expired, or `configure revert now`: back to the configuration saved before the replace. */
export function rollbackNow(dev: IosDevice): void {
  const pending = dev.revert;
  if (!pending) return;
  pending.cancel();
  dev.revert = null;
  const text = dev.flash.read(pending.backup)?.toString("utf8");
  if (text === undefined) return;
  const parsed = dev.parse(text);
  dev.install(parsed.root, parsed.users, pending.user);
}

const none = "%No Rollback Confirmed Change pending\n";

export function configureConfirm(dev: IosDevice): string {
  if (!dev.revert) return none;
  dev.revert.cancel();
  dev.revert = null;
  return "";
}

/** `configure revert now` or `configure revert timer <minutes>` (a new absolute timer from now). */
export function configureRevert(dev: IosDevice, minutes: number | "now"): string {
  const pending = dev.revert;
  if (!pending) return none;
  if (minutes === "now") rollbackNow(dev);
  else {
    pending.cancel();
    startTimer(dev, pending.backup, minutes, pending.user);
  }
  return "";
}

/** `show archive config rollback timer` (Cisco IOS Configuration Fundamentals Command Reference example). */
export function rollbackTimerText(dev: IosDevice): string {
  const p = dev.revert;
  if (!p) return none;
  return [
    `Time configured(or reconfigured): ${iosTime(p.configuredAt, dev.state().tz)}`,
    "Timer type: absolute timer",
    `Timer value: ${p.minutes} min`,
    `User: ${p.user}`,
    "",
  ].join("\n");
}
