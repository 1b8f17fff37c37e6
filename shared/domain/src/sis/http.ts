import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from "cockatiel";
import type { z } from "zod";
import { AppError, isAppError } from "@ownerbot/core/errors";

// One SIS, one set of policies (cockatiel): a per-attempt timeout, retries with exponential backoff
// (only for reads and for applies that carry an idempotency key), a circuit breaker shared by every
// call to this SIS in the process, and a bulkhead that bounds how many of the worker's slots a
// stalled SIS can hold. Every failure becomes an AppError UPSTREAM_UNAVAILABLE (or a more precise
// code) whose message the owner can read; `details.reason` says what happened for logs and tests.

export type SisHttpOptions = {
  baseUrl: string;
  apiKey: string;
  /** SIS_TIMEOUT_SEC: one attempt's deadline. */
  timeoutMs: number;
  /** SIS_MAX_RETRIES: attempts after the first. */
  maxRetries: number;
  /** SIS_RETRY_BACKOFF_BASE_SEC: the first retry's delay; each next one doubles. */
  backoffBaseMs: number;
  /** Calls in flight at once; more are refused at once instead of queueing behind a stalled SIS. */
  bulkhead: number;
  /** Consecutive failed calls that open the breaker, and how long it stays open before one trial. */
  breakerThreshold?: number;
  breakerHalfOpenMs?: number;
};

export type FailReason =
  | "timeout"
  | "network"
  | "status"
  | "rate_limited"
  | "auth"
  | "json"
  | "schema"
  | "breaker_open"
  | "busy"
  | "conflict"
  | "validation"
  | "not_found";

export type SisRequest = {
  method: "GET" | "POST" | "PATCH";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to send again: a read, or an apply with an Idempotency-Key. */
  retryable: boolean;
  /** Deadline for the whole call, retries included (a chat turn cannot wait for all of them). */
  budgetMs?: number;
};

export type SisResponse = { status: number; body: unknown; latencyMs: number };

const secs = (ms: number): string => `${Math.round(ms / 100) / 10} с`;

export function sisError(reason: FailReason, message: string, o: { status?: number; retryable?: boolean; cause?: unknown } = {}): AppError {
  const code =
    reason === "conflict"
      ? "ACTION_CONFLICT"
      : reason === "validation"
        ? "VALIDATION_ERROR"
        : reason === "not_found"
          ? "NOT_FOUND"
          : "UPSTREAM_UNAVAILABLE";
  return new AppError(code, message, {
    retryable: o.retryable ?? ["timeout", "network", "status", "rate_limited", "breaker_open", "busy"].includes(reason),
    details: { reason, ...(o.status !== undefined ? { status: o.status } : {}) },
    ...(o.cause !== undefined ? { cause: o.cause } : {}),
  });
}

export const reasonOf = (e: unknown): FailReason | undefined =>
  isAppError(e) ? ((e.details?.reason as FailReason | undefined) ?? undefined) : undefined;

