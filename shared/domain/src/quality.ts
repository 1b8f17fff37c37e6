// The public surface of @ownerbot/domain/quality: what other packages use; the rest is internal.
export { isNumericAnswer, provenanceParts, withProvenance } from "./quality/provenance.ts";
