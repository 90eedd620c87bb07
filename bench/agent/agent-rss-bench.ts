/**
 * The agent's memory with a 500-phone site (issue 5 goal: under 150 MB RSS).
 *
 *   npm run bench:agent                 # monitoring on (--round-interval 5 --sip-probe-interval 2)
 *   npm run bench:agent -- --no-monitor # provisioning only, for comparison
 *   options: --phones N (500), --seconds S (120: boot storm + steady phase), --samples FILE (JSON out),
 *            --node-flags=--trace-gc (flags for the serve process; heap after each Mark-Compact is printed)
 *
 * What it does, everything on 127.0.0.0/8, every program started and stopped here:
 * 1. Builds the CLI as `npm run build` does (tsc -p tsconfig.build.json, --noCheck) into
 *    node_modules/.cache/patchkast-bench-agent/<pid>/ (falls back to `node --import tsx agent/main.ts`).
 * 2. Writes a 500-phone site from configs/sites/lab.yaml: the lab's five phones plus generated inventory
 *    phones (no switch port), round-robin over every catalog model that autoprovisions (all six
 *    families), unique MACs under each family's OUI, extensions 205…699 (three digits, as the lab's
 *    numbering plan says), numbers from a second DID range, loopback voice-VLAN stand-ins
 *    127.20.30.0/24 and 127.20.31.0/24 in provisioning.allowed_subnets, the agent's HTTP port fixed so
 *    that the URLs in the rendered files are the real ones. `patchkast validate` must pass it.
 * 3. Starts the lab for that site (lab/lab.ts; only the five phones with a port are simulated on the
 *    switch, the rest are inventory), pushes the standard config (runPush), then starts
 *    `patchkast serve` as a separate node process (NODE_ENV=production, placeholder secrets).
 * 4. Phases: idle (first monitoring round done, then 10 s quiet), boot storm (every phone at once fetches
 *    its family's files over HTTP with its family's User-Agent from its own 127.20.3x.y address),
 *    steady (until --seconds after the storm began: three waves of call start/end events from every
 *    phone whose file carries event URLs — Yealink V70 and V6x .61, Polycom, Aastra — and /metrics plus
 *    /api/v1/status scraped back to back, each once a second, from 127.20.0.20 on the management VLAN).
 * 5. Samples VmRSS, VmHWM and RssAnon of the serve process from /proc/<pid>/status every 500 ms. At the
 *    start of the storm and of the steady phase VmHWM is reset (`5` > /proc/<pid>/clear_refs), so each
 *    phase's peak is its own; if the reset is refused the peak is the highest sampled VmRSS.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import { type Catalog, loadCatalog } from "../../agent/catalog/load.js";
import { runPush } from "../../agent/cli/devices.js";
import { loadSiteFile } from "../../agent/site/load.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";
import { type Lab, labSite, startLab } from "../../lab/lab.js";
import { bootFileNames, phoneUserAgent } from "../../lab/phone-boot.js";
import type { SimPhone } from "../../lab/phones.js";
import { type Group, repoRoot, run, spawnGroup, withCleanup } from "../lib/procs.js";

const { values: args } = parseArgs({
  options: {
    "no-monitor": { type: "boolean", default: false },
    phones: { type: "string", default: "500" },
    seconds: { type: "string", default: "120" },
    samples: { type: "string" },
    /**
     * More node flags for the serve process, after the Docker image's own (Dockerfile ENTRYPOINT), e.g.
     * --node-flags=--trace-gc (its Mark-Compact lines are summarised).
     */
    "node-flags": { type: "string", default: "" },
    /** Leave out the Docker image's V8 flags, to see what they save. */
    "no-image-flags": { type: "boolean", default: false },
  },
});
const monitor = args["no-monitor"] !== true;

