import { type StatsListener, unwatchFile, watchFile } from "node:fs";

/**
 * Calls `onChange` when the site file changes. Polls the file's stat (every 2 s) rather than using
 * inotify: editors replace files by rename, bind mounts and network filesystems drop inotify events, and
 * two seconds is fast enough for a file people edit by hand. Changes during a running reload are folded
 * into one more reload afterwards, never run in parallel.
 */
export function watchSiteFile(file: string, onChange: () => Promise<void>, intervalMs = 2000): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await onChange();
      } while (again);
    } finally {
      running = false;
    }
  };
  const listener: StatsListener = (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) void run();
  };
  watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
