import { describe, expect, it } from "vitest";
import { PatchkastError } from "../../../agent/errors.js";
import {
  decodePacket,
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  type TftpPacket,
} from "../../../agent/serve/tftp/packets.js";

const raw = (...parts: Array<number[] | string>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

function decoded(buf: Buffer): TftpPacket {
  const result = decodePacket(buf);
  if (!result.ok) throw new Error(`expected a packet, got: ${result.reason}`);
  return result.packet;
}

function reason(buf: Buffer): string {
  const result = decodePacket(buf);
  if (result.ok) throw new Error(`expected a refusal, got ${result.packet.kind}`);
  return result.reason;
}

describe("decodePacket: requests (RFC 1350 §5, RFC 2347)", () => {
  it("reads an RRQ with options, lower-casing mode and option names, keeping values", () => {
    const packet = decoded(raw([0, 1], "SEP001122334455.cnf.xml\0OCTET\0BlkSize\x001468\0TSIZE\x000\0"));
    expect(packet).toEqual({
      kind: "rrq",
      filename: "SEP001122334455.cnf.xml",
      mode: "octet",
      options: new Map([
        ["blksize", "1468"],
        ["tsize", "0"],
      ]),
    });
  });

  it("reads a WRQ the same way", () => {
    expect(decoded(raw([0, 2], "up.bin\0octet\0"))).toMatchObject({ kind: "wrq", filename: "up.bin" });
  });

  it("keeps the first of a repeated option", () => {
    const packet = decoded(raw([0, 1], "f\0octet\0blksize\x00512\0BLKSIZE\x001468\0"));
    expect(packet.kind === "rrq" && packet.options.get("blksize")).toBe("512");
  });

  it.each([
    ["a missing NUL after the mode", raw([0, 1], "f\0octet"), /not NUL-terminated/],
    ["a missing NUL after the filename", raw([0, 1], "f"), /not NUL-terminated/],
    ["no mode", raw([0, 1], "f\0"), /filename or mode missing/],
    ["an empty filename", raw([0, 1], "\0octet\0"), /empty filename/],
    ["an empty mode", raw([0, 1], "f\0\0"), /empty mode/],
    ["an option without value", raw([0, 1], "f\0octet\0blksize\0"), /has no value/],
    ["an empty option name", raw([0, 1], "f\0octet\0\0x\0"), /empty option name/],
    ["a non-ASCII filename", raw([0, 1], "caf", [0xe9], "\0octet\0"), /non-ASCII byte 0xe9/],
    ["a non-ASCII option value", raw([0, 1], "f\0octet\0blksize\0", [0xff], "\0"), /non-ASCII/],
  ])("refuses an RRQ with %s", (_what, buf, why) => {
    expect(reason(buf)).toMatch(why);
  });
});

describe("decodePacket: DATA, ACK, ERROR, OACK and junk", () => {
  it("reads DATA with its block number and payload, including an empty final block", () => {
    expect(decoded(raw([0, 3, 0xff, 0xff], "abc"))).toEqual({
      kind: "data",
      block: 65535,
      data: Buffer.from("abc"),
    });
    expect(decoded(raw([0, 3, 0, 7]))).toEqual({ kind: "data", block: 7, data: Buffer.alloc(0) });
  });

  it("reads an ACK and tolerates trailing bytes (the block number is all that matters)", () => {
    expect(decoded(raw([0, 4, 1, 2]))).toEqual({ kind: "ack", block: 258 });
    expect(decoded(raw([0, 4, 0, 9, 0, 0]))).toEqual({ kind: "ack", block: 9 });
  });

  it("reads an ERROR, with or without its final NUL", () => {
    expect(decoded(raw([0, 5, 0, 1], "File not found\0"))).toEqual({
      kind: "error",
      code: 1,
      message: "File not found",
    });
    expect(decoded(raw([0, 5, 0, 8], "no"))).toEqual({ kind: "error", code: 8, message: "no" });
  });

  it("reads an OACK", () => {
    expect(decoded(raw([0, 6], "blksize\x001468\0"))).toEqual({
      kind: "oack",
      options: new Map([["blksize", "1468"]]),
    });
  });

  it.each([
    ["empty", raw(), /too short \(0 bytes\)/],
    ["one byte", raw([0]), /too short \(1 bytes\)/],
    ["opcode 0", raw([0, 0, 1, 2]), /unknown opcode 0/],
    ["opcode 7", raw([0, 7]), /unknown opcode 7/],
    ["opcode 256", raw([1, 0, 0, 0]), /unknown opcode 256/],
    ["a 3-byte DATA", raw([0, 3, 0]), /DATA packet shorter/],
    ["a 3-byte ACK", raw([0, 4, 0]), /ACK packet shorter/],
    ["a 2-byte ERROR", raw([0, 5]), /ERROR packet shorter/],
    ["an OACK with a dangling name", raw([0, 6], "blksize\0"), /OACK: option "blksize" has no value/],
  ])("refuses %s", (_what, buf, why) => {
    expect(reason(buf)).toMatch(why);
  });
});

describe("encoders", () => {
  it("round-trip through the decoder", () => {
    const options = new Map([
      ["blksize", "1468"],
      ["windowsize", "8"],
    ]);
    expect(decoded(encodeRequest("rrq", "a/b.cfg", "netascii", options))).toEqual({
      kind: "rrq",
      filename: "a/b.cfg",
      mode: "netascii",
      options,
    });
    expect(decoded(encodeData(65535, Buffer.from("x")))).toEqual({
      kind: "data",
      block: 65535,
      data: Buffer.from("x"),
    });
    expect(decoded(encodeAck(0))).toEqual({ kind: "ack", block: 0 });
    expect(decoded(encodeOack(options))).toEqual({ kind: "oack", options });
    expect(decoded(encodeError(2, "access violation"))).toEqual({
      kind: "error",
      code: 2,
      message: "access violation",
    });
  });

  it("lay out bytes exactly as RFC 1350 §5 draws them", () => {
    expect(encodeAck(258)).toEqual(raw([0, 4, 1, 2]));
    expect(encodeData(1, Buffer.from("hi"))).toEqual(raw([0, 3, 0, 1], "hi"));
    expect(encodeError(1, "nope")).toEqual(raw([0, 5, 0, 1], "nope\0"));
    expect(encodeRequest("rrq", "f", "octet")).toEqual(raw([0, 1], "f\0octet\0"));
  });

  it("refuse block numbers outside 0..65535 with PK_ERR_TFTP_PACKET", () => {
    for (const block of [-1, 65536, 1.5, Number.NaN]) {
      expect(() => encodeAck(block)).toThrow(PatchkastError);
      expect(() => encodeData(block, Buffer.alloc(0))).toThrow(/outside 0\.\.65535/);
    }
  });

  it("refuse NUL or non-ASCII in request fields and empty OACK values", () => {
    expect(() => encodeRequest("rrq", "a\0b", "octet")).toThrow(/not NUL-free ASCII/);
    expect(() => encodeRequest("rrq", "café", "octet")).toThrow(/not NUL-free ASCII/);
    expect(() => encodeRequest("rrq", "", "octet")).toThrow(/filename is empty/);
    expect(() => encodeOack(new Map([["blksize", ""]]))).toThrow(/is empty/);
  });

  it("encodeError never throws: it cleans the text, cuts it and fixes a bad code", () => {
    const packet = decoded(encodeError(70000, `bad\0 ü\n${"x".repeat(1000)}`));
    expect(packet.kind).toBe("error");
    if (packet.kind !== "error") return;
    expect(packet.code).toBe(0);
    expect(packet.message.startsWith("bad? ??")).toBe(true);
    expect(packet.message.length).toBe(200);
  });
});
