import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolContext } from "../contract.ts";
import { settingTools } from "./index.ts";
import type { SettingChangeData } from "./results/ntf.ts";
import { ntfKit, type NtfKit, type Row } from "@ownerbot/testkit/ntf-kit";
import { all, ANCHOR, one, SHOP } from "@ownerbot/testkit/test-shop";

// The ntf_* setters against owner_notify_settings, checked with SQL: each setter changes exactly its
// columns, limits fail naming the parameter, repeats change nothing more, the reply's button undoes
// the change. ntf-status.test.ts covers ntf_status, ack and snooze.

let s: NtfKit["s"];
let ctx: ToolContext;
let as: NtfKit["as"];
let run: NtfKit["run"];
let okData: NtfKit["okData"];
let row: NtfKit["row"];
let nextOwner = 5000;
beforeAll(async () => {
  ({ s, ctx, as, run, okData, row } = await ntfKit());
});
afterAll(async () => {
  await s.env.close();
});

function diff(before: Row, after: Row): Row {
  const out: Row = {};
  for (const k of Object.keys(after)) if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = after[k];
  return out;
}

/** The base currency that moved most since its previous rate, read with SQL and compared here. */
async function biggestMove(): Promise<{ base: string; rate: number }> {
  const rows = await all<{ base: string; rate: number; prev: number | null }>(
    s.env,
    `SELECT l.base, l.rate::float AS rate,
            (SELECT p.rate::float FROM demo_fx_rates p WHERE p.base = l.base AND p.quote = l.quote AND p.day < l.day
             ORDER BY p.day DESC LIMIT 1) AS prev
     FROM demo_fx_rates l
     WHERE l.quote = $1 AND l.day = (SELECT max(day) FROM demo_fx_rates x WHERE x.base = l.base AND x.quote = $1 AND x.day <= $2::date)
     ORDER BY l.base`,
    [SHOP.currency, ANCHOR],
  );
  const move = (r: { rate: number; prev: number | null }): number => (r.prev ? Math.abs(r.rate / r.prev - 1) : -1);
  const best = rows.reduce((a, b) => (move(b) > move(a) ? b : a));
  return { base: best.base, rate: best.rate };
}

type Case = { tool: string; input: Row; setup?: string; expect: () => Promise<Row> | Row };
const CASES: Case[] = [
  {
    tool: "ntf_daily_digest_subscribe",
    input: { time_local: "8:30", tz: "Asia/Tokyo" },
    expect: () => ({ digest_enabled: true, digest_time_local: "08:30", digest_tz: "Asia/Tokyo" }),
  },
  // The shop's own zone is stored as NULL (follow the shop).
  {
    tool: "ntf_daily_digest_subscribe",
    input: { time_local: "21:05", tz: SHOP.timeZone },
    expect: () => ({ digest_enabled: true, digest_time_local: "21:05" }),
  },
  { tool: "ntf_daily_digest_unsubscribe", input: {}, setup: "digest_enabled = true", expect: () => ({ digest_enabled: false }) },
  { tool: "ntf_digest_format_set", input: { format: "PDF" }, expect: () => ({ digest_format: "pdf" }) },
  {
    tool: "ntf_weekly_subscribe",
    input: { day_of_week: "4", time_local: "18:00" },
    expect: () => ({ weekly_enabled: true, weekly_day_of_week: 4, weekly_time_local: "18:00" }),
  },
  { tool: "ntf_weekly_unsubscribe", input: {}, setup: "weekly_enabled = true", expect: () => ({ weekly_enabled: false }) },
  {
    tool: "ntf_fx_delta_subscribe",
    input: { min_percent: "0,5" },
    expect: async () => {
      const m = await biggestMove();
      return { fx_delta_enabled: true, fx_delta_min_percent: 0.5, fx_delta_base: m.base, fx_delta_last_notified_rate: m.rate };
    },
  },
  { tool: "ntf_fx_delta_unsubscribe", input: {}, setup: "fx_delta_enabled = true", expect: () => ({ fx_delta_enabled: false }) },
  {
    tool: "ntf_fx_apply_events_subscribe",
    input: { notify_applied: "да", cooldown_hours: "12" },
    expect: () => ({ fx_apply_events_enabled: true, fx_apply_notify_applied: true, fx_apply_events_cooldown_hours: 12 }),
  },
  {
    tool: "ntf_fx_apply_events_unsubscribe",
    input: {},
    setup: "fx_apply_events_enabled = true",
    expect: () => ({ fx_apply_events_enabled: false }),
  },
  {
    tool: "ntf_ops_alerts_subscribe",
    input: { cooldown_hours: 8, low_stock_lte: 10, unanswered_threshold_hours: 0 },
    expect: () => ({ ops_alerts_enabled: true, ops_alerts_cooldown_hours: 8, ops_low_stock_lte: 10, ops_unanswered_threshold_hours: 0 }),
  },
  { tool: "ntf_ops_alerts_unsubscribe", input: {}, setup: "ops_alerts_enabled = true", expect: () => ({ ops_alerts_enabled: false }) },
  {
    tool: "ntf_quiet_digest_on",
    input: { attempt_interval_minutes: 5, max_silence_days: 40 },
    expect: () => ({ digest_quiet_enabled: true, digest_quiet_attempt_interval_minutes: 15, digest_quiet_max_silence_days: 30 }),
  },
  { tool: "ntf_quiet_digest_off", input: {}, setup: "digest_quiet_enabled = true", expect: () => ({ digest_quiet_enabled: false }) },
  {
    tool: "ntf_quiet_digest_rules_set",
    input: { min_revenue_drop_pct: "0.05", min_orders_drop_pct: "12,5", send_on_ops: "нет" },
    expect: () => ({
      digest_quiet_enabled: true,
      digest_quiet_min_revenue_drop_pct: 0.1,
      digest_quiet_min_orders_drop_pct: 12.5,
      digest_quiet_send_on_ops: false,
    }),
  },
  { tool: "ntf_escalation_enable", input: {}, expect: () => ({ escalation_enabled: true }) },
  { tool: "ntf_escalation_disable", input: {}, setup: "escalation_enabled = true", expect: () => ({ escalation_enabled: false }) },
  {
    tool: "ntf_escalation_rules_set",
    input: { stage1_after_minutes: 60, on_unanswered_chats_severe: "true", errors_min: 7 },
    expect: () => ({ escalation_stage1_after_minutes: 60, escalation_on_unanswered_chats_severe: true, escalation_errors_min: 7 }),
  },
  {
    tool: "ntf_escalation_snooze",
    input: { hours: 24 },
    expect: () => ({ escalation_snoozed_until: new Date(ctx.now.getTime() + 24 * 3_600_000).toISOString().replace(".000Z", "+00:00") }),
  },
];

