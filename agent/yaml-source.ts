import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";

/** One mistake in a YAML file, pointing at the line and column an engineer has to change. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. `phones[3].sip.password`; empty for the whole file. */
  path: string;
  message: string;
}

export type PathKey = string | number;

export interface YamlSource {
  file: string;
  data: unknown;
  /** The line/column of the deepest node that exists along `path`. */
  locate(path: readonly PathKey[], opts?: { key?: boolean }): { line: number; column: number };
}

export function formatPath(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out;
}

export function formatProblem(p: Problem): string {
  const where = p.path === "" ? "" : ` ${p.path}:`;
  return `${p.file}:${p.line}:${p.column}:${where} ${p.message}`;
}

/** Parses YAML keeping positions; syntax errors come back as problems, never as exceptions. */
export function parseYaml(text: string, file: string): { source?: YamlSource; problems: Problem[] } {
  const lineCounter = new LineCounter();
  // uniqueKeys: a duplicated key silently overriding the first is the classic hand-edited YAML mistake.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const problems: Problem[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      column: pos.col,
      path: "",
      message: `YAML syntax: ${firstLine(e.message)}`,
    };
  });
  if (problems.length > 0) return { problems };

  const position = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const locate = (path: readonly PathKey[], opts: { key?: boolean } = {}) => {
    let node: unknown = doc.contents;
    let best: Node | null = (doc.contents as Node | null) ?? null;
    for (const [i, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        if (!pair) break;
        const wantKey = opts.key === true && i === path.length - 1;
        // A key whose value is missing (`password:`) still has a key node worth pointing at.
        best = wantKey
          ? ((pair.key as Node | null) ?? best)
          : ((pair.value as Node | null) ?? (pair.key as Node | null) ?? best);
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
        best = item;
        node = item;
      } else {
        break;
      }
    }
    return best?.range ? position(best.range[0]) : { line: 1, column: 1 };
  };
  return { source: { file, data: doc.toJS({ maxAliasCount: 100 }), locate }, problems: [] };
}

/** zod issues as positioned problems; unknown keys point at the key, everything else at the value. */
export function zodProblems(source: YamlSource, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k === "string" || typeof k === "number");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const pos = source.locate([...path, key], { key: true });
        out.push({
          file: source.file,
          ...pos,
          path: formatPath([...path, key]),
          message: `unknown key "${key}" (check the spelling; see the site file JSON Schema for allowed keys)`,
        });
      }
      continue;
    }
    const pos = source.locate(path);
    out.push({ file: source.file, ...pos, path: formatPath(path), message: issueMessage(issue) });
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required but missing";
  if (issue.code === "invalid_value" && "values" in issue && !issue.message.includes("expected one of")) {
    return `${issue.message} (allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`;
  }
  return issue.message;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
