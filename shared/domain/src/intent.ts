// The public surface of @ownerbot/domain/intent: what other packages use; the rest is internal.
export { BOT_COMMANDS } from "./intent/commands.ts";
export { CORPUS, CTX } from "./intent/fixtures.ts";
export { UNKNOWN_TEXT, unknownReply } from "./intent/replies.ts";
export { routeText, routeTextNaive } from "./intent/route.ts";
export { isCommandText } from "./intent/slash.ts";
export { KNOWN_TOOLS, toolTitle } from "./intent/tool-names.ts";
export type { Intent, RouteContext, SystemCommand } from "./intent/types.ts";
export { warmUpRouter } from "./intent/warmup.ts";
