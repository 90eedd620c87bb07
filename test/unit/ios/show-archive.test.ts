import { describe, expect, it } from "vitest";
import { parseShowArchive } from "../../../drivers/ios/parse/show-archive.js";
import { invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowArchive", () => {
  itParsesFixtures("show-archive", parseShowArchive);

  it("lists the filled slots only and marks the most recent", () => {
    const a = parseShowArchive(
      "The maximum archive configurations allowed is 2.\nThe next archive file will be named flash:a-2\n Archive #  Name\n   1        flash:a-1 <- Most Recent\n   2",
    );
    expect(a).toEqual({
      enabled: true,
      maximum: 2,
      nextFilename: "flash:a-2",
      archives: [{ index: 1, filename: "flash:a-1", mostRecent: true }],
      mostRecent: "flash:a-1",
    });
  });

  it("refuses other output and device errors", () => {
    parseErrorOf(() => parseShowArchive("Archive feature enabled maybe"), "PK_ERR_PARSE_UNRECOGNISED", 1);
    parseErrorOf(
      () => parseShowArchive("The maximum archive configurations allowed is 2."),
      "PK_ERR_PARSE_UNRECOGNISED",
    );
    parseErrorOf(() => parseShowArchive(invalidInput("show archive")), "PK_ERR_PARSE_DEVICE_ERROR");
  });
});
