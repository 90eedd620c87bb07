import { describe, expect, it } from "vitest";
import { errorCodes, PatchkastError } from "../../../agent/errors.js";
import { resolveTftpConfig } from "../../../agent/serve/tftp/config.js";
import type { TftpServerOptions } from "../../../agent/serve/tftp/types.js";

const source: TftpServerOptions["source"] = { read: async () => ({ ok: true, data: Buffer.alloc(0) }) };

describe("resolveTftpConfig", () => {
  it("fills in the documented defaults", () => {
    expect(resolveTftpConfig({ host: "0.0.0.0", port: 69, source })).toMatchObject({
      maxConcurrent: 200,
      retries: 5,
      initialTimeoutMs: 1000,
      maxTimeoutMs: 8000,
      maxBlksize: 65464,
      maxWindowsize: 64,
      engine: "auto",
    });
  });

  it("reports every bad setting at once with PK_ERR_TFTP_CONFIG", () => {
    let caught: unknown;
    try {
      const engine = "fast" as TftpServerOptions["engine"];
      resolveTftpConfig({
        host: "",
        port: 70000,
        source,
        maxBlksize: 7,
        maxWindowsize: 0,
        retries: -1,
        engine,
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PatchkastError);
    const err = caught as PatchkastError;
    expect(err.code).toBe("PK_ERR_TFTP_CONFIG");
    expect(err.details).toHaveLength(6);
    expect(err.message).toMatch(/maxBlksize must be a whole number from 8 to 65464, got 7/);
    expect(err.message).toMatch(/engine must be auto, native or js, got fast/);
  });

  it("keeps the back-off ceiling at least as long as the first timeout", () => {
    expect(resolveTftpConfig({ host: "::", port: 0, source, initialTimeoutMs: 10_000 }).maxTimeoutMs).toBe(
      10_000,
    );
  });

  it("swallows exceptions thrown by the event listener", () => {
    const config = resolveTftpConfig({
      host: "127.0.0.1",
      port: 0,
      source,
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    expect(() =>
      config.onEvent({
        type: "malformed",
        client: { address: "x", port: 1 },
        reason: "r",
        onTransferSocket: false,
      }),
    ).not.toThrow();
  });

  it("documents the TFTP error codes in the catalogue", () => {
    for (const code of ["PK_ERR_TFTP_BIND", "PK_ERR_TFTP_CONFIG", "PK_ERR_TFTP_PACKET"] as const) {
      expect(errorCodes[code]).toMatch(/\w/);
    }
  });
});
