// The public surface of @ownerbot/domain/notify: what other packages use; the rest is internal.
export { cooledDown, digestDue, quietDigestReasons, weeklyDue } from "./notify/due.ts";
export { escalationReasons, escalationStep } from "./notify/escalation.ts";
export { fxApplyDecision, fxDeltaDecision, fxRateOf, parseLastApply } from "./notify/fx.ts";
export { escalationText, fxApplyText, fxDeltaText, opsAlertText, quietReasonLine } from "./notify/messages.ts";
export { keyHash, opsAlertDecision, opsDedupeKey, opsRulesOf } from "./notify/ops-alerts.ts";
export { ackEscalation, loadNotifySettings } from "./notify/settings.ts";
export type { NotifySettings } from "./notify/settings.ts";
