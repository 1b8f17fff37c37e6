// The public surface of @ownerbot/domain/presenters: what other packages use; the rest is internal.
export { sourceLabel } from "./presenters/common.ts";
