import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { SERVICE_NODE_FLAGS } from "../shared/src/ops/node-flags.ts";
import { checkCompose } from "./compose-check.ts";

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
    ).toEqual(["ingress: passes POLL_FASTER, which is not in the config schema (shared/src/config/schema.ts)"]);
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
    ).toEqual(["worker-report: command lacks --optimize-for-size --max-semi-space-size=4 (shared/src/ops/node-flags.ts)"]);
    expect(checkCompose("services: [unclosed", ROOT)[0]).toMatch(/^compose.yaml is not valid YAML/);
  });
});
