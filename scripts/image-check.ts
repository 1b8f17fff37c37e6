// What the Dockerfile promises about the production image, checked without a Docker engine (make
// check runs it with compose-check): the `prod` target is built from stages that never copy the
// whole build context, a test kit, a test, the benchmarks or the docs; its npm ci omits dev
// dependencies and sees every workspace; it holds what compose runs; and .dockerignore drops the
// tests and test kits in case a later COPY grows wider.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_SCRIPTS } from "./import-check.ts";

type Stage = { name: string; from: string; lines: string[] };

/** Entries .dockerignore must hold: what the production image never contains. */
export const IGNORED: readonly string[] = [
  "**/node_modules",
  "**/*.test.ts",
  "shared/testkit/src",
  "services/*/src/testing",
  "bench",
  "docs",
];

/** What the prod stage copies for the services, the migrator and the healthcheck to run. */
const RUNS_FROM: readonly string[] = ["shared", "services", "db/migrations", ...IMAGE_SCRIPTS];

function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  const lines = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[2] ?? String(stages.length), from: from[1]!, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** The stages `name` is built from: itself, its FROM chain and every stage it copies from. */
function lineage(stages: Stage[], name: string, seen = new Set<string>()): Stage[] {
  const stage = stages.find((s) => s.name === name);
  if (!stage || seen.has(name)) return [];
  seen.add(name);
  const sources = [stage.from, ...stage.lines.flatMap((l) => /--from=(\S+)/.exec(l)?.[1] ?? [])];
  return [stage, ...sources.flatMap((s) => lineage(stages, s, seen))];
}

/** The source paths of a COPY from the build context (not --from another stage). */
function contextSources(line: string): string[] | undefined {
  if (!/^COPY\s/i.test(line) || /--from=/.test(line)) return undefined;
  const args = line
    .split(/\s+/)
    .slice(1)
    .filter((a) => !a.startsWith("--"));
  return args.slice(0, -1).map((a) => a.replace(/\/$/, ""));
}

const forbidden = (src: string): boolean =>
  src === "." ||
  src.endsWith(".test.ts") ||
  /(^|\/)testing(\/|$)/.test(src) ||
  (/^shared\/testkit(\/|$)/.test(src) && !src.endsWith("/package.json")) ||
  /^(bench|docs)(\/|$)/.test(src);

export function checkImage(dockerfile: string, dockerignore: string, workspaces: readonly string[]): string[] {
  const problems: string[] = [];
  const stages = stagesOf(dockerfile);
  const prod = lineage(stages, "prod");
  if (prod.length === 0) return ["Dockerfile: no `prod` stage (compose.yaml builds target prod)"];

  let npmCi = 0;
  for (const stage of prod) {
    for (const line of stage.lines) {
      for (const src of contextSources(line) ?? [])
        if (forbidden(src))
          problems.push(`Dockerfile: stage ${stage.name} (part of prod) copies ${src}: tests, test kits, bench and docs stay out`);
      if (!/^RUN\s/i.test(line) || !/\bnpm\s+(ci|install|i)\b/.test(line)) continue;
      npmCi += 1;
      if (!line.includes("--omit=dev")) problems.push(`Dockerfile: stage ${stage.name} installs without --omit=dev: ${line}`);
      const copied = new Set(stage.lines.flatMap((l) => contextSources(l) ?? []));
      for (const w of workspaces)
        if (!copied.has(`${w}/package.json`) && !copied.has(w))
          problems.push(`Dockerfile: stage ${stage.name} runs npm ci without ${w}/package.json (npm would not see that workspace)`);
    }
  }
  if (npmCi === 0) problems.push("Dockerfile: the prod stage installs no dependencies (npm ci --omit=dev)");
  const prodCopies = new Set(prod[0]!.lines.flatMap((l) => contextSources(l) ?? []));
  for (const need of RUNS_FROM)
    if (!prodCopies.has(need)) problems.push(`Dockerfile: the prod stage does not copy ${need}, which the image runs`);

  const ignored = new Set(dockerignore.split("\n").map((l) => l.trim()));
  for (const entry of IGNORED) if (!ignored.has(entry)) problems.push(`.dockerignore: lacks ${entry}`);
  return problems;
}

/** The workspace directories of the root package.json, `dir/*` entries expanded. */
export function workspaceDirs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces?: string[] };
  return (pkg.workspaces ?? []).flatMap((w) =>
    w.endsWith("/*")
      ? readdirSync(join(root, w.slice(0, -2)))
          .map((d) => `${w.slice(0, -2)}/${d}`)
          .filter((d) => existsSync(join(root, d, "package.json")))
          .sort()
      : [w],
  );
}

/** The image check of the repository at `root`. */
export function checkRepoImage(root: string): string[] {
  const read = (f: string): string => (existsSync(join(root, f)) ? readFileSync(join(root, f), "utf8") : "");
  return checkImage(read("Dockerfile"), read(".dockerignore"), workspaceDirs(root));
}
