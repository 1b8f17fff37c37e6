// SQL fragments for deterministic per-row randomness. hashint8extended is stable across Postgres
// versions (hash partitioning depends on it), so the same key, seed and salt give the same number.

/** A uniform float in [0, 1) derived from an integer SQL expression, the run's seed and a salt. */
export function rnd(keySql: string, seed: number, salt: number): string {
  return `((hashint8extended((${keySql})::bigint, ${seed * 1000 + salt}) & 4294967295)::float8 / 4294967296.0)`;
}

/** An integer in [lo, hi] (both inclusive). */
export function rndInt(keySql: string, seed: number, salt: number, lo: number, hi: number): string {
  return `(${lo} + floor(${rnd(keySql, seed, salt)} * ${hi - lo + 1})::int)`;
}

/** A SQL string literal; values here come from validated config or our own vocabulary. */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(lit).join(",")}]::text[]`;
}

/** Picks an element of a SQL text array by a uniform draw. */
export function pickSql(values: readonly string[], uniformSql: string): string {
  return `(${textArray(values)})[1 + floor(${uniformSql} * ${values.length})::int]`;
}

/**
 * Shop-local time of day as a fraction of the day, from a uniform draw: a monotone warp that
 * puts few orders at night and most in the afternoon and evening (density ratio about 5.7).
 * Must stay equal to intradayWarp in plan.ts.
 */
export function intradaySql(fractionSql: string): string {
  return `(${fractionSql} + 0.7 * (sin(2 * pi() * ((${fractionSql}) - 0.1)) + sin(2 * pi() * 0.1)) / (2 * pi()))`;
}
