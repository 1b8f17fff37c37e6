import { describe, expect, it } from "vitest";
import { sourceKinds, sourceName, sourcesText } from "./source-labels.ts";

describe("source labels", () => {
  it("names known ids in Russian", () => {
    expect(sourceName("demo:demo_kpi_daily")).toBe("демо-данные · KPI по дням");
    expect(sourceName("sis:kpi/summary")).toBe("SIS · сводка KPI");
    expect(sourceName("sis:/ownerbot/v1/kpi/summary")).toBe("SIS · сводка KPI");
    expect(sourceName("sis:orders/search")).toBe("SIS · поиск заказов");
    expect(sourceName("sis:/ownerbot/v1/actions")).toBe("SIS · список действий");
    expect(sourceName("core:audit_events")).toBe("OwnerBot · журнал событий");
  });

  it("reads an unknown id as its parts, never failing", () => {
    expect(sourceName("sis:demo_products")).toBe("SIS · товары");
    expect(sourceName("demo:demo_new_table")).toBe("демо-данные · new table");
    expect(sourceName("sis:/ownerbot/v1/stock/levels")).toBe("SIS · stock levels");
    expect(sourceName("crm:deals_daily")).toBe("crm · deals daily");
    expect(sourceName("plain")).toBe("plain");
    expect(sourceName("demo:")).toBe("демо-данные");
    expect(sourceName("")).toBe("источник не назван");
  });

  it("names a kind once in a line and counts the rest", () => {
    expect(sourcesText(["demo:demo_kpi_daily"], 2)).toBe("демо-данные · KPI по дням");
    expect(sourcesText(["demo:demo_kpi_daily", "demo:demo_orders", "demo:demo_refunds"], 2)).toBe("демо-данные · KPI по дням, заказы +1");
    expect(sourcesText(["demo:demo_orders", "core:audit_events"], 2)).toBe("демо-данные · заказы, OwnerBot · журнал событий");
  });

  it("keeps the footer's short kinds", () => {
    expect(sourceKinds(["demo:demo_kpi_daily", "demo:demo_orders"])).toBe("демо");
    expect(sourceKinds(["sis:kpi/summary", "core:audit_events"])).toBe("SIS + журнал OwnerBot");
    expect(sourceKinds([])).toBe("—");
  });
});
