import { describe, expect, it } from "vitest";
import { LIMITS } from "../intent/limits.ts";
import { KNOWN_TOOLS } from "../intent/tool-names.ts";
import { CATEGORIES, getTemplate, TEMPLATES, templatesIn } from "./catalog.ts";

// The catalogue against reference §4: its 107 templates plus two for the funnel and refund reports
// (stubs there), the category counts, the fixes of §14 #8.

describe("templates catalogue", () => {
  it("has 109 templates with unique ids, 61 reports and 48 actions", () => {
    expect(TEMPLATES).toHaveLength(109);
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(109);
    expect(TEMPLATES.filter((t) => t.kind === "REPORT")).toHaveLength(61);
    expect(TEMPLATES.filter((t) => t.kind === "ACTION")).toHaveLength(48);
  });

  it("has the reference's categories, in menu order, with its counts", () => {
    expect(Object.fromEntries(CATEGORIES.map((c) => [c.id, templatesIn(c.id).length]))).toEqual({
      reports: 23,
      orders: 10,
      team: 5,
      systems: 13,
      advanced: 3,
      forecast: 2,
      prices: 6,
      products: 13,
      looks: 4,
      discounts: 7,
      notifications: 23,
    });
  });

  it("every template calls a tool of the reference catalogue and has short Russian labels", () => {
    for (const t of TEMPLATES) {
      expect(KNOWN_TOOLS.has(t.tool), t.id).toBe(true);
      expect(t.button.length, t.id).toBeLessThanOrEqual(24);
      expect(t.title, t.id).toMatch(/[а-яё]/i);
      for (const input of t.inputs) expect(input.prompt, `${t.id}.${input.key}`).toMatch(/[а-яё]/i);
    }
  });

  it("sorts each category by (order, button text)", () => {
    for (const c of CATEGORIES) {
      const list = templatesIn(c.id);
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1];
        const b = list[i];
        if (!a || !b) continue;
        expect(a.order < b.order || (a.order === b.order && a.button.localeCompare(b.button, "ru") <= 0), `${a.id} before ${b.id}`).toBe(
          true,
        );
      }
    }
  });

  it("fixes the reference's broken templates (§14 #8)", () => {
    expect(getTemplate("PRC_BUMP")?.inputs[0]).toMatchObject({ key: "bump_percent", parser: "signed_percent" });
    const trend90 = getTemplate("RPT_REVENUE_TREND_90D_PNG");
    expect(trend90?.defaults.days).toBe(90);
    expect(trend90?.defaults.days as number).toBeLessThanOrEqual(LIMITS.trendDays[1]);
    expect(trend90?.presentation).toBe("chart");
    expect(getTemplate("RPT_TOP_CATEGORIES_30D")?.defaults).toMatchObject({ days: 30, group_by: "category" });
    const exportJson = getTemplate("ADV_EXPORT_JSON");
    expect(exportJson?.tool).toBe("inventory_status");
    expect(exportJson?.title).toMatch(/склад/i);
    expect(exportJson?.presentation).toBe("json");
    expect(getTemplate("RPT_REVENUE_TREND_30D")?.presentation).toBeUndefined();
    expect(getTemplate("RPT_REVENUE_TREND_30D_PNG")?.presentation).toBe("chart");
  });

  it("keeps the shop's settings out of the data: zones come from @tz", () => {
    for (const t of TEMPLATES) expect(JSON.stringify(t.defaults), t.id).not.toMatch(/Europe\/|EUR|shop_001/);
    expect(getTemplate("BIZ_OPS_DASHBOARD_PDF")?.defaults.tz).toBe("@tz");
    expect(getTemplate("NTF_WEEKLY_SUBSCRIBE")?.defaults.tz).toBe("@tz");
  });

  it("report defaults stay within the tools' limits", () => {
    for (const t of TEMPLATES) {
      const d = t.defaults;
      if (t.tool === "revenue_trend") expect(d.days as number).toBeLessThanOrEqual(LIMITS.trendDays[1]);
      if (t.tool === "top_products") expect(d.days as number).toBeLessThanOrEqual(LIMITS.topDays[1]);
      if (t.tool === "orders_search") expect(d.limit as number).toBeLessThanOrEqual(LIMITS.ordersLimit[1]);
      if (t.tool === "inventory_status") expect(d.limit as number).toBeLessThanOrEqual(LIMITS.inventoryLimit[1]);
    }
  });

  it("presets of choice inputs are among the allowed values", () => {
    for (const t of TEMPLATES) {
      for (const input of t.inputs) {
        if (input.parser !== "choice") continue;
        for (const p of input.presets ?? []) expect(input.choices, `${t.id}.${input.key}`).toContain(p.value);
      }
    }
  });
});
