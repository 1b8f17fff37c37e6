// The public surface of @ownerbot/core/logger: what other packages use; the rest is internal.
export { createLogger } from "./logger/index.ts";
export type { Logger } from "./logger/index.ts";
