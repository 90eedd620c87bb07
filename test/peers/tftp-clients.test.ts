/**
 * Real TFTP clients from Debian against our server on 127.0.0.1: curl, atftp (windowsize) and
 * tftp-hpa. Each download must be byte-identical (sha256). A missing client skips its block with
 * the package to install; .ci/run installs them (atftp, tftp-hpa; curl is in the image).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTftpHpa, onPath, run } from "../helpers/peer-tools.js";
import {
  type RecordingServer,
  sha256,
  startRecordingServer,
  testFiles,
  tftpEngines,
} from "../helpers/tftp-fixtures.js";

const files = testFiles();
const downloads = ["SEP001122334455.cnf.xml", "exact-512.bin", "multi-1468.bin", "firmware/five-mb.bin"];
const missing = (found: boolean, binary: string, pkg: string) =>
  found ? "" : ` (SKIPPED: ${binary} not installed; apt-get install ${pkg})`;
const has = { curl: onPath("curl"), atftp: onPath("atftp"), tftpHpa: isTftpHpa() };
const packages = { curl: "curl", atftp: "atftp", tftpHpa: "tftp-hpa" } as const;
for (const [tool, found] of Object.entries(has) as Array<[keyof typeof has, boolean]>) {
  if (!found)
    console.warn(`tftp peer tests skipped: Debian package ${packages[tool]} is not installed (see .ci/run)`);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patchkast-tftp-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function expectSameFile(local: string, name: string): Promise<void> {
  const got = await readFile(join(dir, local));
  expect(got.length).toBe(files.get(name)?.length);
  expect(sha256(got)).toBe(sha256(files.get(name) as Buffer));
}
const localName = () => `out-${++counter}`;

describe.each(tftpEngines)("%s engine", (engine) => {
  let rec: RecordingServer;
  beforeAll(async () => {
    rec = await startRecordingServer(files, { engine });
  });
  afterAll(async () => {
    await rec?.server.close();
  });

  describe.skipIf(!has.curl)(`curl tftp://${missing(has.curl, "curl", "curl")}`, () => {
    for (const blksize of [undefined, 1468]) {
      it.each(downloads)(`downloads %s at blksize ${blksize ?? "512 (default)"}`, async (name) => {
        const local = localName();
        const extra = blksize ? ["--tftp-blksize", String(blksize)] : [];
        const url = `tftp://127.0.0.1:${rec.port}/${name}`;
        const result = await run("curl", ["-sS", ...extra, "-o", local, url], dir);
        expect(result, result.output).toMatchObject({ code: 0 });
        await expectSameFile(local, name);
      });
    }

    it("gets curl's TFTP errors for a missing file (68) and a traversal attempt (69)", async () => {
      const notFound = await run("curl", ["-sS", "-o", "x", `tftp://127.0.0.1:${rec.port}/nope.cfg`], dir);
      expect(notFound.code).toBe(68);
      const traversal = await run(
        "curl",
        ["-sS", "-o", "x", `tftp://127.0.0.1:${rec.port}/..%2f..%2fetc/passwd`],
        dir,
      );
      expect(traversal.code).toBe(69);
      expect(rec.events).toContainEqual(
        expect.objectContaining({ type: "refused", path: "../../etc/passwd" }),
      );
    });
  });

  describe.skipIf(!has.atftp)(`atftp${missing(has.atftp, "atftp", "atftp")}`, () => {
    const optionSets = [["windowsize 8"], ["blksize 1468"], ["windowsize 8", "blksize 1468"]];
    for (const options of optionSets) {
      it.each(downloads)(`downloads %s with --option ${options.join(" --option ")}`, async (name) => {
        const local = localName();
        const opts = options.flatMap((o) => ["--option", o]);
        const result = await run(
          "atftp",
          [...opts, "-g", "-r", name, "-l", local, "127.0.0.1", String(rec.port)],
          dir,
        );
        expect(result, result.output).toMatchObject({ code: 0 });
        await expectSameFile(local, name);
        const started = rec.events.findLast((e) => e.type === "started" && e.path === name);
        const window = options.includes("windowsize 8") ? 8 : 1;
        expect(started).toMatchObject({ windowsize: window });
      });
    }
  });

  describe.skipIf(!has.tftpHpa)(`tftp-hpa${missing(has.tftpHpa, "tftp (tftp-hpa)", "tftp-hpa")}`, () => {
    it.each(downloads)("downloads %s in binary mode", async (name) => {
      const local = localName();
      const args = ["127.0.0.1", String(rec.port), "-m", "binary", "-c", "get", name, local];
      const result = await run("tftp", args, dir);
      expect(result, result.output).toMatchObject({ code: 0 });
      await expectSameFile(local, name);
    });

    it("round-trips a text file with LF, CR LF and a bare CR in netascii mode", async () => {
      const local = localName();
      const args = [
        "127.0.0.1",
        String(rec.port),
        "-m",
        "netascii",
        "-c",
        "get",
        "SEP001122334455.cnf.xml",
        local,
      ];
      const result = await run("tftp", args, dir);
      expect(result, result.output).toMatchObject({ code: 0 });
      await expectSameFile(local, "SEP001122334455.cnf.xml");
    });
  });
});
