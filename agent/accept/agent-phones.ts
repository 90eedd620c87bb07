import { PatchkastError } from "../errors.js";
import type { PhoneCheckIn } from "../provision/check-ins.js";

/**
 * The phones' check-ins live in the provisioning service of the running `patchkast serve`, not in the
 * `accept` process: ask it over its read-only API (GET /api/v1/phones, agent/serve/http/app.ts).
 */
export async function fetchAgentPhones(baseUrl: string, timeoutMs = 5000): Promise<PhoneCheckIn[]> {
  const url = `${baseUrl.replace(/\/+$/, "")}/api/v1/phones`;
  const fail = (why: string, cause?: unknown) =>
    new PatchkastError(
      "PK_ERR_OBSERVE_SOURCE",
      `reading phone check-ins from ${url}: ${why} (is \`patchkast serve\` running for this site? see --agent-url)`,
      { cause },
    );
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (err) {
    throw fail((err as Error).message, err);
  }
  if (!res.ok) throw fail(`HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    throw fail("the answer is not JSON", err);
  }
  const phones = (body as { phones?: unknown })?.phones;
  if (!Array.isArray(phones) || !phones.every((p) => typeof (p as { mac?: unknown })?.mac === "string"))
    throw fail("the answer has no phones list");
  return phones as PhoneCheckIn[];
}
