// The public surface of @ownerbot/domain/templates: what other packages use; the rest is internal.
export { CATEGORIES, getTemplate } from "./templates/catalog.ts";
export { TEMPLATE_STATE_TTL_SECONDS, feedTemplate, startTemplate } from "./templates/flow.ts";
export type { TemplateCancelled, TemplateState, TemplateStep } from "./templates/flow.ts";
export { isOffered, offeredIn } from "./templates/offered.ts";
