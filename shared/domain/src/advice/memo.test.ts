import { describe, expect, it } from "vitest";
import type { ShopSettings } from "../contract.ts";
import { factLines, memoReport, printable, type MemoFact } from "./memo.ts";
import { adviceReply } from "./reply.ts";
import { describeEvent } from "../presenters/audit-labels.ts";
import { ADVICE_TOPICS, isMemoRequest } from "./topics.ts";

// The decision memo as a document, and the advice replies that lead to it: both say «гипотеза».

const SHOP: ShopSettings = { shopId: "s", currency: "EUR", timeZone: "Asia/Yekaterinburg", locale: "ru-RU" };
const NOW = new Date("2026-11-23T20:30:00Z");

const fact: MemoFact = {
  kind: "data",
  title: "Сравнение периодов",
  lines: ["Выручка: 937 677 € ▲ +24,7 %"],
  sources: ["демо-данные · KPI по дням"],
  window: "17.11–23.11.2026 (Asia/Yekaterinburg)",
  asOf: "24 ноя, 01:30",
  badge: "high",
};

type Blocks = ReturnType<typeof memoReport>["doc"]["blocks"];
const texts = (blocks: Blocks): string[] =>
  blocks.flatMap((b) => (b.kind === "list" || b.kind === "warnings" ? b.items : "text" in b ? [b.text] : []));

describe("decision memo document", () => {
  it("holds the topic, the facts with source/period/as_of/badge, and the playbook marked as hypotheses", () => {
    const r = memoReport({
      topic: "PROMO_STRATEGY",
      facts: [fact, { kind: "missing", title: "Купоны", why: "данные не получены" }],
      shop: SHOP,
      now: NOW,
    });
    expect(r.format).toBe("pdf");
    expect(r.filename).toBe("decision_memo_promo_strategy.pdf");
    expect(r.doc.title).toBe("Служебная записка: Акции и купоны");
    expect(r.doc.currency).toBe("EUR");
    expect(r.doc.timeZone).toBe("Asia/Yekaterinburg");
    expect(r.doc.generatedAt).toBe(NOW.toISOString());
    const all = texts(r.doc.blocks);
    expect(all).toContain("Выручка: 937 677 € ▲ +24,7 %");
    expect(all).toContain(
      "Источники: демо-данные · KPI по дням · Период: 17.11–23.11.2026 (Asia/Yekaterinburg) · Данные на: 24 ноя, 01:30 · Качество: high",
    );
    expect(all).toContain("■ Купоны: данные не получены");
    expect(all).toContain("■ Сравнение периодов");
    expect(all.some((t) => t.startsWith("Тема: Акции и купоны (PROMO_STRATEGY). Валюта магазина: EUR."))).toBe(true);
    expect(all).toContain("Без данных: 1 из 2 отчётов.");
    const headings = r.doc.blocks.filter((b) => b.kind === "heading").map((b) => b.text);
    expect(headings).toEqual([
      "Сводка данных",
      "Гипотезы (гипотеза, не данные)",
      "Риски (гипотеза)",
      "Что проверить (эксперименты)",
      "Предлагаемое действие (гипотеза)",
    ]);
    expect(JSON.stringify(r.doc)).not.toContain("₽");
  });

  it("prints no emoji (the PDF font has none) and keeps bullets to 160 characters", () => {
    expect(printable("📊 Выручка: 1 000 € ▲ +5 %  ")).toBe("Выручка: 1 000 € ▲ +5 %");
    expect(printable("⚠️ мало данных")).toBe("мало данных");
    expect(printable("x".repeat(300)).length).toBeLessThanOrEqual(160);
  });

  it("takes a presented answer's lines without its footer or provenance line, at most ten", () => {
    const text = [
      "📊 Неделя",
      "",
      "Выручка: 5 €",
      "  • WELCOME10 −10 %",
      "Период: 17.11–23.11.2026 · Данные: демо",
      "🧭 Качество: high | 📌 демо-данные · x",
    ].join("\n");
    expect(factLines(text)).toEqual(["Неделя", "Выручка: 5 €", "WELCOME10 −10 %"]);
    expect(factLines(Array.from({ length: 30 }, (_, i) => `строка ${i}`).join("\n"))).toHaveLength(10);
  });
});

describe("advice replies", () => {
  it.each(ADVICE_TOPICS)("%s is headed «гипотеза» and offers the memo PDF", (topic) => {
    const r = adviceReply(topic);
    expect(r.text.split("\n")[0]).toMatch(/^🧭 Качество: гипотеза/);
    const memo = r.buttons!.flat().find((b) => b.text === "📄 Записка PDF");
    expect(memo && "action" in memo && memo.action).toEqual({ t: "nav", to: `advisor:memo:${topic}` });
  });
});

describe("memo phrases", () => {
  it.each(["записка", "Служебная записка", "сделай записку по ценам", "memo", "мемо pdf", "подготовь записку про акции!", "записка в pdf"])(
    "«%s» asks for the memo",
    (t) => expect(isMemoRequest(t)).toBe(true),
  );
  it.each(["передай команде записку: проверить склад", "выручка за неделю", "сообщи менеджеру про записку клиента в заказе OB-1001"])(
    "«%s» does not",
    (t) => expect(isMemoRequest(t)).toBe(false),
  );
});

describe("the advisor in the journal", () => {
  it("names the memo and the other advisor events in Russian", () => {
    expect(describeEvent("advice_memo_requested", { topic: "PRICING_STRATEGY" })).toBe("Советник: служебная записка");
    for (const t of ["advice_brief_built", "advice_validated", "advice_action_proposed"])
      expect(describeEvent(t, {})).toMatch(/^Советник: /);
  });
});
