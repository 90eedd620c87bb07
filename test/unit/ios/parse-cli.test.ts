import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runParseIos } from "../../../agent/cli/parse.js";
import { main } from "../../../agent/main.js";
import { packageRoot } from "../../../agent/paths.js";
import { invalidInput } from "./fixture-cases.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const stdin = (text: string) => ({
  readFile: () => {
    throw Object.assign(new Error("no"), { code: "ENOENT" });
  },
  readStdin: () => text,
});

describe("patchkast parse ios", () => {
  it("prints the parse of a file as pretty JSON (through the real CLI)", async () => {
    const c = capture();
    const file = join(packageRoot, "test", "fixtures", "ios", "show-archive", "not-enabled-crlf.txt");
    expect(await main(["parse", "ios", "sh arch", file], c.io)).toBe(0);
    expect(JSON.parse(c.out.join("\n"))).toMatchObject({ enabled: false });
    expect(c.out[0]?.startsWith('{\n  "enabled": false')).toBe(true);
  });

  it("reads stdin for -", () => {
    const c = capture();
    expect(runParseIos("sh ip nat trans", "-", c.io, stdin(""))).toBe(0);
    expect(c.out).toEqual(["[]"]);
  });

  it("unknown command: exit 2 with the list of known commands", () => {
    const c = capture();
    expect(runParseIos("show clock", "-", c.io, stdin(""))).toBe(2);
    expect(c.err[0]).toMatch(/no parser for "show clock"/);
    expect(c.err).toContain("  show lldp neighbors detail");
  });

  it("ParseError: exit 1 with the reason, the line and the code", () => {
    const c = capture();
    expect(runParseIos("sh mls qos int", "-", c.io, stdin(invalidInput("show mls qos interface")))).toBe(1);
    expect(c.err.join("\n")).toMatch(
      /stdin at line 3: the device answered "show mls qos interface" with an error/,
    );
    expect(c.err.join("\n")).toMatch(/% Invalid input detected/);
    expect(c.err.join("\n")).toMatch(/PK_ERR_PARSE_DEVICE_ERROR/);
  });

  it("text of another command: exit 1, naming the line", () => {
    const c = capture();
    expect(runParseIos("sh vlan brief", "-", c.io, stdin("Port  Name  Status\nGi1/0/1 x"))).toBe(1);
    expect(c.err[0]).toBe('patchkast parse ios: stdin at line 1: this is not "show vlan brief" output');
    expect(c.err[1]).toMatch(/expected the "VLAN Name Status Ports" header first/);
  });

  it("an unreadable file: exit 1 naming it", () => {
    const c = capture();
    expect(runParseIos("sh ver", "/nonexistent/x.txt", c.io, stdin(""))).toBe(1);
    expect(c.err[0]).toMatch(/cannot read \/nonexistent\/x\.txt: ENOENT/);
  });
});
