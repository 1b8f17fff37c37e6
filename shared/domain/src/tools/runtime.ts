import { createHash } from "node:crypto";
import type { Provenance, ShopSettings, ToolContext, ToolResult, ToolWarning } from "../contract.ts";
import type { Db } from "@ownerbot/core/db";
import { parseDayInput, type LocalDay } from "../format/dates.ts";
import { AppError } from "@ownerbot/core/errors";
import { createDemoProvider } from "./demo-provider.ts";
import type { ShopClock, ShopProvider } from "./provider.ts";

// What every read tool does first: find its provider, read the shop's clock, and at the end wrap
// its data with provenance.

const demoProviders = new WeakMap<Db, ShopProvider>();

export function providerOf(ctx: Pick<ToolContext, "db" | "provider">): ShopProvider {
  if (ctx.provider) return ctx.provider;
  let p = demoProviders.get(ctx.db);
  if (!p) {
    p = createDemoProvider(ctx.db);
    demoProviders.set(ctx.db, p);
  }
  return p;
}

/**
 * The shop's "now" for reading what the owner typed: «вчера», «на этой неделе» mean the shop's
 * days, which in DEMO follow the demo shop's clock (demo_meta.as_of), not the server's.
 */
export async function shopNow(ctx: Pick<ToolContext, "db" | "provider" | "shop" | "now">): Promise<Date> {
  return (await providerOf(ctx).clock(ctx.now, ctx.shop.timeZone)).now;
}

export type ToolEnv = {
  provider: ShopProvider;
  clock: ShopClock;
  shop: ShopSettings;
  tz: string;
  /** Provenance source name for a table or endpoint of the current provider. */
  src: (name: string) => string;
  /** A day the caller typed, resolved against the shop's today; NOT a validation error, a bad value. */
  day: (raw: string, param: string) => LocalDay;
};

export async function toolEnv(ctx: ToolContext): Promise<ToolEnv> {
  const provider = providerOf(ctx);
  const clock = await provider.clock(ctx.now, ctx.shop.timeZone);
  return {
    provider,
    clock,
    shop: ctx.shop,
    tz: ctx.shop.timeZone,
    src: (name) => provider.source(name),
    day: (raw, param) => {
      const d = parseDayInput(raw, clock.today);
      if (!d) throw new AppError("VALIDATION_ERROR", `Параметр ${param}: такой даты нет, получено «${raw}»`);
      return d;
    },
  };
}

export function warning(code: string, message: string): ToolWarning {
  return { code, message };
}

export function makeResult<T>(
  ctx: ToolContext,
  env: Pick<ToolEnv, "tz">,
  data: T,
  p: { sources: string[]; window?: { from: LocalDay; to: LocalDay }; filters?: unknown },
  warnings: ToolWarning[] = [],
): ToolResult<T> {
  const provenance: Provenance = { sources: p.sources };
  if (p.window) provenance.window = { from: p.window.from, to: p.window.to, tz: env.tz };
  if (p.filters !== undefined) provenance.filtersHash = filtersHash(p.filters);
  return { data, warnings, provenance, asOf: ctx.now.toISOString() };
}

/** Stable short hash of the applied filters, so two answers can be told apart or matched. */
export function filtersHash(filters: unknown): string {
  const json = JSON.stringify(filters, Object.keys(filters ?? {}).sort());
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}
