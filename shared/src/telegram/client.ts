import { AppError } from "../errors.ts";
import { HttpFailure, httpPost } from "./http-post.ts";

export type TelegramClientOptions = {
  token: string;
  apiRoot: string;
  /** Deadline of an ordinary call; long polls add their own poll timeout on top. */
  timeoutMs: number;
};

export type InputFile = { filename: string; content: Buffer; contentType?: string };

type Envelope = { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } };

/** A Bot API failure with what the caller needs to decide: retry, wait, or give up. */
export class TelegramError extends AppError {
  readonly method: string;
  readonly status: number;
  readonly description: string;
  constructor(method: string, status: number, description: string, opts: { retryable: boolean; retryAfterSec?: number; cause?: unknown }) {
    super(status === 429 ? "TELEGRAM_RATE_LIMITED" : "TELEGRAM_ERROR", `Telegram ${method} failed (${status}): ${description}`, opts);
    this.name = "TelegramError";
    this.method = method;
    this.status = status;
    this.description = description;
  }
}

export type TelegramClient = {
  readonly botId: number;
  call: <T = unknown>(method: string, params?: Record<string, unknown>, opts?: { timeoutMs?: number; signal?: AbortSignal }) => Promise<T>;
  /** Multipart upload for sendPhoto / sendDocument; `field` names the file parameter. */
  upload: <T = unknown>(
    method: string,
    params: Record<string, unknown>,
    field: string,
    file: InputFile,
    opts?: { timeoutMs?: number },
  ) => Promise<T>;
};

export function botIdFromToken(token: string): number {
  const id = Number(token.split(":")[0]);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

/**
 * A thin Bot API client: every call has a deadline, every failure is a TelegramError that says
 * whether to retry and how long Telegram asked us to wait. The token never enters an error message.
 */
export function createTelegramClient(opts: TelegramClientOptions): TelegramClient {
  const base = `${opts.apiRoot.replace(/\/$/, "")}/bot${opts.token}/`;

  async function request<T>(
    method: string,
    body: Buffer | string,
    headers: Record<string, string>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<T> {
    let res;
    try {
      res = await httpPost(new URL(base + method), body, headers, timeoutMs, signal);
    } catch (err) {
      const timedOut = err instanceof HttpFailure && err.timedOut;
      throw new TelegramError(method, 0, timedOut ? `no answer within ${timeoutMs} ms` : `network error: ${errText(err)}`, {
        retryable: true,
        cause: err,
      });
    }
    let env: Envelope;
    try {
      env = JSON.parse(res.body) as Envelope;
    } catch {
      throw new TelegramError(method, res.status, `non-JSON answer (HTTP ${res.status})`, { retryable: true });
    }
    if (env.ok) return env.result as T;
    const status = env.error_code ?? res.status;
    const description = env.description ?? `HTTP ${res.status}`;
    const retryAfter = env.parameters?.retry_after;
    throw new TelegramError(method, status, description, {
      retryable: status === 429 || status >= 500,
      ...(retryAfter !== undefined ? { retryAfterSec: retryAfter } : {}),
    });
  }

  return {
    botId: botIdFromToken(opts.token),
    call: (method, params = {}, o = {}) =>
      request(method, JSON.stringify(params), { "content-type": "application/json" }, o.timeoutMs ?? opts.timeoutMs, o.signal),
    upload: async (method, params, field, file, o = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(params)) {
        if (v === undefined) continue;
        form.append(k, typeof v === "string" ? v : JSON.stringify(v));
      }
      form.append(field, new Blob([new Uint8Array(file.content)], { type: file.contentType ?? "application/octet-stream" }), file.filename);
      // Let the platform encode the multipart body, then send it like any other call.
      const encoded = new Request("http://localhost/", { method: "POST", body: form });
      const bytes = Buffer.from(await encoded.arrayBuffer());
      return request(
        method,
        bytes,
        { "content-type": encoded.headers.get("content-type") ?? "multipart/form-data" },
        o.timeoutMs ?? opts.timeoutMs,
      );
    },
  };
}

function errText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
