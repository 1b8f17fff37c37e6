import http from "node:http";
import https from "node:https";

// A keep-alive POST over node:http. Measured against the fake Bot API on this machine it answers
// in about half the time of fetch (0.5 ms vs 1.1 ms p50), and every reply pays it once.

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 128 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 128 }),
};

export type HttpAnswer = { status: number; body: string };

export class HttpFailure extends Error {
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = "HttpFailure";
    this.timedOut = timedOut;
  }
}

export function httpPost(
  url: URL,
  body: Buffer | string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const req = mod.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => finish(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") })));
        res.on("error", (err) => finish(() => reject(new HttpFailure(err.message, false, err))));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(() => reject(new HttpFailure(`no answer within ${timeoutMs} ms`, true)));
    }, timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      finish(() => reject(new HttpFailure("aborted", false)));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err) => finish(() => reject(new HttpFailure(err.message, false, err))));
    req.end(body);
  });
}