/** The V8 flags the Docker image runs `node` with: ENTRYPOINT's words between "node" and the script. */
function imageNodeFlags(): string[] {
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(repoRoot, "Dockerfile"), "utf8"))?.[1];
  const words = line ? (JSON.parse(line) as string[]) : [];
  const node = words.indexOf("node");
  if (node < 0) throw new Error("Dockerfile: no ENTRYPOINT running node");
  return words.slice(node + 1).filter((w) => w.startsWith("--"));
}
const phoneCount = Number(args.phones);
const totalSeconds = Number(args.seconds);
if (!Number.isInteger(phoneCount) || phoneCount < 5 || phoneCount > 995)
  throw new Error("--phones must be 5..995 (three-digit extensions 200…)");

const agentAddress = "127.20.0.10";
/** The NOC's scraper: an address on the lab's management VLAN (127.20.0.0/24). */
const scraperAddress = "127.20.0.20";
const work = mkdtempSync(join(tmpdir(), "pk-bench-agent-"));
const buildDir = join(repoRoot, "node_modules", ".cache", "patchkast-bench-agent", String(process.pid));
const MiB = 1024 * 1024;

// ---- build ----------------------------------------------------------------------------------------------

/** The CLI compiled as `npm run build` compiles it; `node --import tsx` when tsc emits nothing. */
async function buildCli(): Promise<{ cmd: string[]; label: string }> {
  const main = join(buildDir, "cli", "agent", "main.js");
  const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
  const t = await run(
    tsc,
    ["-p", join(repoRoot, "tsconfig.build.json"), "--outDir", join(buildDir, "cli"), "--noCheck"],
    600_000,
  );
  if (existsSync(main)) return { cmd: [main], label: "node <tsc output>/agent/main.js" };
  console.error(`tsc emitted no CLI, running from source: ${(t.stdout + t.stderr).slice(0, 500)}`);
  return {
    cmd: ["--import", "tsx", join(repoRoot, "agent", "main.ts")],
    label: "node --import tsx agent/main.ts",
  };
}

// ---- the site -------------------------------------------------------------------------------------------

type Doc = Record<string, unknown>;

/** Each family's OUI (first three octets); the agent reads the family from the model, these only look real. */
const oui: Record<string, string> = {
  yealink: "00:15:65",
  "cisco-spa": "00:22:90",
  polycom: "00:04:f2",
  aastra: "00:08:5d",
  panasonic: "08:00:23",
  gigaset: "7c:2f:80",
};

/** Where phone i's requests come from: 250 per /24, from 127.20.30.2 on. */
const phoneAddress = (i: number) => `127.20.${30 + Math.floor(i / 250)}.${(i % 250) + 2}`;
const subnetsFor = (n: number) =>
  Array.from({ length: Math.ceil(n / 250) }, (_, k) => `127.20.${30 + k}.0/24`);

/** The lab site with phoneCount phones: the lab's own plus generated inventory phones. */
function buildSiteDoc(catalog: Catalog, httpPort: number): Doc {
  const doc = parse(readFileSync(labSite, "utf8")) as Doc;
  // Tiptel VP 28 (23.40, V6x) and Yealink VP530 (23.70, V70) share y000000000023.cfg, and the Yealink
  // driver refuses to render one shared file for both generations (`patchkast validate` accepts the site,
  // `serve` then exits with PK_ERR_RENDER_REFUSED), so the site has the VP530 only.
  const models = catalog.phones.filter(
    (m) => m.family !== null && m.autoprovisioning && m.id !== "tiptel-vp-28",
  );
  const phones = doc.phones as Doc[];
  const numbering = doc.numbering as { did_ranges: { first: string; last: string }[] };
  numbering.did_ranges.push({ first: "+31201235000", last: "+31201235999" });
  const perOui = new Map<string, number>();
  for (let i = phones.length; i < phoneCount; i++) {
    const m = models[(i - 5) % models.length];
    if (!m?.family) throw new Error("the catalog has no model that autoprovisions");
    const prefix = oui[m.family] ?? "02:00:00";
    const n = (perOui.get(prefix) ?? 0) + 1;
    perOui.set(prefix, n);
    const ext = String(200 + i);
    phones.push({
      mac: `${prefix}:bb:${(n >> 8).toString(16).padStart(2, "0")}:${(n & 255).toString(16).padStart(2, "0")}`,
      model: `${m.brand} ${m.model}`,
      user: `Bench ${ext}`,
      extension: ext,
      number: `+31201235${ext}`,
      sip: { username: `31201235${ext}`, password: `file:../../lab/.state/secrets/sip-${ext}` },
    });
  }
  const provisioning = doc.provisioning as { allowed_subnets: string[] };
  provisioning.allowed_subnets = ["10.20.30.0/24", ...subnetsFor(phoneCount)];
  (doc.agent as Doc).http_port = httpPort;
  return doc;
}

