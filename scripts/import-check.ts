// `make check` (and scripts/import-check.test.ts) hold the import graph to the layout that
// docs/architecture.md draws. Every import, `export … from` and literal dynamic `import("…")` of the
// production files is resolved, and the check fails, naming each offending edge, on:
//   (a) an import cycle among production files — type-only imports count, because a cycle of types
//       is still two modules that cannot be read, tested or moved one without the other;
//   (b) a production file importing a test kit (`<package>/src/testing/`), apart from ALLOW_TESTKIT;
//   (c) a service reaching into another service's src, or shared into a service's — apart from
//       services/all importing each service's package `./start` export, which is what it is for —
//       and any relative import into another workspace package (use its package name and exports);
//   (d) a bare package imported by code the production image runs that is not in the `dependencies`
//       of the package holding the file (or of the root package.json); node: builtins are ignored;
//   (e) a cycle among the workspace packages' `dependencies` (core ◀ domain ◀ reports is the order).
// Production files: every non-test .ts under the workspace packages' src (shared/*, services/*) and
// under scripts/; test files (*.test.ts) and test kits (src/testing/, shared/testkit) may import anything.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/** Production files allowed to import a test kit, each with why. */
export const ALLOW_TESTKIT: Readonly<Record<string, string>> = {
  "scripts/demo.ts": "`make demo` runs the whole bot against the in-repo fake Telegram and its web chat",
  "scripts/sis-sim.ts": "`make demo-sis` serves the SIS simulator (the test kit's fake SIS) beside the demo",
};

/** Scripts the production image runs (compose.yaml's healthcheck); the other scripts are dev tools. */
export const IMAGE_SCRIPTS: readonly string[] = ["scripts/healthcheck.ts"];

type Workspace = { name: string; dir: string; exports: Record<string, string>; deps: Set<string>; devDeps: Set<string> };
type Repo = { root: string; workspaces: Workspace[]; rootDeps: Set<string>; rootDevDeps: Set<string> };
type Edge = { from: string; to: string };

const BUILTINS = new Set(builtinModules);
const posix = (p: string): string => p.split(sep).join("/");
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const keys = (v: unknown): Set<string> => new Set(Object.keys((v as Record<string, string> | undefined) ?? {}));

export const isTestFile = (rel: string): boolean => rel.endsWith(".test.ts");
export const isTestKit = (rel: string): boolean => /(^|\/)src\/testing\//.test(rel) || rel.startsWith("shared/testkit/");
const serviceOf = (rel: string): string | undefined => /^services\/([^/]+)\/src\//.exec(rel)?.[1];

function loadRepo(root: string): Repo {
  const pkg = readJson(join(root, "package.json"));
  const dirs = ((pkg.workspaces as string[] | undefined) ?? []).flatMap((w) => {
    if (!w.endsWith("/*")) return [w];
    const parent = w.slice(0, -2);
    return existsSync(join(root, parent)) ? readdirSync(join(root, parent)).map((d) => `${parent}/${d}`) : [];
  });
  const workspaces = dirs
    .filter((d) => existsSync(join(root, d, "package.json")))
    .map((dir) => {
      const p = readJson(join(root, dir, "package.json"));
      const exp = typeof p.exports === "string" ? { ".": p.exports } : ((p.exports as Record<string, string> | undefined) ?? {});
      return { name: String(p.name), dir, exports: exp, deps: keys(p.dependencies), devDeps: keys(p.devDependencies) };
    });
  return { root, workspaces, rootDeps: keys(pkg.dependencies), rootDevDeps: keys(pkg.devDependencies) };
}

function walk(root: string, dir: string, out: string[]): string[] {
  if (!existsSync(join(root, dir))) return out;
  for (const name of readdirSync(join(root, dir))) {
    if (name === "node_modules") continue;
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) walk(root, rel, out);
    else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** The module specifiers of a source text: imports, `export … from`, `import("literal")`. */
export function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const packageName = (spec: string): string =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

function existing(root: string, rel: string): string | undefined {
  for (const c of [rel, `${rel}.ts`, `${rel}/index.ts`]) if (existsSync(join(root, c)) && statSync(join(root, c)).isFile()) return c;
  return undefined;
}

/** A workspace package's export for a subpath (`./start`, or a `./*` pattern), as a repo path. */
function exported(ws: Workspace, subpath: string): string | undefined {
  const exact = ws.exports[subpath];
  if (exact) return posix(join(ws.dir, exact));
  for (const [pattern, target] of Object.entries(ws.exports)) {
    const star = pattern.indexOf("*");
    if (star < 0) continue;
    const [head, tail] = [pattern.slice(0, star), pattern.slice(star + 1)];
    if (subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length >= head.length + tail.length)
      return posix(join(ws.dir, target.replace("*", subpath.slice(head.length, subpath.length - tail.length))));
  }
  return undefined;
}

type Resolved =
  { kind: "file"; path: string } | { kind: "package"; name: string } | { kind: "builtin" } | { kind: "unresolved"; why: string };

function resolveSpec(repo: Repo, from: string, spec: string): Resolved {
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const path = existing(repo.root, posix(relative(repo.root, resolve(repo.root, dirname(from), spec))));
    return path ? { kind: "file", path } : { kind: "unresolved", why: "no such file" };
  }
  if (spec.startsWith("node:") || BUILTINS.has(packageName(spec))) return { kind: "builtin" };
  const name = packageName(spec);
  const ws = repo.workspaces.find((w) => w.name === name);
  if (!ws) return { kind: "package", name };
  const target = exported(ws, `.${spec.slice(name.length)}`);
  const path = target && existing(repo.root, target);
  return path ? { kind: "file", path } : { kind: "unresolved", why: `not exported by ${name} (${ws.dir}/package.json)` };
}

