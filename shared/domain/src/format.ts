// The public surface of @ownerbot/domain/format: what other packages use; the rest is internal.
export { addDays, formatDateTime, formatDay, formatDayShort, formatPeriod, localDay } from "./format/dates.ts";
export { formatDelta, formatMoney, formatNumber, normalizeSpaces } from "./format/numbers.ts";
export { ORDERS, countOf } from "./format/plural.ts";
export { splitMessage } from "./format/text.ts";
