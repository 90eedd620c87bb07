/**
 * Milliseconds since the epoch as an ISO 8601 string, for audit lines and check-ins. A boot storm asks
 * thousands of times per second, so many requests share a millisecond: the last answer is kept.
 */
let lastMs = Number.NaN;
let lastIso = "";

export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
