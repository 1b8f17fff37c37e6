import { ownerTools } from "../tools/index.ts";
import { CATEGORIES, templatesIn } from "./catalog.ts";
import type { TemplateCategory, TemplateDef } from "./types.ts";

// Which templates the menus offer: those whose tool this bot runs. The reference's action templates
// (prices, discounts, publishing, flags, messages to the team) stay in the catalogue as data, and
// appear by themselves once their tools are registered; until then no menu or panel shows a button
// that can only answer "not yet".

const READY: ReadonlySet<string> = new Set(ownerTools.map((t) => t.name));

export function isOffered(def: TemplateDef): boolean {
  return READY.has(def.tool);
}

/** A category's offered templates, in menu order. */
export function offeredIn(category: TemplateCategory): readonly TemplateDef[] {
  return templatesIn(category).filter(isOffered);
}

/** Categories with at least one offered template, in menu order. */
export function offeredCategories(): typeof CATEGORIES {
  return CATEGORIES.filter((c) => offeredIn(c.id).length > 0);
}
