// The public surface of @ownerbot/testkit/sis-sim: what other packages use; the rest is internal.
export { demoCatalog } from "./sis-sim/from-demo.ts";
export { startSisSim } from "./sis-sim/server.ts";
export type { SimFault, SisSim } from "./sis-sim/server.ts";
