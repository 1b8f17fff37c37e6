import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "../fake-telegram/http-util.ts";

// A fake OpenAI-compatible API on 127.0.0.1: the real client code talks HTTP to it. Each endpoint
// is a Route registered by path (transcriptions.ts today; chat completions for the LLM planner can
// be added the same way), and every route shares the fault modes below, switchable at run time.

export type FaultMode =
  /** Reads the request and never answers. */
  | "stall"
  /** HTTP 500 with an OpenAI-style error body. */
  | "500"
  /** HTTP 200 with a body that is not JSON. */
  | "malformed"
  /** Answers normally after `delayMs`. */
  | "slow";

/** `path`, when given, limits the fault to that endpoint (a stalled planner, a working transcriber). */
export type Fault = { mode: FaultMode; delayMs?: number; count?: number; path?: string };

/** What a route sees: the raw request and its body; it answers through `res`. */
export type RouteRequest = { req: IncomingMessage; res: ServerResponse; body: Buffer };
export type Route = (r: RouteRequest) => void | Promise<void>;

export type FakeOpenAi = {
  readonly url: string;
  /** Adds an endpoint, e.g. `route("POST", "/v1/chat/completions", handler)`. */
  route: (method: string, path: string, handler: Route) => void;
  /** Faults hit requests in the order set; a fault with `count` wears off after that many. */
  setFault: (f: Fault) => void;
  clearFaults: () => void;
  /** Requests seen per path, faulted ones included. */
  hits: (path: string) => number;
  close: () => Promise<void>;
};

export function openAiError(res: ServerResponse, status: number, message: string, type = "invalid_request_error"): void {
  sendJson(res, status, { error: { message, type, param: null, code: null } });
}

/** Starts the fake; `apiKey`, when given, must come as `Authorization: Bearer <key>`. */
export async function startFakeOpenAiServer(o: { apiKey?: string; port?: number } = {}): Promise<FakeOpenAi> {
  const routes = new Map<string, Route>();
  const faults: { mode: FaultMode; delayMs: number; count: number; path: string | undefined }[] = [];
  const hits = new Map<string, number>();
  const stalled = new Set<ServerResponse>();

  const takeFault = (path: string): (typeof faults)[number] | undefined => {
    const i = faults.findIndex((f) => f.path === undefined || f.path === path);
    const f = faults[i];
    if (!f) return undefined;
    if (--f.count <= 0) faults.splice(i, 1);
    return f;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const body = await readBody(req).catch(() => Buffer.alloc(0));
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const route = routes.get(`${req.method ?? "GET"} ${path}`);
      if (!route) return openAiError(res, 404, `Unknown request URL: ${req.method ?? "GET"} ${path}`);
      if (o.apiKey !== undefined && req.headers.authorization !== `Bearer ${o.apiKey}`)
        return openAiError(res, 401, "Incorrect API key provided.", "invalid_api_key");
      const fault = takeFault(path);
      if (fault?.mode === "stall") {
        stalled.add(res);
        res.on("close", () => stalled.delete(res));
        return;
      }
      if (fault?.mode === "500") return openAiError(res, 500, "The server had an error while processing your request.", "server_error");
      if (fault?.mode === "malformed") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"text": "выручка за нед');
        return;
      }
      if (fault?.mode === "slow") await new Promise((r) => setTimeout(r, fault.delayMs));
      await route({ req, res, body });
    })().catch((err: unknown) => openAiError(res, 500, err instanceof Error ? err.message : String(err), "server_error"));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(o.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    route: (method, path, handler) => void routes.set(`${method.toUpperCase()} ${path}`, handler),
    setFault: (f) => void faults.push({ mode: f.mode, delayMs: f.delayMs ?? 1000, count: f.count ?? Infinity, path: f.path }),
    clearFaults: () => {
      faults.length = 0;
      // Stalled requests are cut, as a restarted server would.
      for (const res of stalled) res.destroy();
    },
    hits: (path) => hits.get(path) ?? 0,
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
