import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for the shop's SIS speaking its HTTP contract (reference §6) on an ephemeral port, so
// tests run OwnerBot's real HTTP code against it. It knows the Actions API's probe endpoints and the
// read gateway's ping; tests can make any path answer another status, stall, or drop the connection.

export type FakeSisCall = { method: string; path: string; headers: Record<string, string | undefined>; body: string };

export type FakeSisFault = { status: number } | { stallMs: number } | { drop: true };

export type FakeSis = {
  url: string;
  calls: FakeSisCall[];
  /** The API key requests must carry in X-OWNERBOT-KEY (actions) or X-API-Key (read gateway). */
  apiKey: string;
  /** Make `METHOD /path` (full path, e.g. "POST /ownerbot/v1/actions/looks/publish/preview") misbehave. */
  fault: (route: string, f: FakeSisFault | null) => void;
  close: () => Promise<void>;
};

const ACTIONS = "/ownerbot/v1/actions";
const PREVIEWS = [
  "/prices/bump/preview",
  "/reprice/rollback/preview",
  "/discounts/set/preview",
  "/products/publish/preview",
  "/looks/publish/preview",
];

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
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

function answer(req: IncomingMessage, res: ServerResponse, path: string, body: string, apiKey: string): void {
  const key = path.startsWith(ACTIONS) ? req.headers["x-ownerbot-key"] : req.headers["x-api-key"];
  if (key !== apiKey) return json(res, 401, { ok: false, error: { code: "UNAUTHORIZED", message: "bad api key" } });
  if (req.method === "GET" && path === "/ownerbot/v1/ping") return json(res, 200, { ok: true });
  if (req.method === "GET" && path === `${ACTIONS}/fx/status`) {
    return json(res, 200, { ok: true, status: "ok", data: { base: "USD", quote: "RUB", rate: "92.5", would_apply: false } });
  }
  if (req.method === "POST" && PREVIEWS.some((p) => path === `${ACTIONS}${p}`)) {
    // An empty body is what a capability probe sends; a real preview needs its fields.
    const parsed = body.trim() === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
    if (Object.keys(parsed).length === 0)
      return json(res, 422, { ok: false, error: { code: "VALIDATION_ERROR", message: "fields required" } });
    return json(res, 200, { ok: true, status: "preview", data: { affected_count: 0 } });
  }
  json(res, 404, { ok: false, error: { code: "NOT_FOUND", message: `no route ${req.method ?? ""} ${path}` } });
}

export async function startFakeSis(o: { apiKey?: string } = {}): Promise<FakeSis> {
  const apiKey = o.apiKey ?? "sis-test-key";
  const calls: FakeSisCall[] = [];
  const faults = new Map<string, FakeSisFault>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const body = await readBody(req);
      calls.push({
        method: req.method ?? "",
        path,
        body,
        headers: {
          "x-ownerbot-key": req.headers["x-ownerbot-key"] as string | undefined,
          "x-api-key": req.headers["x-api-key"] as string | undefined,
          "x-correlation-id": req.headers["x-correlation-id"] as string | undefined,
        },
      });
      const f = faults.get(`${req.method ?? ""} ${path}`);
      if (f && "drop" in f) return req.socket.destroy();
      if (f && "stallMs" in f) await new Promise((r) => setTimeout(r, f.stallMs));
      if (res.destroyed) return;
      if (f && "status" in f) return json(res, f.status, { ok: false, error: { code: "FAULT", message: `injected ${f.status}` } });
      answer(req, res, path, body, apiKey);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    apiKey,
    fault: (route, f) => void (f ? faults.set(route, f) : faults.delete(route)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
