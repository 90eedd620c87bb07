/**
 * What options/register/notify share: open one flow, run transactions on it, close it, and turn
 * transaction outcomes into the public SipResult.
 */
import { checkUser, checkValue, hostPort, newBranch, newCallId, newTag } from "./build.js";
import type { SipResponse } from "./message.js";
import {
  type Clock,
  rfc3261Timers,
  runNonInviteTransaction,
  type TransactionOutcome,
} from "./transaction.js";
import { type Flow, FlowOpenError, openFlow, type SipTarget } from "./transport.js";

export type SipFailure = "timeout" | "refused" | "dns" | "malformed" | "network";

export interface SipResult {
  /** Final status code, null when no final response arrived. */
  status: number | null;
  /** Reason phrase, or why there is no status. */
  reason: string;
  /** First send to first final response, ms; null without one. Excludes DNS and TCP connect. */
  rttMs: number | null;
  /** A final response in `reachableStatuses` (default: any) arrived. */
  reachable: boolean;
  failure?: SipFailure;
  retransmissions: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  responseHeaders?: Record<string, string>;
  /** Where the peer saw us (Via received/rport, RFC 3581): tells whether NAT is in the way. */
  seenAs?: { address: string; port: number | null };
}

export interface SipRequestOptions {
  /** Timer F, ms: how long to wait for a final response (default 32,000 = 64·T1). */
  timeoutMs?: number;
  localAddress?: string;
  /** User part of the From URI (default "patchkast"). */
  fromUser?: string;
  /** Default `patchkast/<version>`. */
  userAgent?: string;
  /** Shorter T1/T2 for tests; RFC 3261 defaults otherwise. */
  timers?: { t1Ms?: number; t2Ms?: number };
  /** Fake timers in unit tests. */
  clock?: Clock;
}

export interface OptionsProbeOptions extends SipRequestOptions {
  /** Statuses that count as reachable; default any final response (100–699): the proxy answered. */
  reachableStatuses?: readonly number[];
}

const defaultUserAgent = `patchkast/${process.env.npm_package_version ?? "0.1.0"}`;

/** Everything a request needs once the flow is open and the Via sent-by is known. */
export interface Exchange {
  flow: Flow;
  via: { transport: "UDP" | "TCP"; host: string; port: number };
  localUri: string;
  callId: string;
  fromTag: string;
  userAgent: string;
  run(method: string, build: (branch: string) => Buffer): Promise<TransactionOutcome>;
}

/** Opens a flow, lets `body` run transactions on it, closes it; maps open failures to results. */
export async function withExchange<R>(
  target: SipTarget,
  opts: SipRequestOptions,
  body: (exchange: Exchange) => Promise<R>,
  onOpenFailure: (result: SipResult) => R,
): Promise<R> {
  const timerFMs = opts.timeoutMs ?? rfc3261Timers.timerFMs;
  const timers = { ...rfc3261Timers, ...opts.timers, timerFMs };
  const fromUser = checkUser("fromUser", opts.fromUser ?? "patchkast");
  const userAgent = checkValue("User-Agent", opts.userAgent ?? defaultUserAgent);
  hostPort(target.host, target.port);
  let flow: Flow;
  try {
    flow = await openFlow(target, { localAddress: opts.localAddress, connectTimeoutMs: timerFMs });
  } catch (err) {
    if (!(err instanceof FlowOpenError)) throw err;
    return onOpenFailure({ ...noAnswer(err.failure, err.message), retransmissions: 0 });
  }
  try {
    const local = flow.local;
    return await body({
      flow,
      via: { transport: flow.transport === "udp" ? "UDP" : "TCP", host: local.address, port: local.port },
      localUri: `sip:${fromUser}@${hostPort(local.address, local.port)}`,
      callId: newCallId(),
      fromTag: newTag(),
      userAgent,
      run: (method, build) => {
        const branch = newBranch();
        return runNonInviteTransaction(
          flow,
          { bytes: build(branch), method, branch },
          { timers, clock: opts.clock },
        );
      },
    });
  } finally {
    flow.close();
  }
}

function noAnswer(failure: SipFailure, reason: string): Omit<SipResult, "retransmissions"> {
  return { status: null, reason, rttMs: null, reachable: false, failure };
}

/** Turns a transaction outcome into the public result. */
export function toResult(outcome: TransactionOutcome, reachableStatuses?: readonly number[]): SipResult {
  if (outcome.kind === "failed") {
    return {
      ...noAnswer(outcome.failure === "timeout" ? "timeout" : outcome.failure, outcome.message),
      retransmissions: outcome.retransmissions,
    };
  }
  if (outcome.kind === "timeout") {
    // Only unparseable answers arrived: the peer is there but speaks something we refuse.
    const failure = outcome.malformed > 0 ? "malformed" : "timeout";
    const reason =
      failure === "malformed"
        ? `no valid final response; ${outcome.malformed} malformed (${outcome.lastMalformed})`
        : `no final response after ${Math.round(outcome.elapsedMs)} ms`;
    return { ...noAnswer(failure, reason), retransmissions: outcome.retransmissions };
  }
  const { response } = outcome;
  const top = response.via[0];
  const result: SipResult = {
    status: response.status,
    reason: response.reason,
    rttMs: outcome.rttMs,
    reachable: reachableStatuses === undefined || reachableStatuses.includes(response.status),
    retransmissions: outcome.retransmissions,
    responseHeaders: headerRecord(response),
  };
  if (top?.received !== undefined || top?.rport !== undefined)
    result.seenAs = { address: top.received ?? top.host, port: top.rport ?? null };
  return result;
}

function headerRecord(response: SipResponse): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { name, value } of response.headers)
    record[name] = name in record ? `${record[name]}, ${value}` : value;
  return record;
}