/** The site file as the running lab answers it (its SSH/SNMP/SIP ports), as test/helpers/lab-site-file.ts. */
function writeSiteFile(doc: Doc, lab: Lab | null): string {
  const copy = structuredClone(doc);
  if (lab) {
    const ports = (name: string) => {
      const d = lab.devices.find((x) => x.name === name);
      if (!d) throw new Error(`the lab has no device ${name}`);
      return { ssh_port: d.sshPort, snmp_port: d.snmpPort };
    };
    const router = copy.router as Doc & { name: string };
    Object.assign(router, ports(router.name));
    for (const sw of copy.switches as (Doc & { name: string })[]) Object.assign(sw, ports(sw.name));
    const provider = copy.provider as { sip_proxy: Doc };
    provider.sip_proxy = { ...provider.sip_proxy, host: lab.sip.host, port: lab.sip.port };
  }
  const file = join(work, lab ? "site-500.yaml" : "site-500-base.yaml");
  writeFileSync(file, stringify(copy));
  return file;
}

/** A SimPhone (lab/phones.ts) for a phone of the inventory, with or without a switch port. */
function simPhone(site: Site, index: number, catalog: Catalog, lab: Lab): SimPhone {
  const p = site.phones[index];
  if (!p) throw new Error(`no phone ${index}`);
  const hex = p.mac.replace(/[^0-9a-f]/gi, "").toLowerCase();
  const mac = (hex.match(/../g) ?? []).join(":");
  const onSwitch = lab.phones.find((x) => x.mac === mac);
  if (onSwitch) return onSwitch;
  const model = catalog.findPhone(p.model);
  if (!model?.family) throw new Error(`${p.model}: no family`);
  return {
    mac,
    dotted: (hex.match(/.{4}/g) ?? []).join("."),
    brand: model.brand,
    model: model.model,
    family: model.family,
    firmware: (model.firmware ?? "1.0").replace(/\.rom$/, ""),
    extension: p.extension,
    user: p.user,
    switch: "",
    port: "",
    protocol: model.family === "cisco-spa" ? "cdp" : "lldp",
    watts: 4,
    powerClass: 2,
  };
}

// ---- HTTP from a given source address -------------------------------------------------------------------

interface Answer {
  status: number | null;
  body: string;
  ms: number;
  error?: string;
}

function http(
  url: string,
  from: string,
  opts: { method?: string; userAgent?: string; body?: string; contentType?: string } = {},
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (opts.userAgent) headers["User-Agent"] = opts.userAgent;
    if (opts.body !== undefined) {
      headers["Content-Type"] = opts.contentType ?? "text/xml";
      headers["Content-Length"] = String(Buffer.byteLength(opts.body));
    }
    const req = request(
      url,
      { method: opts.method ?? "GET", localAddress: from, agent: false, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", (err) =>
          resolve({ status: null, body: "", ms: performance.now() - started, error: err.message }),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", (err) =>
      resolve({ status: null, body: "", ms: performance.now() - started, error: err.message }),
    );
    req.end(opts.body);
  });
}

// ---- phones ---------------------------------------------------------------------------------------------

