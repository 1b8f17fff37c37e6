import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ShopSettings } from "../contract.ts";
import { AppError } from "@ownerbot/core/errors";
import { formatDateTime } from "../format/dates.ts";
import { boolParam, intParam } from "../tools/params.ts";
import { decimalParam, DEMO_SOURCE, money, requireForce } from "./common.ts";
import { defineAction, type ActionPreview, type ChangeRow, type ForceOffer } from "./types.ts";

// create_coupon (reference §3 #11): create a coupon, or change an existing one by its code
// («выключи купон X» sends active:false — the reference previewed a new coupon instead, gap #3).
// A coupon over 50 % off needs ⚠️.

const COUPON_ANOMALY_PCT = 50;

const instant = z
  .string()
  .trim()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: "дата и время в ISO, например 2026-11-30T21:00:00Z" });

const input = z
  .object({
    code: z
      .string()
      .trim()
      .min(3)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, { message: "латиница, цифры, _ и -" })
      .transform((c) => c.toUpperCase()),
    percent_off: intParam(1, 95).optional(),
    amount_off: decimalParam(0.01, 10_000_000).optional(),
    active: boolParam().default(true),
    max_uses: intParam(1, 10_000_000).optional(),
    starts_at: instant.optional(),
    ends_at: instant.optional(),
  })
  .refine((v) => v.percent_off === undefined || v.amount_off === undefined, {
    message: "только одно: percent_off или amount_off",
    path: ["amount_off"],
  })
  .refine((v) => !v.starts_at || !v.ends_at || Date.parse(v.ends_at) > Date.parse(v.starts_at), {
    message: "конец позже начала",
    path: ["ends_at"],
  });

type Input = z.output<typeof input>;
type Coupon = {
  id: number;
  code: string;
  percent_off: number | null;
  amount_off: number | null;
  active: boolean;
  max_uses: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
};

async function find(db: Db, code: string, lock: boolean): Promise<Coupon | undefined> {
  const r = await sql<Coupon>`SELECT id, code, percent_off, amount_off, active, max_uses, starts_at, ends_at FROM demo_coupons
    WHERE code = ${code} ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  return r.rows[0];
}

type Next = Omit<Coupon, "id">;

function nextOf(i: Input, cur: Coupon | undefined): Next {
  const discount =
    i.percent_off !== undefined
      ? { percent_off: i.percent_off, amount_off: null }
      : i.amount_off !== undefined
        ? { percent_off: null, amount_off: i.amount_off }
        : undefined;
  if (!cur && !discount)
    throw new AppError(
      i.active ? "VALIDATION_ERROR" : "NOT_FOUND",
      i.active ? "Для нового купона нужен percent_off или amount_off" : `Купона ${i.code} нет`,
    );
  return {
    code: i.code,
    percent_off: discount ? discount.percent_off : (cur?.percent_off ?? null),
    amount_off: discount ? discount.amount_off : (cur?.amount_off ?? null),
    active: i.active,
    max_uses: i.max_uses ?? cur?.max_uses ?? null,
    starts_at: i.starts_at ? new Date(i.starts_at) : (cur?.starts_at ?? null),
    ends_at: i.ends_at ? new Date(i.ends_at) : (cur?.ends_at ?? null),
  };
}

function fields(c: Next | undefined, shop: ShopSettings): Record<string, string> {
  if (!c) return { Скидка: "—", Активен: "—", "Лимит использований": "—", Начало: "—", Конец: "—" };
  return {
    Скидка: c.percent_off !== null ? `${c.percent_off} %` : c.amount_off !== null ? money(c.amount_off, shop) : "—",
    Активен: c.active ? "да" : "нет",
    "Лимит использований": c.max_uses === null ? "без лимита" : String(c.max_uses),
    Начало: c.starts_at ? formatDateTime(c.starts_at, shop.timeZone) : "сразу",
    Конец: c.ends_at ? formatDateTime(c.ends_at, shop.timeZone) : "без срока",
  };
}

function diff(cur: Coupon | undefined, next: Next, shop: ShopSettings): ChangeRow[] {
  const a = fields(cur, shop);
  const b = fields(next, shop);
  return Object.keys(b)
    .filter((k) => a[k] !== b[k])
    .map((k) => ({ id: k, title: "", before: a[k] ?? "—", after: b[k] ?? "—" }));
}

const offerOf = (n: Next): ForceOffer => ((n.percent_off ?? 0) > COUPON_ANOMALY_PCT && n.active ? "required" : "none");

export const createCoupon = defineAction({
  name: "create_coupon",
  title: "Купон",
  description:
    "Create a coupon (code, percent_off or amount_off, max_uses, starts_at/ends_at) or change/disable an existing one; >50 % needs force.",
  input,
  async preview(i, ctx): Promise<ActionPreview> {
    const cur = await find(ctx.db, i.code, false);
    const next = nextOf(i, cur);
    const rows = diff(cur, next, ctx.shop);
    const force = offerOf(next);
    return {
      title: cur ? `Изменение купона ${i.code}` : `Новый купон ${i.code}`,
      summary: [cur ? `Купон ${i.code} уже есть — изменится:` : `Будет создан купон ${i.code}`],
      rows,
      affected: rows.length > 0 ? 1 : 0,
      unit: "купонов",
      warnings: force === "required" ? [{ code: "COUPON_OVER_50", message: `Скидка по купону больше ${COUPON_ANOMALY_PCT} %` }] : [],
      source: DEMO_SOURCE("demo_coupons"),
      noop: rows.length === 0,
      noopReason: `купон ${i.code} уже такой`,
      force,
      ...(force === "required" ? { forceNote: "Применить можно только кнопкой ⚠️." } : {}),
      commit: { ...i },
    };
  },
  async commit(i, ctx) {
    const cur = await find(ctx.trx, i.code, true);
    const next = nextOf(i, cur);
    requireForce(offerOf(next), ctx.force);
    const rows = diff(cur, next, ctx.shop);
    const r = await sql<{
      id: number;
    }>`INSERT INTO demo_coupons (code, percent_off, amount_off, active, max_uses, starts_at, ends_at, created_at, updated_at)
      VALUES (${next.code}, ${next.percent_off}, ${next.amount_off}, ${next.active}, ${next.max_uses}, ${next.starts_at}, ${next.ends_at}, now(), now())
      ON CONFLICT (code) DO UPDATE SET percent_off = excluded.percent_off, amount_off = excluded.amount_off, active = excluded.active,
        max_uses = excluded.max_uses, starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = now()
      RETURNING id`.execute(ctx.trx);
    const verb = cur ? (next.active ? "Купон изменён" : "Купон выключен") : "Купон создан";
    return {
      lines: [`${verb}: ${next.code}`],
      affected: 1,
      rows,
      data: { coupon_id: r.rows[0]?.id ?? null, operation: cur ? "update" : "create" },
    };
  },
});
