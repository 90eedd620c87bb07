import { archiveStamp, iosTime, type LabClock } from "../clock.js";
import { specsFor } from "./commands.js";
import { ConfigSession } from "./config-session.js";
import { blankTree, type CfgNode, clone, nvgen } from "./config-tree.js";
import { FileSystem } from "./flash.js";
import type { Hardware } from "./hardware.js";
import { verifySecret } from "./secrets.js";
import { type DeviceState, deviceState } from "./state.js";
import { isolated, type Surroundings } from "./surroundings.js";

export interface SnmpUser {
  name: string;
  group: string;
  auth: "md5" | "sha" | null;
  authKey: string;
  priv: "des" | "3des" | "aes128" | "aes192" | "aes256" | null;
  privKey: string;
}

/**
 * One simulated IOS device: hardware, running and startup configuration, flash, the configuration
 * archive and the Rollback Confirmed Change timer (Cisco "Configuration Replace and Configuration
 * Rollback" and "Configuration Rollback Confirmed Change", IOS XE 17 System Management guide).
 */
export class IosDevice {
  readonly name: string;
  readonly hw: Hardware;
  readonly clock: LabClock;
  readonly flash: FileSystem;
  readonly nvram: FileSystem;
  running: CfgNode;
  readonly snmpUsers = new Map<string, SnmpUser>();
  /** Archive slots, 1-based by position + 1; null = deleted beyond `maximum`. */
  readonly archive: (string | null)[] = [];
  revert: { backup: string; minutes: number; configuredAt: Date; user: string; cancel(): void } | null = null;
  changedAt: { running: Date | null; saved: Date | null; startup: Date | null; by: string };
  readonly #ifIndexes = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  #state: DeviceState | undefined;
  /** What is plugged in; the lab replaces this. */
  surroundings: Surroundings = isolated;

  constructor(opts: { name: string; hw: Hardware; clock: LabClock; flashDir?: string; nvramDir?: string }) {
    this.name = opts.name;
    this.hw = opts.hw;
    this.clock = opts.clock;
    this.flash = new FileSystem(opts.flashDir);
    this.nvram = new FileSystem(opts.nvramDir, 2_097_152);
    this.running = this.blank();
    this.changedAt = { running: null, saved: null, startup: null, by: "console" };
    let next = Math.max(0, ...opts.hw.ports.map((p) => p.ifIndex)) + 1;
    for (const p of opts.hw.ports) this.#ifIndexes.set(p.name, p.ifIndex);
    this.ifIndex = (name: string) => {
      const found = this.#ifIndexes.get(name);
      if (found !== undefined) return found;
      // Classic Catalyst numbers an SVI by its VLAN (ios_2960x.snmprec: Vlan99 = ifIndex 99).
      const svi = /^Vlan(\d+)$/.exec(name);
      const index = svi && this.hw.kind === "classic" ? Number(svi[1]) : next++;
      this.#ifIndexes.set(name, index);
      return index;
    };
  }

  readonly ifIndex: (name: string) => number;

  blank(): CfgNode {
    const rank = specsFor(this.hw, "global").find((s) => s.syntax.startsWith("interface "))?.rank ?? 0;
    return blankTree(this.hw, rank);
  }

  state(): DeviceState {
    this.#state ??= deviceState(this.running, this.hw, this.ifIndex);
    return this.#state;
  }

  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** The running-config changed (by `user`): stamps, caches, listeners (SNMP agent, neighbours). */
  touched(user: string): void {
    this.changedAt.running = this.clock.now();
    this.changedAt.by = user;
    this.notify();
  }

