// The public surface of @ownerbot/domain/demo: what other packages use; the rest is internal.
export { advanceDemo } from "./demo/live.ts";
export { seedDemo } from "./demo/seed.ts";
export type { SeedResult } from "./demo/seed.ts";
