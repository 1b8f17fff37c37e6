import { CATALOGUE_TEMPLATES } from "./catalog-catalogue.ts";
import { NOTIFICATION_TEMPLATES } from "./catalog-notifications.ts";
import { OPS_TEMPLATES } from "./catalog-ops.ts";
import { REPORT_TEMPLATES } from "./catalog-reports.ts";
import type { TemplateCategory, TemplateDef } from "./types.ts";

/** Categories in the order the templates menu shows them, with their Russian labels. */
export const CATEGORIES: readonly { id: TemplateCategory; title: string }[] = [
  { id: "reports", title: "📊 Отчёты" },
  { id: "orders", title: "📦 Заказы" },
  { id: "team", title: "👥 Команда" },
  { id: "systems", title: "⚙️ Система" },
  { id: "advanced", title: "🧪 Расширенные" },
  { id: "forecast", title: "🔮 Прогноз" },
  { id: "prices", title: "💱 Цены" },
  { id: "products", title: "🛍 Товары" },
  { id: "looks", title: "👗 Луки" },
  { id: "discounts", title: "🏷 Скидки" },
  { id: "notifications", title: "🔔 Уведомления" },
];

export const TEMPLATES: readonly TemplateDef[] = [...REPORT_TEMPLATES, ...OPS_TEMPLATES, ...CATALOGUE_TEMPLATES, ...NOTIFICATION_TEMPLATES];

const BY_ID = new Map<string, TemplateDef>();
for (const t of TEMPLATES) {
  if (BY_ID.has(t.id)) throw new Error(`duplicate template id ${t.id}`);
  BY_ID.set(t.id, t);
}

const byOrder = (a: TemplateDef, b: TemplateDef): number => a.order - b.order || a.button.localeCompare(b.button, "ru");
const BY_CATEGORY = new Map<TemplateCategory, TemplateDef[]>(
  CATEGORIES.map((c) => [c.id, TEMPLATES.filter((t) => t.category === c.id).sort(byOrder)]),
);

export function getTemplate(id: string): TemplateDef | undefined {
  return BY_ID.get(id);
}

/** A category's templates sorted by (order, button text), as the menu lists them. */
export function templatesIn(category: TemplateCategory): readonly TemplateDef[] {
  return BY_CATEGORY.get(category) ?? [];
}

export function isCategory(s: string): s is TemplateCategory {
  return BY_CATEGORY.has(s as TemplateCategory);
}

export function categoryTitle(category: TemplateCategory): string {
  return CATEGORIES.find((c) => c.id === category)?.title ?? category;
}
