import type { Button, Reply } from "../contract.ts";
import { categoryTitle } from "../templates/catalog.ts";
import { offeredCategories, offeredIn } from "../templates/offered.ts";
import type { TemplateCategory } from "../templates/types.ts";
import { back, HOME, nav, rows, tpl } from "./keyboard.ts";

// The templates menu: the root lists categories; a category shows 8 templates per page, sorted by
// (order, button text), with ⬅️/➡️ between pages (reference §2.4).

export const TEMPLATES_PER_PAGE = 8;

export function templatesRoot(): Reply {
  const buttons = offeredCategories().map((c) => nav(`${c.title} · ${offeredIn(c.id).length}`, `tpl:cat:${c.id}:p:0`));
  return {
    text: "🧩 Шаблоны\nГотовые кнопки для отчётов и настроек уведомлений.",
    editInPlace: true,
    panel: true,
    buttons: [...rows(buttons, 2), [HOME]],
  };
}

export function templateCategoryPanel(category: TemplateCategory, page: number): Reply {
  const all = offeredIn(category);
  const pages = Math.max(1, Math.ceil(all.length / TEMPLATES_PER_PAGE));
  // A page past the end (the catalogue shrank since the button was drawn) shows the last one.
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = all.slice(p * TEMPLATES_PER_PAGE, (p + 1) * TEMPLATES_PER_PAGE);
  const pager: Button[] = [];
  if (pages > 1) {
    pager.push(p > 0 ? nav("⬅️", `tpl:cat:${category}:p:${p - 1}`) : { text: "·", action: { t: "noop" } });
    pager.push({ text: `${p + 1}/${pages}`, action: { t: "noop" } });
    pager.push(p < pages - 1 ? nav("➡️", `tpl:cat:${category}:p:${p + 1}`) : { text: "·", action: { t: "noop" } });
  }
  const suffix = pages > 1 ? ` — стр. ${p + 1} из ${pages}` : "";
  return {
    text: `${categoryTitle(category)}${suffix}`,
    editInPlace: true,
    panel: true,
    buttons: [
      ...rows(
        slice.map((t) => tpl(t.button, t.id)),
        2,
      ),
      ...(pager.length > 0 ? [pager] : []),
      [back("templates", "⬅️ Шаблоны"), HOME],
    ],
  };
}
