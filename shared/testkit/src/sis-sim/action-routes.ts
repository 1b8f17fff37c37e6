import { createHash } from "node:crypto";
import type { SimAnswer } from "./read-routes.ts";
import { bump, discountsClear, discountsSet, fxAuto, fxSettings, fxStatus, reprice, rollback } from "./price-routes.ts";
import { looksPublish, productsPublish } from "./publish-routes.ts";
import type { Outcome, SimShop } from "./shop-state.ts";

// The simulator's Actions API (reference §6) under /ownerbot/v1/actions: previews change nothing,
// applies change the simulator's own shop once per Idempotency-Key. A repeated key with the same
// body returns the first answer; with another body it is a 409. Effects are counted so tests can
// see that a retried apply acted once.

export type SimEffect = { endpoint: string; key: string; affected: number };

export type SimActionsState = {
  shop: () => Promise<SimShop>;
  effects: SimEffect[];
  ledger: Map<string, { bodyHash: string; answer: SimAnswer }>;
  actors: ReadonlySet<number>;
};

type Handler = (shop: SimShop, body: Record<string, unknown>, apply: boolean) => Outcome;

const HANDLERS: Record<string, Handler> = {
  fx: fxAuto,
  reprice,
  "reprice/rollback": rollback,
  "prices/bump": bump,
  "products/publish": productsPublish,
  "looks/publish": looksPublish,
  "discounts/set": discountsSet,
  "discounts/clear": discountsClear,
};

function envelope(o: Exclude<Outcome, { fail: SimAnswer }>, correlationId: string, body: unknown): SimAnswer {
  return {
    status: 200,
    body: {
      ok: true,
      status: o.status,
      correlation_id: correlationId,
      request_hash: createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 16),
      warnings: o.warnings ?? [],
      data: o.data,
      error: null,
    },
  };
}

const fail = (status: number, code: string, message: string): SimAnswer => ({
  status,
  body: { ok: false, status: "error", error: { code, message } },
});

function parseBody(raw: string): { body: Record<string, unknown> } | { refused: SimAnswer } {
  try {
    const parsed: unknown = raw.trim() === "" ? {} : JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return { refused: fail(422, "VALIDATION_ERROR", "body must be an object") };
    return { body: parsed as Record<string, unknown> };
  } catch {
    return { refused: fail(422, "VALIDATION_ERROR", "body is not JSON") };
  }
}

export async function actionRoute(
  st: SimActionsState,
  method: string,
  path: string,
  rawBody: string,
  headers: { idempotencyKey: string | undefined; correlationId: string },
): Promise<SimAnswer> {
  const cid = headers.correlationId;
  const shop = await st.shop();
  if (method === "GET" && path === "fx/status") return envelope({ status: "ok", data: fxStatus(shop), acted: null }, cid, {});
  const parsed = parseBody(rawBody);
  if ("refused" in parsed) return parsed.refused;
  const body = parsed.body;
  const m = /^(.+)\/(preview|apply)$/.exec(path);
  const settings = method === "PATCH" && path === "fx/settings";
  const endpoint = settings ? "fx/settings" : m?.[1];
  const handler = endpoint !== undefined && !settings ? HANDLERS[endpoint] : undefined;
  if (!settings && (method !== "POST" || !handler)) return fail(404, "NOT_FOUND", `no route ${method} ${path}`);
  const actor = body.actor_tg_id;
  if (typeof actor !== "number" && typeof actor !== "string") return fail(422, "VALIDATION_ERROR", "actor_tg_id is required");
  if (!st.actors.has(Number(actor))) return fail(403, "ACTOR_NOT_ALLOWED", "actor is not in ADMIN_IDS / OWNERBOT_SERVICE_ALLOWLIST");
  const apply = settings || m?.[2] === "apply";
  const run = (): Outcome => (settings ? fxSettings(shop, body) : handler!(shop, body, apply));
  if (!apply) {
    const o = run();
    return "fail" in o ? o.fail : envelope(o, cid, body);
  }
  const key = headers.idempotencyKey;
  if (!key) return fail(422, "IDEMPOTENCY_KEY_REQUIRED", "apply needs an Idempotency-Key header");
  const bodyHash = createHash("sha256").update(`${path}\n${rawBody}`).digest("hex");
  const prior = st.ledger.get(key);
  if (prior)
    return prior.bodyHash === bodyHash
      ? prior.answer
      : fail(409, "IDEMPOTENCY_MISMATCH", "this Idempotency-Key was used with another body");
  const o = run();
  if ("fail" in o) return o.fail; // a refused apply may be sent again, fixed
  if (o.acted !== null) st.effects.push({ endpoint: endpoint!, key, affected: o.acted });
  const answer = envelope(o, cid, body);
  st.ledger.set(key, { bodyHash, answer });
  return answer;
}
