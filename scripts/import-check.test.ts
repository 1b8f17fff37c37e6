import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALLOW_TESTKIT, checkImports, cycles, specifiers } from "./import-check.ts";

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pkg = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, type: "module", ...extra });

/** A small repository laid out like this one, plus `files` (path → source text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "import-check-"));
  made.push(root);
  const base: Record<string, string> = {
    "package.json": JSON.stringify({ workspaces: ["shared", "services/*"], devDependencies: { vitest: "1" } }),
    "shared/package.json": pkg("@ownerbot/shared", { exports: { "./*": "./src/*.ts" }, dependencies: { zod: "4" } }),
    "services/a/package.json": pkg("@ownerbot/a", { exports: { "./start": "./src/start.ts" }, dependencies: { "@ownerbot/shared": "*" } }),
    "services/b/package.json": pkg("@ownerbot/b", { exports: { "./start": "./src/start.ts" }, dependencies: { "@ownerbot/shared": "*" } }),
    "services/all/package.json": pkg("@ownerbot/all", {
      dependencies: { "@ownerbot/shared": "*", "@ownerbot/a": "*", "@ownerbot/b": "*" },
    }),
    "shared/src/core/money.ts": 'import { z } from "zod";\nimport { readFile } from "node:fs/promises";\nexport const M = z.number();\n',
    "shared/src/core/format.ts": 'import type { M } from "./money.ts";\nexport const f = async () => (await import("./money.ts")).M;\n',
    "shared/src/testing/fake.ts": 'import { it } from "vitest";\nimport { M } from "../core/money.ts";\nexport { it, M };\n',
    "shared/src/core/format.test.ts": 'import { it } from "../testing/fake.ts";\nimport "../core/format.ts";\n',
    "services/a/src/start.ts": 'import { f } from "@ownerbot/shared/core/format";\nexport const start = f;\n',
    "services/b/src/start.ts": 'import { M } from "@ownerbot/shared/core/money";\nexport const start = M;\n',
    "services/all/src/main.ts":
      'import { start as a } from "@ownerbot/a/start";\nimport { start as b } from "@ownerbot/b/start";\nexport { a, b };\n',
    "scripts/demo.ts": 'import "../shared/src/testing/fake.ts";\n',
  };
  for (const [path, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("import check", () => {
  it("passes a clean tree: type and dynamic imports, builtins, declared packages, services/all through ./start", () => {
    expect(checkImports(tree({}))).toEqual([]);
  });

  it("fails a cycle, type-only imports included, naming each file of it once", () => {
    const problems = checkImports(
      tree({ "shared/src/core/money.ts": 'import type { f } from "./format.ts";\nexport const M = 1;\nexport type F = typeof f;\n' }),
    );
    expect(problems).toEqual(["import cycle: shared/src/core/format.ts -> shared/src/core/money.ts -> shared/src/core/format.ts"]);
  });

  it("fails production code importing the test kit, but not a test, the kit itself or an allowed demo script", () => {
    const problems = checkImports(
      tree({
        "shared/src/core/seed.ts": 'export { M } from "../testing/fake.ts";\n',
        "services/b/src/testing/world.ts": 'import "@ownerbot/shared/testing/fake";\n',
        "services/b/src/start.ts": 'import "./testing/world.ts";\nexport const start = 1;\n',
        "scripts/other.ts": 'import "../shared/src/testing/fake.ts";\n',
      }),
    );
    expect(problems.sort()).toEqual([
      "production imports the test kit: scripts/other.ts -> shared/src/testing/fake.ts",
      "production imports the test kit: services/b/src/start.ts -> services/b/src/testing/world.ts",
      "production imports the test kit: shared/src/core/seed.ts -> shared/src/testing/fake.ts",
    ]);
  });

  it("fails a service reaching into another service, also through its package, unless services/all uses ./start", () => {
    const problems = checkImports(
      tree({
        "services/a/src/start.ts": 'import { start as b } from "../../b/src/start.ts";\nexport const start = b;\n',
        "services/b/src/other.ts": 'import { start } from "@ownerbot/a/start";\nexport { start };\n',
        "services/all/src/peek.ts": 'import "../../a/src/start.ts";\n',
        "shared/src/core/up.ts": 'import "../../../services/b/src/start.ts";\n',
        "services/b/src/peek.ts": 'import "../../../shared/src/core/money.ts";\n',
      }),
    );
    expect(problems.sort()).toEqual([
      "a non-service file reaches into service b: shared/src/core/up.ts -> services/b/src/start.ts",
      "relative import into another package: services/b/src/peek.ts -> shared/src/core/money.ts (import it as @ownerbot/shared/…)",
      "service a reaches into service b: services/a/src/start.ts -> services/b/src/start.ts",
      "service all reaches into service a: services/all/src/peek.ts -> services/a/src/start.ts",
      "service b reaches into service a: services/b/src/other.ts -> services/a/src/start.ts",
      "undeclared dependency: services/b/src/other.ts -> services/a/src/start.ts, @ownerbot/a not in dependencies of services/b/package.json",
    ]);
  });

  it("fails a package the production code imports but its package does not list in dependencies", () => {
    const problems = checkImports(
      tree({
        "services/a/src/db.ts":
          'import pg from "pg";\nimport { it } from "vitest";\nimport type { Z } from "zod";\nexport { pg, it };\nexport type { Z };\n',
        "services/a/src/db.test.ts": 'import { it } from "vitest";\nimport pg from "pg";\nexport { it, pg };\n',
        "shared/src/testing/db.ts": 'import pg from "pg";\nexport { pg };\n',
        "shared/src/core/hidden.ts": 'import "@ownerbot/a/internal";\n',
      }),
    );
    expect(problems.sort()).toEqual([
      "undeclared dependency: services/a/src/db.ts -> pg, not in dependencies of services/a/package.json",
      "undeclared dependency: services/a/src/db.ts -> vitest, not in dependencies of services/a/package.json (it is a devDependency)",
      "undeclared dependency: services/a/src/db.ts -> zod, not in dependencies of services/a/package.json",
      'unresolved import: shared/src/core/hidden.ts -> "@ownerbot/a/internal" (not exported by @ownerbot/a (services/a/package.json))',
    ]);
  });

  it("fails packages that depend on each other, and the test kit package imported by production", () => {
    const problems = checkImports(
      tree({
        "package.json": JSON.stringify({ workspaces: ["shared", "shared/pkgs/*", "shared/testkit", "services/*"] }),
        "shared/pkgs/core/package.json": pkg("@ownerbot/core", {
          exports: { "./m": "./src/m.ts" },
          dependencies: { "@ownerbot/dom": "*" },
        }),
        "shared/pkgs/dom/package.json": pkg("@ownerbot/dom", { exports: { "./d": "./src/d.ts" }, dependencies: { "@ownerbot/core": "*" } }),
        "shared/pkgs/core/src/m.ts": "export const m = 1;\n",
        "shared/pkgs/dom/src/d.ts": 'import { m } from "@ownerbot/core/m";\nexport const d = m;\n',
        "shared/testkit/package.json": pkg("@ownerbot/testkit", { exports: { "./kit": "./src/kit.ts" } }),
        "shared/testkit/src/kit.ts": "export const kit = 1;\n",
        "services/a/src/start.ts": 'import "@ownerbot/testkit/kit";\nexport const start = 1;\n',
        "services/a/package.json": pkg("@ownerbot/a", {
          exports: { "./start": "./src/start.ts" },
          dependencies: { "@ownerbot/shared": "*", "@ownerbot/testkit": "*" },
        }),
      }),
    );
    expect(problems.filter((p) => !p.startsWith("unresolved"))).toEqual([
      "production imports the test kit: services/a/src/start.ts -> shared/testkit/src/kit.ts",
      "package dependency cycle: @ownerbot/core -> @ownerbot/dom -> @ownerbot/core",
    ]);
  });

  it("reads every kind of import statement, and finds one cycle per tangle", () => {
    const text =
      'import a from "./a.ts";\nimport type { B } from "./b.ts";\nexport * from "./c.ts";\nexport { d } from "./d.ts";\nawait import("./e.ts");\nimport "./f.ts";\nconst s = "import(\'./no.ts\')";\n';
    expect(specifiers(text)).toEqual(["./a.ts", "./b.ts", "./c.ts", "./d.ts", "./e.ts", "./f.ts"]);
    const found = cycles([
      { from: "a", to: "b" },
      { from: "b", to: "c" },
      { from: "c", to: "a" },
      { from: "c", to: "b" },
      { from: "d", to: "d" },
      { from: "e", to: "a" },
    ]);
    expect(found).toEqual([
      ["a", "b", "c", "a"],
      ["d", "d"],
    ]);
  });

  it("passes on this repository", () => {
    expect(checkImports(resolve(import.meta.dirname, ".."))).toEqual([]);
  });

  it("has the ESLint rule make the same exceptions, so editors flag what the check fails", () => {
    const config = readFileSync(resolve(import.meta.dirname, "../eslint.config.js"), "utf8");
    const block = config.slice(config.indexOf('"no-restricted-imports"') - 600, config.indexOf('"no-restricted-imports"'));
    const ignores = /ignores: \[([^\]]*)\]/.exec(block)?.[1] ?? "";
    const listed = [...ignores.matchAll(/"([^"]+)"/g)].map((m) => m[1]).filter((f) => f?.startsWith("scripts/"));
    expect(listed.sort()).toEqual(Object.keys(ALLOW_TESTKIT).sort());
  });
});
