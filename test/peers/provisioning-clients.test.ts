/**
 * The whole provisioning stack (policy, served tree, TFTP and HTTP(S) servers) against real clients:
 * every rendered phone file of both example sites must arrive byte-identical through curl over TFTP at
 * blksize 512 and 1468, atftp with windowsize 8, tftp-hpa's tftp, and curl over HTTP and HTTPS with the
 * User-Agent of the phone the file is for. Loopback only; the site's allowed subnet is moved to
 * 127.0.0.0/8 so that loopback stands for the voice VLAN.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../agent/log.js";
import { createMetrics } from "../../agent/metrics/registry.js";
import type { ServedFile } from "../../agent/provision/served-tree.js";
import { type RunningServers, startServers } from "../../agent/serve/servers.js";
import type { Site } from "../../agent/site/schema.js";
import { catalog } from "../helpers/family-harness.js";
import { isTftpHpa, onPath, run } from "../helpers/peer-tools.js";
import { userAgentFor } from "../helpers/phone-user-agents.js";
import { fibreSite, provisioningFor, vdslSite } from "../helpers/provisioning-fixture.js";

const work = mkdtempSync(join(tmpdir(), "pk-prov-peers-"));
const has = {
  curl: onPath("curl"),
  atftp: onPath("atftp"),
  tftpHpa: isTftpHpa(),
  openssl: onPath("openssl"),
};
for (const [tool, found] of Object.entries(has))
  if (!found) console.warn(`provisioning peer tests: ${tool} missing, its cases are skipped (see .ci/run)`);

function selfSignedCert(): { cert: string; key: string } {
  const cert = join(work, "cert.pem");
  const key = join(work, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

const userAgents = (site: Site) => {
  const byMac = new Map<string, string>();
  for (const p of site.phones) {
    const model = catalog.findPhone(p.model);
    const mac = p.mac.replace(/[:-]/g, "").toLowerCase();
    if (model) byMac.set(mac, userAgentFor(model, mac));
  }
  return byMac;
};

describe.each([
  ["example-vdsl", vdslSite],
  ["example-fibre", fibreSite],
] as const)("%s: every phone file through real clients", (_name, baseSite) => {
  const site: Site = {
    ...baseSite,
    provisioning: { ...baseSite.provisioning, allowed_subnets: ["127.0.0.0/8"] },
  };
  const p = provisioningFor(site);
  const files: ServedFile[] = [...p.tree.files()];
  const uas = userAgents(site);
  let servers: RunningServers;
  let tftpPort = 0;
  let httpPort = 0;
  let httpsPort = 0;

  beforeAll(async () => {
    const tls = has.openssl ? selfSignedCert() : undefined;
    servers = await startServers(
      {
        service: p.service,
        uploads: p.uploads,
        metrics: createMetrics("test"),
        log: createLogger({ level: "silent" }),
      },
      {
        bind: "127.0.0.1",
        tftpPort: 0,
        httpPort: 0,
        ...(tls ? { https: { port: 0, certFile: tls.cert, keyFile: tls.key, legacy: false } } : {}),
      },
    );
    tftpPort = servers.tftp.address.port;
    httpPort = (servers.http.server.address() as { port: number }).port;
    httpsPort = (servers.https?.server.address() as { port: number } | undefined)?.port ?? 0;
  });
  afterAll(async () => servers?.close());

  const check = async (file: ServedFile, tool: string, cmd: string, args: string[], out: string) => {
    const r = await run(cmd, args, work);
    expect(r.code, `${tool} ${file.name}: ${r.output.slice(0, 300)}`).toBe(0);
    expect(readFileSync(join(work, out)).equals(file.content), `${tool} ${file.name} differs`).toBe(true);
  };

  it("has rendered files to check", () => expect(files.length).toBeGreaterThan(10));

  it.runIf(has.curl)("curl tftp:// at blksize 512 and 1468", async () => {
    for (const f of files) {
      await check(
        f,
        "curl-512",
        "curl",
        ["-sS", "-o", "c512", `tftp://127.0.0.1:${tftpPort}/${f.name}`],
        "c512",
      );
      await check(
        f,
        "curl-1468",
        "curl",
        ["-sS", "--tftp-blksize", "1468", "-o", "c1468", `tftp://127.0.0.1:${tftpPort}/${f.name}`],
        "c1468",
      );
    }
  });

  it.runIf(has.atftp)("atftp with windowsize 8", async () => {
    for (const f of files) {
      await check(
        f,
        "atftp",
        "atftp",
        [
          "--option",
          "windowsize 8",
          "--option",
          "blksize 1468",
          "-g",
          "-r",
          f.name,
          "-l",
          "atftp.out",
          "127.0.0.1",
          String(tftpPort),
        ],
        "atftp.out",
      );
    }
  });

  it.runIf(has.tftpHpa)("tftp-hpa's tftp", async () => {
    for (const f of files) {
      await check(
        f,
        "tftp-hpa",
        "tftp",
        ["127.0.0.1", String(tftpPort), "-m", "binary", "-c", "get", f.name, "hpa.out"],
        "hpa.out",
      );
    }
  });

  it.runIf(has.curl)("curl over HTTP and HTTPS with the phone's own User-Agent", async () => {
    for (const f of files) {
      const ua = (f.mac && uas.get(f.mac)) || "curl";
      await check(
        f,
        "http",
        "curl",
        ["-sS", "-f", "-A", ua, "-o", "http.out", `http://127.0.0.1:${httpPort}/${f.name}`],
        "http.out",
      );
      if (httpsPort)
        await check(
          f,
          "https",
          "curl",
          ["-sS", "-f", "-k", "-A", ua, "-o", "https.out", `https://127.0.0.1:${httpsPort}/${f.name}`],
          "https.out",
        );
    }
  });

  it("audited every request as served", () => {
    expect(p.audit.records.length).toBeGreaterThan(0);
    expect(p.audit.records.every((r) => r.result === "served" && r.status === 200)).toBe(true);
  });
});
