import type { Button } from "../contract.ts";

// Small builders for inline keyboards. Rows hold at most three short buttons so they fit a phone.

export const MAX_PER_ROW = 3;

export function nav(text: string, to: string): Button {
  return { text, action: { t: "nav", to } };
}

/** A template run: tokens such as @today resolve when the owner taps, not when the panel was drawn. */
export function tpl(text: string, templateId: string): Button {
  return { text, action: { t: "nav", to: `tpl:run:${templateId}` } };
}

export function toolBtn(text: string, tool: string, input: Record<string, unknown>): Button {
  return { text, action: { t: "tool", tool, input } };
}

export const HOME: Button = nav("🏠 Домой", "home");

export function back(to: string, text = "⬅️ Назад"): Button {
  return nav(text, to);
}

/** Splits buttons into rows of `perRow` (never more than three). */
export function rows(buttons: Button[], perRow = 2): Button[][] {
  const n = Math.min(Math.max(1, perRow), MAX_PER_ROW);
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += n) out.push(buttons.slice(i, i + n));
  return out;
}

/**
 * How wide a label draws on a phone, in narrow-letter units: an emoji (a code point outside the BMP,
 * or one followed by a variation selector) is two, a variation selector or joiner nothing.
 */
export function labelWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfe0f || cp === 0x200d) continue;
    w += cp > 0xffff || (cp >= 0x2600 && cp <= 0x27bf) || (cp >= 0x2190 && cp <= 0x21ff) || (cp >= 0x2b00 && cp <= 0x2bff) ? 2 : 1;
  }
  return w;
}

/** Units a phone row holds; a row of n buttons gives each about ROW_WIDTH / n, less padding. */
export const ROW_WIDTH = 36;
export const labelBudget = (perRow: number): number => Math.floor(ROW_WIDTH / perRow) - 1;

/**
 * Splits a row whose labels would be cut («⚖️ Неделя к нед…») into shorter rows, keeping order:
 * a button joins the line only while every label on it still fits that many per row.
 */
export function fitRows(buttons: Button[][]): Button[][] {
  const out: Button[][] = [];
  for (const row of buttons) {
    let line: Button[] = [];
    for (const b of row) {
      const next = [...line, b];
      if (line.length > 0 && next.some((x) => labelWidth(x.text) > labelBudget(next.length))) {
        out.push(line);
        line = [b];
      } else line = next;
    }
    if (line.length > 0) out.push(line);
  }
  return out;
}