describe("ntf_* setters", () => {
  it("cover the reference's 19 setters and ntf_status, all kind setting but the status", () => {
    expect(settingTools).toHaveLength(20);
    expect(settingTools.filter((t) => t.kind === "setting")).toHaveLength(19);
    expect(settingTools.find((t) => t.name === "ntf_status")?.kind).toBe("read");
    expect(new Set(CASES.map((c) => c.tool)).size).toBe(18); // + ntf_escalation_ack below
  });

  it.each(CASES.map((c, i) => [c.tool, i] as const))("%s changes exactly its columns", async (_name, i) => {
    const c = CASES[i]!;
    const owner = nextOwner++;
    await s.env.pool.query(`INSERT INTO owner_notify_settings (owner_id) VALUES ($1)`, [owner]);
    if (c.setup) await s.env.pool.query(`UPDATE owner_notify_settings SET ${c.setup} WHERE owner_id = $1`, [owner]);
    const before = (await row(owner))!;
    await okData(c.tool, c.input, as(owner));
    const after = (await row(owner))!;
    const changed = diff(before, after);
    if (c.tool === "ntf_escalation_snooze") {
      expect(Object.keys(changed)).toEqual(["escalation_snoozed_until"]);
      expect(new Date(String(changed.escalation_snoozed_until)).getTime()).toBe(ctx.now.getTime() + 24 * 3_600_000);
    } else {
      const exp = await c.expect();
      expect(Object.keys(changed).sort()).toEqual(Object.keys(exp).sort());
      for (const [k, v] of Object.entries(exp)) {
        if (typeof v === "number") expect(Number(changed[k]), k).toBeCloseTo(v, 6);
        else expect(changed[k], k).toEqual(v);
      }
    }
    const stamp = await one<{ updated_by: number }>(s.env, "SELECT updated_by::int FROM owner_notify_settings WHERE owner_id = $1", [
      owner,
    ]);
    expect(stamp.updated_by).toBe(owner);
  });

  it("clamps the quiet digest's values as the reference stored them, naming the parameter", async () => {
    const r = await okData<SettingChangeData>("ntf_quiet_digest_on", { attempt_interval_minutes: 5 }, as(nextOwner++));
    const w = r.outcome.ok ? r.outcome.result.warnings : [];
    expect(w.map((x) => x.code)).toEqual(["CLAMPED"]);
    expect(w[0]!.message).toBe("Параметр attempt_interval_minutes: допустимо от 15 до 360, получено 5 — сохранено 15");
    expect(r.replies[0]!.text).toContain("⚠️ Параметр attempt_interval_minutes");
  });

  it("refuses bad values with a Russian message naming the parameter, and writes nothing", async () => {
    const owner = nextOwner++;
    const bad: [string, Row, string][] = [
      [
        "ntf_daily_digest_subscribe",
        { time_local: "25:00" },
        "Параметр time_local: ожидается время ЧЧ:ММ, например 08:30, получено «25:00»",
      ],
      [
        "ntf_daily_digest_subscribe",
        { tz: "Mars/Olympus" },
        "Параметр tz: ожидается город или часовой пояс, например Москва или Europe/Moscow, получено «Mars/Olympus»",
      ],
      ["ntf_weekly_subscribe", { day_of_week: 7 }, "Параметр day_of_week: допустимо от 0 до 6, получено 7"],
      ["ntf_digest_format_set", { format: "doc" }, "Параметр format: допустимо: text, png, pdf; получено «doc»"],
      ["ntf_escalation_snooze", { hours: 100 }, "Параметр hours: допустимо от 1 до 72, получено 100"],
      ["ntf_escalation_rules_set", { stage1_after_minutes: 10 }, "Параметр stage1_after_minutes: допустимо от 30 до 1440, получено 10"],
      ["ntf_ops_alerts_subscribe", { cooldown_hours: 0 }, "Параметр cooldown_hours: допустимо от 1 до 168, получено 0"],
      ["ntf_fx_delta_subscribe", { min_percent: 0 }, "Параметр min_percent: допустимо от 0,01 до 100, получено 0"],
      ["ntf_fx_delta_subscribe", { base: "dollar" }, "Параметр base: ожидается код валюты из трёх букв, например USD, получено «DOLLAR»"],
      [
        "ntf_quiet_digest_rules_set",
        { send_on_ops: "может быть" },
        "Параметр send_on_ops: ожидается да/нет (true/false), получено «может быть»",
      ],
    ];
    for (const [tool, input, message] of bad) {
      const o = await run(tool, input, as(owner));
      expect(!o.ok && o.error.code, tool).toBe("VALIDATION_ERROR");
      expect(!o.ok && o.error.message, tool).toBe(message);
    }
    expect(await row(owner)).toBeUndefined();
  });

  it("needs to know whose settings they are", async () => {
    const { actorId: _a, ...anonymous } = ctx;
    for (const tool of ["ntf_status", "ntf_escalation_enable", "ntf_escalation_ack"]) {
      const o = await run(tool, {}, anonymous);
      expect(!o.ok && o.error.code, tool).toBe("CONFIG_MISSING");
      expect(!o.ok && o.error.message, tool).toMatch(/чьи это настройки/);
    }
  });

  it("is idempotent: the same change twice leaves the same row", async () => {
    const owner = nextOwner++;
    await okData("ntf_weekly_subscribe", { day_of_week: 2, time_local: "10:15" }, as(owner));
    const first = await row(owner);
    await okData("ntf_weekly_subscribe", { day_of_week: 2, time_local: "10:15" }, as(owner));
    expect(await row(owner)).toEqual(first);
    const n = await one<{ n: number }>(s.env, "SELECT count(*)::int AS n FROM owner_notify_settings WHERE owner_id = $1", [owner]);
    expect(n.n).toBe(1);
  });

  it("answers with the new state, a reverse button and the way to all notifications; the reverse button undoes it", async () => {
    const owner = nextOwner++;
    const on = await okData<SettingChangeData>("ntf_daily_digest_subscribe", { time_local: "08:30" }, as(owner));
    const r = on.replies[0]!;
    expect(r.text).toMatch(/^✅ Ежедневный дайджест включён/);
    expect(r.text).toContain("📰 Ежедневный дайджест: вкл · 08:30 (Москва, как у магазина)");
    // 07:00 in Moscow now; today's 08:30 is 05:30Z.
    expect(r.text).toContain("Следующий дайджест: 23 ноя, 08:30");
    const [reverse, all] = r.buttons![0]!;
    expect(reverse).toEqual({ text: "🔕 Выключить", action: { t: "tool", tool: "ntf_daily_digest_unsubscribe", input: {} } });
    expect(all).toEqual({ text: "🔔 Все уведомления", action: { t: "tool", tool: "ntf_status", input: {} } });
    if (!reverse || !("action" in reverse) || reverse.action.t !== "tool") throw new Error("no tool button");
    const offReply = await okData<SettingChangeData>(reverse.action.tool, reverse.action.input, as(owner));
    expect(offReply.replies[0]!.text).toMatch(/^🔕 Ежедневный дайджест выключен/);
    expect((await row(owner))?.digest_enabled).toBe(false);
    // Switching back on keeps the owner's time.
    await okData("ntf_daily_digest_subscribe", {}, as(owner));
    expect(await row(owner)).toMatchObject({ digest_enabled: true, digest_time_local: "08:30" });
  });
});
