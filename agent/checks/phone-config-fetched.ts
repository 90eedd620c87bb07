import { perPhone } from "./phone-checkins.js";
import type { Check, CheckContext } from "./types.js";
import { verdict } from "./verdict.js";

const meta = { id: "phone_config_fetched", title: "Every inventory phone fetched its configuration" };

export const phoneConfigFetched: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const evidence = perPhone(
      ctx,
      () => "at least one provisioning file served",
      (_phone, seen) => {
        if (!seen) return { observed: "unknown to the provisioning service", ok: false };
        if (seen.filesServed > 0)
          return {
            observed: `${seen.filesServed} file(s) served, last request ${seen.lastSeen ?? "?"} from ${seen.address ?? "?"}`,
            ok: true,
          };
        return {
          observed: seen.lastSeen
            ? `asked at ${seen.lastSeen} from ${seen.address ?? "?"}, but no file was served`
            : "never asked for its files",
          ok: false,
        };
      },
    );
    return verdict(meta, evidence, "phones", "every phone fetched its configuration");
  },
};
