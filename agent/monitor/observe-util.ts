import { PatchkastError } from "../errors.js";
import type { Observed } from "./observations.js";

/**
 * Small pieces observe.ts is built from: a time budget for one device, and turning any outcome (value or
 * error) into an Observed entry. Nothing here throws at the caller.
 */

/** The code an error carries, or PK_ERR_OBSERVE_SOURCE for errors raised without one (bugs, Node errors). */
export function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return err instanceof PatchkastError || (typeof code === "string" && code.startsWith("PK_ERR_"))
    ? String(code)
    : "PK_ERR_OBSERVE_SOURCE";
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The failed variant of Observed: assignable to an Observed of any type. */
export type Failed = Extract<Observed<unknown>, { ok: false }>;

/**
 * A failed entry. `doing` prefixes the error unless it is empty or the message already starts with it
 * (Budget's own timeouts); pass "" where the driver's error already says what and where (readDevice:
 * "could not read PoE (…) from lab-sw1 (127.20.0.2): walking …: timeout after 4 s").
 */
export function failed(doing: string, err: unknown, source: string, at = new Date()): Failed {
  const reason = messageOf(err);
  const error = doing === "" || reason.startsWith(doing) ? reason : `${doing}: ${reason}`;
  return { ok: false, error, code: codeOf(err), at: at.toISOString(), source };
}

export function observed<T>(value: T, source: string, at = new Date()): Observed<T> {
  return { ok: true, value, at: at.toISOString(), source };
}

/**
 * A deadline shared by everything one device does in a round. `run` races an operation against the
 * smaller of its own timeout and what is left of the budget; the operation is not cancelled (the caller
 * closes its session or client at the end, which ends it), its late result is ignored.
 */
export class Budget {
  readonly #deadline: number;
  readonly #now: () => number;
  readonly #totalMs: number;

  constructor(totalMs: number, now: () => number = Date.now) {
    this.#now = now;
    this.#totalMs = totalMs;
    this.#deadline = now() + totalMs;
  }

  left(): number {
    return this.#deadline - this.#now();
  }

  async run<T>(what: string, opMs: number, op: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const left = this.left();
    if (left <= 0)
      throw new PatchkastError(
        "PK_ERR_OBSERVE_TIMEOUT",
        `${what}: skipped, the device's budget of ${seconds(this.#totalMs)} for this round is used up`,
      );
    if (signal?.aborted) throw new PatchkastError("PK_ERR_OBSERVE_TIMEOUT", `${what}: the round was stopped`);
    const ms = Math.min(opMs, left);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PatchkastError("PK_ERR_OBSERVE_TIMEOUT", `${what}: timeout after ${seconds(ms)}`)),
        ms,
      );
      onAbort = () => reject(new PatchkastError("PK_ERR_OBSERVE_TIMEOUT", `${what}: the round was stopped`));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([op(), limit]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
