import { sql } from "kysely";
import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { buildDailyDigest } from "../digest/daily.ts";
import { countOf } from "../format/plural.ts";
import { loadNotifySettings, updateNotifySettings, type NotifyPatch, type NotifySettings } from "../notify/settings.ts";
import { boolParam, enumParam } from "../tools/params.ts";
import { CHATS_TO } from "./common.ts";
import { defineAction, type ActionContext, type ActionPreview, type ChangeRow } from "./types.ts";

// onboard_apply_preset (reference §3 #65, presets §10.3) and onboard_test_run (#66). The preset is
// the owner's notification settings as a before → after diff, applied in one upsert; the test run
// checks what the bot can do (SIS, the digest, the team chats) and records the verdict. Unlike the
// reference, the preview changes nothing (its ntf_* "previews" applied the settings twice, §5).

const PRESETS: Record<"minimal" | "standard" | "aggressive", NotifyPatch> = {
  minimal: {
    digest_enabled: false,
    digest_format: "pdf",
    digest_quiet_enabled: false,
    ops_alerts_enabled: false,
    fx_delta_enabled: false,
    fx_apply_events_enabled: true,
    fx_apply_notify_applied: false,
    fx_apply_notify_noop: false,
    fx_apply_notify_failed: true,
    fx_apply_events_cooldown_hours: 12,
    weekly_enabled: true,
    weekly_day_of_week: 0,
    weekly_time_local: "09:30",
  },
  standard: {
    digest_enabled: true,
    digest_time_local: "09:00",
    digest_format: "text",
    digest_quiet_enabled: true,
    digest_quiet_attempt_interval_minutes: 60,
    digest_quiet_max_silence_days: 7,
    digest_quiet_min_revenue_drop_pct: 8,
    digest_quiet_min_orders_drop_pct: 10,
    ops_alerts_enabled: true,
    ops_alerts_cooldown_hours: 8,
    fx_delta_enabled: true,
    fx_delta_min_percent: 0.5,
    fx_delta_cooldown_hours: 8,
    fx_apply_events_enabled: true,
    fx_apply_notify_applied: false,
    fx_apply_notify_noop: false,
    fx_apply_notify_failed: true,
    fx_apply_events_cooldown_hours: 8,
    weekly_enabled: true,
    weekly_day_of_week: 0,
    weekly_time_local: "09:30",
  },
  aggressive: {
    digest_enabled: true,
    digest_time_local: "09:00",
    digest_format: "png",
    digest_quiet_enabled: false,
    ops_alerts_enabled: true,
    ops_alerts_cooldown_hours: 6,
    ops_unanswered_threshold_hours: 1,
    ops_errors_min_count: 1,
    fx_delta_enabled: true,
    fx_delta_min_percent: 0.25,
    fx_delta_cooldown_hours: 6,
    fx_apply_events_enabled: true,
    fx_apply_notify_applied: false,
    fx_apply_notify_noop: false,
    fx_apply_notify_failed: true,
    fx_apply_events_cooldown_hours: 6,
    weekly_enabled: false,
  },
};

const PRESET_NAME = { minimal: "минимум", standard: "стандарт", aggressive: "максимум" } as const;

