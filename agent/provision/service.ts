import type { FamilyId } from "../../drivers/phones/types.js";
import type { AuditSink } from "./audit-log.js";
import type { CheckIns } from "./check-ins.js";
import type { FirmwareImage, FirmwareStore } from "./firmware-store.js";
import type { UserAgentIdentity } from "./identify.js";
import { isoTime } from "./iso-time.js";
import type { MissTracker } from "./miss-tracker.js";
import { type Decision, decide, type PolicyContext, type ProvisionRequest } from "./policy.js";
import type { ServedFile, ServedTree } from "./served-tree.js";

/** The answer to one request, independent of TFTP or HTTP. */
export type ProvisionAnswer =
  | { status: 200; kind: "file"; file: ServedFile; contentType: string }
  | { status: 200; kind: "firmware"; image: FirmwareImage; contentType: string }
  | { status: 403 | 404; kind: "refused"; message: string };

export interface ProvisionEvent {
  result: string;
  family: string;
  bytes: number;
  source: string;
  path: string;
  /** This request got its source blocked (it went over the miss threshold). */
  blockedSource: boolean;
}

export interface ProvisioningDeps {
  tree: ServedTree;
  firmware: FirmwareStore;
  misses: MissTracker;
  checkIns: CheckIns;
  audit: AuditSink;
  allowedSubnets: PolicyContext["allowedSubnets"];
  /** A credential-less file in the family's syntax, for MAC-named requests of unknown devices. */
  bootstrapFor(family: FamilyId): ServedFile;
  now?: () => number;
  /** For metrics and logs: called once per request after the decision. */
  onEvent?: (event: ProvisionEvent) => void;
}

export const firmwarePrefix = "firmware/";

/**
 * Request → identify → authorise → answer → audit, for both servers. Transport code (TFTP, HTTP) only
 * translates the answer; every rule about who gets which file lives in policy.ts.
 */
export class ProvisioningService {
  #deps: ProvisioningDeps;
  readonly #now: () => number;

  constructor(deps: ProvisioningDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  get checkIns(): CheckIns {
    return this.#deps.checkIns;
  }

  /** The files now served. */
  get tree(): ServedTree {
    return this.#deps.tree;
  }

  /**
   * Swaps in the files of a changed site file (the daemon re-renders on change). Requests in flight keep
   * the file they already have; block lists and check-ins carry over.
   */
  update(changes: Partial<Pick<ProvisioningDeps, "tree" | "allowedSubnets" | "bootstrapFor">>): void {
    this.#deps = { ...this.#deps, ...changes };
  }

  /** A firmware image's bytes (read from the store once, then shared by every transfer). */
  firmwareBytes(image: FirmwareImage): Promise<Buffer> {
    return this.#deps.firmware.read(image);
  }

  handle(req: ProvisionRequest, method = "GET"): ProvisionAnswer {
    const now = this.#now();
    if (req.path.toLowerCase().startsWith(firmwarePrefix)) return this.#firmware(req, method, now);
    const decision = decide(req, {
      tree: this.#deps.tree,
      allowedSubnets: this.#deps.allowedSubnets,
      misses: this.#deps.misses,
      now,
    });
    const answer = this.#answer(decision);
    this.#account(req, method, now, decision, answer);
    return answer;
  }

  #answer(d: Decision): ProvisionAnswer {
    switch (d.result) {
      case "served":
        return { status: 200, kind: "file", file: d.file, contentType: contentTypeOf(d.file.name) };
      case "bootstrap": {
        const file = this.#deps.bootstrapFor(d.family);
        return { status: 200, kind: "file", file, contentType: contentTypeOf(file.name) };
      }
      case "denied":
      case "blocked":
        return { status: 403, kind: "refused", message: "access denied" };
      case "not-found":
        return { status: 404, kind: "refused", message: "no such file" };
    }
  }

  #firmware(req: ProvisionRequest, method: string, now: number): ProvisionAnswer {
    const blocked = this.#deps.misses.blockedUntil(req.source, now);
    const image =
      blocked === undefined ? this.#deps.firmware.get(req.path.slice(firmwarePrefix.length)) : undefined;
    const answer: ProvisionAnswer = image
      ? { status: 200, kind: "firmware", image, contentType: "application/octet-stream" }
      : {
          status: blocked === undefined ? 404 : 403,
          kind: "refused",
          message: blocked === undefined ? "no such firmware" : "access denied",
        };
    const result = image ? "served" : blocked === undefined ? "not-found" : "blocked";
    this.#record(req, method, now, {
      result,
      status: answer.status,
      bytes: image?.size ?? 0,
      family: "firmware",
    });
    return answer;
  }

  #account(req: ProvisionRequest, method: string, now: number, d: Decision, answer: ProvisionAnswer): void {
    const file = answer.kind === "file" ? answer.file : d.result === "denied" ? d.file : undefined;
    const device = d.result === "bootstrap" ? d.mac : file?.mac;
    const family = d.result === "bootstrap" ? d.family : (file?.family ?? d.ua?.family ?? "unknown");
    const bytes = answer.kind === "file" ? answer.file.content.length : 0;
    const reason =
      d.result === "denied"
        ? d.reason
        : d.result === "blocked"
          ? `source blocked until ${new Date(d.until).toISOString()}`
          : undefined;
    const blockedNow = (d.result === "denied" || d.result === "bootstrap") && d.blockedNow;
    // Check-ins: a served device file, or any request whose User-Agent names an inventory MAC.
    const seenMac = d.result === "served" && file?.mac ? file.mac : d.ua?.mac;
    if (seenMac && this.#deps.checkIns.has(seenMac)) {
      this.#deps.checkIns.record(seenMac, req.source, new Date(now), d.ua, d.result === "served");
    }
    this.#record(req, method, now, {
      result: d.result,
      status: answer.status,
      bytes,
      family,
      device,
      reason,
      ua: d.ua,
      blockedNow,
    });
  }

  #record(
    req: ProvisionRequest,
    method: string,
    now: number,
    r: {
      result: string;
      status: number;
      bytes: number;
      family: string;
      device?: string | undefined;
      reason?: string | undefined;
      ua?: UserAgentIdentity | undefined;
      blockedNow?: boolean;
    },
  ): void {
    // Every record has the same shape (absent fields are undefined, which JSON.stringify leaves out, so the
    // line is as before): one hidden class is what keeps the per-request serialisation on V8's fast path.
    this.#deps.audit.write({
      time: isoTime(now),
      protocol: req.protocol,
      source: req.source,
      method,
      path: req.path,
      result: r.result,
      status: r.status,
      bytes: r.bytes,
      family: r.family,
      device: r.device,
      model: r.ua?.model,
      firmware: r.ua?.firmware,
      userAgent: req.userAgent === undefined ? undefined : req.userAgent.slice(0, 256),
      reason: r.reason,
    });
    try {
      this.#deps.onEvent?.({
        result: r.result,
        family: r.family,
        bytes: r.bytes,
        source: req.source,
        path: req.path,
        blockedSource: r.blockedNow === true,
      });
    } catch {
      // A failing metrics or log hook must never fail a phone's request.
    }
  }
}

export function contentTypeOf(name: string): string {
  if (/\.xml$/i.test(name)) return "application/xml";
  // FusionPBX serves Yealink and Aastra .cfg as text/plain (provisioning.md §4); phones ignore charset.
  if (/\.(cfg|txt|log|ini)$/i.test(name)) return "text/plain";
  return "application/octet-stream";
}
