import { ownerTools } from "../tools/index.ts";
import { ACTION_TOOLS } from "../actions/registry.ts";
import { CATEGORIES, templatesIn } from "./catalog.ts";
import type { TemplateCategory, TemplateDef } from "./types.ts";

// Which templates the menus offer: those whose tool this bot runs — a read tool, or an action with
// its preview and confirm. A template of a tool this version does not run stays in the catalogue
// as data, and no menu or panel shows a button that can only answer "not yet".

const READY: ReadonlySet<string> = new Set([...ownerTools.map((t) => t.name), ...ACTION_TOOLS.map((a) => a.name)]);

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
