// `make check` validates compose.yaml without a Docker engine: `docker compose config` where the
// compose plugin exists, and always a structural check of what this repository promises about it —
// every command and healthcheck script exists, every variable passed is in the config schema, every
// published port is bound to localhost, every service `make run` starts has its container, and every
// image built is the Dockerfile's prod target (which scripts/image-check.ts checks in turn).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { ENV_KEYS } from "@ownerbot/core/config";
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from "@ownerbot/core/ops";
import { checkRepoImage } from "./image-check.ts";
import { ALL_IN_ONE, PIPELINE } from "./supervisor.ts";

type Service = {
  image?: string;
  build?: string | { context?: string; target?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  env_file?: string | string[];
  ports?: (string | number | { host_ip?: string; published?: string | number })[];
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string | string[] };
  profiles?: string[];
};

const KNOWN = new Set<string>(ENV_KEYS);
/** Variables the image itself reads (Node, puppeteer), not OwnerBot's schema. */
const IMAGE_VARS = new Set(["NODE_ENV", "NODE_OPTIONS", "PUPPETEER_EXECUTABLE_PATH", "TZ", ...Object.keys(SERVICE_ENV)]);

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const words = (cmd: string | string[] | undefined): string[] => (typeof cmd === "string" ? cmd.split(/\s+/).filter(Boolean) : (cmd ?? []));

/** The script a `node <script>` command (or a healthcheck's `CMD node <script>`) runs. */
function nodeScript(cmd: string[]): string | undefined {
  const i = cmd.indexOf("node");
  return i >= 0 ? cmd.slice(i + 1).find((w) => !w.startsWith("-")) : undefined;
}

