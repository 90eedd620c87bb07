import { describe, expect, it } from "vitest";
import { macKey, mentionsMac, shortPort } from "../../../agent/checks/site-facts.js";
import type { Evidence } from "../../../agent/checks/types.js";
import { statusOf, verdict } from "../../../agent/checks/verdict.js";

const fact = (ok: boolean | null, subject = "x"): Evidence => ({ subject, observed: "o", ok, source: "s" });

describe("verdict", () => {
  it("fail beats unknown beats pass; nothing to judge is unknown, never pass", () => {
    expect(statusOf([fact(true), fact(null), fact(false)])).toBe("fail");
    expect(statusOf([fact(true), fact(null)])).toBe("unknown");
    expect(statusOf([fact(true), fact(true)])).toBe("pass");
    expect(statusOf([])).toBe("unknown");
  });

  it("summarises what is wrong or unjudged, by subject", () => {
    const meta = { id: "c", title: "C" };
    expect(verdict(meta, [fact(false, "a"), fact(true, "b")], "ports", "fine").summary).toBe(
      "1 of 2 ports wrong: a",
    );
    expect(verdict(meta, [fact(true, "b")], "ports", "fine").summary).toBe("fine (1 ports)");
    expect(verdict(meta, [], "ports", "fine").summary).toBe("nothing to judge: no ports observed");
  });
});

describe("site facts", () => {
  it("compares MACs in every notation phones and switches print", () => {
    expect(macKey("00:15:65:1A:B0:01")).toBe("0015651ab001");
    expect(mentionsMac("0015.651a.b001", "00:15:65:1a:b0:01")).toBe(true);
    expect(mentionsMac("SEP0015651AB001", "00-15-65-1a-b0-01")).toBe(true);
    expect(mentionsMac("0015.651a.b002", "00:15:65:1a:b0:01")).toBe(false);
    expect(mentionsMac(null, "00:15:65:1a:b0:01")).toBe(false);
  });

  it("shortens port names for summaries", () => {
    expect(shortPort("GigabitEthernet1/0/3")).toBe("Gi1/0/3");
    expect(shortPort("Gi1/0/3")).toBe("Gi1/0/3");
    expect(shortPort("TenGigabitEthernet1/1/1")).toBe("Te1/1/1");
  });
});
