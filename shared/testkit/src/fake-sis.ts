// The public surface of @ownerbot/testkit/fake-sis: what other packages use; the rest is internal.
export { startFakeSis } from "./fake-sis/server.ts";
export type { FakeSis } from "./fake-sis/server.ts";
