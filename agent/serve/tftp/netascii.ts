/**
 * netascii conversion (RFC 1350 §5 and appendix, which refer to Telnet's NVT rules in RFC 764):
 * a line end is sent as CR LF, and a bare CR as CR NUL. We convert the whole file up front, so the
 * transfer size (and the tsize we announce) is the size on the wire.
 */

const CR = 0x0d;
const LF = 0x0a;

/** Host text (LF line ends) to netascii: LF becomes CR LF, CR becomes CR NUL, every other byte is kept. */
export function toNetascii(data: Buffer): Buffer {
  let extra = 0;
  for (const byte of data) if (byte === LF || byte === CR) extra++;
  if (extra === 0) return data;
  const out = Buffer.allocUnsafe(data.length + extra);
  let j = 0;
  for (const byte of data) {
    if (byte === LF) {
      out[j++] = CR;
      out[j++] = LF;
    } else if (byte === CR) {
      out[j++] = CR;
      out[j++] = 0;
    } else {
      out[j++] = byte;
    }
  }
  return out;
}

/** The inverse, for clients and tests: CR LF becomes LF, CR NUL becomes CR; any other CR is kept. */
export function fromNetascii(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  let j = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i] as number;
    const next = data[i + 1];
    if (byte === CR && (next === LF || next === 0)) {
      out[j++] = next === LF ? LF : CR;
      i++;
    } else {
      out[j++] = byte;
    }
  }
  return out.subarray(0, j);
}
