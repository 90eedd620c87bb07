/**
 * Streaming reader of the classic libpcap savefile format, as `tcpdump -w -` writes it
 * (pcap-savefile(5); draft-ietf-opsawg-pcap-02 §4 "File Header", §5 "Packet Record"). Pure: bytes in
 * any chunking, records out. Only the file header and the record framing can fail: once a record
 * length is impossible the stream cannot be framed again, so both are a PcapFormatError. Everything
 * inside a record is the caller's to count and skip (packets.ts).
 */
import { PatchkastError } from "../../agent/errors.js";

/** §4: seconds + microseconds; the "modified" nanosecond magic from libpcap 1.5 on. */
export const MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const MAGIC_NANOSECONDS = 0xa1b23c4d;
const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
/** libpcap's MAXIMUM_SNAPLEN: it refuses records above this as a "bogus savefile header" too. */
export const MAX_RECORD_BYTES = 262_144;

export interface PcapHeader {
  littleEndian: boolean;
  nanoseconds: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  /** Lower 16 bits of the LinkType field (§4). */
  linkType: number;
  /** Bytes of FCS at the end of every frame, when the file says so (libpcap LT_FCS_LENGTH, 16-bit units). */
  fcsBytes: number;
}

export interface PcapRecord {
  /** Capture time in milliseconds since the epoch (fractional). */
  timeMs: number;
  /** The captured bytes (incl_len), FCS removed. */
  data: Buffer;
  /** The length on the wire (orig_len); larger than data when the snaplen cut the packet. */
  originalLength: number;
}

/** A stream that is not pcap, or whose framing is lost. Never carries packet bytes, only offsets. */
export class PcapFormatError extends PatchkastError {
  constructor(message: string, details: readonly string[] = []) {
    super("PK_ERR_CAPTURE_FORMAT", message, { details });
    this.name = "PcapFormatError";
  }
}

/** Parses the 24-byte file header (§4); the magic tells byte order and timestamp resolution. */
export function parseGlobalHeader(b: Buffer): PcapHeader {
  if (b.length < GLOBAL_HEADER_BYTES)
    throw new PcapFormatError(`pcap file header is ${b.length} bytes, needs ${GLOBAL_HEADER_BYTES}`);
  const le = b.readUInt32LE(0);
  const be = b.readUInt32BE(0);
  const littleEndian = le === MAGIC_MICROSECONDS || le === MAGIC_NANOSECONDS;
  if (!littleEndian && be !== MAGIC_MICROSECONDS && be !== MAGIC_NANOSECONDS) {
    const hint = b.readUInt32BE(0) === 0x0a0d0d0a ? " (this is pcapng; use tcpdump -w, not dumpcap)" : "";
    throw new PcapFormatError(`not a pcap stream: magic 0x${be.toString(16).padStart(8, "0")}${hint}`, [
      "expected a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), in either byte order",
    ]);
  }
  const u16 = (at: number) => (littleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at: number) => (littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const versionMajor = u16(4);
  const versionMinor = u16(6);
  // §4: the current version is 2.4; 2.2 and 2.3 differ only in record-header details libpcap fixes up.
  if (versionMajor !== 2)
    throw new PcapFormatError(`unsupported pcap version ${versionMajor}.${versionMinor}`, ["expected 2.x"]);
  const linkField = u32(20);
  // libpcap pcap/pcap.h: LT_FCS_LENGTH_PRESENT(x) = x & 0x04000000, LT_FCS_LENGTH(x) = (x & 0xF0000000) >> 28.
  const fcsBytes = linkField & 0x04000000 ? ((linkField >>> 28) & 0xf) * 2 : 0;
  return {
    littleEndian,
    nanoseconds: (littleEndian ? le : be) === MAGIC_NANOSECONDS,
    versionMajor,
    versionMinor,
    snaplen: u32(16),
    linkType: linkField & 0xffff,
    fcsBytes,
  };
}

/**
 * Frames a pcap byte stream into records. Chunks are kept in a list and joined only once the next
 * header or record is complete, so a stream arriving one byte at a time costs O(n), not O(n²).
 */
export class PcapStream {
  private header: PcapHeader | undefined;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private offset = 0;
  private failed: PcapFormatError | undefined;

  constructor(
    private readonly onHeader: (header: PcapHeader) => void,
    private readonly onRecord: (record: PcapRecord) => void,
  ) {}

  get fileHeader(): PcapHeader | undefined {
    return this.header;
  }

  /** Feeds bytes; throws PcapFormatError (and keeps throwing it) once the stream cannot be framed. */
  push(chunk: Buffer): void {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.drain();
    } catch (err) {
      if (err instanceof PcapFormatError) this.failed = err;
      throw err;
    }
  }

  /** Bytes held that do not yet form a complete record (a capture cut mid-record leaves some). */
  get pendingBytes(): number {
    return this.buffered;
  }

  private drain(): void {
    for (;;) {
      if (!this.header) {
        const head = this.take(GLOBAL_HEADER_BYTES, false);
        if (!head) return;
        this.header = parseGlobalHeader(head);
        this.onHeader(this.header);
        continue;
      }
      const recHead = this.take(RECORD_HEADER_BYTES, true);
      if (!recHead) return;
      const h = this.header;
      const u32 = (at: number) => (h.littleEndian ? recHead.readUInt32LE(at) : recHead.readUInt32BE(at));
      const inclLen = u32(8);
      const limit = Math.max(MAX_RECORD_BYTES, h.snaplen > 16 * 1024 * 1024 ? 0 : h.snaplen);
      if (inclLen > limit)
        throw new PcapFormatError(`pcap record at byte ${this.offset} claims ${inclLen} bytes`, [
          `more than ${limit}: the stream is corrupt or not pcap, and cannot be framed again`,
        ]);
      if (this.buffered < RECORD_HEADER_BYTES + inclLen) return;
      this.take(RECORD_HEADER_BYTES, false);
      const data = this.take(inclLen, false) ?? Buffer.alloc(0);
      const fraction = u32(4);
      const timeMs = u32(0) * 1000 + (h.nanoseconds ? fraction / 1e6 : fraction / 1e3);
      const originalLength = u32(12);
      // The FCS is only there when the whole frame was captured.
      const fcs = h.fcsBytes > 0 && inclLen === originalLength ? Math.min(h.fcsBytes, inclLen) : 0;
      this.onRecord({ timeMs, data: data.subarray(0, inclLen - fcs), originalLength });
    }
  }

  /** The next n bytes (joined if they span chunks); `peek` leaves them in place. */
  private take(n: number, peek: boolean): Buffer | undefined {
    if (this.buffered < n) return undefined;
    if (n === 0) return Buffer.alloc(0);
    let first = this.chunks[0] as Buffer;
    if (first.length < n) {
      first = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [first];
    }
    const out = first.subarray(0, n);
    if (peek) return out;
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    this.offset += n;
    return out;
  }
}
