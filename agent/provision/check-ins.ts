import type { PhoneModel } from "../catalog/load.js";
import type { UserAgentIdentity } from "./identify.js";
import { isoTime } from "./iso-time.js";

/** What the agent knows about one inventory phone from its provisioning requests. */
export interface PhoneCheckIn {
  mac: string;
  extension: string;
  expectedModel: string;
  expectedFirmware: string | null;
  lastSeen: string | null;
  address: string | null;
  reportedModel: string | null;
  reportedFirmware: string | null;
  /** null until the phone has told us its firmware. */
  firmwareCompliant: boolean | null;
  filesServed: number;
}

/**
 * Firmware strings are printed differently by the catalog and by the phones: "7.61.115.7.rom" vs
 * "7.61.115.7", "v22.73" vs "22.73", "4.0.2b" (a release) vs "4.0.2.11307" (that release's build).
 * Equal after normalising, or the phone's version continuing the catalog's numeric release, counts.
 */
export function firmwareMatches(catalog: string, reported: string): boolean {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/^v/, "")
      .replace(/\.rom$/, "");
  const want = norm(catalog);
  const got = norm(reported);
  if (want === got) return true;
  const release = /^[0-9]+(\.[0-9]+)*/.exec(want)?.[0];
  return release?.includes(".") === true && got.startsWith(`${release}.`);
}

export interface InventoryPhone {
  mac: string;
  extension: string;
  model: PhoneModel;
}

export class CheckIns {
  readonly #phones = new Map<string, PhoneCheckIn>();

  constructor(inventory: readonly InventoryPhone[]) {
    this.reconcile(inventory);
  }

  /**
   * Follows a changed site file: new phones are added, removed ones dropped, and a phone that stays keeps
   * what we saw of it (its expected model and firmware follow the site, compliance is re-judged).
   */
  reconcile(inventory: readonly InventoryPhone[]): void {
    const keep = new Set(inventory.map((p) => p.mac));
    for (const mac of this.#phones.keys()) if (!keep.has(mac)) this.#phones.delete(mac);
    for (const p of inventory) {
      const seen = this.#phones.get(p.mac);
      if (seen) {
        seen.extension = p.extension;
        seen.expectedModel = `${p.model.brand} ${p.model.model}`;
        seen.expectedFirmware = p.model.firmware;
        seen.firmwareCompliant =
          seen.reportedFirmware === null || p.model.firmware === null
            ? null
            : firmwareMatches(p.model.firmware, seen.reportedFirmware);
        continue;
      }
      this.#phones.set(p.mac, {
        mac: p.mac,
        extension: p.extension,
        expectedModel: `${p.model.brand} ${p.model.model}`,
        expectedFirmware: p.model.firmware,
        lastSeen: null,
        address: null,
        reportedModel: null,
        reportedFirmware: null,
        firmwareCompliant: null,
        filesServed: 0,
      });
    }
  }

  /** Records a request that we tied to an inventory phone (by its file, or by the MAC in its User-Agent). */
  record(mac: string, address: string, at: Date, ua: UserAgentIdentity | undefined, served: boolean): void {
    const phone = this.#phones.get(mac);
    if (!phone) return;
    phone.lastSeen = isoTime(at.getTime());
    phone.address = address;
    if (served) phone.filesServed += 1;
    // A phone repeats its User-Agent on every request; only a new model or firmware needs the comparison.
    if (ua && (ua.firmware !== phone.reportedFirmware || ua.model !== phone.reportedModel)) {
      phone.reportedModel = ua.model;
      phone.reportedFirmware = ua.firmware;
      phone.firmwareCompliant =
        phone.expectedFirmware === null ? null : firmwareMatches(phone.expectedFirmware, ua.firmware);
    }
  }

  list(): PhoneCheckIn[] {
    return [...this.#phones.values()].map((p) => ({ ...p }));
  }

  /** Where the phone last asked from, or undefined when it has not been seen. */
  addressOf(mac: string): string | undefined {
    return this.#phones.get(mac)?.address ?? undefined;
  }

  has(mac: string): boolean {
    return this.#phones.has(mac);
  }
}