  notify(): void {
    this.#state = undefined;
    for (const fn of this.#listeners) fn();
  }

  /** A configuration session on the running-config; SNMPv3 users go straight to the user table. */
  session(root = this.running, users = this.snmpUsers): ConfigSession {
    return new ConfigSession(root, this.hw, { snmpUser: (w, remove) => snmpUserLine(users, w, remove) });
  }

  /** A whole configuration text applied to an empty device: the tree and the lines IOS refused. */
  parse(text: string): {
    root: CfgNode;
    users: Map<string, SnmpUser>;
    failed: { line: string; out: string }[];
  } {
    const root = this.blank();
    const users = new Map(this.snmpUsers);
    const s = this.session(root, users);
    const failed: { line: string; out: string }[] = [];
    for (const line of text.split(/\r?\n/)) {
      if (/^end\s*$/.test(line)) break;
      const r = s.apply(line, 0);
      if (r.failed) failed.push({ line: line.trim(), out: r.out });
    }
    return { root, users, failed };
  }

  /** Replaces the running-config with a parsed tree (and its SNMPv3 users). */
  install(root: CfgNode, users: Map<string, SnmpUser>, user: string): void {
    this.running = root;
    this.snmpUsers.clear();
    for (const [k, v] of users) this.snmpUsers.set(k, v);
    this.touched(user);
  }

  snapshot(): CfgNode {
    return clone(this.running);
  }

  /** The configuration as `copy running-config` writes it: `!` header with the change stamps, then the lines. */
  configText(): string {
    const tz = this.state().tz;
    const head = ["!"];
    if (this.changedAt.running)
      head.push(
        `! Last configuration change at ${iosTime(this.changedAt.running, tz)} by ${this.changedAt.by}`,
      );
    if (this.changedAt.saved)
      head.push(
        `! NVRAM config last updated at ${iosTime(this.changedAt.saved, tz)} by ${this.changedAt.by}`,
      );
    if (head.length > 1) head.push("!");
    return `${[...head, ...nvgen(this.running, this.hw)].join("\n")}\n`;
  }

  /** `show running-config`. */
  showRunning(): string {
    const text = this.configText();
    return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(text)} bytes\n${text}`;
  }

  startupConfig(): string | undefined {
    return this.nvram.read("startup-config")?.toString("utf8");
  }

  /** `write memory` / `copy running-config startup-config`; archives when the archive has `write-memory`. */
  save(user: string): void {
    const now = this.clock.now();
    this.changedAt.saved = now;
    this.changedAt.startup = now;
    this.changedAt.by = user;
    this.nvram.write("startup-config", this.configText(), now);
    if (this.state().archive?.writeMemory) this.archiveNow();
    this.notify();
  }

  /** `archive config`: the running-config to `<path>-<n>` (Cisco `archive config`, `show archive`). */
  archiveNow(): string | null {
    const a = this.state().archive;
    if (!a?.path) return null;
    const name = this.nextArchiveName();
    this.flash.write(name, this.configText(), this.clock.now());
    this.archive.push(name);
    const live = this.archive.filter((f) => f !== null);
    if (live.length > a.maximum) {
      const oldest = this.archive.findIndex((f) => f !== null);
      this.flash.delete(this.archive[oldest] as string);
      this.archive[oldest] = null;
    }
    return name;
  }

  /** `$h` is the hostname, `$t` the time; IOS appends `-<n>` (`disk0:myconfig-2` in the Cisco example). */
  nextArchiveName(): string {
    const s = this.state();
    const path = (s.archive?.path ?? "flash:")
      .replace(/\$h/g, s.hostname)
      .replace(/\$t/g, archiveStamp(this.clock.now(), s.tz));
    return `${path}-${this.archive.length + 1}`;
  }

  /** Login check against the local user database (`aaa authentication login default local`). */
  authenticate(username: string, password: string): number | null {
    const u = this.state().users.get(username);
    if (!u || !verifySecret(u.secret, password)) return null;
    // Without `aaa authorization exec` the user's privilege is not applied: the session starts in user EXEC.
    return this.state().authorization ? u.privilege : 1;
  }

  checkEnable(password: string): boolean | null {
    const secret = this.state().enableSecret;
    return secret === null ? null : verifySecret(secret, password);
  }
}

/** `snmp-server user NAME GROUP v3 auth sha A priv aes 128 P` → the agent's user table. */
function snmpUserLine(users: Map<string, SnmpUser>, w: readonly string[], remove: boolean): void {
  const name = w[2] as string;
  if (remove) {
    users.delete(name);
    return;
  }
  const at = (kw: string) => w.indexOf(kw);
  const auth = at("auth") >= 0 ? (w[at("auth") + 1] as "md5" | "sha") : null;
  const privAt = at("priv");
  let priv: SnmpUser["priv"] = null;
  let privKey = "";
  if (privAt >= 0) {
    const kind = w[privAt + 1] as string;
    priv = kind === "aes" ? (`aes${w[privAt + 2]}` as SnmpUser["priv"]) : (kind as "des" | "3des");
    privKey = w[privAt + (kind === "aes" ? 3 : 2)] as string;
  }
  users.set(name, {
    name,
    group: w[3] as string,
    auth,
    authKey: auth ? (w[at("auth") + 2] as string) : "",
    priv,
    privKey,
  });
}
