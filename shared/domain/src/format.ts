// The public surface of @ownerbot/domain/format: what other packages use; the rest is internal.
export { addDays, formatDateTime, localDay } from "./format/dates.ts";
export { normalizeSpaces } from "./format/numbers.ts";
export { splitMessage } from "./format/text.ts";
