import {
  decimalOf,
  idList,
  massWarning,
  money,
  rateSetId,
  refuse,
  roundSis,
  ROUNDING,
  type Outcome,
  type SimItem,
  type SimShop,
} from "./shop-state.ts";

// The simulator's price endpoints (reference §6): prices/bump, discounts/set|clear, reprice (FX at
// a rate snapshot, with backup for rollback), reprice/rollback, fx/preview|apply (the scheduled
// reprice when the rate moved enough) and fx/status|settings. A preview changes nothing; an apply
// changes the shop and says how many rows it changed.

type Change = { product_id: string; before: string; after: string; next: Partial<SimItem> };
const wire = (cs: readonly Change[]) => cs.slice(0, 50).map(({ next: _n, ...c }) => c);

function commit(shop: SimShop, cs: readonly Change[]): void {
  for (const c of cs) {
    const it = shop.items.get(c.product_id);
    if (it) Object.assign(it, c.next);
  }
}

function changed(
  status: string,
  cs: readonly Change[],
  apply: boolean,
  extra: Record<string, unknown> = {},
  warnings = [] as { code: string; message: string }[],
): Outcome {
  return {
    status: apply ? status : "preview",
    data: { affected_count: cs.length, would_apply: cs.length > 0, changes: wire(cs), ...extra },
    warnings,
    acted: apply ? cs.length : null,
  };
}

export function bump(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  const pct = decimalOf(b.bump_percent);
  const add = decimalOf(b.bump_additive ?? "0");
  const mode = typeof b.rounding_mode === "string" ? b.rounding_mode : "";
  if (pct === null || add === null) return refuse(422, "VALIDATION_ERROR", "bump_percent and bump_additive must be decimal strings");
  if (!ROUNDING.has(mode)) return refuse(422, "VALIDATION_ERROR", `rounding_mode must be one of ${[...ROUNDING].join(", ")}`);
  const over = Math.abs(pct) > 30 && b.force !== true;
  if (over && apply) return refuse(409, "FORCE_REQUIRED", "force required for apply: change over 30 %");
  const cs: Change[] = [];
  for (const [id, it] of shop.items) {
    if (it.price <= 0) continue;
    const after = roundSis(it.price * (1 + pct / 100) + add, mode, decimalOf(b.rounding_step) ?? undefined);
    if (money(after) !== money(it.price)) cs.push({ product_id: id, before: money(it.price), after: money(after), next: { price: after } });
  }
  if (apply) commit(shop, cs);
  return changed("applied", cs, apply, {}, over ? [{ code: "FORCE_REQUIRED", message: "force required for apply: change over 30 %" }] : []);
}

/** product_ids / only_active / stock_lte: the products a discount call is about (all priced ones without a scope). */
function scope(shop: SimShop, b: Record<string, unknown>): [string, SimItem][] | Outcome {
  const ids = idList(b.product_ids);
  if (ids === null) return refuse(422, "VALIDATION_ERROR", "product_ids must be a list of strings");
  const lte = b.stock_lte === undefined ? undefined : Number(b.stock_lte);
  if (lte !== undefined && !Number.isInteger(lte)) return refuse(422, "VALIDATION_ERROR", "stock_lte must be an integer");
  const missing = (ids ?? []).filter((id) => !shop.items.has(id));
  if (missing.length > 0) return refuse(422, "VALIDATION_ERROR", `unknown product_ids: ${missing.slice(0, 5).join(", ")}`);
  return [...shop.items].filter(
    ([id, it]) =>
      it.price > 0 && (!ids || ids.includes(id)) && (b.only_active !== true || it.published) && (lte === undefined || it.stock <= lte),
  );
}

export function discountsSet(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  const pct = decimalOf(b.discount_percent);
  if (pct === null || pct < 1 || pct > 95) return refuse(422, "VALIDATION_ERROR", "discount_percent must be a decimal string 1..95");
  const rows = scope(shop, b);
  if (!Array.isArray(rows)) return rows;
  const cs: Change[] = [];
  for (const [id, it] of rows) {
    const full = it.compareAt ?? it.price;
    const price = Math.round(full * (100 - pct)) / 100;
    if (it.compareAt !== null && money(price) === money(it.price)) continue;
    cs.push({ product_id: id, before: money(it.price), after: money(price), next: { price, compareAt: full } });
  }
  const warnings = [
    ...massWarning(cs.length),
    ...(pct > 50 ? [{ code: "FORCE_REQUIRED", message: "force required for apply: discount over 50 %" }] : []),
  ];
  if (apply && warnings.length > 0 && b.force !== true) return refuse(409, "FORCE_REQUIRED", warnings.map((w) => w.message).join("; "));
  if (apply) commit(shop, cs);
  return changed("applied", cs, apply, {}, b.force === true ? [] : warnings);
}

