// Which SIS Actions API endpoints this shop's SIS actually serves (reference §6 "Capability
// probes"). Each capability is probed with one harmless request: GET /fx/status, or POST {} to a
// preview endpoint (an empty body cannot change anything; SIS answers 422 to it when the endpoint
// exists). Unlike the reference the probes run concurrently, each under its own deadline, so a
// stalled SIS costs one timeout, not six.

/** Where SIS lives and how to authenticate; the key never leaves this module's requests. */
export type SisTarget = { baseUrl: string; apiKey: string; timeoutMs: number };

/** The canonical prefix of the Actions API under SIS_BASE_URL (the reference forgot to add it). */
export const SIS_ACTIONS_PREFIX = "/ownerbot/v1/actions";

export type CapabilityKey = "fx" | "prices_bump" | "prices_rollback" | "discounts" | "products_publish" | "looks_publish";

export type CapabilityStatus = "supported" | "unsupported" | "misconfigured" | "offline" | "unknown";

export type CapabilityProbe = {
  key: CapabilityKey;
  method: "GET" | "POST";
  endpoint: string;
  /** true: served; false: SIS answered 404; null: could not tell (auth, offline, other status). */
  supported: boolean | null;
  status: CapabilityStatus;
  /** HTTP status, or 0 when no response came (refused, reset, timed out). */
  statusCode: number;
  latencyMs: number;
};

export type CapabilityReport = { baseUrl: string; checkedAt: string; probes: CapabilityProbe[] };

/**
 * A probe is a yes/no question; SIS_TIMEOUT_SEC (15 s by default) is meant for real work. The probes
 * run inside the owner's chat turn, so a stalled SIS may hold that chat for at most this long.
 */
export const PROBE_TIMEOUT_MS = 1500;

export const CAPABILITY_PROBES: readonly { key: CapabilityKey; method: "GET" | "POST"; endpoint: string }[] = [
  { key: "fx", method: "GET", endpoint: "/fx/status" },
  { key: "prices_bump", method: "POST", endpoint: "/prices/bump/preview" },
  { key: "prices_rollback", method: "POST", endpoint: "/reprice/rollback/preview" },
  { key: "discounts", method: "POST", endpoint: "/discounts/set/preview" },
  { key: "products_publish", method: "POST", endpoint: "/products/publish/preview" },
  { key: "looks_publish", method: "POST", endpoint: "/looks/publish/preview" },
];

/** The reference's mapping from a probe's HTTP status to what it means. */
export function classify(statusCode: number): { status: CapabilityStatus; supported: boolean | null } {
  if (statusCode === 0) return { status: "offline", supported: null };
  if (statusCode === 404) return { status: "unsupported", supported: false };
  if (statusCode === 401 || statusCode === 403) return { status: "misconfigured", supported: null };
  if (statusCode === 422 || (statusCode >= 200 && statusCode < 300)) return { status: "supported", supported: true };
  return { status: "unknown", supported: null };
}

export function actionsUrl(baseUrl: string, endpoint: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${SIS_ACTIONS_PREFIX}${endpoint}`;
}

async function probeOne(target: SisTarget, p: (typeof CAPABILITY_PROBES)[number], correlationId: string): Promise<CapabilityProbe> {
  const started = performance.now();
  let statusCode = 0;
  try {
    const res = await fetch(actionsUrl(target.baseUrl, p.endpoint), {
      method: p.method,
      headers: {
        "X-OWNERBOT-KEY": target.apiKey,
        "X-CORRELATION-ID": correlationId,
        ...(p.method === "POST" ? { "content-type": "application/json" } : {}),
      },
      ...(p.method === "POST" ? { body: "{}" } : {}),
      signal: AbortSignal.timeout(Math.min(target.timeoutMs, PROBE_TIMEOUT_MS)),
    });
    statusCode = res.status;
    await res.body?.cancel();
  } catch {
    // refused, reset or past the deadline: no answer, statusCode stays 0 (offline)
  }
  return { ...p, ...classify(statusCode), statusCode, latencyMs: Math.round(performance.now() - started) };
}

export async function probeCapabilities(target: SisTarget, now: Date, correlationId: string): Promise<CapabilityReport> {
  const probes = await Promise.all(CAPABILITY_PROBES.map((p) => probeOne(target, p, correlationId)));
  return { baseUrl: target.baseUrl, checkedAt: now.toISOString(), probes };
}

/** The reference cached a probe for 6 h; so does each process here, per SIS URL. */
export const CAPABILITY_CACHE_MS = 6 * 3600 * 1000;
const cache = new Map<string, CapabilityReport>();

/** After a probe that SIS did not answer, asking again within this returns that answer (no new wait). */
export const OFFLINE_RETRY_MS = 60_000;
const unreachable = new Map<string, CapabilityReport>();

/** The last full probe of this SIS if it is younger than the cache period, without probing. */
export function cachedCapabilities(baseUrl: string, now: Date): CapabilityReport | null {
  const hit = cache.get(baseUrl);
  return hit && now.getTime() - Date.parse(hit.checkedAt) < CAPABILITY_CACHE_MS ? hit : null;
}

export async function capabilities(
  target: SisTarget,
  o: { now: Date; correlationId: string; forceRefresh: boolean },
): Promise<{ report: CapabilityReport; cached: boolean }> {
  const hit = cachedCapabilities(target.baseUrl, o.now);
  if (!o.forceRefresh && hit) return { report: hit, cached: true };
  const down = unreachable.get(target.baseUrl);
  if (!o.forceRefresh && down && o.now.getTime() - Date.parse(down.checkedAt) < OFFLINE_RETRY_MS) return { report: down, cached: true };
  const report = await probeCapabilities(target, o.now, o.correlationId);
  // An answer that SIS was unreachable is news about now, not about the next six hours: it is kept
  // for a minute only, so repeated questions during an outage do not each wait for the deadline.
  if (report.probes.every((p) => p.statusCode !== 0)) {
    cache.set(target.baseUrl, report);
    unreachable.delete(target.baseUrl);
  } else {
    cache.delete(target.baseUrl);
    unreachable.set(target.baseUrl, report);
  }
  return { report, cached: false };
}
