import { describe, expect, it } from "vitest";
import type { Button, Reply } from "../contract.ts";
import { homePanel } from "./home.ts";
import { HOME, nav, toolBtn } from "./keyboard.ts";
import { settleNavigation, withWayHome } from "./results.ts";

const labels = (r: Reply | undefined): string[][] => (r?.buttons ?? []).map((row) => row.map((b) => b.text));
const navOf = (b: Button | undefined) => (b && "action" in b && b.action.t === "nav" ? b.action : undefined);

describe("results keep navigation at the bottom", () => {
  it("a result gets a way home beside its next steps, once", () => {
    const result: Reply = { text: "📈 Выручка", buttons: [[toolBtn("30 дней", "revenue_trend", { days: 30 })]] };
    expect(labels(withWayHome([result])[0])).toEqual([["30 дней", "🏠 Домой"]]);
    expect(labels(withWayHome([{ text: "нет кнопок" }])[0])).toEqual([["🏠 Домой"]]);
    // A row that would not fit a phone with it leaves home a row of its own.
    const wide: Reply = {
      text: "📊 KPI",
      buttons: [[toolBtn("◀️ Предыдущий день", "kpi_snapshot", {}), toolBtn("📈 7 дней", "revenue_trend", {})]],
    };
    expect(labels(withWayHome([wide])[0])).toEqual([["◀️ Предыдущий день", "📈 7 дней"], ["🏠 Домой"]]);
    const already: Reply = { text: "x", buttons: [[HOME]] };
    expect(labels(withWayHome([already])[0])).toEqual([["🏠 Домой"]]);
    // Only the last message carries buttons.
    const two = withWayHome([{ text: "часть 1" }, { text: "часть 2" }]);
    expect(two[0]?.buttons).toBeUndefined();
    expect(labels(two[1])).toEqual([["🏠 Домой"]]);
  });

  it("navigation under a result opens a new message; a panel's own buttons still edit the panel", () => {
    const result: Reply = { text: "📰 Дашборд", buttons: [[nav("🛠 Что горит", "focus:burn"), HOME]] };
    const [settled, panel] = settleNavigation([result, homePanel()]);
    expect(settled?.buttons?.flat().map((b) => navOf(b)?.fresh)).toEqual([true, true]);
    expect(panel?.buttons?.flat().every((b) => navOf(b)?.fresh === undefined)).toBe(true);
  });
});
