import { describe, expect, it } from "vitest";
import { negotiateOptions } from "../../../agent/serve/tftp/options.js";

const limits = { maxBlksize: 65464, maxWindowsize: 64 };
const ask = (pairs: Record<string, string>, size = 1000, lim = limits) =>
  negotiateOptions(new Map(Object.entries(pairs)), lim, size);

describe("negotiateOptions", () => {
  it("without options: RFC 1350 defaults and no OACK", () => {
    expect(ask({})).toEqual({ blksize: 512, windowsize: 1, timeoutMs: undefined, oack: new Map() });
  });

  it("grants blksize 8..65464 and clamps to maxBlksize or the RFC 2348 ceiling", () => {
    expect(ask({ blksize: "8" }).blksize).toBe(8);
    expect(ask({ blksize: "1468" }).oack).toEqual(new Map([["blksize", "1468"]]));
    expect(ask({ blksize: "65464" }).blksize).toBe(65464);
    expect(ask({ blksize: "99999" }).oack.get("blksize")).toBe("65464");
    expect(ask({ blksize: "9000" }, 1, { ...limits, maxBlksize: 1468 }).oack.get("blksize")).toBe("1468");
  });

  it.each(["7", "0", "-1", "abc", "", " 512", "1e3", "512.0", "0x200"])("ignores blksize %j", (value) => {
    const result = ask({ blksize: value });
    expect(result.blksize).toBe(512);
    expect(result.oack.has("blksize")).toBe(false);
  });

  it("grants windowsize 1..65535, clamped to maxWindowsize (RFC 7440 §3)", () => {
    expect(ask({ windowsize: "1" }).windowsize).toBe(1);
    expect(ask({ windowsize: "8" }).oack.get("windowsize")).toBe("8");
    expect(ask({ windowsize: "65535" }).oack.get("windowsize")).toBe("64");
    expect(ask({ windowsize: "16" }, 1, { ...limits, maxWindowsize: 4 }).windowsize).toBe(4);
  });

  it.each(["0", "65536", "x", "-8"])("ignores windowsize %j", (value) => {
    expect(ask({ windowsize: value }).oack.has("windowsize")).toBe(false);
  });

  it("accepts timeout 1..255 s unchanged (RFC 2349) and ignores anything else", () => {
    expect(ask({ timeout: "1" })).toMatchObject({ timeoutMs: 1000, oack: new Map([["timeout", "1"]]) });
    expect(ask({ timeout: "255" }).timeoutMs).toBe(255_000);
    for (const bad of ["0", "256", "1.5", "", "three"]) expect(ask({ timeout: bad }).oack.size).toBe(0);
  });

  it("answers tsize with the size that will go on the wire", () => {
    expect(ask({ tsize: "0" }, 5_242_880).oack).toEqual(new Map([["tsize", "5242880"]]));
    expect(ask({ tsize: "0" }, 0).oack.get("tsize")).toBe("0");
    expect(ask({ tsize: "nope" }).oack.size).toBe(0);
  });

  it("ignores unknown options and keeps the client's order in the OACK", () => {
    const result = ask({
      multicast: "",
      tsize: "0",
      rollover: "0",
      windowsize: "8",
      blksize: "1468",
      utimeout: "5",
    });
    expect([...result.oack.keys()]).toEqual(["tsize", "windowsize", "blksize"]);
    expect(result).toMatchObject({ blksize: 1468, windowsize: 8 });
  });
});
