import type { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ShopProvider } from "./tools/provider.ts";
import type { ReportRequest } from "@ownerbot/core/queue";
import type { SisTarget } from "./sis/capabilities.ts";

// The shapes every tool, presenter and the intent worker agree on. Keep this file small:
// behaviour lives in tools/, presenters/ and ui/.

/**
 * read: answers from data, changes nothing. action: changes the shop, via preview → confirm.
 * setting: changes only the owner's own bot settings (notifications); applied at once, idempotent,
 * and its reply carries a one-tap button that reverses it.
 */
export type ToolKind = "read" | "action" | "setting";

export type ToolWarning = { code: string; message: string };

export type Provenance = {
  /** Where the numbers came from, e.g. ["demo:demo_kpi_daily"] or ["sis:/ownerbot/v1/kpi/summary"]. */
  sources: string[];
  /** The period the numbers cover, as shop-local dates (YYYY-MM-DD) and the shop time zone. */
  window?: { from: string; to: string; tz: string };
  filtersHash?: string;
};

export type Artifact = { kind: "png" | "pdf" | "json"; filename: string; content: Buffer; caption?: string };

export type ToolResult<T = unknown> = {
  data: T;
  warnings: ToolWarning[];
  provenance: Provenance;
  /** ISO timestamp of when the data was read. */
  asOf: string;
  artifacts?: Artifact[];
  /** A chart or PDF to render besides the text; the report worker draws it and sends it later. */
  report?: ReportRequest;
  /** The validated input the tool ran with (set by the registry); presenters build paging buttons from it. */
  input?: Record<string, unknown>;
};

/** The shop's own settings; the reference hard-coded these, OwnerBot reads them from config. */
export type ShopSettings = {
  shopId: string;
  currency: string;
  timeZone: string;
  locale: string;
};

/**
 * What the running bot knows about itself (config, Redis, the upstream toggle). Tools cannot read
 * config or Redis, so the intent worker passes this snapshot for the system/onboarding tools.
 */
export type SystemInfo = {
  /** UPSTREAM_MODE from config: DEMO | SIS_HTTP | AUTO. */
  configuredMode: string;
  /** The mode actually used now, after the runtime override and the AUTO ping. */
  effectiveMode: string;
  /** The runtime override (Redis toggle) when one is set. */
  override: string | null;
  dbOk: boolean;
  redisOk: boolean;
  /** SIS base URL and key are both set (presence only; nothing is called). */
  sisConfigured: boolean;
  /** How many MANAGER_CHAT_IDS are configured. */
  managerChats: number;
  /** ASR / LLM provider names, or "off". */
  asr: string;
  llm: string;
};

export type ToolContext = {
  db: Db;
  shop: ShopSettings;
  /** "Now" for the tool; tests pin it, production passes new Date(). */
  now: Date;
  correlationId: string;
  actorId?: number;
  /** Where read tools get shop data; absent means the DEMO provider over `db`. */
  provider?: ShopProvider;
  /** The bot's own state for sys_health / sys_upstream_mode / onboard_status; absent → they answer "unavailable". */
  system?: SystemInfo;
  /** How to reach SIS when SIS_BASE_URL and its key are set; tools that call SIS directly use it. */
  sis?: SisTarget;
};

/** A server-side button meaning; callback_data only ever carries an opaque token that maps to one. */
export type ButtonAction =
  /**
   * `fresh`: the button sits under a result, not a menu panel, so the panel it opens is a new
   * message at the bottom of the chat instead of replacing the result far up the history.
   */
  | { t: "nav"; to: string; fresh?: boolean }
  /** `edit` replaces the message the button sits on (paging through a list) instead of adding one. */
  | { t: "tool"; tool: string; input: Record<string, unknown>; edit?: boolean }
  | { t: "page"; key: string; page: number }
  /**
   * A preview's confirm / cancel (or a plan's "all" / "main only"): the action row and the hash of
   * the payload the owner was shown; the press is decided against the row (actions.queries.ts).
   */
  | { t: "act"; op: "confirm" | "force" | "cancel" | "all" | "main"; id: number; hash: string }
  | { t: "noop" };

export type Button = { text: string; action: ButtonAction } | { text: string; url: string };

/** One message the bot wants to show. The worker turns it into outbox rows. */
export type Reply = {
  text: string;
  buttons?: Button[][];
  /** Edit the message the owner clicked instead of sending a new one (navigation). */
  editInPlace?: boolean;
  /** A menu panel (home, sections, templates): its navigation replaces it in place. */
  panel?: boolean;
  /** Take the buttons off this earlier message first (a template prompt whose input has closed). */
  closeKeyboardOf?: number;
  artifacts?: Artifact[];
  /** A chart or PDF the report worker draws and sends after this message (a report_jobs row). */
  report?: ReportRequest;
};

export type ToolDef<I extends z.ZodType = z.ZodType, O = unknown> = {
  name: string;
  version: string;
  kind: ToolKind;
  /** Short Russian title for menus and headers, e.g. "KPI за день". */
  title: string;
  /** One English line for /tools and docs. */
  description: string;
  input: I;
  run: (input: z.output<I>, ctx: ToolContext) => Promise<ToolResult<O>>;
};

/** Russian text for the owner; may return several messages (long lists are split or paged). */
export type Presenter<O = unknown> = (result: ToolResult<O>, ctx: ToolContext) => Reply[];

/**
 * A tool paired with its presenter: what a registry that answers the owner holds. Tools do not know
 * their presenters; the catalogue (tools/index.ts) pairs them, so a tool runs without its text.
 */
export type PresentedTool = ToolDef & { present: Presenter };