function envValues(env: Service["environment"]): [string, string][] {
  if (Array.isArray(env)) return env.map((e): [string, string] => [e.split("=")[0]!, e.slice(e.indexOf("=") + 1)]);
  return Object.entries(env ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
}

function envNames(env: Service["environment"]): string[] {
  if (Array.isArray(env)) return env.map((e) => e.split("=")[0]!);
  return Object.keys(env ?? {});
}

/** The problems of a compose file (YAML text), judged against the repository at `root`. */
export function checkCompose(text: string, root: string): string[] {
  const problems: string[] = [];
  let doc: { services?: Record<string, Service> };
  try {
    doc = parse(text, { merge: true }) as typeof doc;
  } catch (err) {
    return [`compose.yaml is not valid YAML: ${(err as Error).message}`];
  }
  const services = doc.services ?? {};
  if (Object.keys(services).length === 0) return ["compose.yaml has no services"];
  const ours = (s: Service): boolean => s.build !== undefined || s.image === "ownerbot:local";
  const scripts = new Map<string, string>();

  for (const [name, s] of Object.entries(services)) {
    if (!s.image && s.build === undefined) problems.push(`${name}: neither image nor build`);
    for (const dep of Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}))
      if (!services[dep]) problems.push(`${name}: depends on "${dep}", which is not a service`);
    for (const p of s.ports ?? []) {
      const bound = typeof p === "object" ? p.host_ip : String(p).split(":").length === 3 ? String(p).split(":")[0] : undefined;
      if (bound !== "127.0.0.1" && bound !== "[::1]")
        problems.push(`${name}: port ${JSON.stringify(p)} is published beyond localhost (use "127.0.0.1:HOST:CONTAINER")`);
    }
    if (!ours(s)) continue;
    // The production image: no tests, test kit or dev dependencies (Dockerfile, scripts/image-check.ts).
    if (s.build !== undefined && (typeof s.build !== "object" || s.build.target !== "prod"))
      problems.push(`${name}: builds ${JSON.stringify(s.build)}, not the Dockerfile's prod target`);

    const cmd = words(s.command);
    const script = nodeScript(cmd);
    if (cmd.length === 0) problems.push(`${name}: no command (each OwnerBot container names the service it runs)`);
    else if (!script) problems.push(`${name}: command ${JSON.stringify(cmd)} does not run a node script`);
    else if (!existsSync(resolve(root, script))) problems.push(`${name}: command runs ${script}, which does not exist`);
    else scripts.set(script, name);
    // The services' V8 flags (shared/core/src/ops/node-flags.ts) belong in every service's command.
    const missingFlags = SERVICE_NODE_FLAGS.filter((f) => script?.startsWith("services/") && !cmd.includes(f));
    if (missingFlags.length > 0) problems.push(`${name}: command lacks ${missingFlags.join(" ")} (shared/core/src/ops/node-flags.ts)`);

    for (const [k, v] of Object.entries(SERVICE_ENV))
      if (script?.startsWith("services/") && !envValues(s.environment).some(([n, x]) => n === k && x === v))
        problems.push(`${name}: does not set ${k}=${v} (shared/core/src/ops/node-flags.ts)`);
    for (const v of envNames(s.environment))
      if (!KNOWN.has(v) && !IMAGE_VARS.has(v))
        problems.push(`${name}: passes ${v}, which is not in the config schema (shared/core/src/config/schema.ts)`);
    for (const f of asList(s.env_file)) {
      // .env is the operator's own copy; what the repository ships is its template.
      const file = f === ".env" ? ".env.example" : f;
      if (!existsSync(resolve(root, file))) problems.push(`${name}: env_file ${f} (${file}) does not exist`);
    }

    const long = s.build !== undefined && name !== "migrate";
    const test = words(s.healthcheck?.test);
    const probe = nodeScript(test);
    if (long && test.length === 0) problems.push(`${name}: no healthcheck (every long-running service has /readyz)`);
    if (probe && !existsSync(resolve(root, probe))) problems.push(`${name}: healthcheck runs ${probe}, which does not exist`);
  }

  for (const p of [...ALL_IN_ONE, ...PIPELINE])
    if (!scripts.has(p.script)) problems.push(`no service runs ${p.script} (make run starts it as "${p.name}")`);
  // The default (all-in-one) container and the split profile's ops container both publish the board.
  for (const name of ["ownerbot", "ops"]) {
    const s = services[name];
    if (!s) problems.push(`no ${name} service`);
    else if ((s.ports ?? []).length === 0) problems.push(`${name}: its port is not published (on 127.0.0.1)`);
  }
  const all = services.ownerbot;
  if (all && asList(all.profiles).length > 0) problems.push("ownerbot: the all-in-one container must run without a profile (the default)");
  for (const p of PIPELINE) {
    const name = scripts.get(p.script);
    const s = name === undefined ? undefined : services[name];
    if (s && !asList(s.profiles).includes("split")) problems.push(`${name}: belongs to the split profile (it would run beside ownerbot)`);
  }

  const example = resolve(root, ".env.example");
  if (existsSync(example))
    for (const line of readFileSync(example, "utf8").split("\n")) {
      const key = /^\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
      if (key && !KNOWN.has(key)) problems.push(`.env.example: ${key} is not in the config schema`);
    }
  return problems;
}

/** `docker compose config` where the plugin exists; null where it does not (no plugin, no docker). */
export function dockerComposeConfig(file: string): string | null {
  try {
    execFileSync("docker", ["compose", "version"], { stdio: "ignore", timeout: 5000 });
  } catch {
    return null;
  }
  try {
    execFileSync("docker", ["compose", "-f", file, "config", "--quiet"], { stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
    return "";
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err).trim();
  }
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname, "..");
  const file = resolve(root, process.argv[2] ?? "compose.yaml");
  const problems = [...checkCompose(readFileSync(file, "utf8"), root), ...checkRepoImage(root)];
  const docker = dockerComposeConfig(file);
  if (docker) problems.push(`docker compose config: ${docker}`);
  for (const p of problems) process.stderr.write(`compose check: ${p}\n`);
  process.stdout.write(
    problems.length === 0
      ? `compose check: ${file} and the Dockerfile are fine (${docker === null ? "structural check; no docker compose plugin here" : "docker compose config and structural check"})\n`
      : "",
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
