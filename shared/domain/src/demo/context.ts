// Everything the SQL steps of the generator share, resolved once per run.

import type pg from "pg";
import { lit } from "./sql-rand.ts";

export type SeedContext = {
  client: pg.PoolClient;
  seed: number;
  scale: number;
  /** Orders drawn from the day plan; the rest (PLANTED) are placed relative to as_of. */
  regular: number;
  customers: number;
  products: number;
  /** Products that exist before the history starts; later ones arrive evenly over it. */
  establishedProducts: number;
  currency: string;
  timeZone: string;
  anchorDay: string;
  historyFrom: string;
  historyDays: number;
  asOf: Date;
  /** as_of and the start of history_from, in epoch seconds. */
  asOfEpoch: number;
  historyStartEpoch: number;
  /** Epoch seconds of the shop-local midnight starting the day `daysAgo` days before the anchor day. */
  midnight: (daysAgo: number) => number;
};

/** SQL for the shop-local day of a timestamptz expression. */
export function localDaySql(ctx: SeedContext, tsSql: string): string {
  return `((${tsSql}) AT TIME ZONE ${lit(ctx.timeZone)})::date`;
}

/** A customer's phone: a bijection of the customer number onto +79XXXXXXXXX (3^18 is coprime with 10^9). */
export function phoneSql(customerNoSql: string): string {
  return `('+79' || lpad((((${customerNoSql})::bigint * 387420489 + 12345678) % 1000000000)::text, 9, '0'))`;
}

export function customerIdSql(customerNoSql: string): string {
  return `('CU-' || lpad((${customerNoSql})::text, 7, '0'))`;
}
