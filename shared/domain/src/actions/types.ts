import type { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ShopSettings, ToolWarning } from "../contract.ts";
import type { SisActions } from "../sis/actions-client.ts";

// The shapes of an action tool (reference §3 "A" rows): a preview that changes nothing and says
// exactly what would change, and a commit that applies it once, inside the provider's ledger.

export type ActionContext = {
  db: Db;
  shop: ShopSettings;
  now: Date;
  correlationId: string;
  /** The owner who asked (and who alone may confirm). */
  actorId: number;
  /** MANAGER_CHAT_IDS: where notify_team writes. */
  managerChatIds: readonly number[];
  /** SIS_BASE_URL and its key are set (onboard_test_run reports it). */
  sisConfigured?: boolean;
  /** Where shop-changing actions go: the demo shop, or SIS (UPSTREAM_MODE SIS_HTTP / AUTO with SIS set). */
  upstream?: "demo" | "sis";
  /** The SIS Actions API client, when SIS is configured in this process. */
  sisActions?: SisActions;
  /** AUTO: reads may fall back to DEMO, actions never do — a SIS failure says so. */
  auto?: boolean;
};

/** One line of "before → after" in a preview or an outcome. */
export type ChangeRow = {
  id: string;
  title: string;
  before: string;
  after: string;
  /** Over the tool's threshold: applied only with ⚠️ (force). */
  anomaly?: boolean;
};

/**
 * none: ✅ applies everything. partial: ✅ applies the rows within the threshold, ⚠️ all of them.
 * required: nothing may change without ⚠️ (a mass change, or every row is over the threshold).
 */
export type ForceOffer = "none" | "partial" | "required";

export type ActionPreview = {
  /** Russian name of what happens, e.g. «Изменение цен». */
  title: string;
  /** Headline facts: counts, totals, the scope; one line each. */
  summary: string[];
  rows: ChangeRow[];
  /** Rows (products, orders, chats…) the commit would change. */
  affected: number;
  /** What the rows are, in the genitive plural after a number: «товаров», «заказов». */
  unit: string;
  warnings: ToolWarning[];
  /** Where the data came from, for the owner: «демо-магазин (demo_products)». */
  source: string;
  /** Nothing would change: shown without buttons, nothing is stored. */
  noop: boolean;
  noopReason?: string;
  force: ForceOffer;
  /** What ✅ and ⚠️ each do when they differ. */
  forceNote?: string;
  /**
   * The input the commit runs with: the validated input, with the targets pinned where the preview
   * chose them (order ids of a preset, products of "all"), so the commit changes what was shown.
   */
  commit: Record<string, unknown>;
};

/** What a commit did, stored in the ledger and in the action row; JSON only. */
export type CommitResult = {
  /** Outcome lines for the owner (already Russian). */
  lines: string[];
  affected: number;
  rows?: ChangeRow[];
  data?: Record<string, unknown>;
  /** Messages to the team (notify_team): the action worker writes them to the outbox. */
  deliveries?: { chatId: number; text: string }[];
};

export type CommitContext = ActionContext & {
  /** The ledger's transaction: every write of the commit goes through it. */
  trx: Db;
  force: boolean;
  idempotencyKey: string;
};

export type ActionDef<I extends z.ZodType = z.ZodType> = {
  name: string;
  title: string;
  /** One English line for /tools and docs. */
  description: string;
  input: I;
  preview: (input: z.output<I>, ctx: ActionContext) => Promise<ActionPreview>;
  commit: (input: z.output<I>, ctx: CommitContext) => Promise<CommitResult>;
  /**
   * The same action against SIS's Actions API. The preview pins `upstream: "sis"` into the commit
   * input, so the commit goes where the preview was made, whatever the mode is by then. Without
   * it, an action that changes the shop is refused in SIS mode rather than applied to demo data.
   */
  sis?: {
    preview: (input: z.output<I>, ctx: ActionContext & { sisActions: SisActions }) => Promise<ActionPreview>;
    /** No local ledger: SIS keeps the Idempotency-Key's first result. */
    commit: (
      input: z.output<I>,
      ctx: ActionContext & { sisActions: SisActions; force: boolean; idempotencyKey: string },
    ) => Promise<CommitResult>;
  };
};

/** Erases an action's input type so actions of all shapes sit in one table. */
export function defineAction<I extends z.ZodType>(def: ActionDef<I>): ActionDef {
  return def;
}

/** A mass change is never applied without ⚠️: more rows than this… */
export const MASS_CHANGE_LIMIT = 20;

/** …or, in a small shop, more than half of what there is (hiding every product of 24). */
export function isMassChange(n: number, total: number): boolean {
  return n > MASS_CHANGE_LIMIT || (n > 3 && n * 2 > total);
}
