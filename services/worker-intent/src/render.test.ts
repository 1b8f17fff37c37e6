import { describe, expect, it } from "vitest";
import { parseCallbackData, renderReplies, splitText } from "./render.ts";

describe("splitText", () => {
  it("keeps short text whole and splits long text at line breaks under 4096 characters", () => {
    expect(splitText("привет")).toEqual(["привет"]);
    const line = "строка ".repeat(20).trim();
    const text = Array.from({ length: 60 }, () => line).join("\n");
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join("\n")).toBe(text);
  });

  it("counts UTF-16 units as Telegram does and never cuts an emoji in half", () => {
    const emoji = "📦".repeat(5000); // 10 000 UTF-16 units
    const parts = splitText(emoji);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 1808]);
    expect(parts.join("")).toBe(emoji);
    // An odd limit would fall inside a pair: the cut moves before it.
    const odd = splitText("a" + "📦".repeat(10), 6);
    expect(odd).toEqual(["a📦📦", "📦📦📦", "📦📦📦", "📦📦"]);
    for (const p of odd) expect(p.length).toBeLessThanOrEqual(6);
  });
});

describe("renderReplies", () => {
  it("puts only opaque tokens into callback_data and keeps the meaning server-side", () => {
    const r = renderReplies(5, [
      {
        text: "меню",
        buttons: [[{ text: "Отчёты", action: { t: "nav", to: "dash" } }], [{ text: "Склад", action: { t: "nav", to: "products" } }]],
      },
    ]);
    const markup = r.outbox[0]!.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const first = markup.inline_keyboard[0]![0]!.callback_data;
    const second = markup.inline_keyboard[1]![0]!.callback_data;
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}:0$/);
    expect(Buffer.byteLength(first)).toBeLessThanOrEqual(64);
    const token = first.slice(0, 22);
    expect(second).toBe(`${token}:1`);
    expect(parseCallbackData(second)).toEqual({ token, index: 1 });
    expect(parseCallbackData("forged")).toBeNull();
    expect(r.tokens).toEqual([
      {
        token,
        chatId: 5,
        payload: [
          { t: "nav", to: "dash" },
          { t: "nav", to: "products" },
        ],
        ttlSec: 7 * 24 * 3600,
      },
    ]);
  });

  it("edits the clicked message only when asked to", () => {
    expect(renderReplies(5, [{ text: "a", editInPlace: true }], 42).outbox[0]!.method).toBe("editMessageText");
    expect(renderReplies(5, [{ text: "a" }], 42).outbox[0]!.method).toBe("sendMessage");
    expect(renderReplies(5, [{ text: "a", editInPlace: true }]).outbox[0]!.method).toBe("sendMessage");
  });
});
