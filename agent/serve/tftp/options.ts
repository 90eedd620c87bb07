/**
 * Pure option negotiation for a read request (RFC 2347 with blksize RFC 2348, timeout and tsize
 * RFC 2349, windowsize RFC 7440). A value we cannot honour is left out of the OACK, which RFC 2347
 * §"Negotiation Protocol" allows ("the server may ... simply omit the option"); the client then
 * falls back to the RFC 1350 default for it. Unknown options are ignored the same way.
 */

/** RFC 1350 block size; also what we use when blksize is not negotiated. */
export const defaultBlksize = 512;
/** RFC 2348: "Valid values range between 8 and 65464 octets, inclusive." */
export const minBlksize = 8;
export const maxBlksizeRfc = 65464;
/** RFC 2349: timeout "between 1 and 255 seconds, inclusive". */
export const minTimeoutS = 1;
export const maxTimeoutS = 255;
/** RFC 7440 §3: windowsize "between 1 and 65535 blocks, inclusive". */
export const maxWindowsizeRfc = 65535;

export interface OptionLimits {
  /** Largest block size we grant (clamped to 8..65464 by the caller). */
  maxBlksize: number;
  /** Largest window we grant (1..65535). */
  maxWindowsize: number;
}

export interface Negotiated {
  blksize: number;
  windowsize: number;
  /** The client's timeout in milliseconds, when it sent a valid one. */
  timeoutMs: number | undefined;
  /** What goes into the OACK, in the client's order. Empty means: send no OACK, start with DATA 1. */
  oack: Map<string, string>;
}

/** A plain decimal, no sign, no exponent, no spaces; anything else is not a number to TFTP. */
function parseDecimal(value: string): number | undefined {
  return /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

type Grant = { value: number; reply: string } | undefined;

function grantBlksize(raw: string, limits: OptionLimits): Grant {
  const asked = parseDecimal(raw);
  if (asked === undefined || asked < minBlksize) return undefined;
  // RFC 2348 lets the server answer with a smaller size. Values above 65464 are clamped too,
  // as tftp-hpa does, rather than refusing a client that simply asked for "as big as possible".
  const value = Math.min(asked, limits.maxBlksize, maxBlksizeRfc);
  return { value, reply: String(value) };
}

function grantWindowsize(raw: string, limits: OptionLimits): Grant {
  const asked = parseDecimal(raw);
  if (asked === undefined || asked < 1 || asked > maxWindowsizeRfc) return undefined;
  // RFC 7440 §3: the server may reply with a smaller window than requested.
  const value = Math.min(asked, limits.maxWindowsize);
  return { value, reply: String(value) };
}

function grantTimeout(raw: string): Grant {
  const asked = parseDecimal(raw);
  if (asked === undefined || asked < minTimeoutS || asked > maxTimeoutS) return undefined;
  // RFC 2349: the server cannot change the timeout, only accept it (echo) or leave it out.
  return { value: asked * 1000, reply: raw };
}

function grantTsize(raw: string, transferSize: number): Grant {
  // RFC 2349: in a read request the client sends 0 and the server answers with the size.
  if (parseDecimal(raw) === undefined) return undefined;
  return { value: transferSize, reply: String(transferSize) };
}

/**
 * Decides the transfer parameters for a read request.
 * `transferSize` is the number of octets that will go on the wire (after any netascii conversion).
 */
export function negotiateOptions(
  requested: ReadonlyMap<string, string>,
  limits: OptionLimits,
  transferSize: number,
): Negotiated {
  const result: Negotiated = {
    blksize: defaultBlksize,
    windowsize: 1,
    timeoutMs: undefined,
    oack: new Map(),
  };
  for (const [name, raw] of requested) {
    let grant: Grant;
    if (name === "blksize") {
      grant = grantBlksize(raw, limits);
      if (grant) result.blksize = grant.value;
    } else if (name === "windowsize") {
      grant = grantWindowsize(raw, limits);
      if (grant) result.windowsize = grant.value;
    } else if (name === "timeout") {
      grant = grantTimeout(raw);
      if (grant) result.timeoutMs = grant.value;
    } else if (name === "tsize") {
      grant = grantTsize(raw, transferSize);
    }
    if (grant) result.oack.set(name, grant.reply);
  }
  return result;
}
