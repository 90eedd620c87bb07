import pino, { type Logger } from "pino";

/**
 * The agent's logger: JSON lines on stdout for the NOC's collectors. Secrets are `Secret` objects that
 * print as `<secret>`; the redact paths below are the second net, for values that arrive as plain
 * strings from outside (headers, SNMP and SIP configs), listed explicitly because `*` covers one level only
 * (reference/libraries.md §5).
 */
export const redactPaths = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "authKey",
  "*.authKey",
  "privKey",
  "*.privKey",
  "community",
  "*.community",
  "headers.authorization",
  "req.headers.authorization",
  "sip.password",
];

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      name: "patchkast",
      level: opts.level ?? process.env.PATCHKAST_LOG_LEVEL ?? "info",
      redact: { paths: redactPaths, censor: "<secret>" },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}

export type { Logger };
