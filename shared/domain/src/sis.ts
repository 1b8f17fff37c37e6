// The public surface of @ownerbot/domain/sis: what other packages use; the rest is internal.
export { createSisActions, sisActionsFromConfig } from "./sis/actions-client.ts";
export type { SisActions } from "./sis/actions-client.ts";
export { CAPABILITY_PROBES, PROBE_TIMEOUT_MS, SIS_ACTIONS_PREFIX } from "./sis/capabilities.ts";
export type { SisTarget } from "./sis/capabilities.ts";
export { createSisHttp } from "./sis/http.ts";
export { createUpstream, sisConfigured, sourceNote } from "./sis/upstream.ts";
export type { Upstream } from "./sis/upstream.ts";
export { detailToWire, kpiToWire, summaryToWire } from "./sis/wire.ts";
