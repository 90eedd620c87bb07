/**
 * The one retransmission timer of a transfer socket. A lock-step transfer re-arms it on every ACK (tens of
 * thousands of times per firmware image); refresh() on one Timeout costs far less than clearTimeout plus a
 * new setTimeout each time. Cancelling only disarms it: a disarmed timer that still fires does nothing.
 */
export class RetransmitTimer {
  private timeout: NodeJS.Timeout | undefined;
  private ms = 0;
  private armed = false;
  private callback: () => void = () => {};
  private readonly fire = () => {
    if (!this.armed) return;
    this.armed = false;
    this.callback();
  };
  /** Handed out by set(); bound once so arming allocates nothing. */
  readonly cancel = () => {
    this.armed = false;
  };

  /** Arms the timer to call `callback` in `ms`, replacing any earlier arming; returns cancel. */
  set(ms: number, callback: () => void): () => void {
    this.callback = callback;
    this.armed = true;
    if (this.timeout && this.ms === ms) {
      this.timeout.refresh();
    } else {
      if (this.timeout) clearTimeout(this.timeout);
      this.ms = ms;
      this.timeout = setTimeout(this.fire, ms);
    }
    return this.cancel;
  }

  /** Stops it for good, so a closed socket's timer does not keep the process alive. */
  dispose(): void {
    this.armed = false;
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = undefined;
  }
}
