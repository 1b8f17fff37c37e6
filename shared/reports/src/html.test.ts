import { describe, expect, it } from "vitest";
import { docToHtml, esc, formatGenerated, generatedLine } from "./html.ts";
import type { ReportDoc } from "@ownerbot/core/queue";

const doc = (over: Partial<ReportDoc> = {}): ReportDoc => ({
  title: "Отчёт <script>alert(1)</script>",
  subtitle: "Период & «сравнение»",
  generatedAt: "2026-11-23T09:05:00Z",
  locale: "ru-RU",
  currency: "RUB",
  timeZone: "Europe/Moscow",
  blocks: [
    { kind: "kpis", items: [{ label: "Выручка", value: "1 234 ₽", delta: "▲ +5 %", tone: "up" }] },
    { kind: "table", columns: ["Товар", "Сумма"], align: ["left", "right"], rows: [['<img src=x onerror="x">', "10 ₽"]] },
    { kind: "list", items: ["пункт 'один'"] },
    { kind: "warnings", items: ["нет данных"] },
    { kind: "warnings", items: [] },
  ],
  footer: "Данные: демо · upd-1",
  ...over,
});

describe("report HTML", () => {
  it("escapes every piece of text from the document", async () => {
    const html = await docToHtml(doc());
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("Отчёт &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;x&quot;&gt;");
    expect(html).toContain("Период &amp; «сравнение»");
    expect(html).toContain("пункт &#39;один&#39;");
    expect(esc(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("keeps Cyrillic and ₽ as text, asks for DejaVu Sans, and loads nothing from outside", async () => {
    const html = await docToHtml(doc());
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('local("DejaVu Sans")');
    expect(html).toContain("1 234 ₽");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img/);
  });

  it("draws KPI tones, right-aligned number columns, one warnings box, and the footer", async () => {
    const html = await docToHtml(doc());
    expect(html).toContain('<div class="delta up">▲ +5 %</div>');
    expect(html).toContain('<td class="right">10 ₽</td>');
    expect(html.match(/class="warnings"/g)).toHaveLength(1);
    expect(html).toContain('<div class="doc-footer">Данные: демо · upd-1</div>');
  });

  it("shows when the data was taken in the shop's time zone", () => {
    // 09:05 UTC is 12:05 in Moscow (UTC+3, no DST).
    expect(formatGenerated(doc())).toBe("23.11.2026, 12:05");
    expect(formatGenerated(doc({ generatedAt: "garbage" }))).toBe("garbage");
  });
});

describe("the «Сформировано» line", () => {
  it("is the moment the document was made, and says when the shop's data is older", () => {
    const base = { generatedAt: "2026-11-23T09:05:00Z", locale: "ru-RU", timeZone: "Europe/Moscow" };
    expect(generatedLine(base)).toBe("Сформировано: 23.11.2026, 12:05 (Europe/Moscow)");
    expect(generatedLine({ ...base, dataAsOf: "2026-11-23T09:04:30Z" })).toBe("Сформировано: 23.11.2026, 12:05 (Europe/Moscow)");
    expect(generatedLine({ ...base, dataAsOf: "2026-11-22T21:39:00Z" })).toBe(
      "Сформировано: 23.11.2026, 12:05 (Europe/Moscow) · данные на 23.11.2026, 00:39",
    );
  });
});
