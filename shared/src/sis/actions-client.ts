import { z } from "zod";
import { AppError } from "../errors.ts";
import { SIS_ACTIONS_PREFIX } from "./capabilities.ts";
import { sisError, type SisHttp, type SisResponse } from "./http.ts";
import type { Config } from "../config/index.ts";
import { sisHttpFromConfig } from "./upstream.ts";

// The SIS Actions API client (reference §6): X-OWNERBOT-KEY and X-CORRELATION-ID on every call,
// decimals as strings, and — unlike the reference, which sent it only on /fx/apply and retried the
// rest blindly — an Idempotency-Key on every apply, so a retry after a 500 or a lost answer returns
// SIS's first result instead of acting twice. Answers are the {ok, status, …} envelope or, from an
// older SIS, the bare data object; 409 → ACTION_CONFLICT, 422 → VALIDATION_ERROR, the rest of
// ≥400 and ok:false → UPSTREAM_UNAVAILABLE.

export type SisWarning = { code: string; message: string };
export type SisActionAnswer = { status: string; data: Record<string, unknown>; warnings: SisWarning[]; correlationId: string | null };

const warningSchema = z.union([
  z.object({ code: z.string(), message: z.string() }),
  z.string().transform((message) => ({ code: "SIS_WARNING", message })),
]);
const envelopeSchema = z.object({
  ok: z.boolean(),
  status: z.string().optional(),
  correlation_id: z.string().nullable().optional(),
  request_hash: z.string().nullable().optional(),
  warnings: z.array(warningSchema).nullable().optional(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  error: z.unknown().optional(),
});

/** The first message SIS gave: error.message, error (a string), message, or the legacy {detail}. */
function messageOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  const err = b.error;
  const m =
    (typeof err === "object" && err !== null && typeof (err as { message?: unknown }).message === "string"
      ? (err as { message: string }).message
      : undefined) ??
    (typeof err === "string" ? err : undefined) ??
    (typeof b.message === "string" ? b.message : undefined) ??
    (typeof b.detail === "string" ? b.detail : undefined);
  return m === undefined ? null : m.slice(0, 500);
}

function decode(res: SisResponse, endpoint: string): SisActionAnswer {
  const msg = messageOf(res.body);
  if (res.status === 409)
    return fail(new AppError("ACTION_CONFLICT", `SIS отказал: ${msg ?? "конфликт"}`, { details: { status: 409, reason: "conflict" } }));
  if (res.status === 422)
    return fail(
      new AppError("VALIDATION_ERROR", `SIS не принял параметры: ${msg ?? "ошибка проверки"}`, {
        details: { status: 422, reason: "validation" },
      }),
    );
  if (res.status === 404)
    return fail(
      new AppError("UPSTREAM_NOT_IMPLEMENTED", `SIS не поддерживает ${endpoint} (HTTP 404).`, {
        details: { status: 404, reason: "not_found" },
      }),
    );
  if (res.status >= 400)
    return fail(
      sisError("status", `SIS недоступен: ${endpoint} ответил HTTP ${res.status}${msg ? ` — ${msg}` : ""}.`, {
        status: res.status,
        retryable: false,
      }),
    );
  const body = res.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return fail(sisError("schema", `SIS ответил в неизвестном формате (${endpoint}).`, { retryable: false }));
  if (typeof (body as { ok?: unknown }).ok !== "boolean")
    return { status: "ok", data: body as Record<string, unknown>, warnings: [], correlationId: null };
  const env = envelopeSchema.safeParse(body);
  if (!env.success) return fail(sisError("schema", `SIS ответил в неизвестном формате (${endpoint}).`, { retryable: false }));
  if (!env.data.ok) return fail(sisError("status", `SIS не выполнил ${endpoint}: ${msg ?? "без объяснения"}.`, { retryable: false }));
  return {
    status: env.data.status ?? "ok",
    data: env.data.data ?? {},
    warnings: env.data.warnings ?? [],
    correlationId: env.data.correlation_id ?? null,
  };
}

function fail(e: AppError): never {
  throw e;
}

export type SisActions = ReturnType<typeof createSisActions>;

export function createSisActions(http: SisHttp, o: { apiKey: string }) {
  const headers = (correlationId: string, key?: string): Record<string, string> => ({
    "X-OWNERBOT-KEY": o.apiKey,
    "X-CORRELATION-ID": correlationId,
    ...(key !== undefined ? { "Idempotency-Key": key } : {}),
  });
  return {
    async fxStatus(correlationId: string): Promise<SisActionAnswer> {
      const res = await http.call({
        method: "GET",
        path: `${SIS_ACTIONS_PREFIX}/fx/status`,
        headers: headers(correlationId),
        retryable: true,
      });
      return decode(res, "fx/status");
    },
    /** A dry run changes nothing at SIS, so it is retried like a read. */
    async preview(endpoint: string, body: Record<string, unknown>, correlationId: string): Promise<SisActionAnswer> {
      const res = await http.call({
        method: "POST",
        path: `${SIS_ACTIONS_PREFIX}/${endpoint}/preview`,
        body,
        headers: headers(correlationId),
        retryable: true,
      });
      return decode(res, `${endpoint}/preview`);
    },
    /** Retried only because it carries the action's key: SIS answers a repeat with its first result. */
    async apply(
      endpoint: string,
      body: Record<string, unknown>,
      a: { idempotencyKey: string; correlationId: string },
    ): Promise<SisActionAnswer> {
      const res = await http.call({
        method: "POST",
        path: `${SIS_ACTIONS_PREFIX}/${endpoint}/apply`,
        body,
        headers: headers(a.correlationId, a.idempotencyKey),
        retryable: true,
      });
      return decode(res, `${endpoint}/apply`);
    },
    /** PATCH /fx/settings: a change like an apply, so it carries the action's key too. */
    async patchFxSettings(body: Record<string, unknown>, a: { idempotencyKey: string; correlationId: string }): Promise<SisActionAnswer> {
      const res = await http.call({
        method: "PATCH",
        path: `${SIS_ACTIONS_PREFIX}/fx/settings`,
        body,
        headers: headers(a.correlationId, a.idempotencyKey),
        retryable: true,
      });
      return decode(res, "fx/settings");
    },
  };
}

/** The Actions API client of a process, or undefined when SIS_BASE_URL or its key is not set. */
export function sisActionsFromConfig(cfg: Config): SisActions | undefined {
  const http = sisHttpFromConfig(cfg);
  return http ? createSisActions(http, { apiKey: cfg.SIS_OWNERBOT_API_KEY }) : undefined;
}
