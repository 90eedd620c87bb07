import type { IosDevice } from "./device.js";
import type { Kind } from "./hardware.js";
import { configureConfirm, configureReplace, configureRevert, rollbackTimerText } from "./replace.js";
import { dir, showArchive, showArchiveDifferences, showIpDhcpBinding } from "./show/files.js";
import { showCdpNeighborsDetail, showLldpNeighborsDetail } from "./show/neighbors.js";
import { showMlsQosInterface, showPowerInline } from "./show/power.js";
import { showInterfacesStatus, showInterfacesSwitchport, showVlanBrief } from "./show/switching.js";
import { showClock, showInventory, showVersion } from "./show/version.js";
import { copy, deleteFile, more } from "./transfer.js";

/** A question the device asks before it goes on (`Password:`, `Destination filename [x]?`, `[confirm]`). */
export interface Question {
  prompt: string;
  echo: boolean;
  answer(line: string): ExecResult;
}
export type ExecResult = string | Question;

export interface ExecContext {
  dev: IosDevice;
  user: string;
  privilege: number;
  setPrivilege(level: number): void;
  enterConfig(): void;
  setTerminal(what: "length" | "width", value: number): void;
  close(): void;
}

export interface ExecSpec {
  syntax: string;
  /** 1: user EXEC (`>`); 15: privileged EXEC (`#`) only. */
  priv: 1 | 15;
  only?: Kind[];
  run(ctx: ExecContext, words: string[], values: string[]): ExecResult;
}

const switches: Kind[] = ["classic", "c9k"];

/** A command that prints nothing (or `text`) after its side effect. */
const silent =
  (effect: (ctx: ExecContext, words: string[]) => void, text = ""): ExecSpec["run"] =>
  (ctx, words) => {
    effect(ctx, words);
    return text;
  };

/** The `enable` dialogue: three tries, then `% Bad secrets` (IOS behaviour on vty lines). */
function enable(ctx: ExecContext, tries = 1): ExecResult {
  if (ctx.privilege >= 15) return "";
  if (ctx.dev.state().enableSecret === null) return "% No password set\n";
  return {
    prompt: "Password: ",
    echo: false,
    answer: (line) => {
      if (ctx.dev.checkEnable(line)) {
        ctx.setPrivilege(15);
        return "";
      }
      return tries >= 3 ? "% Bad secrets\n\n" : enable(ctx, tries + 1);
    },
  };
}

const replacePrompt =
  "This will apply all necessary additions and deletions\nto replace the current running configuration with the\ncontents of the specified configuration file, which is\nassumed to be a complete configuration, not a partial\nconfiguration. Enter Y if you are sure you want to proceed. ? [no]: ";

function replace(ctx: ExecContext, words: string[]): ExecResult {
  const at = words.findIndex((w) => w === "timer" || w === "time");
  const request = {
    url: words[2] as string,
    list: words.includes("list"),
    revertOnError: words.includes("error"),
    timer: at >= 0 ? Number(words[at + 1]) : null,
    user: ctx.user,
  };
  if (words.includes("force")) return configureReplace(ctx.dev, request);
  return {
    prompt: replacePrompt,
    echo: true,
    answer: (line) => (/^y(es)?$/i.test(line.trim()) ? configureReplace(ctx.dev, request) : ""),
  };
}

const write = (ctx: ExecContext): string => {
  ctx.dev.save(ctx.user);
  return "Building configuration...\n[OK]\n";
};

/**
 * EXEC commands. `show` commands name the IOS command in full, keywords abbreviate as on a device
 * (`sh run`, `sh int sw`), and a Catalyst-only command on a router (or `show mls qos` on a 9000) is
 * `% Invalid input`, as on the real platforms.
 */
