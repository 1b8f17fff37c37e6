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
