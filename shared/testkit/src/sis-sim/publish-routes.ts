import { idList, massWarning, refuse, type Outcome, type SimShop } from "./shop-state.ts";

// The simulator's publish endpoints (reference §6): products/publish (target_status ACTIVE or
// ARCHIVED, by product_ids or status_from) and looks/publish (target_active, by look_ids or
// is_active_from). Over MASS_LIMIT rows at once an apply needs force (409 without it).

type Row = { id: string; on: boolean };

function publish(
  rows: Row[],
  target: boolean,
  b: Record<string, unknown>,
  apply: boolean,
  write: (id: string) => void,
  o: { idKey: "product_id" | "look_id"; label: (on: boolean) => string },
): Outcome {
  const change = rows.filter((r) => r.on !== target);
  const warnings = b.force === true ? [] : massWarning(change.length);
  if (apply && warnings.length > 0) return refuse(409, "FORCE_REQUIRED", warnings[0]!.message);
  if (apply) for (const r of change) write(r.id);
  return {
    status: apply ? "applied" : "preview",
    data: {
      affected_count: change.length,
      would_apply: change.length > 0,
      changes: change.slice(0, 50).map((r) => ({ [o.idKey]: r.id, before: o.label(r.on), after: o.label(target) })),
    },
    warnings,
    acted: apply ? change.length : null,
  };
}

const STATUSES = new Set(["ACTIVE", "ARCHIVED"]);

export function productsPublish(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  const target = b.target_status;
  if (typeof target !== "string" || !STATUSES.has(target))
    return refuse(422, "VALIDATION_ERROR", "target_status must be ACTIVE or ARCHIVED");
  const ids = idList(b.product_ids);
  const from = b.status_from;
  if (ids === null) return refuse(422, "VALIDATION_ERROR", "product_ids must be a list of strings");
  if (from !== undefined && (typeof from !== "string" || !STATUSES.has(from)))
    return refuse(422, "VALIDATION_ERROR", "status_from must be ACTIVE or ARCHIVED");
  if (ids === undefined && from === undefined) return refuse(422, "VALIDATION_ERROR", "product_ids or status_from is required");
  const missing = (ids ?? []).filter((id) => !shop.items.has(id));
  if (missing.length > 0) return refuse(422, "VALIDATION_ERROR", `unknown product_ids: ${missing.slice(0, 5).join(", ")}`);
  const rows = [...shop.items]
    .filter(([id, it]) => (!ids || ids.includes(id)) && (from === undefined || it.published === (from === "ACTIVE")))
    .map(([id, it]) => ({ id, on: it.published }));
  return publish(
    rows,
    target === "ACTIVE",
    b,
    apply,
    (id) => {
      const it = shop.items.get(id);
      if (it) it.published = target === "ACTIVE";
    },
    { idKey: "product_id", label: (on) => (on ? "ACTIVE" : "ARCHIVED") },
  );
}

export function looksPublish(shop: SimShop, b: Record<string, unknown>, apply: boolean): Outcome {
  if (typeof b.target_active !== "boolean") return refuse(422, "VALIDATION_ERROR", "target_active must be a boolean");
  const target = b.target_active;
  const ids = idList(b.look_ids);
  const from = b.is_active_from;
  if (ids === null) return refuse(422, "VALIDATION_ERROR", "look_ids must be a list of strings");
  if (from !== undefined && typeof from !== "boolean") return refuse(422, "VALIDATION_ERROR", "is_active_from must be a boolean");
  if (ids === undefined && from === undefined) return refuse(422, "VALIDATION_ERROR", "look_ids or is_active_from is required");
  const missing = (ids ?? []).filter((id) => !shop.looks.has(id));
  if (missing.length > 0) return refuse(422, "VALIDATION_ERROR", `unknown look_ids: ${missing.slice(0, 5).join(", ")}`);
  const rows = [...shop.looks]
    .filter(([id, on]) => (!ids || ids.includes(id)) && (from === undefined || on === from))
    .map(([id, on]) => ({ id, on }));
  return publish(rows, target, b, apply, (id) => shop.looks.set(id, target), {
    idKey: "look_id",
    label: (on) => (on ? "active" : "inactive"),
  });
}
