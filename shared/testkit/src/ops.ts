import net from "node:net";
import type { ServiceName } from "./services.ts";

// Talking to the ops endpoints in tests: free ports for every process's METRICS_PORT and for the
// ops service, HTTP with or without credentials, Prometheus text read back into numbers.

/** `n` ports free right now on 127.0.0.1 (held together while picked, so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((r) => {
          const s = net.createServer();
          s.listen(0, "127.0.0.1", () => r(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export const METRIC_SERVICES: readonly ServiceName[] = ["ingress", "worker-intent", "sender", "worker-report", "scheduler"];

/** Ports for a world: each service's METRICS_PORT, and OPS_PORT for ops. */
export async function opsPorts(): Promise<{
  ops: number;
  metrics: Record<string, number>;
  envFor: (name: ServiceName) => Record<string, string>;
}> {
  const [ops, ...rest] = await freePorts(1 + METRIC_SERVICES.length);
  const metrics = Object.fromEntries(METRIC_SERVICES.map((s, i) => [s, rest[i]!]));
  return {
    ops: ops!,
    metrics,
    envFor: (name): Record<string, string> => (name === "ops" ? { OPS_PORT: String(ops) } : { METRICS_PORT: String(metrics[name] ?? 0) }),
  };
}

export type Auth = { user: string; password: string } | { token: string } | null;

export async function httpGet(
  url: string,
  o: { auth?: Auth; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.auth && "token" in o.auth) headers.authorization = `Bearer ${o.auth.token}`;
  else if (o.auth) headers.authorization = `Basic ${Buffer.from(`${o.auth.user}:${o.auth.password}`).toString("base64")}`;
  const res = await fetch(url, {
    method: o.method ?? "GET",
    headers,
    body: o.body,
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Polls a URL until `ok` holds for its answer (a service starting, a probe changing), or fails at the deadline. */
export async function untilAnswer(
  url: string,
  ok: (r: { status: number; text: string }) => boolean,
  o: { auth?: Auth; timeoutMs?: number } = {},
): Promise<{ status: number; text: string }> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const last = await httpGet(url, { auth: o.auth ?? null }).catch((err: unknown) => ({ status: 0, text: String(err) }));
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${url}: condition not reached; last answer ${last.status} ${last.text.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One sample of Prometheus text: the value of `name` whose labels include `labels`, summed over the rest. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l): [string, string] => [l[1] ?? "", l[2] ?? ""]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) {
      sum += Number(m[3]);
      found = true;
    }
  }
  return found ? sum : NaN;
}