interface BenchPhone {
  sim: SimPhone;
  source: string;
  userAgent: string;
  files: string[];
  /** Event name → URL template from the phone's own files (empty: the phone sends no call events). */
  events: Map<string, string>;
}

/** The event URL lines each family's file carries (as test/unit/serve/phone-events-http.test.ts reads them). */
const eventLinePatterns = [
  /^action_url\.[a-z_]+ = (http\S+)$/, // Yealink V70
  /^[A-Za-z]+ = (http\S+\/events\/\S+)$/, // Yealink V6x / Tiptel [ ActionURL ]
  /^action uri [a-z]+: (http\S+)$/, // Aastra
  /^\s*apps\.telNotification\.URL="(http[^"]+)"/, // Polycom
];

function readEventUrls(content: string, into: Map<string, string>): void {
  for (const line of content.split("\n")) {
    for (const re of eventLinePatterns) {
      const url = re.exec(line.trim())?.[1];
      if (url) into.set(/\/events\/[^/]+\/([a-z_]+)/.exec(url)?.[1] ?? "?", url);
    }
  }
}

interface BootResult {
  ok: boolean;
  requests: number;
  failures: string[];
  ms: number[];
}

/** One phone's boot: its files in order, as lab/phone-boot.ts does, keeping the bodies for the event URLs. */
async function boot(phone: BenchPhone, agentUrl: string): Promise<BootResult> {
  const r: BootResult = { ok: true, requests: 0, failures: [], ms: [] };
  for (const path of phone.files) {
    const a = await http(new URL(path, agentUrl).toString(), phone.source, { userAgent: phone.userAgent });
    r.requests++;
    r.ms.push(a.ms);
    if (a.status !== 200) {
      r.ok = false;
      r.failures.push(`${phone.sim.mac} ${path}: ${a.status ?? a.error}`);
    } else readEventUrls(a.body, phone.events);
  }
  return r;
}

