import type { IosDevice } from "./device.js";
import type { ExecContext, ExecResult } from "./exec.js";
import { FileSystem } from "./flash.js";
import { readConfigFile } from "./replace.js";

/**
 * `copy`, `delete` and `more` on `flash:` / `nvram:` / `system:running-config`, with the questions IOS
 * asks unless `file prompt quiet` is configured (`Destination filename [x]?`, `Do you want to over
 * write? [confirm]`, `Delete filename [x]?`; NAPALM turns `file prompt quiet` on around file operations for
 * this reason: netconfig.md §1.2). Copying a file to `running-config` merges it line by line, printing an
 * `% Invalid input` for each refused line (netconfig.md §0 item 4: merges are not atomic).
 */

const base = (url: string) => FileSystem.key(url).split("/").at(-1) ?? "";

function copied(bytes: number): string {
  return `${bytes} bytes copied in 0.051 secs (${Math.round(bytes / 0.051)} bytes/sec)\n`;
}

function ask(ctx: ExecContext, prompt: string, then: (answer: string) => ExecResult): ExecResult {
  if (ctx.dev.state().filePromptQuiet) return then("");
  return { prompt, echo: true, answer: then };
}

function merge(ctx: ExecContext, text: string): string {
  const session = ctx.dev.session();
  let out = "";
  let changed = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^end\s*$/.test(line)) break;
    const r = session.apply(line, 0);
    if (r.failed) out += `${line.trim()}\n${r.out}`;
    else out += r.out;
    changed ||= r.changed;
  }
  if (changed) ctx.dev.touched(ctx.user);
  return out;
}

export function copy(ctx: ExecContext, src: string, dst: string): ExecResult {
  const dev = ctx.dev;
  const text =
    readConfigFile(dev, src) ??
    (src.startsWith("flash:") ? dev.flash.read(src)?.toString("utf8") : undefined);
  if (text === undefined) return `%Error opening ${src} (No such file or directory)\n`;
  if (dst === "nvram:startup-config") {
    return ask(ctx, "Destination filename [startup-config]? ", () => {
      if (src === "system:running-config") {
        dev.save(ctx.user);
        return "Building configuration...\n[OK]\n";
      }
      dev.nvram.write("startup-config", text, dev.clock.now());
      dev.changedAt.startup = dev.clock.now();
      dev.notify();
      return copied(Buffer.byteLength(text));
    });
  }
  if (dst === "system:running-config") {
    return ask(
      ctx,
      "Destination filename [running-config]? ",
      () => merge(ctx, text) + copied(Buffer.byteLength(text)),
    );
  }
  if (!dst.startsWith("flash:")) return `%Error opening ${dst} (Permission denied)\n`;
  return ask(ctx, `Destination filename [${base(dst)}]? `, (answer) => {
    const target = answer.trim() === "" ? dst : `flash:${answer.trim()}`;
    const write = () => {
      dev.flash.write(target, text, dev.clock.now());
      return copied(Buffer.byteLength(text));
    };
    if (!dev.flash.exists(target) || dev.state().filePromptQuiet) return write();
    return {
      prompt:
        "%Warning:There is a file already existing with this name \nDo you want to over write? [confirm]",
      echo: false,
      answer: (yes) => (/^(y(es)?)?$/i.test(yes.trim()) ? write() : ""),
    };
  });
}

export function deleteFile(ctx: ExecContext, url: string, force: boolean): ExecResult {
  const fs = ctx.dev.flash;
  const shown = `flash:/${FileSystem.key(url)}`;
  if (!fs.exists(url)) return `%Error deleting ${shown} (No such file or directory)\n`;
  const remove = () => {
    fs.delete(url);
    return "";
  };
  if (force) return remove();
  return {
    prompt: `Delete filename [${FileSystem.key(url)}]? `,
    echo: true,
    answer: () => ({
      prompt: `Delete ${shown}? [confirm]`,
      echo: false,
      answer: (yes) => (/^(y(es)?)?$/i.test(yes.trim()) ? remove() : ""),
    }),
  };
}

export function more(dev: IosDevice, url: string): string {
  const text = readConfigFile(dev, url) ?? dev.flash.read(url)?.toString("utf8");
  return text ?? `%Error opening ${url} (No such file or directory)\n`;
}
