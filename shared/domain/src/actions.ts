// The public surface of @ownerbot/domain/actions: what other packages use; the rest is internal.
export { storedResults } from "./actions/ledger.ts";
export type { PlanSpec } from "./actions/plan-types.ts";
export {
  PRESS_EDITS,
  PRESS_TEXTS,
  RUNNING_TEXT,
  blockedText,
  committedText,
  deliveryText,
  failedText,
  planButtons,
  previewReply,
  previewText,
} from "./actions/present.ts";
export { ACTION_TOOLS, UNSUPPORTED_ACTIONS, commitAction, getAction, isActionName, previewAction } from "./actions/registry.ts";
export type { ActionError, PreviewOutcome } from "./actions/registry.ts";
export type { ActionContext, ActionPreview, CommitResult, ForceOffer } from "./actions/types.ts";
export { WIZARD_TTL_SECONDS, feedWizard, isWizardState, startWizard } from "./actions/wizard.ts";
export type { WizardAnswer, WizardCtx, WizardHint, WizardState, WizardStep } from "./actions/wizard.ts";
