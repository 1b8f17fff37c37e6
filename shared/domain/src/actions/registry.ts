import { isAppError, type AppErrorCode } from "@ownerbot/core/errors";
import { validationMessage } from "../tools/validation.ts";
import { createCoupon } from "./coupons.ts";
import { sisDiscountsClear, sisDiscountsSet } from "./discounts.ts";
import { sisFxReprice, sisFxRepriceAuto } from "./fx.ts";
import { sisFxRollback, sisFxSettingsUpdate } from "./fx-admin.ts";
import { commitOnce } from "./ledger.ts";
import { onboardApplyPreset, onboardTestRun } from "./onboard.ts";
import { bulkFlagOrder, flagOrder } from "./orders.ts";
import { adjustPrice, sisPricesBump } from "./prices.ts";
import { sisLooksPublish, sisProductsPublish } from "./publish.ts";
import { notifyTeam } from "./team.ts";
import type { ActionContext, ActionDef, ActionPreview, CommitResult } from "./types.ts";

/** The reference's action tools (§3 "A"), all on the DEMO provider. */
export const ACTION_TOOLS: readonly ActionDef[] = [
  adjustPrice,
  sisPricesBump,
  sisFxReprice,
  sisFxRepriceAuto,
  sisFxRollback,
  sisFxSettingsUpdate,
  sisDiscountsSet,
  sisDiscountsClear,
  createCoupon,
  sisProductsPublish,
  sisLooksPublish,
  flagOrder,
  bulkFlagOrder,
  notifyTeam,
  onboardApplyPreset,
  onboardTestRun,
];

const BY_NAME = new Map(ACTION_TOOLS.map((a) => [a.name, a]));

export const getAction = (name: string): ActionDef | undefined => BY_NAME.get(name);

/**
 * Actions the reference listed that have nothing behind them here; the owner is told so instead of
 * seeing a preview that could never commit.
 */
export const UNSUPPORTED_ACTIONS: Readonly<Record<string, string>> = {
  pause_campaign:
    "📣 Рекламные кампании к боту не подключены: ставить их на паузу пока нечем. Цены, скидки, купоны, публикация и сообщения команде — работают.",
};

export const isActionName = (name: string): boolean => BY_NAME.has(name) || name in UNSUPPORTED_ACTIONS;

export type ActionError = {
  code: AppErrorCode;
  message: string;
  retryable: boolean;
  /** SIS answered an apply in a shape we cannot read: it may have acted, so "nothing changed" is not said. */
  outcomeUnknown?: boolean;
};

export type PreviewOutcome = { ok: true; action: ActionDef; preview: ActionPreview } | { ok: false; error: ActionError };

function toError(e: unknown): ActionError {
  if (isAppError(e))
    return {
      code: e.code,
      message: e.message,
      retryable: e.retryable,
      ...(e.details?.outcome === "unknown" ? { outcomeUnknown: true } : {}),
    };
  const code = (e as { code?: unknown } | null)?.code;
  // Postgres unreachable or too slow: worth another try with the same key.
  if (typeof code === "string" && /^(08|53|57P0|57014)/.test(code))
    return { code: "UPSTREAM_UNAVAILABLE", message: "Данные магазина сейчас недоступны.", retryable: true };
  if (e instanceof Error && /ECONNREFUSED|ECONNRESET|terminat|Connection/i.test(e.message))
    return { code: "UPSTREAM_UNAVAILABLE", message: "Данные магазина сейчас недоступны.", retryable: true };
  return { code: "INTERNAL", message: `Внутренняя ошибка: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`, retryable: false };
}

/** Actions that change only the bot's own state or talk to the team: the same in every mode. */
const BOT_SIDE: ReadonlySet<string> = new Set(["notify_team", "onboard_apply_preset", "onboard_test_run"]);

function sisRefusal(action: ActionDef): ActionError {
  return {
    code: "UPSTREAM_NOT_IMPLEMENTED",
    message: `«${action.title}» в режиме SIS пока недоступно: бот умеет выполнять его только на демо-магазине, а менять демо-данные вместо вашего магазина нельзя.`,
    retryable: false,
  };
}

/** Validates and runs the dry run; never throws, never writes. */
export async function previewAction(name: string, raw: unknown, ctx: ActionContext): Promise<PreviewOutcome> {
  const action = BY_NAME.get(name);
  if (!action) return { ok: false, error: { code: "UNKNOWN_TOOL", message: `Действия «${name}» нет.`, retryable: false } };
  const parsed = action.input.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: "VALIDATION_ERROR", message: validationMessage(parsed.error, action.input, raw ?? {}), retryable: false },
    };
  }
  try {
    if (ctx.upstream === "sis" && !BOT_SIDE.has(name)) {
      if (!action.sis) return { ok: false, error: sisRefusal(action) };
      if (!ctx.sisActions)
        return {
          ok: false,
          error: { code: "CONFIG_MISSING", message: "SIS не настроен: задайте SIS_BASE_URL и SIS_OWNERBOT_API_KEY.", retryable: false },
        };
      return { ok: true, action, preview: await action.sis.preview(parsed.data, { ...ctx, sisActions: ctx.sisActions }) };
    }
    const preview = await action.preview(parsed.data, ctx);
    // Only a SIS preview may pin the commit to SIS; a typed-in "upstream" never does.
    const { upstream: _pinned, ...commit } = preview.commit;
    return { ok: true, action, preview: { ...preview, commit } };
  } catch (e) {
    const error = toError(e);
    if (ctx.auto && ctx.upstream === "sis" && error.code.startsWith("UPSTREAM_"))
      error.message += "\nВ режиме «Авто» действия выполняются только в SIS: на демо-данных ничего не меняю.";
    return { ok: false, error };
  }
}

export type CommitOutcome = { ok: true; result: CommitResult; replayed: boolean } | { ok: false; error: ActionError };

/**
 * Commits through the DEMO provider's ledger with the action's idempotency key: the same key
 * again returns the first result and changes nothing. Never throws.
 */
export async function commitAction(
  name: string,
  payload: unknown,
  ctx: ActionContext,
  key: string,
  force: boolean,
): Promise<CommitOutcome> {
  const action = BY_NAME.get(name);
  if (!action) return { ok: false, error: { code: "UNKNOWN_TOOL", message: `Действия «${name}» нет.`, retryable: false } };
  const parsed = action.input.safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: "VALIDATION_ERROR", message: validationMessage(parsed.error, action.input, payload ?? {}), retryable: false },
    };
  }
  try {
    if ((parsed.data as { upstream?: unknown } | null)?.upstream === "sis" && action.sis) {
      // SIS keeps the key's first result; a retry (a 500, a lost answer, a crash) sends the same key.
      if (!ctx.sisActions)
        return {
          ok: false,
          error: {
            code: "CONFIG_MISSING",
            message: "SIS не настроен в обработчике действий (SIS_BASE_URL, SIS_OWNERBOT_API_KEY).",
            retryable: false,
          },
        };
      const result = await action.sis.commit(parsed.data, { ...ctx, sisActions: ctx.sisActions, force, idempotencyKey: key });
      return { ok: true, result, replayed: false };
    }
    const out = await commitOnce(ctx.db, key, name, (trx) => action.commit(parsed.data, { ...ctx, trx, force, idempotencyKey: key }));
    return { ok: true, ...out };
  } catch (e) {
    return { ok: false, error: toError(e) };
  }
}
