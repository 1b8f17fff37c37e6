import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failedText } from "./present.ts";
import { startSisActionKit, type SisActionKit } from "@ownerbot/testkit/sis-action-kit";

// What the owner reads when SIS refuses or answers nonsense: a 409 (force required, nothing to roll
// back, a key reused with another body) and a 422 (a rate snapshot gone stale) as clear Russian
// messages; a malformed or wrong-schema answer never as a preview or a result — after an apply the
// outcome is called unknown, not "nothing changed".

let k: SisActionKit;
beforeAll(async () => {
  k = await startSisActionKit();
}, 60_000);
afterAll(async () => k?.close());

describe("SIS refuses: 409 and 422 reach the owner in Russian", () => {
  it("rollback with nothing to roll back is SIS's 409, said plainly", async () => {
    const e = await k.previewError("sis_fx_rollback", {});
    expect(e.code).toBe("ACTION_CONFLICT");
    expect(e.message).toMatch(/^SIS отказал: нет данных для отката/);
  });

  it("a mass change is ⚠️-only; a commit without force gets SIS's 409 and the hint to use ⚠️", async () => {
    const p = await k.preview("sis_products_publish", { status_from: "active", target_status: "archived" });
    expect(p.force).toBe("required");
    expect(p.warnings.map((w) => w.code)).toContain("MASS_CHANGE_OVER_20");
    const effects = k.sim.effects.length;
    const e = await k.commitError("sis_products_publish", p);
    expect(e.code).toBe("ACTION_CONFLICT");
    expect(failedText("Скрытие товаров", e)).toMatch(
      /SIS отказал: force required[\s\S]*⚠️ Применить несмотря на аномалию[\s\S]*Ничего не изменено/,
    );
    expect(k.sim.effects.length).toBe(effects);
  });

  it("a rate that moved after the preview: SIS's 422 on the pinned snapshot, nothing repriced", async () => {
    const p = await k.preview("sis_fx_reprice", { input_currency: "USD", shop_currency: k.ctx.shop.currency });
    await k.sim.setFxRate(99);
    const effects = k.sim.effects.length;
    const e = await k.commitError("sis_fx_reprice", p);
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.message).toMatch(/^SIS не принял параметры: rate_set_id snap-1 is not the last snapshot/);
    expect(k.sim.effects.length).toBe(effects);
  });

  it("a 422 on a preview (a currency SIS does not price in) is a validation message, no buttons", async () => {
    const e = await k.previewError("sis_fx_reprice", { input_currency: "EUR", shop_currency: k.ctx.shop.currency });
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.message).toContain("SIS не принял параметры");
  });

  it("a SIS without the endpoint (404) says it does not support it", async () => {
    k.sim.setFault({ kind: "status", status: 404 }, { scope: "actions", count: 1 });
    const e = await k.previewError("sis_looks_publish", { look_ids: ["1"], target_active: false });
    expect(e.code).toBe("UPSTREAM_NOT_IMPLEMENTED");
    expect(e.message).toBe("SIS не поддерживает looks/publish/preview (HTTP 404).");
  });

  it("the same key with another body is SIS's 409 IDEMPOTENCY_MISMATCH, nothing applied twice", async () => {
    const a = await k.preview("sis_discounts_set", { product_ids: ["15"], discount_percent: 5 });
    const b = await k.preview("sis_discounts_set", { product_ids: ["16"], discount_percent: 5 });
    await k.commit("sis_discounts_set", a, { key: "shared-key" });
    const e = await k.commitError("sis_discounts_set", b, { key: "shared-key" });
    expect(e.code).toBe("ACTION_CONFLICT");
    expect(e.message).toContain("another body");
    expect(k.sim.effectsByKey().get("shared-key")).toBe(1);
  });
});

describe("SIS answers nonsense: never shown as a preview or a success", () => {
  for (const kind of ["wrong_schema", "malformed"] as const) {
    it(`${kind} on a preview is refused as an unknown format`, async () => {
      k.sim.setFault({ kind }, { scope: "actions", count: 3 });
      const e = await k.previewError("sis_discounts_set", { product_ids: ["17"], discount_percent: 5 });
      k.sim.setFault(null);
      expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(e.message).toMatch(kind === "malformed" ? /повреждённый/ : /неизвестном формате/);
    });

    it(`${kind} on an apply: failed, the outcome called unknown, never «Ничего не изменено»`, async () => {
      const p = await k.preview("sis_looks_publish", { is_active_from: true, target_active: false });
      k.sim.setFault({ kind }, { scope: "actions", count: 3 });
      const e = await k.commitError("sis_looks_publish", p, { force: true });
      k.sim.setFault(null);
      expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(e.retryable).toBe(false);
      expect(e.outcomeUnknown).toBe(true);
      const text = failedText("Скрытие луков", e);
      expect(text).toContain("применилось ли изменение — неизвестно");
      expect(text).not.toContain("Ничего не изменено");
    });
  }

  it("an envelope ok:true whose data lacks affected_count is not a result", async () => {
    const p = await k.preview("sis_discounts_clear", { product_ids: ["15"] });
    const real = k.ctx.sisActions!;
    const ctx = {
      ...k.ctx,
      sisActions: {
        ...real,
        apply: () => Promise.resolve({ status: "applied", data: { changed: "many" }, warnings: [], correlationId: null }),
      },
    };
    const { commitAction } = await import("./registry.ts");
    const r = await commitAction("sis_discounts_clear", p.commit, ctx, "k-bad-data", false);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error.outcomeUnknown).toBe(true);
  });
});
