import { Api, InputFile, type Transformer } from "grammy";
import { AppError } from "../errors.ts";
import { httpFetch } from "./http-fetch.ts";

export type TelegramClientOptions = {
  token: string;
  apiRoot: string;
  /** Deadline of an ordinary call; a long poll adds its own poll timeout, an upload gets three. */
  timeoutMs: number;
};

export type UploadFile = { filename: string; content: Buffer };

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
  /** grammY's typed Bot API client; every call has a deadline and fails with a TelegramError. */
  readonly api: Api;
  /** A method named at run time (an outbox row's), with its JSON parameters. */
  call: <T = unknown>(method: string, params?: Record<string, unknown>, opts?: { signal?: AbortSignal }) => Promise<T>;
  /** sendPhoto / sendDocument with a file from memory; `field` names the file parameter. */
  upload: <T = unknown>(method: string, params: Record<string, unknown>, field: string, file: UploadFile) => Promise<T>;
};

export function botIdFromToken(token: string): number {
  const id = Number(token.split(":")[0]);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

const UPLOADS = new Set(["sendPhoto", "sendDocument", "sendAudio", "sendVoice", "sendVideo", "sendAnimation"]);

/**
 * grammY's calls wait 500 s and report failures in two shapes. This transformer gives every call
 * its deadline and turns every failure into one TelegramError that says whether to retry and how
 * long Telegram asked us to wait. grammY never puts the token in its errors (sensitiveLogs off).
 */
export function deadlineAndErrors(timeoutMs: number): Transformer {
  return async (prev, method, payload, signal) => {
    const p = payload as { timeout?: number };
    const ms = method === "getUpdates" ? (p.timeout ?? 0) * 1000 + timeoutMs : UPLOADS.has(method) ? 3 * timeoutMs : timeoutMs;
    const deadline = AbortSignal.timeout(ms);
    // grammY types signals with its polyfill's AbortSignal; the platform's works the same at run time.
    const both = (signal ? AbortSignal.any([signal as unknown as AbortSignal, deadline]) : deadline) as unknown as typeof signal;
    let res;
    try {
      res = await prev(method, payload, both);
    } catch (err) {
      const what = deadline.aborted ? `no answer within ${ms} ms` : `network error: ${errText(err)}`;
      throw new TelegramError(method, 0, what, { retryable: true, cause: err });
    }
    if (res.ok) return res;
    const status = res.error_code;
    const retryAfter = res.parameters?.retry_after;
    throw new TelegramError(method, status, res.description, {
      retryable: status === 429 || status >= 500,
      ...(retryAfter !== undefined ? { retryAfterSec: retryAfter } : {}),
    });
  };
}

export function createTelegramClient(opts: TelegramClientOptions): TelegramClient {
  // grammY's own timeout is the outer bound only; the transformer sets the real deadline per call.
  const api = new Api(opts.token, { apiRoot: opts.apiRoot.replace(/\/$/, ""), timeoutSeconds: 3600, fetch: httpFetch as never });
  api.config.use(deadlineAndErrors(opts.timeoutMs));
  const raw = api.raw as unknown as Record<string, (payload: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>>;
  const method = (name: string) => {
    const fn = raw[name];
    if (!/^[a-zA-Z]{2,64}$/.test(name) || typeof fn !== "function") throw new TypeError(`not a Bot API method: ${name}`);
    return fn;
  };
  return {
    botId: botIdFromToken(opts.token),
    api,
    call: async <T>(name: string, params: Record<string, unknown> = {}, o: { signal?: AbortSignal } = {}) => {
      const fn = method(name);
      // grammY binds an empty payload to the methods that take none (getMe, …): they take only the signal.
      return (fn.length === 1 ? await (fn as unknown as (s?: AbortSignal) => Promise<unknown>)(o.signal) : await fn(params, o.signal)) as T;
    },
    upload: async <T>(name: string, params: Record<string, unknown>, field: string, file: UploadFile) =>
      (await method(name)({ ...params, [field]: new InputFile(file.content, file.filename) })) as T,
  };
}

function errText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
