/**
 * Call source "capture": passive SIP observation (DESIGN.md "call counting", monitoring.md §2.6 (b))
 * on a mirror port or the agent's own interface. A PacketSource (tcpdump, or a fake) delivers parsed
 * SIP messages; a SipDialogTracker turns them into the number of calls up. Messages are tracked at
 * their capture time; active(now) expires what went quiet as of `now`.
 */
import type { PacketSource } from "../../drivers/capture/source.js";
import type { PatchkastError } from "../errors.js";
import { type DialogTrackerOptions, SipDialogTracker } from "./sip-dialogs.js";
import type { CallSource } from "./types.js";

export interface CaptureCallSourceDeps {
  packets: PacketSource;
  tracker?: Partial<DialogTrackerOptions>;
  /** Capture failures after start (tcpdump died, wrote an error); the daemon logs and counts them. */
  onError?: (err: PatchkastError) => void;
}

export interface CaptureCallSource extends CallSource {
  readonly tracker: SipDialogTracker;
  /** Errors reported since start (the last few, newest last). */
  readonly errors: readonly PatchkastError[];
}

export function createCaptureCallSource(deps: CaptureCallSourceDeps): CaptureCallSource {
  const tracker = new SipDialogTracker(deps.tracker);
  const errors: PatchkastError[] = [];
  let started: Promise<void> | undefined;
  return {
    name: "capture",
    tracker,
    errors,
    active: (now) => tracker.active(now),
    start() {
      started ??= deps.packets
        .start({
          message: (captured) => tracker.observe(captured.message, captured.timeMs),
          error: (err) => {
            errors.push(err);
            if (errors.length > 20) errors.shift();
            deps.onError?.(err);
          },
        })
        .catch((err: unknown) => {
          started = undefined;
          throw err;
        });
      return started;
    },
    async stop() {
      started = undefined;
      await deps.packets.stop();
    },
  };
}
