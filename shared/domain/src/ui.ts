// The public surface of @ownerbot/domain/ui: what other packages use; the rest is internal.
export { helpReply, homePanel, modeLabel } from "./ui/home.ts";
export type { HomeStatus } from "./ui/home.ts";
export { HOME, fitRows, nav } from "./ui/keyboard.ts";
export { parseNavTarget } from "./ui/nav.ts";
export { settleNavigation, withWayHome } from "./ui/results.ts";
export { sectionPanel } from "./ui/sections.ts";
export { TEMPLATES_PER_PAGE, templateCategoryPanel, templatesRoot } from "./ui/templates-menu.ts";
