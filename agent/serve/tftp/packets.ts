/**
 * Pure encoding and decoding of TFTP packets (RFC 1350 §5, RFC 2347 for options and OACK).
 * Decoding never throws: whatever arrives from the network becomes either a packet or a reason,
 * so the server can answer with ERROR 4 or drop it. Encoding throws a PatchkastError for values a
 * caller should never pass (a block number outside 0..65535), except encodeError, which is used on
 * error paths and therefore cleans its message instead of throwing.
 */
import { PatchkastError } from "../../errors.js";

/** RFC 1350 §5 opcodes, plus OACK from RFC 2347. */
export const Opcode = { rrq: 1, wrq: 2, data: 3, ack: 4, error: 5, oack: 6 } as const;

/** RFC 1350 appendix error codes, plus 8 (option negotiation refused) from RFC 2347. */
export const TftpErrorCode = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  diskFull: 3,
  illegalOperation: 4,
  unknownTid: 5,
  fileExists: 6,
  noSuchUser: 7,
  optionRefused: 8,
} as const;

export type RequestPacket = {
  kind: "rrq" | "wrq";
  filename: string;
  /** Lower-cased: RFC 1350 §5 says modes are case-insensitive. */
  mode: string;
  /** Option names lower-cased (RFC 2347: case-insensitive); first occurrence wins. */
  options: ReadonlyMap<string, string>;
};

export type TftpPacket =
  | RequestPacket
  | { kind: "data"; block: number; data: Buffer }
  | { kind: "ack"; block: number }
  | { kind: "error"; code: number; message: string }
  | { kind: "oack"; options: ReadonlyMap<string, string> };

export type DecodeResult = { ok: true; packet: TftpPacket } | { ok: false; reason: string };

const fail = (reason: string): DecodeResult => ({ ok: false, reason });

/** Decodes one UDP payload. */
export function decodePacket(buf: Buffer): DecodeResult {
  if (buf.length < 2) return fail(`packet too short (${buf.length} bytes)`);
  const opcode = buf.readUInt16BE(0);
  switch (opcode) {
    case Opcode.rrq:
    case Opcode.wrq:
      return decodeRequest(opcode === Opcode.rrq ? "rrq" : "wrq", buf);
    case Opcode.data:
      if (buf.length < 4) return fail("DATA packet shorter than 4 bytes");
      return { ok: true, packet: { kind: "data", block: buf.readUInt16BE(2), data: buf.subarray(4) } };
    case Opcode.ack:
      // RFC 1350 fixes ACK at 4 bytes. Trailing bytes are tolerated: the block number is all we need,
      // and dropping a padded ACK would cost the client a timeout for nothing.
      if (buf.length < 4) return fail("ACK packet shorter than 4 bytes");
      return { ok: true, packet: { kind: "ack", block: buf.readUInt16BE(2) } };
    case Opcode.error:
      return decodeError(buf);
    case Opcode.oack:
      return decodeOack(buf);
    default:
      return fail(`unknown opcode ${opcode}`);
  }
}

/** Splits NUL-terminated ASCII strings starting at `offset`; every string must be terminated. */
export function splitStrings(
  buf: Buffer,
  offset: number,
): { ok: true; strings: string[] } | { ok: false; reason: string } {
  const strings: string[] = [];
  let start = offset;
  for (let i = offset; i < buf.length; i++) {
    const byte = buf[i] as number;
    if (byte === 0) {
      strings.push(buf.toString("latin1", start, i));
      start = i + 1;
    } else if (byte > 0x7f) {
      return { ok: false, reason: `non-ASCII byte 0x${byte.toString(16)} at offset ${i}` };
    }
  }
  if (start !== buf.length) return { ok: false, reason: "last string is not NUL-terminated" };
  return { ok: true, strings };
}

function decodeOptionPairs(
  strings: string[],
): { ok: true; options: Map<string, string> } | { ok: false; reason: string } {
  if (strings.length % 2 !== 0) return { ok: false, reason: `option "${strings.at(-1)}" has no value` };
  const options = new Map<string, string>();
  for (let i = 0; i < strings.length; i += 2) {
    const name = (strings[i] as string).toLowerCase();
    if (name === "") return { ok: false, reason: "empty option name" };
    if (!options.has(name)) options.set(name, strings[i + 1] as string);
  }
  return { ok: true, options };
}

