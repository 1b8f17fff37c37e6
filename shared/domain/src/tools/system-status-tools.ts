import { sql } from "kysely";
import { z } from "zod";
import type { SystemInfo, ToolContext } from "../contract.ts";
import { AppError } from "@ownerbot/core/errors";
import { cachedCapabilities, type CapabilityReport } from "../sis/capabilities.ts";
import { loadNotifySettings } from "../notify/settings.ts";
import { localDay } from "../format/dates.ts";
import { defineTool } from "./registry.ts";
import { makeResult } from "./runtime.ts";
import type { UpstreamModeData, CheckState, SysHealthData, CheckLevel, OnboardItem, OnboardStatusData } from "./results/system-status.ts";

// The bot's own state: upstream mode, health, onboarding checklist. Tools cannot read config or
// Redis, so they answer only from ctx.system, the snapshot the intent worker passes; without it
// they say so instead of guessing.

const SOURCE = "core:runtime";

function systemOf(ctx: ToolContext): SystemInfo {
  if (!ctx.system) {
    throw new AppError("CONFIG_MISSING", "Сведения о системе недоступны: бот не передал их этому отчёту.");
  }
  return ctx.system;
}

/** These are "right now" answers about the bot, so the window is today on the wall clock. */
function today(ctx: ToolContext): { from: string; to: string } {
  const d = localDay(ctx.now, ctx.shop.timeZone);
  return { from: d, to: d };
}

/** The mode the owner chose: the runtime override wins over config, as in the reference. */
export function selectedMode(s: SystemInfo): string {
  return s.override ?? s.configuredMode;
}

export const sysUpstreamMode = defineTool({
  name: "sys_upstream_mode",
  version: "1.0",
  kind: "read",
  title: "Режим данных",
  description: "Upstream mode: configured, runtime override, and the effective one in use now.",
  input: z.object({}),
  async run(_input, ctx) {
    const s = systemOf(ctx);
    const data: UpstreamModeData = {
      configuredMode: s.configuredMode,
      override: s.override,
      selectedMode: selectedMode(s),
      effectiveMode: s.effectiveMode,
      sisConfigured: s.sisConfigured,
    };
    return makeResult(ctx, { tz: ctx.shop.timeZone }, data, { sources: [SOURCE], window: today(ctx) });
  },
});

export const sysHealth = defineTool({
  name: "sys_health",
  version: "1.0",
  kind: "read",
  title: "Состояние бота",
  description: "Health: database (checked live), Redis (as the bot reports), SIS configuration presence; ok or degraded.",
  input: z.object({}),
  async run(_input, ctx) {
    const s = systemOf(ctx);
    // The database is the one dependency a tool can check itself; the snapshot may be older.
    let dbLive = true;
    try {
      await sql`SELECT 1`.execute(ctx.db);
    } catch {
      dbLive = false;
    }
    const db: CheckState = s.dbOk && dbLive ? "ok" : "fail";
    const redis: CheckState = s.redisOk ? "ok" : "fail";
    const sis: CheckState = s.sisConfigured ? "configured" : s.effectiveMode === "DEMO" ? "not_needed" : "fail";
    const data: SysHealthData = {
      status: db === "fail" || redis === "fail" || sis === "fail" ? "degraded" : "ok",
      db,
      redis,
      sis,
      effectiveMode: s.effectiveMode,
      asr: s.asr,
      llm: s.llm,
    };
    return makeResult(ctx, { tz: ctx.shop.timeZone }, data, { sources: [SOURCE], window: today(ctx) });
  },
});

const RANK: Record<CheckLevel, number> = { ok: 0, warn: 1, fail: 2 };

/** What the checklist knows beyond ctx.system: the owner's notifications and the last capability probe. */
export type OnboardFacts = {
  /** Switched-on notification features of the asking owner; null when the owner is unknown. */
  notificationsOn: number | null;
  /** The cached SIS capability probe, when one was made within 6 h. */
  probe: CapabilityReport | null;
};

function capabilitiesItem(s: SystemInfo, probe: CapabilityReport | null): OnboardItem {
  if (!s.sisConfigured) return { key: "capabilities", level: "warn", reason: "no_sis" };
  if (!probe) return { key: "capabilities", level: "warn", reason: "not_probed" };
  const st = probe.probes.map((p) => p.status);
  if (st.every((x) => x === "unsupported")) return { key: "capabilities", level: "fail", reason: "none_supported" };
  if (st.some((x) => x === "misconfigured" || x === "offline")) return { key: "capabilities", level: "warn", reason: "probe_problems" };
  return { key: "capabilities", level: "ok", reason: "probed" };
}

/** The reference's checklist (§10.3) over what the bot knows; overall is the worst item. */
export function onboardChecklist(s: SystemInfo, facts: OnboardFacts = { notificationsOn: null, probe: null }): OnboardItem[] {
  const mode = selectedMode(s);
  const needsSis = mode !== "DEMO";
  const on = facts.notificationsOn;
  return [
    {
      key: "sis_connectivity",
      // Like the reference, from configuration only (no live call).
      level: s.sisConfigured ? "ok" : needsSis ? "fail" : "warn",
      reason: s.sisConfigured ? "configured" : needsSis ? "missing_for_mode" : "not_configured_demo",
    },
    {
      key: "upstream_mode",
      level: !needsSis || s.sisConfigured ? "ok" : "fail",
      reason: !needsSis ? "demo" : s.sisConfigured ? "sis_ready" : "sis_missing",
    },
    // A probe costs up to 5 s, so the checklist reads the last one (sis_actions_capabilities) instead of probing.
    capabilitiesItem(s, facts.probe),
    {
      key: "notifications",
      level: on === null || on === 0 ? "warn" : "ok",
      reason: on === null ? "unknown_owner" : on === 0 ? "none_on" : "some_on",
    },
    {
      key: "team_routing",
      level: s.managerChats > 0 ? "ok" : "warn",
      reason: s.managerChats > 0 ? "set" : "unset",
    },
  ];
}

async function onboardFacts(ctx: ToolContext): Promise<OnboardFacts> {
  const probe = ctx.sis ? cachedCapabilities(ctx.sis.baseUrl, ctx.now) : null;
  if (ctx.actorId === undefined) return { notificationsOn: null, probe };
  const n = await loadNotifySettings(ctx.db, ctx.actorId);
  const flags = [
    n.digest_enabled,
    n.weekly_enabled,
    n.ops_alerts_enabled,
    n.escalation_enabled,
    n.fx_delta_enabled,
    n.fx_apply_events_enabled,
  ];
  return { notificationsOn: flags.filter(Boolean).length, probe };
}

export const onboardStatus = defineTool({
  name: "onboard_status",
  version: "1.0",
  kind: "read",
  title: "Готовность бота",
  description: "Onboarding checklist: SIS connectivity, upstream mode, capabilities, notifications, team routing; overall = worst.",
  input: z.object({}),
  async run(_input, ctx) {
    const s = systemOf(ctx);
    const items = onboardChecklist(s, await onboardFacts(ctx));
    const overall = items.reduce<CheckLevel>((w, i) => (RANK[i.level] > RANK[w] ? i.level : w), "ok");
    const data: OnboardStatusData = { overall, items, selectedMode: selectedMode(s), managerChats: s.managerChats };
    return makeResult(ctx, { tz: ctx.shop.timeZone }, data, { sources: [SOURCE], window: today(ctx) });
  },
});
