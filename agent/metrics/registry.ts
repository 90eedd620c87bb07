import { Counter, Gauge, Registry } from "prom-client";
import { createMonitorMetrics, type MonitorMetrics } from "./monitor-metrics.js";

/**
 * The agent's metrics. Names are the contract with the NOC's dashboards and alert rules (DESIGN.md
 * "Metrics"): they live here and nowhere else. No `site` label: the scraping side adds it.
 */
export interface AgentMetrics {
  registry: Registry;
  provisionRequests: Counter<"family" | "result">;
  /** One provisioning request; use this rather than provisionRequests.inc() (see createMetrics). */
  countProvisionRequest(family: string, result: string): void;
  provisionBlockedSources: Counter;
  tftpBytesSent: Counter;
  tftpTransfers: Counter<"result">;
  buildInfo: Gauge<"version" | "node">;
  phoneResyncs: Counter<"family" | "result">;
  siteReloads: Counter<"result">;
  /** Devices, SIP probes, calls, PoE, checks, phones: set from each monitoring round. */
  monitor: MonitorMetrics;
}

export function createMetrics(version: string): AgentMetrics {
  const registry = new Registry();
  // Counted in a plain map and handed to the counter when it is read (collect runs on every scrape and
  // get()): a boot storm counts tens of thousands of requests a second, and prom-client's labelled inc()
  // (label validation, hashing) was a measurable share of each one. The series are the same.
  const unreportedRequests = new Map<string, { family: string; result: string; count: number }>();
  const provisionRequests = new Counter({
    name: "patchkast_provision_requests_total",
    help: "Provisioning requests (TFTP and HTTP) by phone family and result: served, bootstrap, denied, blocked, not-found.",
    labelNames: ["family", "result"] as const,
    registers: [registry],
    collect() {
      for (const entry of unreportedRequests.values()) {
        if (entry.count === 0) continue;
        this.inc({ family: entry.family, result: entry.result }, entry.count);
        entry.count = 0;
      }
    },
  });
  const countProvisionRequest = (family: string, result: string): void => {
    const key = `${family}\u0000${result}`;
    let entry = unreportedRequests.get(key);
    if (entry === undefined) {
      entry = { family, result, count: 0 };
      unreportedRequests.set(key, entry);
    }
    entry.count++;
  };
  const provisionBlockedSources = new Counter({
    name: "patchkast_provision_blocked_sources_total",
    help: "Source addresses blocked for requesting too many unknown MAC-named files (credential harvesting).",
    registers: [registry],
  });
  const tftpBytesSent = new Counter({
    name: "patchkast_tftp_bytes_sent_total",
    help: "File bytes delivered and acknowledged over TFTP.",
    registers: [registry],
  });
  const tftpTransfers = new Counter({
    name: "patchkast_tftp_transfers_total",
    help: "TFTP transfers by outcome: completed, failed, refused.",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const buildInfo = new Gauge({
    name: "patchkast_build_info",
    help: "Always 1; the labels say which patchkast is running.",
    labelNames: ["version", "node"] as const,
    registers: [registry],
  });
  buildInfo.set({ version, node: process.version }, 1);
  const phoneResyncs = new Counter({
    name: "patchkast_phone_resyncs_total",
    help: "Resync NOTIFYs sent to phones by family and result: sent, rejected, no-answer, unknown-address.",
    labelNames: ["family", "result"] as const,
    registers: [registry],
  });
  const siteReloads = new Counter({
    name: "patchkast_site_reloads_total",
    help: "Reloads of a changed site file: applied, or invalid (the previous site stays in force).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  return {
    registry,
    provisionRequests,
    countProvisionRequest,
    provisionBlockedSources,
    tftpBytesSent,
    tftpTransfers,
    buildInfo,
    phoneResyncs,
    siteReloads,
    monitor: createMonitorMetrics(registry),
  };
}
