// Templates are buttons with a tool call behind them, kept as data (reference §4). A template with
// inputs asks for them one by one; the answers and the defaults make the tool input.

export type TemplateCategory =
  "reports" | "orders" | "team" | "systems" | "advanced" | "forecast" | "prices" | "products" | "looks" | "discounts" | "notifications";

export type TemplateKind = "REPORT" | "ACTION";

/**
 * How an answer is read. The reference's six (ids, int, percent_1_95, stock_1_9999, json_or_kv,
 * str) plus the ones its broken templates needed: a signed percent kept as a string (PRC_BUMP),
 * an order id, a shop-local day, a time of day, a choice from a list, a time zone, a decimal
 * number, yes/no, a currency code and a coupon code.
 */
export type ParserKind =
  | "ids"
  | "int"
  | "percent_1_95"
  | "stock_1_9999"
  | "json_or_kv"
  | "str"
  | "signed_percent"
  | "order_id"
  | "day"
  | "time_hhmm"
  | "choice"
  | "tz"
  | "number"
  | "bool"
  | "currency"
  | "code"
  | "weekday";

/** A one-tap answer. "@tz", "@currency", "@today" and "@yesterday" resolve for the shop when shown. */
export type Preset = { text: string; value: string };

export type TemplateInput = {
  key: string;
  /** Russian question shown to the owner. */
  prompt: string;
  parser: ParserKind;
  presets?: Preset[];
  /** Bounds for `int` and `number`. */
  min?: number;
  max?: number;
  /** Allowed values for `choice` (compared case-insensitively). */
  choices?: string[];
  /** Longest accepted answer for `str` (default 1000). */
  maxLength?: number;
};

/** "chart" = PNG chart, "pdf" = PDF report, "json" = the raw result as a JSON file. */
export type TemplatePresentation = "chart" | "pdf" | "json";

export type TemplateDef = {
  id: string;
  category: TemplateCategory;
  /** Russian title used in prompts and result headers. */
  title: string;
  /** Short Russian label for the button (fits a phone row). */
  button: string;
  kind: TemplateKind;
  tool: string;
  /**
   * Defaults merged under the answers. String tokens: "@today" and "@yesterday" are shop-local
   * days, "@now" is the current instant (ISO), "@tz" is the shop's time zone.
   */
  defaults: Record<string, unknown>;
  presentation?: TemplatePresentation;
  inputs: TemplateInput[];
  /** Position inside the category; lists sort by (order, button). */
  order: number;
};