export function discountsClear(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  if (typeof b.clear_compare_at !== "boolean") return refuse(422, "VALIDATION_ERROR", "clear_compare_at must be a boolean");
  const rows = scope(shop, b);
  if (!Array.isArray(rows)) return rows;
  const cs: Change[] = rows
    .filter(([, it]) => it.compareAt !== null)
    .map(([id, it]) => {
      const price = b.clear_compare_at === true ? (it.compareAt ?? it.price) : it.price;
      return { product_id: id, before: money(it.price), after: money(price), next: { price, compareAt: null } };
    });
  const warnings = massWarning(cs.length);
  if (apply && warnings.length > 0 && b.force !== true) return refuse(409, "FORCE_REQUIRED", warnings[0]!.message);
  if (apply) commit(shop, cs);
  return changed("applied", cs, apply, {}, b.force === true ? [] : warnings);
}

/** Every priced product at the current rate: cost (price at the first rate) × rate × (1 + markup) + additive. */
function repriceAt(shop: SimShop, o: { markupPct: number; add: number; mode: string; step?: number; thresholdPct: number }) {
  const { fx } = shop;
  const cs: Change[] = [];
  let maxDelta = 0;
  let over = 0;
  for (const [id, it] of shop.items) {
    if (it.price <= 0) continue;
    const cost = (shop.costs.get(id) ?? it.price) / fx.firstRate;
    const next = roundSis(cost * fx.rate * (1 + o.markupPct / 100) + o.add, o.mode, o.step);
    if (money(next) === money(it.price)) continue;
    const delta = (Math.abs(next - it.price) / it.price) * 100;
    maxDelta = Math.max(maxDelta, delta);
    if (delta > o.thresholdPct) over++;
    cs.push({ product_id: id, before: money(it.price), after: money(next), next: { price: next, compareAt: null } });
  }
  const anomaly = { threshold_pct: String(o.thresholdPct), max_delta_pct: money(maxDelta), over_threshold_count: over };
  return { cs, anomaly };
}

function recordJob(shop: SimShop, cs: readonly Change[]): number {
  const id = shop.jobs.length + 1;
  const backup = new Map<string, { price: number; compareAt: number | null }>();
  for (const c of cs) {
    const it = shop.items.get(c.product_id);
    if (it) backup.set(c.product_id, { price: it.price, compareAt: it.compareAt });
  }
  shop.jobs.push({ id, backup, rolledBack: false });
  commit(shop, cs);
  shop.fx.lastApply = { rate: shop.fx.rate, at: new Date(), jobId: id };
  return id;
}

export function reprice(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  const { fx } = shop;
  if (b.rate_set_id !== rateSetId(fx))
    return refuse(422, "VALIDATION_ERROR", `rate_set_id ${String(b.rate_set_id)} is not the last snapshot (${rateSetId(fx)})`);
  if (b.input_currency !== fx.base || b.shop_currency !== fx.quote)
    return refuse(422, "VALIDATION_ERROR", `currency pair must be ${fx.base}→${fx.quote}`);
  const markupPct = decimalOf(b.markup_percent ?? "0");
  const add = decimalOf(b.markup_additive ?? "0");
  const thresholdPct = decimalOf(b.anomaly_threshold_pct ?? "25");
  const mode = typeof b.rounding_mode === "string" ? b.rounding_mode : "";
  if (markupPct === null || add === null || thresholdPct === null) return refuse(422, "VALIDATION_ERROR", "decimals must be strings");
  if (!ROUNDING.has(mode)) return refuse(422, "VALIDATION_ERROR", "unknown rounding_mode");
  const step = decimalOf(b.rounding_step) ?? undefined;
  const { cs, anomaly } = repriceAt(shop, { markupPct, add, mode, ...(step !== undefined ? { step } : {}), thresholdPct });
  const forced = b.force === true;
  if (apply && anomaly.over_threshold_count > 0 && !forced)
    return refuse(409, "FORCE_REQUIRED", `force required for apply: ${anomaly.over_threshold_count} prices move over ${thresholdPct} %`);
  const jobId = apply && cs.length > 0 ? recordJob(shop, cs) : null;
  return changed("applied", cs, apply, { anomaly, rate: String(fx.rate), rate_set_id: rateSetId(fx), ...(jobId ? { job_id: jobId } : {}) });
}

