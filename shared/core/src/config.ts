// The public surface of @ownerbot/core/config: what other packages use; the rest is internal.
export { ConfigError, loadConfig, preflight } from "./config/index.ts";
export type { Config } from "./config/index.ts";
export { ENV_KEYS } from "./config/schema.ts";
