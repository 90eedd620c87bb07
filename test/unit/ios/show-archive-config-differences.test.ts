import { describe, expect, it } from "vitest";
import { parseShowArchiveConfigDifferences } from "../../../drivers/ios/parse/show-archive-config-differences.js";
import { invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowArchiveConfigDifferences", () => {
  itParsesFixtures("show-archive-config-differences", parseShowArchiveConfigDifferences);

  it("puts a changed line under its unchanged parents, and nested removals under the removed parent", () => {
    const d = parseShowArchiveConfigDifferences(
      "!Contextual Config Diffs:\npolicy-map WAN\n class VOICE\n  +priority percent 20\n-archive\n -maximum 14\n",
    );
    expect(d.entries).toEqual([
      { op: "+", line: "priority percent 20", path: ["policy-map WAN", "class VOICE"] },
      { op: "-", line: "archive", path: [] },
      { op: "-", line: "maximum 14", path: ["archive"] },
    ]);
  });

  it("a failed diff (missing file) is a device error, other text is not a diff", () => {
    parseErrorOf(
      () => parseShowArchiveConfigDifferences("%Error opening flash:candidate_config.txt (File not found)"),
      "PK_ERR_PARSE_DEVICE_ERROR",
      1,
    );
    parseErrorOf(() => parseShowArchiveConfigDifferences("+hostname x"), "PK_ERR_PARSE_UNRECOGNISED", 1);
    parseErrorOf(
      () => parseShowArchiveConfigDifferences("!Contextual Config Diffs:\n+"),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(
      () => parseShowArchiveConfigDifferences(invalidInput("show archive config differences")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
