/**
 * Run by test/unit/tftp/native-engine.test.ts: a native-engine transfer is running (its thread sending
 * to a client that never ACKs) when the environment that owns it goes away, either the process
 * (`exit`) or a worker thread (`worker`). The engine must end the thread before the file's bytes are
 * freed; a crash here shows as a signal or a non-zero exit code. Prints "ended" when it got that far.
 */
import { createSocket } from "node:dgram";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { encodeRequest } from "../../agent/serve/tftp/packets.js";
import { startTftpServer } from "../../agent/serve/tftp/server.js";

async function startSilentTransfer(): Promise<void> {
  const big = Buffer.alloc(8 * 1024 * 1024, 7);
  const started = new Promise<void>((resolve, reject) => {
    void startTftpServer({
      engine: "native",
      host: "127.0.0.1",
      port: 0,
      threads: 0,
      // Retransmits its window every 10 ms for seconds: the thread keeps reading the file's bytes.
      initialTimeoutMs: 10,
      maxTimeoutMs: 10,
      retries: 100,
      source: { read: async () => ({ ok: true, data: big }) },
      onEvent: (e) => {
        if (e.type === "started") resolve();
      },
    }).then((server) => {
      const client = createSocket("udp4");
      client.bind(0, "127.0.0.1", () => {
        // Asks with windowsize 64 and never ACKs: the thread keeps retransmitting its window.
        const options = new Map([
          ["windowsize", "64"],
          ["blksize", "1468"],
        ]);
        client.send(encodeRequest("rrq", "fw.bin", "octet", options), server.address.port, "127.0.0.1");
      });
    }, reject);
  });
  await started;
  // Let the thread get into its loop.
  await new Promise((r) => setTimeout(r, 50));
}

const mode = process.argv[2];
if (!isMainThread) {
  await startSilentTransfer();
  parentPort?.postMessage("started");
} else if (mode === "exit") {
  await startSilentTransfer();
  process.stdout.write("ended\n");
  process.exit(0);
} else if (mode === "worker") {
  // A worker has no loader of its own: register tsx in it first, as agent/serve/tftp/pool.ts does.
  const tsxApi = createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  const entry = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then((tsx) => {
    tsx.register();
    return import(${JSON.stringify(import.meta.url)});
  });`;
  const worker = new Worker(entry, { eval: true });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  await worker.terminate();
  // The main thread goes on for a while after its worker's environment (and the file's bytes) are gone.
  await new Promise((r) => setTimeout(r, 1000));
  process.stdout.write("ended\n");
} else {
  throw new Error(`usage: native-teardown-child.ts exit|worker, got ${mode}`);
}