export function rollback(shop: SimShop, _b: Record<string, unknown>, apply: boolean): Outcome {
  const job = shop.jobs.at(-1);
  if (!job) return refuse(409, "NO_ROLLBACK_DATA", "нет данных для отката: ещё не было пересчёта цен");
  if (job.rolledBack)
    return { status: "already_rolled_back", data: { affected_count: 0, would_apply: false, job_id: job.id }, acted: null };
  const cs: Change[] = [...job.backup].flatMap(([id, old]) => {
    const it = shop.items.get(id);
    return it ? [{ product_id: id, before: money(it.price), after: money(old.price), next: { ...old } }] : [];
  });
  if (apply) {
    commit(shop, cs);
    job.rolledBack = true;
  }
  return changed("rolled_back", cs, apply, { job_id: job.id });
}

/** The scheduled reprice: due when the rate moved min_rate_delta_percent since the last apply (or force_apply). */
export function fxAuto(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  const { fx } = shop;
  const ref = fx.lastApply?.rate ?? fx.firstRate;
  const movedPct = (Math.abs(fx.rate - ref) / ref) * 100;
  const minPct = Number(fx.settings.min_rate_delta_percent);
  const due = movedPct >= minPct || b.force_apply === true;
  const base = { rate: String(fx.rate), rate_set_id: rateSetId(fx), delta_percent: money(movedPct) };
  if (!due)
    return {
      status: "skipped",
      data: { ...base, affected_count: 0, would_apply: false, reason: `rate moved ${money(movedPct)} % < ${minPct} %` },
      acted: null,
    };
  const { cs, anomaly } = repriceAt(shop, { markupPct: 0, add: 0, mode: "CEIL_INT", thresholdPct: 25 });
  const jobId = apply && cs.length > 0 ? recordJob(shop, cs) : null;
  return changed("applied", cs, apply, { ...base, anomaly, ...(jobId ? { job_id: jobId } : {}) });
}

export function fxStatus(shop: SimShop): Record<string, unknown> {
  const { fx } = shop;
  const ref = fx.lastApply?.rate ?? fx.firstRate;
  const movedPct = (Math.abs(fx.rate - ref) / ref) * 100;
  return {
    base: fx.base,
    quote: fx.quote,
    rate: String(fx.rate),
    rate_day: fx.day,
    prev_rate: fx.prevDay === null ? null : String(fx.prevRate),
    prev_day: fx.prevDay,
    rate_set_id: rateSetId(fx),
    delta_percent: money(movedPct),
    would_apply: movedPct >= Number(fx.settings.min_rate_delta_percent),
    last_apply: fx.lastApply ? { at: fx.lastApply.at.toISOString(), rate: String(fx.lastApply.rate), job_id: fx.lastApply.jobId } : null,
    settings: { ...fx.settings },
  };
}

const SETTINGS_KEYS = new Set([
  "reprice_schedule_mode",
  "reprice_schedule_interval_hours",
  "reprice_schedule_notify_on_success",
  "reprice_schedule_notify_on_failure",
  "min_rate_delta_abs",
  "min_rate_delta_percent",
  "min_apply_cooldown_hours",
  "provider",
]);

export function fxSettings(shop: SimShop, b: Record<string, unknown>): Outcome {
  const u = b.updates;
  if (typeof u !== "object" || u === null || Array.isArray(u)) return refuse(422, "VALIDATION_ERROR", "updates must be an object");
  const bad = Object.keys(u).filter((k) => !SETTINGS_KEYS.has(k));
  if (bad.length > 0) return refuse(422, "VALIDATION_ERROR", `unknown settings: ${bad.join(", ")}`);
  const before = { ...shop.fx.settings };
  Object.assign(shop.fx.settings, u);
  const changes = Object.keys(u).map((k) => ({
    key: k,
    before: before[k as keyof typeof before],
    after: (u as Record<string, unknown>)[k],
  }));
  return { status: "applied", data: { affected_count: changes.length, changes, settings: { ...shop.fx.settings } }, acted: changes.length };
}
