import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import type { SisActionAnswer } from "./action-decode.ts";

// The data of the Actions API's answers (inside the {ok, status, …} envelope, or the legacy body):
// what OwnerBot reads from them is validated here, so an answer of another shape is never shown as
// a result. SIS may add fields (passthrough); the ones read must be there and of the right type.

const decimal = z.union([z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/), z.number().finite()]).transform((v) => Number(v));
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const change = z.looseObject({
  product_id: z.string().optional(),
  look_id: z.string().optional(),
  key: z.string().optional(),
  before: cell.optional(),
  after: cell.optional(),
});

export const changeData = z.looseObject({
  affected_count: z.number().int().min(0),
  would_apply: z.boolean().optional(),
  changes: z.array(change).optional(),
  anomaly: z.looseObject({ threshold_pct: decimal, max_delta_pct: decimal, over_threshold_count: z.number().int().min(0) }).optional(),
  rate: decimal.optional(),
  rate_set_id: z.string().optional(),
  delta_percent: decimal.optional(),
  job_id: z.union([z.number().int(), z.string()]).optional(),
  reason: z.string().optional(),
});
export type ChangeData = z.output<typeof changeData>;

export const fxStatusData = z.looseObject({
  base: z.string().min(3).max(8),
  quote: z.string().min(3).max(8),
  rate: decimal,
  rate_day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  prev_rate: decimal.nullable().optional(),
  prev_day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional(),
  rate_set_id: z.string(),
  delta_percent: decimal.optional(),
  would_apply: z.boolean(),
  last_apply: z
    .looseObject({ at: z.iso.datetime({ offset: true }), rate: decimal })
    .nullable()
    .optional(),
  settings: z.record(z.string(), cell).optional(),
});
export type FxStatusWire = z.output<typeof fxStatusData>;

/**
 * The answer's data in `schema`'s shape. After an apply a body we cannot read does not mean
 * nothing happened: the owner is told the outcome is unknown, not that nothing changed.
 */
export function dataOf<T extends z.ZodType>(schema: T, a: SisActionAnswer, endpoint: string, phase: "preview" | "apply"): z.output<T> {
  const r = schema.safeParse(a.data);
  if (r.success) return r.data;
  const message =
    phase === "apply"
      ? `SIS ответил на ${endpoint} в неизвестном формате: применилось ли изменение — неизвестно. Проверьте в SIS, прежде чем запускать снова.`
      : `SIS ответил на ${endpoint} в неизвестном формате — ничего не показываю, чтобы не ввести в заблуждение.`;
  throw new AppError("UPSTREAM_UNAVAILABLE", message, {
    details: { reason: "schema", ...(phase === "apply" ? { outcome: "unknown" } : {}) },
  });
}
