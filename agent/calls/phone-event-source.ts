import { createHash, timingSafeEqual } from "node:crypto";
import type { FamilyId } from "../../drivers/phones/types.js";
import type { Catalog } from "../catalog/load.js";
import { normaliseMac } from "../render/view-model.js";
import { contains, type Ipv4Net, parseCidr } from "../site/ip.js";
import type { Site } from "../site/schema.js";
import type { EventKey } from "./device-tokens.js";
import { type EventFamily, type PhoneEventRequest, readPhoneEvent } from "./phone-event-requests.js";
import { PhoneCallTracker, type TrackerOptions } from "./phone-events.js";
import type { CallSource } from "./types.js";

/** What the site decides for call events: on or off, the phones that send them, where they may come from. */
export interface PhoneEventSite {
  enabled: boolean;
  devices: readonly { mac: string; family: FamilyId }[];
  /** The same subnets provisioning hands credentials to (site.provisioning.allowed_subnets or the voice VLAN). */
  allowedSubnets: readonly Ipv4Net[];
}

const eventFamilies: ReadonlySet<FamilyId> = new Set<EventFamily>(["yealink", "polycom", "aastra"]);

/** The site's phones that can report calls; pure, so a reloaded site file is applied with update(). */
export function phoneEventSite(site: Site, catalog: Catalog): PhoneEventSite {
  const devices: { mac: string; family: FamilyId }[] = [];
  for (const phone of site.phones) {
    const family = catalog.findPhone(phone.model)?.family;
    if (family && eventFamilies.has(family)) devices.push({ mac: normaliseMac(phone.mac), family });
  }
  const allowedSubnets = (site.provisioning.allowed_subnets ?? [site.vlans.voice.subnet])
    .map((c) => parseCidr(c))
    .filter((n): n is Ipv4Net => n !== undefined);
  return { enabled: site.provisioning.call_events, devices, allowedSubnets };
}

/** How a request ended; the route answers with the status, the daemon counts the result. */
export type EventResult =
  | "accepted"
  | "unknown-token"
  | "forbidden-source"
  | "mac-mismatch"
  | "wrong-method"
  | "unknown-event"
  | "malformed"
  | "too-large";

export const eventResults: readonly EventResult[] = [
  "accepted",
  "unknown-token",
  "forbidden-source",
  "mac-mismatch",
  "wrong-method",
  "unknown-event",
  "malformed",
  "too-large",
];

const statusOf: Readonly<Record<EventResult, number>> = {
  accepted: 200,
  "unknown-token": 404,
  "forbidden-source": 403,
  "mac-mismatch": 403,
  "wrong-method": 405,
  "unknown-event": 404,
  malformed: 400,
  "too-large": 413,
};

export interface IncomingPhoneEvent extends PhoneEventRequest {
  /** The token path segment as sent; never logged, never echoed. */
  token: string;
  /** Source IPv4 address (IPv4-mapped IPv6 already unwrapped). */
  source: string;
}

export interface PhoneEventSourceOptions {
  key: EventKey;
  site: PhoneEventSite;
  now?: () => number;
  tracker?: Partial<TrackerOptions>;
  /** Called once per request with its result and the family where the token named one (for metrics). */
  onResult?: (result: EventResult, family: EventFamily | undefined) => void;
}

interface TokenEntry {
  digest: Buffer;
  mac: string;
  family: EventFamily;
}

const digest = (token: string) => createHash("sha256").update(token).digest();

/**
 * Call source "phone_events": the phones' own call-state events (reference/call-events.md), pushed to
 * agent/serve/http/events-route.ts and counted by PhoneCallTracker.
 */
export class PhoneEventSource implements CallSource {
  readonly name = "phone_events" as const;
  readonly #key: EventKey;
  readonly #now: () => number;
  readonly #tracker: PhoneCallTracker;
  readonly #onResult: PhoneEventSourceOptions["onResult"];
  readonly #counts = new Map<EventResult, number>(eventResults.map((r) => [r, 0]));
  #site: PhoneEventSite = { enabled: false, devices: [], allowedSubnets: [] };
  #tokens: TokenEntry[] = [];

  constructor(opts: PhoneEventSourceOptions) {
    this.#key = opts.key;
    this.#now = opts.now ?? Date.now;
    this.#tracker = new PhoneCallTracker(opts.tracker);
    this.#onResult = opts.onResult;
    this.setSite(opts.site);
  }

  /** Applies a reloaded site: tokens of removed phones stop working and their calls stop counting. */
  setSite(site: PhoneEventSite): void {
    this.#site = site;
    this.#tokens = site.enabled
      ? site.devices.map((d) => ({
          digest: digest(this.#key.tokenFor(d.mac)),
          mac: d.mac,
          family: d.family as EventFamily,
        }))
      : [];
    this.#tracker.retain(new Set(this.#tokens.map((t) => t.mac)));
  }

  /** With call events off (or no phone that can send them) there is nothing to report, not 0 calls. */
  get available(): boolean {
    return this.#tokens.length > 0;
  }

  active(now: number): number {
    return this.#tracker.active(now);
  }

  /** Per-device state, for the API; MACs only, no tokens. */
  devices(now: number) {
    return this.#tracker.devices(now);
  }

  /** Requests by result since start. */
  counts(): Record<EventResult, number> {
    return Object.fromEntries(this.#counts) as Record<EventResult, number>;
  }

  /** Counts a request the route refused before it could be read (too large, unparsable). */
  refuse(result: Extract<EventResult, "too-large" | "malformed">): { status: number } {
    return this.#count(result, undefined);
  }

  /** Authenticates and applies one phone request; the status is what the phone gets. */
  receive(req: IncomingPhoneEvent): { status: number } {
    if (!this.#site.allowedSubnets.some((net) => contains(net, req.source))) {
      return this.#count("forbidden-source", undefined);
    }
    const device = this.#lookup(req.token);
    if (!device) return this.#count("unknown-token", undefined);
    const read = readPhoneEvent(device.family, req);
    if (!read.ok) return this.#count(read.result, device.family);
    if (read.mac !== undefined && read.mac !== device.mac) return this.#count("mac-mismatch", device.family);
    this.#tracker.apply({
      device: device.mac,
      at: this.#now(),
      signal: read.signal,
      ...(read.holdMs === undefined ? {} : { holdMs: read.holdMs }),
    });
    return this.#count("accepted", device.family);
  }

  /**
   * The device a token names. Every known token is compared, in constant time over fixed-length digests,
   * without stopping at a match: how long this takes says nothing about how close a guess was or which
   * device it hit.
   */
  #lookup(token: string): TokenEntry | undefined {
    const presented = digest(token);
    let found: TokenEntry | undefined;
    for (const entry of this.#tokens) {
      if (timingSafeEqual(presented, entry.digest) && found === undefined) found = entry;
    }
    return found;
  }

  #count(result: EventResult, family: EventFamily | undefined): { status: number } {
    this.#counts.set(result, (this.#counts.get(result) ?? 0) + 1);
    this.#onResult?.(result, family);
    return { status: statusOf[result] };
  }
}
