import type pg from "pg";

/** Anything that runs SQL: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

/**
 * JSON for a jsonb parameter. Postgres refuses \u0000 inside jsonb, and Telegram text can carry
 * it, so such characters become U+FFFD instead of failing the statement.
 */
export function jsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes("\\u0000")) return json;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? v.replaceAll("\u0000", "\uFFFD") : v));
}
