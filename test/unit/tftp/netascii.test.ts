import { describe, expect, it } from "vitest";
import { fromNetascii, toNetascii } from "../../../agent/serve/tftp/netascii.js";

describe("netascii (RFC 1350 §5, NVT line ends)", () => {
  it("turns LF into CR LF and a bare CR into CR NUL", () => {
    expect(toNetascii(Buffer.from("a\nb\rc\r\n"))).toEqual(Buffer.from("a\r\nb\r\0c\r\0\r\n", "latin1"));
  });

  it("leaves text without CR or LF untouched (same buffer, no copy)", () => {
    const text = Buffer.from("no line ends");
    expect(toNetascii(text)).toBe(text);
  });

  it("round-trips any bytes through toNetascii and fromNetascii", () => {
    const all = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));
    expect(fromNetascii(toNetascii(all))).toEqual(all);
    expect(fromNetascii(toNetascii(Buffer.from("\r\r\n\n\r")))).toEqual(Buffer.from("\r\r\n\n\r"));
  });
});
