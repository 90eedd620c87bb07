/**
 * Pure helpers for reading an IOS CLI session: where the prompt is, and what a command printed once the
 * echo, the pager and the terminal's control characters are taken away.
 */

/**
 * An IOS prompt at the end of the output: hostname, optional sub-mode (`(config)`, `(config-if)`, and
 * modes not named config: `(dhcp-config)` in DHCP pool mode, per the Cisco IOS DHCP server guide), then `>` (user EXEC) or `#`
 * (privileged). Hostnames are letters, digits, `.`, `_` and `-` (the C9200L recording in ../shared/field
 * uses `LAB-SW123_9200L#`).
 */
export const promptPattern = /(?:^|[\r\n])([A-Za-z0-9][\w.-]{0,62})(\([a-z][a-z0-9-]*\))?([>#]) ?$/;

export interface Prompt {
  hostname: string;
  mode: "user" | "privileged" | "config";
  text: string;
}

export function findPrompt(buffer: string): Prompt | undefined {
  const m = promptPattern.exec(buffer.replace(/\r/g, ""));
  if (!m) return undefined;
  const hostname = m[1] as string;
  const mode = m[2] ? "config" : m[3] === "#" ? "privileged" : "user";
  return { hostname, mode, text: `${hostname}${m[2] ?? ""}${m[3]}` };
}

/** The pager prompt IOS prints when `terminal length` is not 0, often followed by backspaces that erase it. */
export const morePattern = / ?--More-- ?$/;

/**
 * What the command printed: without its echo on the first line, without the trailing prompt, with CR,
 * backspace erasures and pager remnants removed, and with lines ending in "\n".
 */
export function cleanOutput(raw: string, command: string, prompt: string): string {
  let text = raw.replace(/\r\n?/g, "\n");
  // "--More--" followed by backspaces (or spaces then backspaces) that erase it on the terminal.
  text = text.replace(/ ?--More-- ?(?:\x08+ *\x08*)?/g, "");
  while (/[^\x08\n]\x08/.test(text)) text = text.replace(/[^\x08\n]\x08/g, "");
  text = text.replace(/\x08/g, "").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
  const lines = text.split("\n");
  if (lines[0]?.trim() === command.trim()) lines.shift();
  while (lines.length > 0 && (lines.at(-1)?.trim() === "" || lines.at(-1)?.trim() === prompt)) lines.pop();
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** IOS's way of saying a command does not exist or is incomplete (Cisco IOS CLI, "Understanding CLI error messages"). */
export function cliError(output: string): string | undefined {
  const m = /^% (Invalid input detected|Incomplete command|Ambiguous command|Unknown command)[^\n]*/m.exec(
    output,
  );
  return m?.[0];
}
