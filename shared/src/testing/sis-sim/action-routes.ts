import { createHash } from "node:crypto";
import type { SimAnswer } from "./read-routes.ts";

// The simulator's Actions API (reference §6) under /ownerbot/v1/actions: previews change nothing,
// applies change the simulator's own catalogue once per Idempotency-Key. A repeated key with the
// same body returns the first answer; with another body it is a 409. Effects are counted so tests
// can see that a retried apply acted once.

export type SimProduct = { productId: string; price: number };
export type SimEffect = { endpoint: string; key: string; affected: number };

export type SimActionsState = {
  products: () => Promise<SimProduct[]>;
  prices: Map<string, number>;
  effects: SimEffect[];
  ledger: Map<string, { bodyHash: string; answer: SimAnswer }>;
  actors: ReadonlySet<number>;
};

const ROUNDING = new Set(["CEIL_INT", "CEIL_0_50", "CEIL_0_99", "CEIL_STEP"]);
const PREVIEWABLE = [
  "fx",
  "reprice",
  "reprice/rollback",
  "prices/bump",
  "products/publish",
  "looks/publish",
  "discounts/set",
  "discounts/clear",
] as const;

const envelope = (
  status: string,
  data: Record<string, unknown>,
  correlationId: string,
  body: unknown,
  warnings: unknown[] = [],
): SimAnswer => ({
  status: 200,
  body: {
    ok: true,
    status,
    correlation_id: correlationId,
    request_hash: createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 16),
    warnings,
    data,
    error: null,
  },
});
const fail = (status: number, code: string, message: string): SimAnswer => ({
  status,
  body: { ok: false, status: "error", error: { code, message } },
});

function roundSis(v: number, mode: string, step?: number): number {
  if (mode === "CEIL_INT") return Math.ceil(v);
  if (mode === "CEIL_0_50") return Math.ceil(v * 2) / 2;
  if (mode === "CEIL_0_99") return Math.ceil(v + 0.01) - 0.01;
  const s = step && step > 0 ? step : 1;
  return Math.ceil(v / s) * s;
}

const decimalOf = (v: unknown): number | null => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null);

async function bump(st: SimActionsState, b: Record<string, unknown>, apply: boolean, key: string, cid: string): Promise<SimAnswer> {
  const pct = decimalOf(b.bump_percent);
  const add = decimalOf(b.bump_additive ?? "0");
  const mode = typeof b.rounding_mode === "string" ? b.rounding_mode : "";
  if (pct === null || add === null) return fail(422, "VALIDATION_ERROR", "bump_percent and bump_additive must be decimal strings");
  if (!ROUNDING.has(mode)) return fail(422, "VALIDATION_ERROR", `rounding_mode must be one of ${[...ROUNDING].join(", ")}`);
  const over = Math.abs(pct) > 30 && b.force !== true;
  if (over && apply) return fail(409, "FORCE_REQUIRED", "force required for apply: change over 30 %");
  const list = await st.products();
  const changes = list
    .filter((p) => p.price > 0)
    .map((p) => {
      const before = st.prices.get(p.productId) ?? p.price;
      const after = Math.round(roundSis(before * (1 + pct / 100) + add, mode, decimalOf(b.rounding_step) ?? undefined) * 100) / 100;
      return { product_id: p.productId, before: String(before), after: String(after) };
    })
    .filter((c) => c.before !== c.after);
  if (apply) {
    for (const c of changes) st.prices.set(c.product_id, Number(c.after));
    st.effects.push({ endpoint: "prices/bump", key, affected: changes.length });
  }
  const warnings = over ? [{ code: "FORCE_REQUIRED", message: "force required for apply: change over 30 %" }] : [];
  return envelope(
    apply ? "applied" : "preview",
    { affected_count: changes.length, would_apply: changes.length > 0, changes: changes.slice(0, 50) },
    cid,
    b,
    warnings,
  );
}

/** The generic endpoints: they check their body's shape, count an apply as one effect, and report it. */
function generic(st: SimActionsState, endpoint: string, b: Record<string, unknown>, apply: boolean, key: string, cid: string): SimAnswer {
  if (endpoint === "discounts/set" && decimalOf(b.discount_percent) === null)
    return fail(422, "VALIDATION_ERROR", "discount_percent must be a decimal string");
  if (endpoint === "reprice/rollback" && apply && !st.effects.some((e) => e.endpoint === "reprice"))
    return fail(409, "NO_ROLLBACK_DATA", "нет данных для отката");
  if (apply) st.effects.push({ endpoint, key, affected: 1 });
  return envelope(apply ? "applied" : "preview", { affected_count: 1, would_apply: true }, cid, b);
}

export async function actionRoute(
  st: SimActionsState,
  method: string,
  path: string,
  rawBody: string,
  headers: { idempotencyKey: string | undefined; correlationId: string },
): Promise<SimAnswer> {
  const cid = headers.correlationId;
  if (method === "GET" && path === "fx/status")
    return envelope("ok", { base: "USD", quote: "RUB", rate: "92.5", would_apply: false, last_apply: null }, cid, {});
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = rawBody.trim() === "" ? {} : JSON.parse(rawBody);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return fail(422, "VALIDATION_ERROR", "body must be an object");
    body = parsed as Record<string, unknown>;
  } catch {
    return fail(422, "VALIDATION_ERROR", "body is not JSON");
  }
  const m = /^(.+)\/(preview|apply)$/.exec(path);
  const endpoint = m?.[1];
  if (method === "PATCH" && path === "fx/settings") return envelope("ok", { updated: Object.keys(body.updates ?? {}) }, cid, body);
  if (method !== "POST" || !m || !endpoint || !(PREVIEWABLE as readonly string[]).includes(endpoint))
    return fail(404, "NOT_FOUND", `no route ${method} ${path}`);
  const actor = body.actor_tg_id;
  if (typeof actor !== "number" && typeof actor !== "string") return fail(422, "VALIDATION_ERROR", "actor_tg_id is required");
  if (!st.actors.has(Number(actor))) return fail(403, "ACTOR_NOT_ALLOWED", "actor is not in ADMIN_IDS / OWNERBOT_SERVICE_ALLOWLIST");
  const apply = m[2] === "apply";
  if (!apply) return endpoint === "prices/bump" ? bump(st, body, false, "", cid) : generic(st, endpoint, body, false, "", cid);
  const key = headers.idempotencyKey;
  if (!key) return fail(422, "IDEMPOTENCY_KEY_REQUIRED", "apply needs an Idempotency-Key header");
  const bodyHash = createHash("sha256").update(`${path}\n${rawBody}`).digest("hex");
  const prior = st.ledger.get(key);
  if (prior)
    return prior.bodyHash === bodyHash
      ? prior.answer
      : fail(409, "IDEMPOTENCY_MISMATCH", "this Idempotency-Key was used with another body");
  const answer = endpoint === "prices/bump" ? await bump(st, body, true, key, cid) : generic(st, endpoint, body, true, key, cid);
  // Only an answer that did something is remembered; a refused apply may be sent again, fixed.
  if (answer.status === 200) st.ledger.set(key, { bodyHash, answer });
  return answer;
}