export const execSpecs: ExecSpec[] = [
  { syntax: "enable", priv: 1, run: (ctx) => enable(ctx) },
  { syntax: "disable", priv: 15, run: silent((ctx) => ctx.setPrivilege(1)) },
  { syntax: "(exit|logout|quit)", priv: 1, run: silent((ctx) => ctx.close()) },
  {
    syntax: "terminal (length|width) <0-512>",
    priv: 1,
    run: silent((ctx, w) => ctx.setTerminal(w[1] as "length", Number(w[2]))),
  },
  { syntax: "show version", priv: 1, run: (ctx) => showVersion(ctx.dev) },
  { syntax: "show inventory", priv: 1, run: (ctx) => showInventory(ctx.dev) },
  { syntax: "show clock", priv: 1, run: (ctx) => showClock(ctx.dev) },
  {
    syntax: "configure terminal",
    priv: 15,
    run: silent(
      (ctx) => ctx.enterConfig(),
      "Enter configuration commands, one per line.  End with CNTL/Z.\n",
    ),
  },
  {
    syntax:
      "configure replace <url> [nolock] [list] [force] [ignorecase] [(revert trigger [error] [timer <1-120>]|time <1-120>)]",
    priv: 15,
    run: replace,
  },
  { syntax: "configure confirm", priv: 15, run: (ctx) => configureConfirm(ctx.dev) },
  { syntax: "configure revert now", priv: 15, run: (ctx) => configureRevert(ctx.dev, "now") },
  {
    syntax: "configure revert timer <1-120>",
    priv: 15,
    run: (ctx, w) => configureRevert(ctx.dev, Number(w[3])),
  },
  { syntax: "copy <url> <url>", priv: 15, run: (ctx, _w, v) => copy(ctx, v[0] as string, v[1] as string) },
  { syntax: "write [memory]", priv: 15, run: write },
  { syntax: "archive config", priv: 15, run: silent((ctx) => ctx.dev.archiveNow()) },
  { syntax: "dir [<url>]", priv: 15, run: (ctx, _w, v) => dir(ctx.dev, v[0]) },
  {
    syntax: "delete [/force] <url>",
    priv: 15,
    run: (ctx, w, v) => deleteFile(ctx, v[0] as string, w.includes("/force")),
  },
  { syntax: "more <url>", priv: 15, run: (ctx, _w, v) => more(ctx.dev, v[0] as string) },
  { syntax: "show running-config", priv: 15, run: (ctx) => ctx.dev.showRunning() },
  {
    syntax: "show running-config interface <ifname>",
    priv: 15,
    run: (ctx, _w, v) => runningInterface(ctx.dev, v[0] as string),
  },
  {
    syntax: "show startup-config",
    priv: 15,
    run: (ctx) => {
      const text = ctx.dev.startupConfig();
      return text === undefined
        ? "startup-config is not present\n"
        : `Using ${Buffer.byteLength(text)} out of 2097152 bytes\n${text}`;
    },
  },
  { syntax: "show vlan brief", priv: 15, only: switches, run: (ctx) => showVlanBrief(ctx.dev) },
  {
    syntax: "show interfaces switchport",
    priv: 15,
    only: switches,
    run: (ctx) => showInterfacesSwitchport(ctx.dev),
  },
  {
    syntax: "show interfaces <ifname> switchport",
    priv: 15,
    only: switches,
    run: (ctx, _w, v) => showInterfacesSwitchport(ctx.dev, v[0]),
  },
  { syntax: "show interfaces status", priv: 15, only: switches, run: (ctx) => showInterfacesStatus(ctx.dev) },
  {
    syntax: "show power inline [<ifname>]",
    priv: 15,
    only: switches,
    run: (ctx, _w, v) => showPowerInline(ctx.dev, v[0]),
  },
  {
    syntax: "show lldp neighbors [<ifname>] detail",
    priv: 15,
    run: (ctx, _w, v) => showLldpNeighborsDetail(ctx.dev, v[0]),
  },
  {
    syntax: "show cdp neighbors [<ifname>] detail",
    priv: 15,
    run: (ctx, _w, v) => showCdpNeighborsDetail(ctx.dev, v[0]),
  },
  { syntax: "show archive", priv: 15, run: (ctx) => showArchive(ctx.dev) },
  {
    syntax: "show archive config differences [<url> [<url>]]",
    priv: 15,
    run: (ctx, _w, v) => showArchiveDifferences(ctx.dev, v[0], v[1]),
  },
  { syntax: "show archive config rollback timer", priv: 15, run: (ctx) => rollbackTimerText(ctx.dev) },
  {
    syntax: "show mls qos interface [<ifname>]",
    priv: 15,
    only: ["classic"],
    run: (ctx, _w, v) => showMlsQosInterface(ctx.dev, v[0]),
  },
  { syntax: "show ip dhcp binding", priv: 15, only: ["router"], run: (ctx) => showIpDhcpBinding(ctx.dev) },
];

function runningInterface(dev: IosDevice, name: string): string {
  const lines = dev.configText().split("\n");
  const start = lines.indexOf(`interface ${name}`);
  if (start < 0)
    return `                                              ^\n% Invalid input detected at '^' marker.\n`;
  const body = [lines[start] as string];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith(" ")) break;
    body.push(l);
  }
  const text = `!\n${body.join("\n")}\nend\n`;
  return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(text)} bytes\n${text}`;
}
