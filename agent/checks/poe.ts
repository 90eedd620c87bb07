import type { ShowPowerInline } from "../../drivers/ios/parse/show-power-inline.js";
import type { Poe } from "../../drivers/snmp/index.js";
import type { SiteSwitch } from "../site/schema.js";
import { limitsOf } from "./limits.js";
import { deviceObs, samePort, shortPort } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { firstFailed, notObserved, verdict } from "./verdict.js";

const meta = {
  // The id is the `check` label the PoEPortFault alert reads (monitoring/prometheus/rules).
  id: "poe",
  title: "PoE is delivered to every phone, with budget headroom on each switch",
};

interface PortPower {
  port: string;
  delivering: boolean;
  watts: number | null;
  text: string;
}
interface Budget {
  name: string;
  availableW: number;
  usedW: number;
}
interface PowerView {
  ports: PortPower[];
  budgets: Budget[];
  source: string;
}

function fromCli(v: ShowPowerInline, source: string): PowerView {
  return {
    ports: v.ports.map((p) => ({
      port: p.interface,
      delivering: p.oper === "on" && p.powerWatts > 0,
      watts: p.powerWatts,
      text: `admin ${p.admin}, oper ${p.oper}, ${p.powerWatts.toFixed(1)} W${p.device ? ` to ${p.device}` : ""}`,
    })),
    budgets: v.modules.map((m) => ({
      name: m.module === null ? "PoE" : `PoE module ${m.module}`,
      availableW: m.availableWatts,
      usedW: m.usedWatts,
    })),
    source,
  };
}

function fromSnmp(v: Poe, source: string): PowerView {
  return {
    ports: v.ports
      .filter((p) => p.ifName !== undefined)
      .map((p) => {
        const w = p.consumptionMw === undefined ? null : p.consumptionMw / 1000;
        return {
          port: p.ifName as string,
          delivering: p.powered && (w === null || w > 0),
          watts: w,
          text: `${p.detectionStatus ?? (p.powered ? "powered" : "not powered")}${w === null ? "" : `, ${w.toFixed(1)} W`}`,
        };
      }),
    budgets: v.pses.map((p) => ({
      name: `PSE ${p.group}`,
      availableW: p.budgetW ?? 0,
      usedW: p.usedMw !== undefined ? p.usedMw / 1000 : (p.consumptionW ?? 0),
    })),
    source,
  };
}

function judgeSwitch(ctx: CheckContext, sw: SiteSwitch, headroomPct: number): Evidence[] {
  const dev = deviceObs(ctx.observations, sw.name);
  const cli = dev?.cli["show power inline"];
  const snmp = dev?.snmp.poe;
  const view = cli?.ok ? fromCli(cli.value, cli.source) : snmp?.ok ? fromSnmp(snmp.value, snmp.source) : null;
  const phones = ctx.site.phones.filter((p) => p.port?.switch === sw.name);
  const budgetExpected = `at least ${headroomPct} % of the PoE budget free`;
  if (!view) {
    const failed = firstFailed(cli, snmp);
    return [
      ...phones.map((p) =>
        notObserved(`${sw.name} ${shortPort(p.port?.interface ?? "")}`, "delivering power", "PoE", failed),
      ),
      notObserved(`${sw.name} PoE budget`, budgetExpected, "PoE", failed),
    ];
  }
  const evidence: Evidence[] = phones.map((phone) => {
    const port = phone.port?.interface ?? "";
    const row = view.ports.find((r) => samePort(r.port, port));
    return {
      subject: `${sw.name} ${shortPort(port)} (phone ${phone.extension})`,
      expected: "delivering power",
      observed: row ? row.text : "no PoE on this port",
      ok: row?.delivering === true,
      source: view.source,
    };
  });
  if (view.budgets.length === 0 || view.budgets.every((b) => b.availableW <= 0))
    evidence.push({
      subject: `${sw.name} PoE budget`,
      expected: budgetExpected,
      observed: "the switch reports no PoE budget",
      ok: false,
      source: view.source,
    });
  for (const b of view.budgets.filter((x) => x.availableW > 0)) {
    const freePct = ((b.availableW - b.usedW) / b.availableW) * 100;
    evidence.push({
      subject: `${sw.name} ${b.name}`,
      expected: budgetExpected,
      observed: `${b.usedW.toFixed(1)} of ${b.availableW.toFixed(1)} W used, ${freePct.toFixed(0)} % free`,
      ok: freePct >= headroomPct,
      source: view.source,
    });
  }
  return evidence;
}

export const poePhonePorts: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const { poeHeadroomPercent } = limitsOf(ctx.limits);
    const evidence = ctx.site.switches.flatMap((sw) => judgeSwitch(ctx, sw, poeHeadroomPercent));
    return verdict(meta, evidence, "PoE facts", "every phone gets power and every switch has headroom");
  },
};