/** Statuses worth another attempt: SIS is overloaded or failing now, not refusing the request. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export type SisHttp = ReturnType<typeof createSisHttp>;

export function createSisHttp(o: SisHttpOptions) {
  const base = o.baseUrl.replace(/\/+$/, "");
  // Only SIS's own failures count against the breaker: a 404 order or a 422 preview is an answer.
  // An attempt past its deadline surfaces as cockatiel's TaskCancelledError (aggressive timeout).
  const isOutage = (e: unknown): boolean => {
    if (e instanceof TaskCancelledError) return true;
    const r = reasonOf(e);
    return r === "timeout" || r === "network" || r === "status" || r === "rate_limited" || r === "json";
  };
  const breaker = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: o.breakerHalfOpenMs ?? 10_000,
    breaker: new ConsecutiveBreaker(o.breakerThreshold ?? 3),
  });
  const slots = bulkhead(Math.max(1, o.bulkhead), 0);
  const perAttempt = timeout(o.timeoutMs, TimeoutStrategy.Aggressive);
  const backoff = new ExponentialBackoff({ initialDelay: Math.max(1, o.backoffBaseMs), exponent: 2, maxDelay: 30_000 });
  const retryKeyed = retry(
    handleWhen((e) => isAppError(e) && e.retryable && reasonOf(e) !== "busy"),
    {
      maxAttempts: o.maxRetries,
      backoff,
    },
  );
  let lastLatencyMs: number | null = null;

  async function attempt(req: SisRequest, signal: AbortSignal): Promise<SisResponse> {
    const url = new URL(`${base}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(url, {
        method: req.method,
        headers: { ...(req.body !== undefined ? { "content-type": "application/json" } : {}), ...req.headers },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal,
      });
    } catch (e) {
      if (signal.aborted) throw sisError("timeout", `SIS недоступен: не ответил за ${secs(o.timeoutMs)}.`, { cause: e });
      throw sisError("network", "SIS недоступен: нет соединения с сервером SIS.", { cause: e });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw sisError(signal.aborted ? "timeout" : "network", "SIS недоступен: ответ оборвался.", { cause: e });
    }
    const latencyMs = Math.round(performance.now() - started);
    lastLatencyMs = latencyMs;
    if (res.status === 401 || res.status === 403)
      throw sisError("auth", `SIS отклонил ключ доступа (HTTP ${res.status}): проверьте SIS_OWNERBOT_API_KEY.`, { status: res.status });
    if (res.status === 429)
      throw sisError("rate_limited", "SIS недоступен: перегружен и просит подождать (HTTP 429).", { status: res.status });
    if (res.status >= 500)
      throw sisError("status", `SIS недоступен: ошибка на стороне SIS (HTTP ${res.status}).`, {
        status: res.status,
        retryable: RETRY_STATUSES.has(res.status),
      });
    let body: unknown;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch (e) {
      throw sisError("json", "SIS недоступен: прислал повреждённый ответ. Цифры не показаны, чтобы не ввести в заблуждение.", {
        status: res.status,
        cause: e,
      });
    }
    return { status: res.status, body, latencyMs };
  }

  async function call(req: SisRequest): Promise<SisResponse> {
    const inner = req.retryable ? wrap(retryKeyed, perAttempt) : perAttempt;
    const policy = wrap(slots, breaker, inner);
    // The budget cancels the whole call, retries included, so nothing keeps a bulkhead slot after it.
    const budget = new AbortController();
    const t = req.budgetMs !== undefined ? setTimeout(() => budget.abort(), req.budgetMs) : undefined;
    try {
      return await policy.execute(({ signal }) => attempt(req, signal), budget.signal);
    } catch (e) {
      if (budget.signal.aborted) throw sisError("timeout", `SIS недоступен: не ответил за ${secs(req.budgetMs ?? o.timeoutMs)}.`);
      if (e instanceof BrokenCircuitError)
        throw sisError("breaker_open", "SIS недоступен: последние запросы к нему не прошли, повторю проверку через несколько секунд.");
      if (e instanceof BulkheadRejectedError)
        throw sisError("busy", "SIS недоступен: слишком много запросов уже ждут ответа SIS. Попробуйте чуть позже.");
      if (e instanceof TaskCancelledError) throw sisError("timeout", `SIS недоступен: не ответил за ${secs(o.timeoutMs)}.`);
      throw e;
    } finally {
      clearTimeout(t);
    }
  }

  return {
    baseUrl: base,
    call,
    /** Parses a successful body with `schema`; a body of another shape is an answer we must not show. */
    parse<T extends z.ZodType>(schema: T, res: SisResponse, what: string): z.output<T> {
      const r = schema.safeParse(res.body);
      if (!r.success)
        throw sisError("schema", `SIS ответил в неизвестном формате (${what}) — цифры не показаны, чтобы не ввести в заблуждение.`, {
          status: res.status,
          retryable: false,
        });
      return r.data;
    },
    breakerState: (): "closed" | "open" | "half_open" =>
      breaker.state === CircuitState.Closed ? "closed" : breaker.state === CircuitState.HalfOpen ? "half_open" : "open",
    /** True while calls are refused at once (the AUTO mode answers from DEMO meanwhile). */
    isOpen: (): boolean => breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated,
    lastLatencyMs: (): number | null => lastLatencyMs,
    onBreak: (f: () => void) => breaker.onBreak(f),
    onReset: (f: () => void) => breaker.onReset(f),
  };
}
