import { describe, expect, it } from "vitest";
import { allChecks, runChecks } from "../../../agent/checks/index.js";
import type { Check } from "../../../agent/checks/types.js";
import { context } from "./fixtures.js";

describe("allChecks / runChecks", () => {
  it("has unique snake_case ids and a title each", () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of allChecks) {
      expect(c.id).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(c.title.length).toBeGreaterThan(10);
    }
  });

  it("every check passes on a site whose observations match the standard config", () => {
    const results = runChecks(context());
    const notPassing = results.filter((r) => r.status !== "pass").map((r) => `${r.id}: ${r.summary}`);
    expect(notPassing).toEqual([]);
    expect(results.map((r) => r.id)).toEqual(allChecks.map((c) => c.id));
  });

  it("a check that throws becomes unknown with the error as evidence; the others still run", () => {
    const broken: Check = {
      id: "broken",
      title: "A check with a bug in it",
      run: () => {
        throw new Error("cannot read properties of undefined");
      },
    };
    const results = runChecks(context(), [broken, ...allChecks.slice(0, 1)]);
    expect(results[0]).toMatchObject({ id: "broken", status: "unknown" });
    expect(results[0]?.evidence[0]?.observed).toMatch(/cannot read properties of undefined/);
    expect(results[1]?.status).toBe("pass");
  });
});
