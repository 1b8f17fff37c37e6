import { createTestEnv, type TestEnv } from "./harness.ts";
import type { ShopSettings, ToolContext } from "@ownerbot/domain/contract";
import { seedDemo } from "@ownerbot/domain/demo";
import { refreshReadRollups, runTool, type ToolOutcome } from "@ownerbot/domain/tools";

// A generated demo shop for the read-tool tests: one per test file, on the file's own database.

export const SHOP: ShopSettings = { shopId: "demo", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
export const ANCHOR = "2026-11-23";

export type TestShop = { env: TestEnv; ctx: ToolContext; asOf: Date };

export async function seededShop(scale = 3000): Promise<TestShop> {
  const env = await createTestEnv();
  const r = await seedDemo(env.pool, { scale, seed: 11, anchorDay: ANCHOR, timeZone: SHOP.timeZone, currency: SHOP.currency });
  // Build the running sales totals now, so the tests read them deterministically (not a background rebuild).
  await refreshReadRollups(env.db, { wait: true });
  // The wall clock is deliberately far from the demo history: tools must use demo_meta's clock.
  const ctx: ToolContext = { db: env.db, shop: SHOP, now: new Date("2027-03-01T09:00:00Z"), correlationId: "test" };
  return { env, ctx, asOf: new Date(r.asOf) };
}

/** Runs a tool and fails the test with the tool's own message when it did not succeed. */
export async function ok<T>(name: string, input: unknown, ctx: ToolContext): Promise<{ data: T; outcome: ToolOutcome }> {
  const outcome = await runTool(name, input, ctx);
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code} ${outcome.error.message}`);
  return { data: outcome.result.data as T, outcome };
}

export async function one<T>(env: TestEnv, text: string, params: unknown[] = []): Promise<T> {
  const r = await env.pool.query(text, params);
  return r.rows[0] as T;
}

export async function all<T>(env: TestEnv, text: string, params: unknown[] = []): Promise<T[]> {
  const r = await env.pool.query(text, params);
  return r.rows as T[];
}
