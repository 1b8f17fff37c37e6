import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ShopSettings } from "../contract.ts";
import { formatMoney, formatPercent } from "../format/numbers.ts";
import type { PluralForms } from "../format/plural.ts";
import { AppError } from "@ownerbot/core/errors";

// What the action tools share: ids as owners type them, rounding, money, and the demo shop's clock.

/** "12", "prd-12", "PRD-00012" → "PRD-00012": the demo catalogue pads product numbers to 5 digits. */
export function productId(raw: string): string {
  return normalizeId(raw, "PRD", 5);
}

/** "7", "lk-7", "LK-007" → "LK-007". */
export function lookId(raw: string): string {
  return normalizeId(raw, "LK", 3);
}

function normalizeId(raw: string, prefix: string, pad: number): string {
  const s = raw.trim().toUpperCase();
  const m = /^(?:([A-Z]{1,5})-?)?0*(\d{1,12})$/.exec(s);
  if (!m) return s;
  if (m[1] !== undefined && m[1] !== prefix) return s;
  return `${prefix}-${(m[2] ?? "").padStart(pad, "0")}`;
}

/** A list of 1..200 ids; a comma/space separated string (from a template) is accepted too. */
export function idsParam(max = 200) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,;]+/).filter((x) => x !== "") : v),
    z
      .array(z.union([z.string(), z.number()]).transform((x) => String(x).trim()))
      .min(1)
      .max(max),
  );
}

/** Decimals arrive as strings from SIS-shaped payloads ("5", "-3.5"); numbers are accepted too. */
export function decimalParam(min: number, max: number) {
  return z.preprocess((v) => {
    if (typeof v === "number") return v;
    if (typeof v !== "string") return v;
    const s = v.trim().replace(",", ".").replace(/^\+/, "");
    return s !== "" && Number.isFinite(Number(s)) ? Number(s) : v;
  }, z.number().min(min).max(max));
}

const cents = (x: number): number => Math.round(x * 100);

/** SIS rounding modes (reference §6) applied to a price in major units. */
export function roundSis(x: number, mode: string, step?: number): number {
  const v = Math.max(0, x);
  switch (mode) {
    case "CEIL_0_50":
      return Math.ceil(cents(v) / 50 - 1e-9) / 2;
    case "CEIL_0_99":
      return v === 0 ? 0 : cents(Math.max(0, Math.ceil(v - 0.99 - 1e-9)) + 0.99) / 100;
    case "CEIL_STEP": {
      const s = step !== undefined && step > 0 ? step : 1;
      return cents(Math.ceil(v / s - 1e-9) * s) / 100;
    }
    default:
      return Math.ceil(v - 1e-9);
  }
}

/** adjust_price rounding (reference §3 #12): none | int | 0.5 | 0.99. */
export function roundAdjust(x: number, mode: string): number {
  const v = Math.max(0, x);
  if (mode === "int") return Math.round(v);
  if (mode === "0.5") return Math.round(v * 2) / 2;
  if (mode === "0.99") return v === 0 ? 0 : cents(Math.max(0, Math.ceil(v - 0.99 - 1e-9)) + 0.99) / 100;
  return cents(v) / 100;
}

export function money(v: number, shop: ShopSettings): string {
  return formatMoney(v, shop);
}

export function pctChange(before: number, after: number, shop: ShopSettings): string {
  if (before === 0) return after === 0 ? "" : " (новая цена)";
  return ` (${formatPercent(((after - before) / before) * 100, shop.locale)})`;
}

/** |Δ| as percent of the old value; a price set from 0 counts as no anomaly (there was no price). */
export function changePct(before: number, after: number): number {
  return before === 0 ? 0 : (Math.abs(after - before) / before) * 100;
}

/** The demo shop's generation (demo_meta.generated_at): FX bases and jobs of an older seed are ignored. */
export async function demoGeneration(db: Db): Promise<Date> {
  const r = await sql<{ g: Date }>`SELECT generated_at AS g FROM demo_meta WHERE id = 1`.execute(db);
  const g = r.rows[0]?.g;
  if (!g) throw new AppError("NOT_FOUND", "Демо-магазин пуст: сначала сгенерируйте его (make seed).");
  return g;
}

export const LOOKS: PluralForms = ["лук", "лука", "луков"];
export const CHATS_TO: PluralForms = ["чат", "чата", "чатов"];

export const DEMO_SOURCE = (table: string): string => `демо-магазин (${table})`;

/** A commit without ⚠️ of a change that needs it (a crafted or stale confirm): refused, nothing written. */
export function requireForce(force: "none" | "partial" | "required", forced: boolean): void {
  if (force === "required" && !forced)
    throw new AppError("ACTION_CONFLICT", "FORCE_REQUIRED: это изменение применяется только кнопкой ⚠️. Запустите действие снова.");
}
