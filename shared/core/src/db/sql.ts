import type pg from "pg";

/** Anything that runs SQL: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

// JSON.stringify writes NUL and lone surrogates (and nothing else in the surrogate range) as escapes.
const REFUSED_BY_JSONB = /\\u0000|\\ud[89a-f]/i;

/**
 * JSON for a jsonb parameter. Postgres refuses \u0000 and unpaired surrogates inside jsonb, and
 * Telegram updates can carry both (a lone surrogate arrives JSON-escaped), so such characters
 * become U+FFFD instead of failing the statement — which would wedge the ingress on that batch.
 */
export function jsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  if (!REFUSED_BY_JSONB.test(json)) return json;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? v.replaceAll("\u0000", "\uFFFD").toWellFormed() : v));
}
