/**
 * The agent's error catalogue. Every error the agent raises on purpose carries a stable code
 * (PK_ERR_<AREA>_<WHAT>) and enough context to act on without a stack trace.
 */
export const errorCodes = {
  PK_ERR_SITE_READ: "the site file could not be read",
  PK_ERR_SITE_INVALID: "the site file has mistakes",
  PK_ERR_CATALOG_INVALID: "a built-in catalog file has mistakes",
  PK_ERR_SECRET_UNRESOLVED: "a secret reference could not be resolved",
  PK_ERR_RENDER_REFUSED: "a file cannot be rendered for this device",
  PK_ERR_RENDER_TEMPLATE: "a template failed to render",
  PK_ERR_OUTPUT_WRITE: "rendered files could not be written",
  PK_ERR_USAGE: "the command line is not right",
  PK_ERR_SERVE_BIND: "a server could not listen on its port",
  PK_ERR_IOS_CONNECT: "an IOS device could not be reached over SSH",
  PK_ERR_IOS_AUTH: "an IOS device refused the login or the enable secret",
  PK_ERR_IOS_HOSTKEY: "an IOS device's SSH host key changed",
  PK_ERR_IOS_SESSION: "an IOS CLI session could not be opened",
  PK_ERR_IOS_TIMEOUT: "an IOS command did not finish in time",
  PK_ERR_IOS_CLOSED: "an IOS device closed the session",
  PK_ERR_FIRMWARE_STORE: "the firmware store has problems",
  PK_ERR_TFTP_BIND: "the TFTP port could not be bound",
  PK_ERR_TFTP_CONFIG: "the TFTP server settings are out of range",
  PK_ERR_TFTP_PACKET: "a TFTP packet could not be built from these values",
  PK_ERR_SIP_MALFORMED: "a SIP message is malformed or exceeds the size limits",
  PK_ERR_SIP_REQUEST: "a SIP request could not be built from these values",
  PK_ERR_SIP_TARGET: "the SIP target is not host[:port], udp:/tcp:host:port or a sip: URI",
  PK_ERR_PARSE_COMMAND: "the show command is not one patchkast can parse, or is ambiguous",
  PK_ERR_PARSE_DEVICE_ERROR: "the device answered with an error (% Invalid input …) instead of the output",
  PK_ERR_PARSE_UNRECOGNISED: "the text is not the output of the named show command",
  PK_ERR_PARSE_EMPTY: "the output is empty, but the device always prints something for this command",
  PK_ERR_SNMP_TIMEOUT: "an SNMP agent did not answer in time",
  PK_ERR_SNMP_AUTH: "an SNMP agent refused the credentials (community, v3 user, auth or privacy key)",
  PK_ERR_SNMP_REQUEST: "an SNMP agent answered with an error or a malformed response",
  PK_ERR_SNMP_CONFIG: "the SNMP target settings cannot be used",
  PK_ERR_SNMP_SNMPREC: "an snmprec recording has a line that does not parse",
  PK_ERR_OBSERVE_TIMEOUT: "a device did not answer within its time budget for one monitoring round",
  PK_ERR_OBSERVE_SOURCE: "an observation could not be made (source missing, or it failed unexpectedly)",
  PK_ERR_CAPTURE_FORMAT: "the capture stream is not a classic pcap file, or its framing is broken",
  PK_ERR_CAPTURE_PROCESS: "the capture program (tcpdump) could not start, reported an error or exited",
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class PatchkastError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PatchkastError";
    this.code = code;
    this.details = options.details ?? [];
  }
}

/** Adds what we were doing to an error from below, keeping the original as `cause`. */
export function withContext(doing: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  if (err instanceof PatchkastError) {
    return new PatchkastError(err.code, `${doing}: ${reason}`, { cause: err, details: err.details });
  }
  return new Error(`${doing}: ${reason}`, { cause: err });
}
