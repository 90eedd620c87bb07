/**
 * Loads native/build/tftp-transfer.node (built from native/tftp-transfer.c by scripts/build-native.ts
 * when the package is installed): the thread-per-transfer engine the server prefers (config.ts
 * `engine`). Without it (no C compiler at install, another platform) the server runs every transfer in
 * JS (session.ts, pool.ts) and says so once at start.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "../../paths.js";

/** The module's functions (see native/tftp-transfer.c for the contract of each). */
export interface NativeTransferApi {
  init(onMessage: (id: number, kind: number, payload: Buffer | number[]) => void): void;
  /** A socket on a fresh port of `host`, connected to the client: [opaque handle, port]. Throws with an errno code. */
  open(host: string, clientAddress: string, clientPort: number): [unknown, number];
  start(
    handle: unknown,
    id: number,
    data: Uint8Array,
    blksize: number,
    windowsize: number,
    oack: Buffer | null,
    timeoutError: Buffer,
    initialTimeoutMs: number,
    maxTimeoutMs: number,
    retries: number,
  ): void;
  /** True when a running transfer will end and report it; false when it had ended or never started. */
  end(handle: unknown, packet: Buffer | null): boolean;
}

/** What a transfer thread posts: a datagram that is not an ACK, or the end with its counters. */
export const messageKind = { packet: 0, ended: 1 } as const;
/** The first number of an "ended" message. */
export const nativeOutcome = { completed: 0, timeout: 1, ended: 2, socketError: 3 } as const;

export const nativeModulePath = join(packageRoot, "native", "build", "tftp-transfer.node");

export type NativeEngineLoad = { ok: true; api: NativeTransferApi } | { ok: false; reason: string };

type Listener = (id: number, kind: number, payload: Buffer | number[]) => void;
const listeners = new Map<number, Listener>();
let loaded: NativeEngineLoad | undefined;

/** The engine, loaded and initialised once per thread, or why it cannot be used. */
export function loadNativeEngine(): NativeEngineLoad {
  if (loaded) return loaded;
  if (!existsSync(nativeModulePath)) {
    loaded = {
      ok: false,
      reason: `${nativeModulePath} is not built (npm run build:native needs a C compiler)`,
    };
    return loaded;
  }
  try {
    const api = createRequire(import.meta.url)(nativeModulePath) as NativeTransferApi;
    api.init((id, kind, payload) => listeners.get(id)?.(id, kind, payload));
    loaded = { ok: true, api };
  } catch (err) {
    loaded = { ok: false, reason: `loading ${nativeModulePath}: ${(err as Error).message}` };
  }
  return loaded;
}

let nextId = 1;

/** Registers the receiver of one transfer's messages; returns its id and the function that unregisters it. */
export function listen(listener: Listener): { id: number; stop: () => void } {
  // Ids are uint32 on the C side; wrapping after 4 billion transfers is harmless, they are long gone.
  const id = nextId;
  nextId = nextId >= 0xffff_ffff ? 1 : nextId + 1;
  listeners.set(id, listener);
  return { id, stop: () => listeners.delete(id) };
}