function patchOf(preset: keyof typeof PRESETS, tz: string | undefined, ctx: ActionContext): NotifyPatch {
  // The shop's own zone is stored as NULL ("follow the shop"), as the ntf_* setters do.
  const zone = tz && tz !== ctx.shop.timeZone ? tz : null;
  return { ...PRESETS[preset], digest_tz: zone, weekly_tz: zone };
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "вкл" : "выкл";
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function diffRows(cur: NotifySettings, patch: NotifyPatch): ChangeRow[] {
  return Object.entries(patch)
    .filter(([k, v]) => show(cur[k as keyof NotifySettings]) !== show(v))
    .map(([k, v]) => ({ id: k, title: k, before: show(cur[k as keyof NotifySettings]), after: show(v) }));
}

const presetInput = z.object({
  preset: enumParam(["minimal", "standard", "aggressive"] as const),
  tz: z
    .string()
    .trim()
    .refine((z0) => {
      try {
        new Intl.DateTimeFormat("ru-RU", { timeZone: z0 });
        return true;
      } catch {
        return false;
      }
    }, "часовой пояс IANA, например Europe/Moscow")
    .optional(),
});

export const onboardApplyPreset = defineAction({
  name: "onboard_apply_preset",
  title: "Набор уведомлений",
  description: "Apply a notification preset (minimal / standard / aggressive) to the owner's settings, shown as a field diff.",
  input: presetInput,
  async preview(i, ctx): Promise<ActionPreview> {
    const rows = diffRows(await loadNotifySettings(ctx.db, ctx.actorId), patchOf(i.preset, i.tz, ctx));
    return {
      title: `Уведомления: набор «${PRESET_NAME[i.preset]}»`,
      summary: [`Изменится настроек: ${rows.length}`],
      rows: rows.slice(0, 25),
      affected: rows.length,
      unit: "настроек",
      warnings: [],
      source: "owner_notify_settings",
      noop: rows.length === 0,
      noopReason: "настройки уже такие",
      force: "none",
      commit: { ...i },
    };
  },
  async commit(i, ctx) {
    const cur = await loadNotifySettings(ctx.trx, ctx.actorId);
    const patch = patchOf(i.preset, i.tz, ctx);
    const rows = diffRows(cur, patch);
    const summary = `набор ${i.preset}: ${rows.length} изменений`;
    await updateNotifySettings(
      ctx.trx,
      ctx.actorId,
      {
        ...patch,
        onboard_completed_at: cur.onboard_completed_at ?? ctx.now,
        onboard_last_run_at: ctx.now,
        onboard_last_status: "ok",
        onboard_last_summary: summary,
      },
      ctx.actorId,
    );
    return {
      lines: [`Набор «${PRESET_NAME[i.preset]}» применён: изменено настроек ${rows.length}`],
      affected: rows.length,
      rows: rows.slice(0, 10),
    };
  },
});

const TEST_COOLDOWN_SEC = 300;

const testInput = z.object({
  force_refresh_capabilities: boolParam().default(true),
  send_digest_now: boolParam().default(false),
  digest_mode: enumParam(["dry_run", "commit"] as const).default("dry_run"),
  test_notify_team: boolParam().default(true),
});

type Step = { name: string; status: "ok" | "warn"; text: string };

async function steps(i: z.output<typeof testInput>, ctx: ActionContext, run: boolean): Promise<Step[]> {
  const out: Step[] = [];
  out.push(
    ctx.sisConfigured
      ? { name: "SIS", status: "ok", text: "адрес и ключ SIS заданы — проверка связи: /sis_check" }
      : { name: "SIS", status: "warn", text: "SIS не настроен: бот работает на демо-данных" },
  );
  if (i.send_digest_now) {
    if (run) {
      const d = await buildDailyDigest({
        db: ctx.db,
        shop: ctx.shop,
        now: ctx.now,
        correlationId: ctx.correlationId,
        actorId: ctx.actorId,
      });
      const first = d.text.split("\n").slice(0, 3).join(" · ");
      out.push({ name: "Дайджест", status: "ok", text: `собран (только предпросмотр): ${first}` });
    } else out.push({ name: "Дайджест", status: "ok", text: "соберу дайджест и покажу его начало (никому не отправляется)" });
  }
  if (i.test_notify_team) {
    const n = ctx.managerChatIds.length;
    out.push(
      n > 0
        ? { name: "Команда", status: "ok", text: `${countOf(n, CHATS_TO)} в MANAGER_CHAT_IDS (тестовое сообщение не отправляется)` }
        : { name: "Команда", status: "warn", text: "MANAGER_CHAT_IDS не заданы: сообщения команде некуда слать" },
    );
  }
  return out;
}

const line = (s: Step): string => `${s.status === "ok" ? "✅" : "⚠️"} ${s.name}: ${s.text}`;

export const onboardTestRun = defineAction({
  name: "onboard_test_run",
  title: "Тест-прогон настройки",
  description: "Check SIS settings, build the digest and count the team chats; records the verdict; at most once per 5 minutes.",
  input: testInput,
  async preview(i, ctx): Promise<ActionPreview> {
    const last = await sql<{ ago: number }>`SELECT extract(epoch FROM now() - max(created_at))::float8 AS ago FROM demo_action_ledger
      WHERE tool = 'onboard_test_run'`.execute(ctx.db);
    const ago = last.rows[0]?.ago;
    const planned = await steps(i, ctx, false);
    const cooling = ago !== null && ago !== undefined && ago < TEST_COOLDOWN_SEC;
    return {
      title: "Тест-прогон настройки",
      summary: ["Шаги:", ...planned.map((s) => `• ${s.name}: ${s.text}`)],
      rows: [],
      affected: planned.length,
      unit: "шагов",
      warnings: [],
      source: "настройки бота",
      noop: cooling,
      noopReason: cooling
        ? `тест-прогон уже был ${Math.round(ago)} с назад; повторить можно через ${TEST_COOLDOWN_SEC - Math.round(ago)} с`
        : "",
      force: "none",
      commit: { ...i },
    };
  },
  async commit(i, ctx) {
    const done = await steps(i, { ...ctx, db: ctx.trx }, true);
    const status = done.some((s) => s.status === "warn") ? "warn" : "ok";
    const summary = done
      .map((s) => `${s.name}: ${s.status}`)
      .join(", ")
      .slice(0, 200);
    if (ctx.actorId <= 0) throw new AppError("CONFIG_MISSING", "Не знаю, чьи это настройки.");
    await updateNotifySettings(
      ctx.trx,
      ctx.actorId,
      { onboard_last_run_at: ctx.now, onboard_last_status: status, onboard_last_summary: summary },
      ctx.actorId,
    );
    return { lines: [`Итог: ${status === "ok" ? "всё в порядке" : "есть замечания"}`, ...done.map(line)], affected: done.length };
  },
});
