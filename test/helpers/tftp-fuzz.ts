/**
 * Seeded generator of hostile TFTP datagrams: mutated valid requests, random bytes, truncations,
 * every opcode with junk behind it, and oversized packets up to the UDP limit.
 */
import {
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
} from "../../agent/serve/tftp/packets.js";

const names = ["SEP001122334455.cnf.xml", "exact-512.bin", "/multi-1468.bin", "../etc/passwd", "nope"];
const modes = ["octet", "netascii", "mail", "OCTET", "binary"];
const optionNames = ["blksize", "tsize", "timeout", "windowsize", "multicast", "BLKSIZE"];
const optionValues = ["0", "8", "1468", "65464", "99999999999", "-1", "", "abc", "1e3"];

type Random = () => number;
const int = (random: Random, below: number) => Math.floor(random() * below);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)] as T;

function randomBytes(random: Random, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = int(random, 256);
  return out;
}

function validPacket(random: Random): Buffer {
  const options = new Map<string, string>();
  for (let i = int(random, 4); i > 0; i--)
    options.set(pick(random, optionNames), pick(random, optionValues) || "0");
  switch (int(random, 6)) {
    case 0:
      return encodeRequest("wrq", pick(random, names), pick(random, modes), options);
    case 1:
      return encodeData(int(random, 65536), randomBytes(random, int(random, 600)));
    case 2:
      return encodeAck(int(random, 65536));
    case 3:
      return encodeError(int(random, 9), "fuzz");
    case 4:
      return encodeOack(new Map([["blksize", "512"]]));
    default:
      return encodeRequest("rrq", pick(random, names), pick(random, modes), options);
  }
}

function mutate(random: Random, packet: Buffer): Buffer {
  let out = Buffer.from(packet);
  for (let n = 1 + int(random, 4); n > 0; n--) {
    const at = int(random, Math.max(out.length, 1));
    switch (int(random, 6)) {
      case 0:
        if (out.length > 0) out[at] = (out[at] as number) ^ (1 << int(random, 8));
        break;
      case 1:
        if (out.length > 0) out[at] = int(random, 256);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
        break;
      case 3:
        out = Buffer.concat([out.subarray(0, at), randomBytes(random, 1 + int(random, 8)), out.subarray(at)]);
        break;
      case 4:
        out = out.subarray(0, at);
        break;
      default:
        out = Buffer.concat([out, out.subarray(0, int(random, out.length + 1))]);
    }
  }
  return out;
}

/** One hostile datagram; about 1 in 100 is between 8 KB and the UDP maximum. */
export function fuzzPacket(random: Random): Buffer {
  const roll = int(random, 100);
  if (roll < 40) return mutate(random, validPacket(random));
  if (roll < 60) return randomBytes(random, int(random, 600));
  if (roll < 75) {
    const packet = validPacket(random);
    return packet.subarray(0, int(random, packet.length + 1));
  }
  if (roll < 90)
    return Buffer.concat([Buffer.from([0, int(random, 9)]), randomBytes(random, int(random, 64))]);
  if (roll < 99) {
    const long = "a".repeat(200 + int(random, 2000));
    return encodeRequest("rrq", pick(random, [long, "exact-512.bin"]), "octet", new Map([["blksize", long]]));
  }
  return randomBytes(random, 8192 + int(random, 65507 - 8192));
}
