import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../agent/paths.js";
import { nativeModulePath } from "../../agent/serve/tftp/native-engine.js";

const read = (p: string) => readFileSync(join(packageRoot, p), "utf8");

describe("repository promises", () => {
  it("the README opens with exactly two commands, and .ci/run runs the second one verbatim", () => {
    const readme = read("README.md");
    const block = /^# patchkast\n\n```sh\n([^`]*)```/.exec(readme);
    expect(block, "README must open with a sh code block").not.toBeNull();
    const commands = (block?.[1] ?? "").trim().split("\n");
    expect(commands).toHaveLength(2);
    const ciLines = read(".ci/run")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
    expect(ciLines.at(-1)).toBe(commands[1]);
  });

  it("the README's main command names an npm script that exists", () => {
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    const readme = read("README.md");
    for (const m of readme.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(pkg.scripts)).toContain(m[1]);
  });

  it("the Dockerfile's command is one the CLI has", async () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read("Dockerfile"))?.[1];
    const args = JSON.parse(cmd ?? "[]") as string[];
    const { buildProgram } = await import("../../agent/main.js");
    const names = buildProgram({ out: () => {}, err: () => {} }, () => {}).commands.map((c) => c.name());
    expect(names).toContain(args[0]);
    expect(args).toContain("/etc/patchkast/site.yaml");
  });

  it("the Dockerfile is multi-stage, runs unprivileged and exposes TFTP and HTTP", () => {
    const docker = read("Dockerfile");
    expect(docker.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toMatch(/^EXPOSE 69\/udp 8080\/tcp$/m);
    // The TFTP server's native engine is built in the image (failing the build if it cannot be) and
    // copied to where agent/serve/tftp/native-engine.ts looks for it, beside package.json.
    expect(docker).toMatch(/npm run build:native/);
    expect(docker).toMatch(/^COPY --from=build \/src\/native\/build \.\/native\/build$/m);
    expect(relative(packageRoot, nativeModulePath)).toBe("native/build/tftp-transfer.node");
    // Every COPY source of the build stages exists in the repository.
    for (const m of docker.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of (m[1] ?? "").split(" "))
        expect(existsSync(join(packageRoot, src)), `COPY ${src}`).toBe(true);
    }
  });
});
