/** Drives a Transfer (agent/serve/tftp/transfer.ts) without sockets or real timers. */
import { decodePacket, type TftpPacket } from "../../agent/serve/tftp/packets.js";
import { Transfer, type TransferOutcome, type TransferPlan } from "../../agent/serve/tftp/transfer.js";
import type { TftpTransferStats } from "../../agent/serve/tftp/types.js";

/** A fake socket and clock: records what the transfer sends, fires timers on demand. */
export class Harness {
  sent: TftpPacket[] = [];
  timer: { ms: number; fire: () => void } | undefined;
  timerDurations: number[] = [];
  clock = 0;
  outcome: TransferOutcome | undefined;
  stats: TftpTransferStats | undefined;
  readonly transfer: Transfer;

  constructor(plan: Partial<TransferPlan> & { data: Buffer }) {
    const full: TransferPlan = {
      blksize: 512,
      windowsize: 1,
      oack: new Map(),
      initialTimeoutMs: 1000,
      maxTimeoutMs: 8000,
      retries: 5,
      ...plan,
    };
    this.transfer = new Transfer(
      full,
      {
        send: (buf) => {
          const d = decodePacket(buf);
          if (!d.ok) throw new Error(d.reason);
          this.sent.push(d.packet);
        },
        setTimer: (ms, fire) => {
          const timer = { ms, fire };
          this.timer = timer;
          this.timerDurations.push(ms);
          return () => {
            if (this.timer === timer) this.timer = undefined;
          };
        },
        now: () => this.clock,
      },
      (outcome, stats) => {
        this.outcome = outcome;
        this.stats = stats;
      },
    );
  }

  /** Takes what was sent since the last call, as short labels ("D1", "D2:0" for an empty block, "OACK", "E0"). */
  take(): string[] {
    const labels = this.sent.map((p) => {
      if (p.kind === "data") return p.data.length === 0 ? `D${p.block}:0` : `D${p.block}`;
      if (p.kind === "error") return `E${p.code}:${p.message}`;
      return p.kind.toUpperCase();
    });
    this.sent = [];
    return labels;
  }

  ack(block: number): this {
    this.transfer.handle({ kind: "ack", block });
    return this;
  }

  timeout(): void {
    const timer = this.timer;
    if (!timer) throw new Error("no timer armed");
    this.clock += timer.ms;
    this.timer = undefined;
    timer.fire();
  }
}