function workspaceOf(repo: Repo, rel: string): Workspace | undefined {
  return repo.workspaces.find((w) => rel.startsWith(`${w.dir}/`));
}

/** Every problem of the repository at `root`, one line each; empty when the graph is clean. */
export function checkImports(root: string): string[] {
  const repo = loadRepo(root);
  const files = [...repo.workspaces.flatMap((w) => walk(root, `${w.dir}/src`, [])), ...walk(root, "scripts", [])];
  const production = files.filter((f) => !isTestFile(f) && !isTestKit(f));
  const isProduction = new Set(production);
  const problems: string[] = [];
  const edges: Edge[] = [];

  for (const from of production) {
    const ws = workspaceOf(repo, from);
    const inImage = ws !== undefined || IMAGE_SCRIPTS.includes(from);
    for (const spec of specifiers(readFileSync(join(root, from), "utf8"))) {
      const r = resolveSpec(repo, from, spec);
      if (r.kind === "builtin") continue;
      if (r.kind === "unresolved") {
        problems.push(`unresolved import: ${from} -> "${spec}" (${r.why})`);
        continue;
      }
      if (r.kind === "package") {
        if (!inImage || ws?.deps.has(r.name) || repo.rootDeps.has(r.name)) continue;
        const dev = ws?.devDeps.has(r.name) || repo.rootDevDeps.has(r.name) ? " (it is a devDependency)" : "";
        problems.push(`undeclared dependency: ${from} -> ${r.name}, not in dependencies of ${ws?.dir ?? "."}/package.json${dev}`);
        continue;
      }
      const to = r.path;
      if (isTestKit(to) && !(from in ALLOW_TESTKIT)) problems.push(`production imports the test kit: ${from} -> ${to}`);
      const [src, dst] = [serviceOf(from), serviceOf(to)];
      const viaStart = src === "all" && dst !== undefined && spec === `@ownerbot/${dst}/start`;
      const owner = workspaceOf(repo, to);
      const crosses = ws !== undefined && owner !== undefined && owner !== ws;
      if (dst !== undefined && dst !== src && !viaStart) {
        const who = src === undefined ? "a non-service file" : `service ${src}`;
        problems.push(`${who} reaches into service ${dst}: ${from} -> ${to}`);
      } else if (crosses && spec.startsWith(".")) {
        problems.push(`relative import into another package: ${from} -> ${to} (import it as ${owner.name}/…)`);
      }
      if (crosses && !spec.startsWith(".") && !ws.deps.has(owner.name))
        problems.push(`undeclared dependency: ${from} -> ${to}, ${owner.name} not in dependencies of ${ws.dir}/package.json`);
      if (isProduction.has(to)) edges.push({ from, to });
    }
  }
  for (const cycle of cycles(edges)) problems.push(`import cycle: ${cycle.join(" -> ")}`);
  for (const cycle of cycles(packageEdges(repo))) problems.push(`package dependency cycle: ${cycle.join(" -> ")}`);
  return problems;
}

/** The workspace packages' production dependencies on each other (devDependencies may loop back). */
function packageEdges(repo: Repo): Edge[] {
  const names = new Set(repo.workspaces.map((w) => w.name));
  return repo.workspaces.flatMap((w) => [...w.deps].filter((d) => names.has(d)).map((to) => ({ from: w.name, to })));
}

/** One cycle per strongly connected component (Tarjan), as the files in order with the first repeated. */
export function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = new Set<string>();
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.add(w);
      if (w === v) break;
    }
    if (component.size > 1 || (next.get(v) ?? []).includes(v)) found.push(shortestLoop(v, component, next));
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** The shortest way from `start` back to itself inside its component (breadth first). */
function shortestLoop(start: string, component: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of next.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const back: string[] = [];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) back.push(u);
        return [start, ...back.reverse(), start];
      }
      if (!parent.has(w) && w !== start) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname, "..");
  const problems = checkImports(root);
  for (const p of problems) process.stderr.write(`import check: ${p}\n`);
  if (problems.length === 0)
    process.stdout.write(
      "import check: no cycles, no production -> test kit edges, no service -> service edges, every dependency declared\n",
    );
  process.exit(problems.length === 0 ? 0 : 1);
}
