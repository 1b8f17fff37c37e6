import { SIS_ACTIONS_PREFIX } from "./capabilities.ts";
import { decode, type SisActionAnswer } from "./action-decode.ts";
import type { SisHttp } from "./http.ts";
import type { Config } from "@ownerbot/core/config";
import { sisHttpFromConfig } from "./upstream.ts";

export type { SisActionAnswer, SisWarning } from "./action-decode.ts";

// The SIS Actions API client (reference §6): X-OWNERBOT-KEY and X-CORRELATION-ID on every call,
// decimals as strings, and — unlike the reference, which sent it only on /fx/apply and retried the
// rest blindly — an Idempotency-Key on every apply, so a retry after a 500 or a lost answer returns
// SIS's first result instead of acting twice. Answers are the {ok, status, …} envelope or, from an
// older SIS, the bare data object; 409 → ACTION_CONFLICT, 422 → VALIDATION_ERROR, the rest of
// ≥400 and ok:false → UPSTREAM_UNAVAILABLE.

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
