import { z } from "zod";
import { resolveTimeZone } from "../format/time-zones.ts";
import type { ToolContext, ToolWarning } from "../contract.ts";
import { AppError } from "@ownerbot/core/errors";
import { localDay } from "../format/dates.ts";
import { formatNumber } from "../format/numbers.ts";
import { isValidTimeZone } from "../notify/schedule.ts";
import { loadNotifySettings, updateNotifySettings, type NotifyPatch, type NotifySettings } from "../notify/settings.ts";
import { defineTool, type TypedTool } from "./registry.ts";
import { makeResult, warning } from "./runtime.ts";
import type { NtfFeature, NtfButton, SettingChangeData } from "./results/ntf.ts";

// How every ntf_* setter works: find the owner, read the row, compute a patch from the validated
// input, write it in one upsert, and answer with the feature's new state and a button that undoes
// the change. Setters apply at once (no preview): they touch only the owner's own bot settings.

export const SETTINGS_SOURCE = "core:owner_notify_settings";

/** The owner whose settings change: the person who sent the request. */
export function ownerOf(ctx: ToolContext): number {
  if (ctx.actorId === undefined) {
    throw new AppError("CONFIG_MISSING", "Не знаю, чьи это настройки уведомлений: в запросе нет владельца.");
  }
  return ctx.actorId;
}

/** "Right now" answers about the bot's settings: the window is today in the shop's zone. */
export function todayWindow(ctx: ToolContext): { from: string; to: string } {
  const d = localDay(ctx.now, ctx.shop.timeZone);
  return { from: d, to: d };
}

export type Applied = { patch: NotifyPatch; warnings?: ToolWarning[]; notes?: string[] };

export type SetterSpec<I extends z.ZodType> = {
  name: string;
  title: string;
  description: string;
  feature: NtfFeature;
  input: I;
  headline: string;
  apply: (input: z.output<I>, before: NotifySettings, ctx: ToolContext) => Applied | Promise<Applied>;
  reverse: (before: NotifySettings, input: z.output<I>) => NtfButton | null;
};

export function defineSetter<I extends z.ZodType>(spec: SetterSpec<I>): TypedTool<SettingChangeData> {
  return defineTool({
    name: spec.name,
    version: "1.0",
    kind: "setting",
    title: spec.title,
    description: spec.description,
    input: spec.input,
    async run(input, ctx) {
      const owner = ownerOf(ctx);
      const before = await loadNotifySettings(ctx.db, owner);
      const applied = await spec.apply(input, before, ctx);
      const settings = await updateNotifySettings(ctx.db, owner, applied.patch, owner);
      const data: SettingChangeData = {
        tool: spec.name,
        feature: spec.feature,
        headline: spec.headline,
        settings,
        notes: applied.notes ?? [],
        reverse: spec.reverse(before, input),
      };
      return makeResult(ctx, { tz: ctx.shop.timeZone }, data, { sources: [SETTINGS_SOURCE], window: todayWindow(ctx) }, applied.warnings);
    },
  });
}

/** The previous values of the columns the input set, as the same tool's input: one tap restores them. */
export function restoreInput(
  before: NotifySettings,
  input: Record<string, unknown>,
  column: (param: string) => keyof NotifySettings,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = before[column(k)];
  return out;
}

/**
 * The reference stored some values clamped into a range instead of refusing them; OwnerBot keeps
 * that and says so in a warning naming the parameter.
 */
export function clamped(param: string, value: number, min: number, max: number, warnings: ToolWarning[]): number {
  const v = Math.min(max, Math.max(min, value));
  if (v !== value) {
    const f = (n: number): string => formatNumber(n, "ru-RU", 2);
    warnings.push(warning("CLAMPED", `Параметр ${param}: допустимо от ${f(min)} до ${f(max)}, получено ${f(value)} — сохранено ${f(v)}`));
  }
  return v;
}

/** `HH:MM` in 24 hours; "8:30" and "8.30" are read as 08:30. */
export function timeParam() {
  return z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .trim()
            .replace(/^(\d)[:.]/, "0$1:")
            .replace(/^(\d\d)\./, "$1:")
        : v,
    z.string().superRefine((v, c) => {
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v))
        c.addIssue({ code: "custom", message: `ожидается время ЧЧ:ММ, например 08:30, получено «${v}»` });
    }),
  );
}

/** A time zone: an IANA name the runtime knows, or a city the owner typed («Москва», "Berlin"), stored as IANA. */
export function tzParam() {
  return z.preprocess(
    (v) => (typeof v === "string" ? (resolveTimeZone(v) ?? v.trim()) : v),
    z.string().superRefine((v, c) => {
      if (!isValidTimeZone(v)) {
        c.addIssue({
          code: "custom",
          message: `ожидается город или часовой пояс, например Москва или Europe/Moscow, получено «${v.slice(0, 40)}»`,
        });
      }
    }),
  );
}

/** A zone equal to the shop's is stored as NULL: the schedule then follows the shop if its zone changes. */
export function storedTz(tz: string | undefined, current: string | null, ctx: ToolContext): string | null {
  if (tz === undefined) return current;
  return tz === ctx.shop.timeZone ? null : tz;
}