function decodeRequest(kind: "rrq" | "wrq", buf: Buffer): DecodeResult {
  const split = splitStrings(buf, 2);
  if (!split.ok) return fail(`${kind.toUpperCase()}: ${split.reason}`);
  const [filename, mode, ...rest] = split.strings;
  if (filename === undefined || mode === undefined)
    return fail(`${kind.toUpperCase()}: filename or mode missing`);
  if (filename === "") return fail(`${kind.toUpperCase()}: empty filename`);
  if (mode === "") return fail(`${kind.toUpperCase()}: empty mode`);
  const pairs = decodeOptionPairs(rest);
  if (!pairs.ok) return fail(`${kind.toUpperCase()}: ${pairs.reason}`);
  return { ok: true, packet: { kind, filename, mode: mode.toLowerCase(), options: pairs.options } };
}

function decodeError(buf: Buffer): DecodeResult {
  if (buf.length < 4) return fail("ERROR packet shorter than 4 bytes");
  // Lenient on purpose: some clients omit the final NUL, and an ERROR only ever ends a transfer,
  // so reading it generously is safer than ignoring a peer that wants to stop.
  const end = buf.indexOf(0, 4);
  const message = buf.toString("latin1", 4, end === -1 ? buf.length : end);
  return { ok: true, packet: { kind: "error", code: buf.readUInt16BE(2), message } };
}

function decodeOack(buf: Buffer): DecodeResult {
  const split = splitStrings(buf, 2);
  if (!split.ok) return fail(`OACK: ${split.reason}`);
  const pairs = decodeOptionPairs(split.strings);
  if (!pairs.ok) return fail(`OACK: ${pairs.reason}`);
  return { ok: true, packet: { kind: "oack", options: pairs.options } };
}

function checkBlock(block: number): void {
  if (!Number.isInteger(block) || block < 0 || block > 0xffff) {
    throw new PatchkastError("PK_ERR_TFTP_PACKET", `block number ${block} is outside 0..65535`);
  }
}

function checkField(what: string, value: string, allowEmpty = false): void {
  if (!allowEmpty && value === "") throw new PatchkastError("PK_ERR_TFTP_PACKET", `${what} is empty`);
  if (!/^[\x01-\x7f]*$/.test(value)) {
    throw new PatchkastError("PK_ERR_TFTP_PACKET", `${what} ${JSON.stringify(value)} is not NUL-free ASCII`);
  }
}

function stringsToBuffer(opcode: number, strings: readonly string[]): Buffer {
  const parts = [u16pair(opcode)];
  for (const s of strings) parts.push(Buffer.from(`${s}\0`, "latin1"));
  return Buffer.concat(parts);
}

function u16pair(a: number, b?: number): Buffer {
  const out = Buffer.alloc(b === undefined ? 2 : 4);
  out.writeUInt16BE(a, 0);
  if (b !== undefined) out.writeUInt16BE(b, 2);
  return out;
}

/** RRQ or WRQ with optional RFC 2347 options, in the order given. */
export function encodeRequest(
  kind: "rrq" | "wrq",
  filename: string,
  mode: string,
  options: ReadonlyMap<string, string> = new Map(),
): Buffer {
  checkField("filename", filename);
  checkField("mode", mode);
  const strings = [filename, mode];
  for (const [name, value] of options) {
    checkField("option name", name);
    checkField(`option ${name} value`, value, true);
    strings.push(name, value);
  }
  return stringsToBuffer(kind === "rrq" ? Opcode.rrq : Opcode.wrq, strings);
}

export function encodeData(block: number, payload: Buffer): Buffer {
  checkBlock(block);
  return Buffer.concat([u16pair(Opcode.data, block), payload]);
}

export function encodeAck(block: number): Buffer {
  checkBlock(block);
  return u16pair(Opcode.ack, block);
}

/** Longest error text we send; keeps every ERROR inside the classic 512-byte packet. */
export const maxErrorMessageLength = 200;

/** Never throws: non-printable characters become "?" and long messages are cut. */
export function encodeError(code: number, message: string): Buffer {
  const safeCode = Number.isInteger(code) && code >= 0 && code <= 0xffff ? code : TftpErrorCode.notDefined;
  const text = message.replace(/[^\x20-\x7e]/g, "?").slice(0, maxErrorMessageLength);
  return Buffer.concat([u16pair(Opcode.error, safeCode), Buffer.from(`${text}\0`, "latin1")]);
}

export function encodeOack(options: ReadonlyMap<string, string>): Buffer {
  const strings: string[] = [];
  for (const [name, value] of options) {
    checkField("option name", name);
    checkField(`option ${name} value`, value);
    strings.push(name, value);
  }
  return stringsToBuffer(Opcode.oack, strings);
}
