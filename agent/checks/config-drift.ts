import { formatDiff } from "../../drivers/ios/drift.js";
import { deviceObs } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { notObserved, verdict } from "./verdict.js";

const meta = { id: "config_drift", title: "Every device runs the standard config (no drift)" };

/** Diff lines shown in the evidence; the rest is counted. `patchkast diff` prints the whole diff. */
const SHOWN = 8;

export const configDrift: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const devices = [ctx.site.router.name, ...ctx.site.switches.map((s) => s.name)];
    const evidence = devices.map((name): Evidence => {
      const drift = deviceObs(ctx.observations, name)?.drift;
      const expected = "running-config equal to the rendered standard config";
      if (!drift?.ok) return notObserved(name, expected, "the drift comparison", drift);
      const n = drift.value.length;
      const shown = formatDiff(drift.value.slice(0, SHOWN)).replace(/\n\s*/g, " / ");
      return {
        subject: name,
        expected,
        observed:
          n === 0 ? "no drift" : `${n} line(s) differ: ${shown}${n > SHOWN ? ` (+${n - SHOWN} more)` : ""}`,
        ok: n === 0,
        source: drift.source,
      };
    });
    return verdict(meta, evidence, "devices", "no device drifted from the standard config");
  },
};
