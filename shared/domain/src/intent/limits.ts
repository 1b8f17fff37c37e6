// The parameter ranges of the tools the router fills (reference §3), so a request the tool would
// reject is clamped here and the owner is told, instead of failing validation later.

export type Range = readonly [min: number, max: number];

export const LIMITS = {
  trendDays: [1, 365],
  compareDays: [1, 90],
  topDays: [1, 365],
  topLimit: [1, 30],
  ordersLimit: [1, 200],
  sinceHours: [1, 720],
  lowStockLte: [0, 999],
  inventoryLimit: [1, 50],
  chatThresholdHours: [0, 168],
  chatLimit: [1, 50],
  windowDays: [1, 90],
  forecastHorizon: [1, 60],
  reorderHorizon: [1, 90],
  couponsTopLimit: [1, 20],
  auditLimit: [1, 100],
  couponPercent: [1, 95],
  discountPercent: [1, 95],
  bumpPercent: [0.1, 95],
  couponHours: [1, 8760],
  snoozeHours: [1, 72],
  stockLte: [1, 9999],
} as const satisfies Record<string, Range>;

export const DEFAULTS = {
  trendDays: 7,
  chartDays: 14,
  topDays: 7,
  topLimit: 10,
  ordersLimit: 20,
  lowStockLte: 5,
  inventoryLimit: 20,
  chatLimit: 20,
  forecastHorizon: 7,
  couponsTopLimit: 5,
  auditLimit: 20,
} as const;

export const MAX_NOTIFY_CHARS = 1000;
export const MAX_REASON_CHARS = 300;

/** Clamps `value` into `range`; when it had to, adds a short Russian note saying what was used. */
export function clamp(value: number, range: Range, label: string, notes: string[]): number {
  const [min, max] = range;
  if (value >= min && value <= max) return value;
  const used = value < min ? min : max;
  notes.push(`${label}: можно от ${min} до ${max}, беру ${used}.`);
  return used;
}
