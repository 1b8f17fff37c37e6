import { describe, expect, it } from "vitest";
import type { ShopSettings } from "../contract.ts";
import { escalationText, fxApplyText, fxDeltaText, opsAlertText, quietReasonLine } from "./messages.ts";

const shop: ShopSettings = { shopId: "s", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
const none = { count: 0, top: [] };

describe("scheduler messages", () => {
  it("an ops alert lists each firing rule with its count and up to three ids", () => {
    const view = {
      unanswered: { count: 2, top: [{ threadId: "TH-1" }, { threadId: "TH-2" }] },
      stuck: { count: 5, top: [{ orderId: "OB-1" }, { orderId: "OB-2" }, { orderId: "OB-3" }, { orderId: "OB-4" }] },
      payment: none,
      errors: none,
      outOfStock: none,
      lowStock: none,
    };
    const text = opsAlertText(
      view,
      [
        { rule: "unanswered", count: 2 },
        { rule: "stuck", count: 5 },
      ],
      shop,
      { unansweredThresholdHours: 2, errorsWindowHours: 24 },
    );
    expect(text.split("\n").slice(0, 3)).toEqual([
      "🚨 Операционные сигналы",
      "💬 Чаты без ответа дольше 2 ч: 2 (TH-1, TH-2)",
      "⏳ Зависшие заказы: 5 (OB-1, OB-2, OB-3)",
    ]);
  });

  it("an escalation names its stage, reasons, when it began (shop time) and how to ack or snooze", () => {
    const first = new Date("2026-11-23T06:00:00Z"); // 09:00 in Moscow
    const text = escalationText(
      [
        { code: "out_of_stock", count: 4 },
        { code: "fx_failed", count: null },
      ],
      2,
      first,
      new Date("2026-11-23T09:30:00Z"),
      shop,
    );
    expect(text).toContain("этап 2");
    expect(text).toContain("• товары закончились: 4");
    expect(text).toContain("• последнее обновление цен по курсу не удалось\n");
    expect(text).toContain("23 ноя, 09:00 (3 ч 30 мин назад)");
    expect(text).toContain("«принято»");
    expect(text).toContain("«пауза 12ч»");
  });

  it("FX texts show rates with four decimals and the change with two", () => {
    expect(fxDeltaText(91.5, "USD/RUB", 90, (91.5 / 90 - 1) * 100, shop)).toBe(
      "💱 Курс USD/RUB изменился: 90 → 91,5 (+1,67 %)".replace(/ %/, "\u00a0%"),
    );
    expect(fxDeltaText(12.34567, null, null, null, shop)).toContain("12,3457");
    const text = fxApplyText(
      {
        at: "2026-11-23T07:00:00Z",
        result: "failed",
        affected: 0,
        rate: 91.2,
        deltaPct: null,
        reason: "timeout",
        error: "SIS 504",
        key: "k",
      },
      shop,
      new Date("2026-11-23T08:00:00Z"),
    );
    expect(text.split("\n")).toEqual([
      "❌ Не удалось обновить цены по курсу (23 ноя, 10:00)",
      "Товаров затронуто: 0",
      "Курс: 91,2",
      "Причина: timeout",
      "Ошибка: SIS 504",
    ]);
    expect(quietReasonLine(["revenue_drop", "heartbeat"])).toBe("🤫 Тихий дайджест: выручка упала, давно не было дайджеста");
  });
});
