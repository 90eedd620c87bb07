import { phoneFamily } from "../../drivers/phones/index.js";
import type { NotifyRequest, SipResult, SipTarget } from "../../drivers/sip/client.js";
import type { PhoneRef } from "./changes.js";

export interface ResyncOutcome extends PhoneRef {
  address: string | null;
  /** sent: the phone answered 2xx; rejected: another final answer; no-answer; unknown-address: never seen. */
  result: "sent" | "rejected" | "no-answer" | "unknown-address";
  status: number | null;
}

export interface ResyncDeps {
  addressOf(mac: string): string | undefined;
  notify(target: SipTarget, req: NotifyRequest): Promise<SipResult>;
  /** Where phones listen for SIP: 5060 on every family on the provider's list. */
  port?: number;
  /** NOTIFYs in flight at once: a site-wide change must not flood the voice VLAN. */
  concurrency?: number;
}

/**
 * Tells phones to re-fetch their files with their family's NOTIFY (`check-sync`, or `resync` for Cisco
 * SPA; provisioning.md §2.8), at the address they last fetched from. A phone never seen gets nothing: it
 * will read the new files when it next boots.
 */
export async function resyncPhones(phones: readonly PhoneRef[], deps: ResyncDeps): Promise<ResyncOutcome[]> {
  const queue = [...phones];
  const out: ResyncOutcome[] = [];
  const worker = async () => {
    for (let phone = queue.shift(); phone; phone = queue.shift()) out.push(await resyncOne(phone, deps));
  };
  await Promise.all(
    Array.from({ length: Math.min(deps.concurrency ?? 16, Math.max(1, phones.length)) }, worker),
  );
  return out.sort((a, b) => a.mac.localeCompare(b.mac));
}

async function resyncOne(phone: PhoneRef, deps: ResyncDeps): Promise<ResyncOutcome> {
  const address = deps.addressOf(phone.mac);
  const family = phoneFamily(phone.family);
  if (address === undefined || !family)
    return { ...phone, address: address ?? null, result: "unknown-address", status: null };
  const r = await deps.notify(
    { host: address, port: deps.port ?? 5060, transport: "udp" },
    { event: family.resyncEvent },
  );
  const result = r.status === null ? "no-answer" : r.status >= 200 && r.status < 300 ? "sent" : "rejected";
  return { ...phone, address, result, status: r.status };
}
