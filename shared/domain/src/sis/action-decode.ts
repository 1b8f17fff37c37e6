import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { sisError, type SisResponse } from "./http.ts";

// Reading an Actions API answer (reference §6): a body with a boolean `ok` is the envelope
// {ok, status, correlation_id, request_hash, warnings, data, error}; any other object is the legacy
// data. 409 → ACTION_CONFLICT, 422 → VALIDATION_ERROR, 404 → UPSTREAM_NOT_IMPLEMENTED, the rest of
// ≥400 and ok:false → UPSTREAM_UNAVAILABLE, with SIS's own message (error.message, error, message
// or the legacy detail).

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

/** An Actions API answer: the envelope or the legacy body, SIS's refusals as AppErrors. */
export function decode(res: SisResponse, endpoint: string): SisActionAnswer {
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
