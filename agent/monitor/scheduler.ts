import type { Logger } from "../log.js";
import type { MonitorMetrics } from "../metrics/monitor-metrics.js";

/**
 * Runs the daemon's periodic jobs (a monitoring round, SIP probes, call counting): each on its own
 * interval, never two runs of one job at once (a slow device must not pile up rounds), and one failing
 * job is a log line and `patchkast_collector_success{collector}=0`, never a stopped daemon (DESIGN.md).
 */
export interface Job {
  /** Also the `collector` label: "round", "sip_probe", "calls". */
  name: string;
  intervalMs: number;
  /** Resolves when the run is done; a rejection is this run's failure. */
  run(signal: AbortSignal): Promise<void>;
}

export interface JobState {
  name: string;
  runs: number;
  failures: number;
  running: boolean;
  lastStart: string | null;
  lastDurationMs: number | null;
  lastError: string | null;
}

export interface SchedulerDeps {
  log: Logger;
  metrics?: MonitorMetrics;
  /** For tests: a fake clock. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
  clearTimer?: (t: unknown) => void;
}

export class Scheduler {
  readonly #jobs: Job[];
  readonly #deps: SchedulerDeps;
  readonly #state = new Map<string, JobState>();
  readonly #timers = new Map<string, unknown>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #stopped = false;

  constructor(jobs: readonly Job[], deps: SchedulerDeps) {
    this.#jobs = [...jobs];
    this.#deps = deps;
    for (const j of jobs) {
      this.#state.set(j.name, {
        name: j.name,
        runs: 0,
        failures: 0,
        running: false,
        lastStart: null,
        lastDurationMs: null,
        lastError: null,
      });
    }
  }

  /** Starts every job now and then on its interval. */
  start(): void {
    for (const j of this.#jobs) void this.#tick(j);
  }

  /** Runs one job once, now, unless it is already running (then waits for that run). */
  runNow(name: string): Promise<void> {
    const job = this.#jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    return this.#inFlight.get(name) ?? this.#runOnce(job);
  }

  states(): JobState[] {
    return [...this.#state.values()].map((s) => ({ ...s }));
  }

  /** Stops the timers, aborts running jobs and waits for them to settle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    const clear = this.#deps.clearTimer ?? ((t: unknown) => clearTimeout(t as NodeJS.Timeout));
    for (const t of this.#timers.values()) clear(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #tick(job: Job): Promise<void> {
    if (this.#stopped) return;
    await (this.#inFlight.get(job.name) ?? this.#runOnce(job));
    if (this.#stopped) return;
    const set = this.#deps.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
    const t = set(() => void this.#tick(job), job.intervalMs);
    t.unref?.();
    this.#timers.set(job.name, t);
  }

  #runOnce(job: Job): Promise<void> {
    const now = this.#deps.now ?? Date.now;
    const state = this.#state.get(job.name) as JobState;
    const started = now();
    state.running = true;
    state.lastStart = new Date(started).toISOString();
    const p = (async () => {
      let ok = true;
      try {
        await job.run(this.#abort.signal);
        state.lastError = null;
      } catch (err) {
        ok = false;
        state.failures++;
        state.lastError = err instanceof Error ? err.message : String(err);
        const code = (err as { code?: string }).code;
        this.#deps.log.warn(
          { collector: job.name, code, err: state.lastError },
          `collector ${job.name} failed`,
        );
      } finally {
        const ms = now() - started;
        state.runs++;
        state.running = false;
        state.lastDurationMs = ms;
        this.#deps.metrics?.collectorSuccess.set({ collector: job.name }, ok ? 1 : 0);
        this.#deps.metrics?.collectorDuration.set({ collector: job.name }, ms / 1000);
        this.#inFlight.delete(job.name);
      }
    })();
    this.#inFlight.set(job.name, p);
    return p;
  }
}
