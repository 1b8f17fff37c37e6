import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ShopProvider } from "@ownerbot/domain/tools";
import { actionRoute, type SimActionsState, type SimEffect } from "./action-routes.ts";
import { readRoute, type SimAnswer } from "./read-routes.ts";
import { createShopLoader, type SimShop, type SimShopOptions } from "./shop-state.ts";

export type { SimLook, SimProduct, SimShop } from "./shop-state.ts";

// A SIS simulator speaking the whole reference contract (§6) over HTTP on an ephemeral port: the
// read gateway answered from a generated shop (any ShopProvider, normally DEMO over its own
// database) and the Actions API over its own catalogue. It checks keys, the shop and actor
// allowlists and idempotency keys, counts effects, and misbehaves on demand at run time.

export type SimFault =
  /** Accept the request and never answer (until healed or closed). */
  | { kind: "stall" }
  | { kind: "slow"; ms: number }
  | { kind: "status"; status: number }
  | { kind: "malformed" }
  | { kind: "wrong_schema" }
  /** Every other request fails with 500. */
  | { kind: "flapping" }
  /** Do the work (an apply takes effect), then drop the connection: the answer is lost. */
  | { kind: "lose_response" };

export type SimScope = "all" | "read" | "actions";

export type SisSim = {
  url: string;
  apiKey: string;
  /** Applies that took effect (one per Idempotency-Key). */
  effects: SimEffect[];
  /** Effects per Idempotency-Key, for the history checker (promise 4). */
  effectsByKey: () => Map<string, number>;
  requests: { method: string; path: string; idempotencyKey: string | undefined; at: number }[];
  /** A fault from now on (`count` requests, or until cleared). */
  setFault: (f: SimFault | null, o?: { scope?: SimScope; count?: number }) => void;
  /** Answer every stalled request now (with a 503) and clear the fault. */
  heal: () => void;
  /** Requests accepted and not answered (stalled). */
  stalled: () => number;
  /** The Actions API's shop as it is now (what the applies changed). */
  shop: () => Promise<SimShop>;
  /** A new FX rate: a new snapshot (rate_set_id), so a reprice has something to do. */
  setFxRate: (rate: number) => Promise<void>;
  close: () => Promise<void>;
};

export type SisSimOptions = SimShopOptions & {
  shop: ShopProvider;
  /** Keys and the shop each belongs to (OWNERBOT_API_KEYS); the first is `apiKey`. */
  keys?: Record<string, string>;
  allowedShops?: string[];
  actors?: number[];
  timeZone?: string;
  /** 0 (default): an ephemeral port. */
  port?: number;
};

export const SIM_KEY = "sis-sim-key";

function send(res: ServerResponse, a: SimAnswer): void {
  const text = JSON.stringify(a.body);
  res.writeHead(a.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const wrongSchema = (read: boolean): SimAnswer =>
  read
    ? {
        status: 200,
        body: {
          as_of: new Date().toISOString(),
          data: { rows: [{ revenue: "много" }] },
          provenance: { sources: ["sis:x"], filters_hash: "0" },
        },
      }
    : { status: 200, body: { ok: "yes", result: 42 } };

export async function startSisSim(o: SisSimOptions): Promise<SisSim> {
  const keys = o.keys ?? { [SIM_KEY]: "shop_001" };
  const apiKey = Object.keys(keys)[0] ?? SIM_KEY;
  const allowedShops = new Set(o.allowedShops ?? Object.values(keys));
  const tz = o.timeZone ?? "Europe/Moscow";
  const st: SimActionsState = {
    shop: createShopLoader(o),
    effects: [],
    ledger: new Map(),
    actors: new Set(o.actors ?? [1001]),
  };
  const requests: SisSim["requests"] = [];
  let fault: { f: SimFault; scope: SimScope; left: number } | null = null;
  let flip = 0;
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  async function route(req: IncomingMessage, path: string, body: string, url: URL): Promise<SimAnswer> {
    const actions = path.startsWith("/ownerbot/v1/actions/");
    const key = (actions ? req.headers["x-ownerbot-key"] : req.headers["x-api-key"]) as string | undefined;
    const shop = key !== undefined ? keys[key] : undefined;
    if (shop === undefined) return { status: 401, body: { ok: false, error: { code: "UNAUTHORIZED", message: "bad api key" } } };
    if (!allowedShops.has(shop))
      return { status: 403, body: { ok: false, error: { code: "SHOP_NOT_ALLOWED", message: `shop ${shop} not allowed` } } };
    if (actions)
      return actionRoute(st, req.method ?? "", path.slice("/ownerbot/v1/actions/".length), body, {
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        correlationId: (req.headers["x-correlation-id"] as string | undefined) ?? "",
      });
    if (req.method !== "GET" || !path.startsWith("/ownerbot/v1/")) return { status: 404, body: { detail: "not found" } };
    return readRoute(o.shop, shop, tz, path.slice("/ownerbot/v1/".length), url.searchParams);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    const path = url.pathname;
    const body = await readBody(req);
    requests.push({ method: req.method ?? "", path, idempotencyKey: req.headers["idempotency-key"] as string | undefined, at: Date.now() });
    const isRead = !path.startsWith("/ownerbot/v1/actions/");
    const active = fault && (fault.scope === "all" || (fault.scope === "read") === isRead) ? fault : null;
    if (active && active.left !== Infinity && --active.left <= 0) fault = null;
    const f = active?.f;
    if (f?.kind === "stall") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (f?.kind === "slow") await new Promise((r) => setTimeout(r, f.ms));
    if (f?.kind === "status")
      return send(res, { status: f.status, body: { ok: false, error: { code: "FAULT", message: `injected ${f.status}` } } });
    if (f?.kind === "flapping" && flip++ % 2 === 0)
      return send(res, { status: 500, body: { ok: false, error: { code: "FLAP", message: "flapping" } } });
    if (f?.kind === "malformed") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end('{"as_of": "2026-11-23T12:00:00Z", "data": {"days": [{"day": "2026-');
    }
    if (f?.kind === "wrong_schema") return send(res, wrongSchema(isRead));
    const answer = await route(req, path, body, url);
    if (f?.kind === "lose_response") return void req.socket.destroy();
    if (!res.destroyed) send(res, answer);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { ok: false, error: { code: "SIM_ERROR", message: String(e) } } });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const heal = (): void => {
    fault = null;
    for (const res of hanging) send(res, { status: 503, body: { ok: false, error: { code: "HEALED", message: "was stalled" } } });
    hanging.clear();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    effects: st.effects,
    effectsByKey: () => {
      const m = new Map<string, number>();
      for (const e of st.effects) m.set(e.key, (m.get(e.key) ?? 0) + 1);
      return m;
    },
    requests,
    setFault: (f, so = {}) => {
      fault = f ? { f, scope: so.scope ?? "all", left: so.count ?? Infinity } : null;
    },
    heal,
    stalled: () => hanging.size,
    shop: st.shop,
    setFxRate: async (rate) => {
      const { fx } = await st.shop();
      fx.prevRate = fx.rate;
      fx.prevDay = fx.day;
      fx.rate = rate;
      fx.snapshot++;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
