import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { SERVICE_NODE_FLAGS } from "@ownerbot/core/ops";
import { checkCompose } from "./compose-check.ts";
import { checkImage, checkRepoImage, IGNORED, workspaceDirs } from "./image-check.ts";

// compose.yaml is checked without a Docker engine (make check runs the same function).

const ROOT = resolve(import.meta.dirname, "..");
const TEXT = readFileSync(resolve(ROOT, "compose.yaml"), "utf8");
type Doc = { services: Record<string, Record<string, unknown>> };
/** The repository's compose file with one change made to it (anchors resolved). */
const changed = (edit: (doc: Doc) => void): string => {
  const doc = parse(TEXT, { merge: true }) as Doc;
  edit(doc);
  return stringify(doc);
};

describe("compose check", () => {
  it("passes the repository's compose.yaml: every service, the ops board on localhost", () => {
    expect(checkCompose(TEXT, ROOT)).toEqual([]);
    const doc = parse(TEXT, { merge: true }) as Doc;
    expect(Object.keys(doc.services)).toEqual(
      expect.arrayContaining(["ingress", "worker-intent", "sender", "scheduler", "worker-report", "ops"]),
    );
    expect(doc.services.ops?.ports).toEqual(["127.0.0.1:9464:9464"]);
  });

  it("fails on a service whose command does not exist", () => {
    const text = changed((d) => (d.services.sender!.command = ["node", ...SERVICE_NODE_FLAGS, "services/sendr/src/main.ts"]));
    expect(checkCompose(text, ROOT)).toEqual([
      "sender: command runs services/sendr/src/main.ts, which does not exist",
      'no service runs services/sender/src/main.ts (make run starts it as "sender")',
    ]);
  });

  it("fails on a variable the config schema does not know, a port open beyond localhost, a missing healthcheck, a lost ops service, missing V8 flags", () => {
    expect(
      checkCompose(
        changed((d) => Object.assign(d.services.ingress!.environment as object, { POLL_FASTER: "1" })),
        ROOT,
      ),
    ).toEqual(["ingress: passes POLL_FASTER, which is not in the config schema (shared/core/src/config/schema.ts)"]);
    expect(
      checkCompose(
        changed((d) => (d.services.ops!.ports = ["9464:9464"])),
        ROOT,
      ),
    ).toEqual(['ops: port "9464:9464" is published beyond localhost (use "127.0.0.1:HOST:CONTAINER")']);
    expect(
      checkCompose(
        changed((d) => delete d.services.scheduler!.healthcheck),
        ROOT,
      ),
    ).toEqual(["scheduler: no healthcheck (every long-running service has /readyz)"]);
    expect(
      checkCompose(
        changed((d) => delete d.services.ops),
        ROOT,
      ),
    ).toEqual(['no service runs services/ops/src/main.ts (make run starts it as "ops")', "no ops service"]);
    expect(
      checkCompose(
        changed((d) => (d.services["worker-report"]!.command = ["node", "services/worker-report/src/main.ts"])),
        ROOT,
      ),
    ).toEqual(["worker-report: command lacks --optimize-for-size --max-semi-space-size=4 (shared/core/src/ops/node-flags.ts)"]);
    expect(checkCompose("services: [unclosed", ROOT)[0]).toMatch(/^compose.yaml is not valid YAML/);
  });

  it("fails on a container not built from the prod target", () => {
    expect(
      checkCompose(
        changed((d) => (d.services.migrate!.build = { context: "." })),
        ROOT,
      ),
    ).toEqual(['migrate: builds {"context":"."}, not the Dockerfile\'s prod target']);
  });
});

describe("image check", () => {
  const DOCKERFILE = readFileSync(resolve(ROOT, "Dockerfile"), "utf8");
  const IGNORE = readFileSync(resolve(ROOT, ".dockerignore"), "utf8");
  const WS = workspaceDirs(ROOT);

  it("passes the repository's Dockerfile: prod copies no test kit and installs no dev dependencies", () => {
    expect(checkRepoImage(ROOT)).toEqual([]);
    expect(WS).toEqual(
      expect.arrayContaining([
        "shared/core",
        "shared/domain",
        "shared/reports",
        "shared/testkit",
        "services/all",
        "services/worker-intent",
      ]),
    );
    expect(DOCKERFILE).not.toMatch(/COPY\s+\.\s/);
    expect(IGNORE.split("\n")).toEqual(expect.arrayContaining([...IGNORED]));
  });

  it("fails a prod stage that copies the whole context, a test kit or bench, or keeps dev dependencies", () => {
    expect(checkImage(DOCKERFILE.replace("COPY shared shared", "COPY . ."), IGNORE, WS)).toEqual([
      "Dockerfile: stage prod (part of prod) copies .: tests, test kits, bench and docs stay out",
      "Dockerfile: the prod stage does not copy shared, which the image runs",
    ]);
    expect(
      checkImage(
        DOCKERFILE.replace(
          "COPY services services",
          "COPY services services\nCOPY shared/testkit/src shared/testkit/src\nCOPY bench bench",
        ),
        IGNORE,
        WS,
      ),
    ).toEqual([
      "Dockerfile: stage prod (part of prod) copies shared/testkit/src: tests, test kits, bench and docs stay out",
      "Dockerfile: stage prod (part of prod) copies bench: tests, test kits, bench and docs stay out",
    ]);
    const withDev = checkImage(DOCKERFILE.replace("RUN npm ci --omit=dev", "RUN npm ci"), IGNORE, WS);
    expect(withDev).toHaveLength(1);
    expect(withDev[0]).toMatch(/^Dockerfile: stage deps installs without --omit=dev/);
    expect(checkImage(DOCKERFILE.replace("COPY services/ops/package.json services/ops/\n", ""), IGNORE, WS)).toEqual([
      "Dockerfile: stage deps runs npm ci without services/ops/package.json (npm would not see that workspace)",
    ]);
    expect(checkImage(DOCKERFILE.replace("AS prod", "AS runtime"), IGNORE, WS)).toEqual([
      "Dockerfile: no `prod` stage (compose.yaml builds target prod)",
    ]);
  });

  it("fails a .dockerignore that lets the test kits or tests in", () => {
    const ignore = IGNORE.replace("services/*/src/testing\n", "").replace("**/*.test.ts\n", "");
    expect(checkImage(DOCKERFILE, ignore, WS)).toEqual([
      ".dockerignore: lacks **/*.test.ts",
      ".dockerignore: lacks services/*/src/testing",
    ]);
  });
});