/** A call on the phone: its start and end events, as its family sends them (call-events.md). */
async function call(phone: BenchPhone, callId: string, holdMs: number): Promise<number[]> {
  const statuses: number[] = [];
  const send = async (event: string, fill: (url: string) => string, body?: string) => {
    const template = phone.events.get(event);
    if (!template) return;
    const a = await http(fill(template), phone.source, {
      method: body === undefined ? "GET" : "POST",
      userAgent: phone.userAgent,
      ...(body === undefined ? {} : { body }),
    });
    statuses.push(a.status ?? 0);
  };
  const hex = phone.sim.mac.replace(/:/g, "");
  const yealink = (url: string) =>
    url
      .replace("$mac", hex)
      .replace("$call_id", callId)
      .replace("$local", `sip:${phone.sim.extension}@127.20.0.5`)
      .replace("$remote", "sip:0612345678@127.20.0.5");
  const aastra = (state: string) => (url: string) =>
    url.replace("$$LINESTATE$$", state).replace("$$REMOTENUMBER$$", "0612345678");
  const polycom = (event: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<PolycomIPPhone>\n<${event}>\n<PhoneIP>${phone.source}</PhoneIP>\n` +
    `<MACAddress>${hex}</MACAddress>\n<CallingPartyName>sip:0612345678@127.20.0.5</CallingPartyName>\n` +
    `<TimeStamp>${new Date().toISOString()}</TimeStamp>\n</${event}>\n</PolycomIPPhone>\n`;
  const same = (url: string) => url;
  switch (phone.sim.family) {
    case "yealink":
      await send("outgoing_call", yealink);
      await sleep(holdMs);
      await send("call_terminated", yealink);
      await send("busy_to_idle", yealink);
      break;
    case "aastra":
      await send("outgoing", aastra("OUTGOING"));
      await sleep(holdMs);
      await send("onhook", aastra("IDLE"));
      break;
    case "polycom":
      await send("polycom", same, polycom("OutgoingCallEvent"));
      await sleep(holdMs);
      await send("polycom", same, polycom("OnHookEvent"));
      break;
  }
  return statuses;
}

// ---- memory sampling ------------------------------------------------------------------------------------

interface Sample {
  t: number;
  phase: string;
  rss: number;
  hwm: number;
  anon: number;
}

function readStatus(pid: number): { rss: number; hwm: number; anon: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? Number.NaN);
    return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024, anon: kb("RssAnon") * 1024 };
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS (proc(5), clear_refs "5"); false when the kernel refuses. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (b: number) => (b / MiB).toFixed(1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
/** Least-squares slope of y over t (per second). */
function slope(points: { t: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return num / den;
}

// ---- main -----------------------------------------------------------------------------------------------

/** A TCP port free on host (the agent's HTTP port goes into the rendered files, so it is chosen here). */
function freePortOn(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, ms: number, probe: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await probe()) return;
    await sleep(200);
  }
  throw new Error(`${what}: not within ${ms / 1000} s`);
}

let lab: Lab | null = null;

async function main(): Promise<void> {
  try {
    await bench();
  } finally {
    await lab?.stop();
  }
}

async function bench(): Promise<void> {
  console.error(
    `load before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; work dir ${work}`,
  );
  console.error("building the CLI (tsc -p tsconfig.build.json --noCheck) …");
  const cli = await buildCli();
  const catalog = loadCatalog();
  const httpPort = await freePortOn(agentAddress);
  const doc = buildSiteDoc(catalog, httpPort);

  // The lab runs the site as written (only the phones with a switch port are on the simulated switch).
  lab = await startLab({
    site: writeSiteFile(doc, null),
    secrets: new PlaceholderSecretResolver(),
    stateDir: null,
    sshPort: 0,
    snmpPort: 0,
    timeScale: 60,
    catalog,
  });
  const siteFile = writeSiteFile(doc, lab);
  const v = await run(process.execPath, [...cli.cmd, "validate", siteFile]);
  if (v.code !== 0) throw new Error(`patchkast validate refused the site:\n${v.stdout}${v.stderr}`);
  console.error(v.stdout.trim());
  const site = loadSiteFile(siteFile, catalog);
  const families = new Map<string, number>();
  for (const p of site.phones) {
    const f = catalog.findPhone(p.model)?.family ?? "?";
    families.set(f, (families.get(f) ?? 0) + 1);
  }
  console.error(
    `site: ${site.phones.length} phones (${[...families].map(([f, n]) => `${f} ${n}`).join(", ")}), ` +
      `${new Set(site.phones.map((p) => p.model)).size} models; lab phones on the switch: ${lab.phones.length}`,
  );

  const stateDir = join(work, "state");
  const pushLog: string[] = [];
  const io = { out: (l: string) => pushLog.push(l), err: (l: string) => pushLog.push(l) };
  const pushed = await runPush(siteFile, { stateDir, placeholderSecrets: true, revertMinutes: "1" }, io);
  if (pushed !== 0) throw new Error(`push failed:\n${pushLog.join("\n")}`);
  console.error("standard config pushed to the lab's router and switch");

  const phones: BenchPhone[] = site.phones.map((_, i) => {
    const sim = simPhone(site, i, catalog, lab as Lab);
    return {
      sim,
      source: phoneAddress(i),
      userAgent: phoneUserAgent(sim),
      files: bootFileNames(site, sim, catalog),
      events: new Map(),
    };
  });

  // ---- serve --------------------------------------------------------------------------------------------
  const serveArgs = [
    ...(args["no-image-flags"] === true ? [] : imageNodeFlags()),
    ...(args["node-flags"] ?? "").split(" ").filter(Boolean),
    ...cli.cmd,
    "serve",
    siteFile,
    ...["--bind", agentAddress, "--tftp-port", "0", "--http-port", String(httpPort)],
    ...["--state-dir", stateDir, "--placeholder-secrets"],
    ...(monitor ? ["--round-interval", "5", "--sip-probe-interval", "2"] : ["--no-monitor"]),
  ];
  const started = performance.now();
  const serve: Group = spawnGroup(process.execPath, serveArgs, {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "production" },
    forks: true,
  });
  const pid = serve.pid;
  const samples: Sample[] = [];
  let phase = "start";
  const t0 = performance.now();
  const sampler = setInterval(() => {
    const s = readStatus(pid);
    if (s) samples.push({ t: (performance.now() - t0) / 1000, phase, ...s });
  }, 500);
  try {
    await waitFor("patchkast serving", 60_000, () => {
      if (serve.child.exitCode !== null) throw new Error(`serve exited: ${serve.stderr()}`);
      return serve.stdout().includes('"msg":"patchkast serving"');
    });
    const startMs = performance.now() - started;
    const agentUrl = `http://${agentAddress}:${httpPort}/`;
    const logLines = () => serve.stdout().split("\n").filter(Boolean);
    const rounds = () => logLines().filter((l) => l.includes('"msg":"monitoring round')).length;
    if (monitor) await waitFor("first monitoring round", 60_000, () => rounds() >= 1);
    const firstRoundMs = performance.now() - started;
    console.error(
      `serve up in ${(startMs / 1000).toFixed(1)} s` +
        (monitor ? `, first round after ${(firstRoundMs / 1000).toFixed(1)} s` : ""),
    );

    // ---- idle -----------------------------------------------------------------------------------------
    phase = "idle";
    await sleep(10_000);
    const idleSamples = samples.filter((s) => s.phase === "idle");
    const idle = {
      rss: median(idleSamples.map((s) => s.rss)),
      hwm: readStatus(pid)?.hwm ?? Number.NaN,
    };

    // ---- boot storm -----------------------------------------------------------------------------------
    const canReset = resetPeak(pid);
    phase = "storm";
    const stormStart = performance.now();
    const boots = await Promise.all(phones.map((p) => boot(p, agentUrl)));
    const stormMs = performance.now() - stormStart;
    await sleep(1000);
    // VmHWM is kept from per-thread counters the kernel folds in lazily: take the higher of it and the samples.
    const stormPeak = Math.max(
      canReset ? (readStatus(pid)?.hwm ?? 0) : 0,
      ...samples.filter((s) => s.phase === "storm").map((s) => s.rss),
    );
    const stormEndRss = readStatus(pid)?.rss ?? Number.NaN;
    const failed = boots.flatMap((b) => b.failures);
    const bootMs = boots.flatMap((b) => b.ms);
    console.error(
      `boot storm: ${phones.length} phones, ${boots.reduce((a, b) => a + b.requests, 0)} requests in ` +
        `${(stormMs / 1000).toFixed(1)} s, ${failed.length} failed${failed.length ? `: ${failed.slice(0, 5).join("; ")}` : ""}`,
    );

    // ---- steady: call events and scrapes --------------------------------------------------------------
    resetPeak(pid);
    phase = "steady";
    const steadyStart = performance.now();
    const steadyEnd = stormStart + totalSeconds * 1000;
    const callers = phones.filter((p) => p.events.size > 0);
    const callerFamilies = new Map<string, number>();
    for (const p of callers)
      callerFamilies.set(p.sim.family ?? "?", (callerFamilies.get(p.sim.family ?? "?") ?? 0) + 1);
    const eventStatuses: number[] = [];
    let activeSeen = 0;
    const scrapes = { metrics: [] as Answer[], status: [] as Answer[] };
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        const tick = performance.now();
        const m = await http(`${agentUrl}metrics`, scraperAddress);
        scrapes.metrics.push({ ...m, body: "" });
        const s = await http(`${agentUrl}api/v1/status`, scraperAddress);
        if (s.status === 200) {
          const calls = (JSON.parse(s.body) as { calls?: { bySource?: Record<string, number> } }).calls;
          activeSeen = Math.max(activeSeen, calls?.bySource?.phone_events ?? 0);
        }
        scrapes.status.push({ ...s, body: String(s.body.length) });
        await sleep(Math.max(0, 1000 - (performance.now() - tick)));
      }
    })();
    const waves = 3;
    const waveGap = Math.max(5000, (steadyEnd - steadyStart - 20_000) / waves);
    for (let w = 0; w < waves && performance.now() + 8000 < steadyEnd; w++) {
      const results = await Promise.all(callers.map((p, i) => call(p, `bench-${w}-${i}`, 6000)));
      eventStatuses.push(...results.flat());
      const next = steadyStart + (w + 1) * waveGap;
      if (w < waves - 1) await sleep(Math.max(0, Math.min(next, steadyEnd - 8000) - performance.now()));
    }
    await sleep(Math.max(0, steadyEnd - performance.now()));
    scraping = false;
    await scraper;
    const steady = samples.filter((s) => s.phase === "steady");
    const steadyPeak = Math.max(canReset ? (readStatus(pid)?.hwm ?? 0) : 0, ...steady.map((s) => s.rss));
    const end = readStatus(pid) ?? { rss: Number.NaN, hwm: Number.NaN, anon: Number.NaN };
    // RSS climbs between major GCs and falls at each: split the steady phase at every fall of ≥ 10 MiB
    // from one sample to the next and take the slope of the longest stretch without one.
    const drops: { t: number; from: number; to: number }[] = [];
    const stretches: Sample[][] = [[]];
    for (const [i, s] of steady.entries()) {
      const prev = steady[i - 1];
      if (prev && prev.rss - s.rss >= 10 * MiB) {
        drops.push({ t: s.t, from: prev.rss, to: s.rss });
        stretches.push([]);
      }
      stretches.at(-1)?.push(s);
    }
    const longest = stretches.reduce((a, b) => (b.length > a.length ? b : a));
    const climb = slope(longest.map((s) => ({ t: s.t, y: s.rss }))) * 60;
    const lowest = Math.min(...steady.map((s) => s.rss));
    const lastStretch = stretches.at(-1) ?? [];
    const checkins = await http(`${agentUrl}api/v1/phones`, scraperAddress);
    const seen =
      checkins.status === 200 ? (JSON.parse(checkins.body) as { phones: unknown[] }).phones.length : -1;
    const finalMetrics = await http(`${agentUrl}metrics`, scraperAddress);
    const metricValue = (name: string) =>
      finalMetrics.body
        .split("\n")
        .filter((l) => l.startsWith(name))
        .reduce((a, l) => a + Number(l.split(" ").at(-1)), 0);
    const lines = logLines();
    phase = "stopping";
    clearInterval(sampler);
    await serve.stop(10_000);

    // ---- report ---------------------------------------------------------------------------------------
    const accepted = eventStatuses.filter((s) => s === 200).length;
    const okScrapes = (xs: Answer[]) => xs.filter((a) => a.status === 200).length;
    console.log(`\n## patchkast serve, ${phones.length}-phone site, monitoring ${monitor ? "on" : "off"}\n`);
    console.log(`runtime: ${cli.label}, NODE_ENV=production, pid ${pid}; VmHWM reset per phase: ${canReset}`);
    console.log(
      `storm: ${boots.filter((b) => b.ok).length}/${phones.length} phones got every file (${bootMs.length} requests, ` +
        `${(stormMs / 1000).toFixed(1)} s, per request median ${median(bootMs).toFixed(0)} ms, p99 ${pct(bootMs, 99).toFixed(0)} ms); ` +
        `check-ins listed: ${seen}`,
    );
    console.log(
      `events: ${callers.length} phones with event URLs (${[...callerFamilies].map(([f, n]) => `${f} ${n}`).join(", ")}), ` +
        `${eventStatuses.length} sent, ${accepted} accepted; most concurrent phone_events calls in /api/v1/status: ${activeSeen}; ` +
        `patchkast_phone_events_total: ${metricValue("patchkast_phone_events_total")}`,
    );
    console.log(
      `scrapes: /metrics ${okScrapes(scrapes.metrics)}/${scrapes.metrics.length} ok (last ${finalMetrics.body.length} bytes, ` +
        `median ${median(scrapes.metrics.map((a) => a.ms)).toFixed(0)} ms), /api/v1/status ${okScrapes(scrapes.status)}/${scrapes.status.length} ok ` +
        `(median ${median(scrapes.status.map((a) => a.ms)).toFixed(0)} ms)` +
        (monitor ? `; monitoring rounds logged: ${rounds()}` : ""),
    );
    const warnings = lines.filter((l) => /"level":(40|50|60)/.test(l));
    const warnMsgs = new Map<string, number>();
    for (const l of warnings) {
      const msg = /"msg":"([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 80);
      warnMsgs.set(msg, (warnMsgs.get(msg) ?? 0) + 1);
    }
    console.log(
      `log lines: ${lines.length} (warn/error: ${warnings.length}${[...warnMsgs].map(([m, n]) => `; ${n}× ${m}`).join("")})`,
    );
    console.log("\n| phase | RSS MiB | peak (VmHWM) MiB |\n|---|---|---|");
    console.log(
      `| idle (after start${monitor ? " and the first round" : ""}, 10 s median) | ${mib(idle.rss)} | ${mib(idle.hwm)} (since start) |`,
    );
    console.log(
      `| boot storm (${(stormMs / 1000).toFixed(1)} s) | ${mib(stormEndRss)} after | **${mib(stormPeak)}** |`,
    );
    console.log(
      `| steady (${((steadyEnd - steadyStart) / 1000).toFixed(0)} s: 3 call waves, scrapes 1/s) | ${mib(median(steady.map((s) => s.rss)))} median | **${mib(steadyPeak)}** |`,
    );
    console.log(`| end | **${mib(end.rss)}** (RssAnon ${mib(end.anon)}) | ${mib(end.hwm)} |`);
    console.log(
      `\nsteady: lowest RSS ${mib(lowest)} MiB; ${drops.length} fall(s) of ≥ 10 MiB between samples (major GC)` +
        drops.map((d) => ` at ${d.t.toFixed(0)} s: ${mib(d.from)} → ${mib(d.to)}`).join(",") +
        `; between falls RSS climbs ${(climb / MiB).toFixed(1)} MiB/min (longest stretch, ${longest.length} samples)` +
        `; lowest RSS after the last fall ${mib(Math.min(...lastStretch.map((s) => s.rss)))} MiB`,
    );
    const goal = Math.max(stormPeak, steadyPeak) < 150 * 1000 * 1000; // 150 MB = 143.1 MiB
    console.log(
      `goal < 150 MB (143.1 MiB) RSS: ${goal ? "met" : "MISSED"} (highest peak ${mib(Math.max(stormPeak, steadyPeak))} MiB)`,
    );
    console.log(
      `load after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    // --trace-gc: "Mark-Compact 120.1 (140.2) -> 80.3 (135.0) MB": the heap before and after each full GC.
    const fullGcs = lines.filter((l) => l.includes("Mark-Compact"));
    if (fullGcs.length > 0) {
      console.log(`\nfull GCs (--trace-gc): ${fullGcs.length}`);
      for (const l of fullGcs) console.log(`  ${l.slice(0, 160)}`);
    }
    if (args.samples) {
      writeFileSync(args.samples, JSON.stringify(samples));
      console.log(`samples: ${args.samples}`);
    } else {
      // Print a coarse series (every 5 s) so a run's shape is in its output.
      console.log("\nt s, phase, RSS MiB, VmHWM MiB");
      for (const s of samples.filter((_, i) => i % 10 === 0))
        console.log(`${s.t.toFixed(1)}, ${s.phase}, ${mib(s.rss)}, ${mib(s.hwm)}`);
    }
  } finally {
    clearInterval(sampler);
    await serve.stop(10_000);
  }
}

await withCleanup(main, () => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});
