import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/core/config";
import type { Reply } from "@ownerbot/domain/contract";
import type { ToolRegistry } from "@ownerbot/domain/tools";
import { ACTION_TOOLS, UNSUPPORTED_ACTIONS } from "@ownerbot/domain/actions";
import type { SystemCommand } from "@ownerbot/domain/intent";
import { helpReply, HOME, homePanel, type HomeStatus, modeLabel, nav, sectionPanel, templatesRoot } from "@ownerbot/domain/ui";
import type { DomainCtx } from "./handle.ts";
import { overrideKey, type RuntimeStatus } from "./status.ts";
import { createSisCommands, type SisCommandDeps } from "./sis-commands.ts";
import { sisConfigured } from "@ownerbot/domain/sis";

export type SystemDeps = {
  cfg: Config;
  redis: Redis;
  registry: ToolRegistry;
  clearTemplate: (chatId: number) => Promise<void>;
  sis: SisCommandDeps;
};

export function homeStatus(s: RuntimeStatus, cfg: Config): HomeStatus {
  return {
    db: s.db,
    redis: s.redis,
    mode: s.configuredMode,
    effectiveMode: s.effectiveMode,
    override: s.override,
    shopName: cfg.SHOP_ID,
    queueDepth: s.queues.intent,
    sendDepth: s.queues.send,
    reportDepth: s.queues.report,
    asrDepth: s.queues.asr,
    sisConfigured: sisConfigured(cfg),
    asr: s.asr,
    llm: s.llm,
  };
}

const yes = (b: boolean): string => (b ? "✅" : "—");
const depth = (n: number): string => (n < 0 ? "?" : String(n));
const queueLine = (q: RuntimeStatus["queues"]): string =>
  `запросы ${depth(q.intent)} · ответы ${depth(q.send)} · отчёты ${depth(q.report)} · голос ${depth(q.asr)}`;

/** Commands the worker answers itself: status, menus, the runtime mode switch. */
export function createSystemCommands(d: SystemDeps) {
  const { cfg } = d;
  const sis = createSisCommands(cfg, d.registry, d.sis);

  async function setMode(mode: "DEMO" | "SIS_HTTP" | "AUTO" | null, ctx: DomainCtx): Promise<Reply[]> {
    if (!cfg.UPSTREAM_RUNTIME_TOGGLE_ENABLED)
      return [{ text: "Переключение режима выключено настройкой UPSTREAM_RUNTIME_TOGGLE_ENABLED." }];
    if (mode === null) await d.redis.del(overrideKey(cfg));
    else await d.redis.set(overrideKey(cfg), mode);
    ctx.audit({ type: "upstream_mode_changed", payload: { override: mode } });
    const note = mode === null ? "Ручной выбор снят: режим из настроек." : `Режим данных: ${modeLabel(mode)}.`;
    const warn =
      mode !== null && mode !== "DEMO" && cfg.SIS_BASE_URL === ""
        ? "\n⚠️ SIS не настроен (SIS_BASE_URL пуст) — отчёты будут из демо-данных."
        : "";
    return [{ text: `🔌 ${note}${warn}`, buttons: [[nav("🔌 Данные", "upstream"), HOME]] }];
  }

  async function systems(ctx: DomainCtx): Promise<Reply[]> {
    if (!cfg.DIAGNOSTICS_ENABLED) return [{ text: "🩺 Диагностика выключена настройкой DIAGNOSTICS_ENABLED.", buttons: [[HOME]] }];
    const [s, sisLines] = await Promise.all([ctx.status(), sis.systemsLines()]);
    const text = [
      "🩺 Диагностика",
      `База: ${s.db ? "✅" : "❌"} · Redis: ${s.redis ? "✅" : "❌"}`,
      `Режим: ${modeLabel(s.effectiveMode)} (настроено ${s.configuredMode}${s.override ? `, вручную ${s.override}` : ""})`,
      `SIS: адрес ${yes(cfg.SIS_BASE_URL !== "")} · ключ ${yes(cfg.SIS_OWNERBOT_API_KEY !== "")}`,
      `Голос: ${cfg.ASR_PROVIDER === "openai" ? `OpenAI-совместимое распознавание, модель ${cfg.OPENAI_ASR_MODEL} · ключ ${yes(cfg.OPENAI_API_KEY !== "")}` : "демо-распознавание (ASR_PROVIDER=mock)"} · до ${cfg.ASR_MAX_SECONDS} с, до ${cfg.ASR_MAX_FILE_MB} МБ`,
      `LLM: ${cfg.LLM_PROVIDER}${cfg.LLM_PROVIDER === "OPENAI" ? ` · ключ ${yes(cfg.OPENAI_API_KEY !== "")}` : ""}`,
      ...sisLines,
      `Очереди: ${queueLine(s.queues)}`,
      `Магазин: ${cfg.SHOP_ID} · ${cfg.SHOP_CURRENCY} · ${cfg.OWNER_TZ}`,
    ].join("\n");
    ctx.audit({ type: "systems_check", payload: { db: s.db, redis: s.redis, mode: s.effectiveMode } });
    return [{ text, buttons: [[nav("⚙️ Система", "systems"), HOME]] }];
  }

  function toolsList(): Reply[] {
    const tools = d.registry.list();
    const group = (kind: string, title: string): string[] => {
      const lines = tools.filter((t) => t.kind === kind).map((t) => `• ${t.title} — ${t.name} v${t.version}`);
      return lines.length > 0 ? [`${title} (${lines.length}):`, ...lines] : [];
    };
    const text = [
      ...group("read", "🧰 Отчёты"),
      ...group("setting", "\n🔔 Настройки уведомлений (применяются сразу)"),
      `\n🛠 Действия (предпросмотр → подтверждение, ${ACTION_TOOLS.length}):`,
      ...ACTION_TOOLS.map((a) => `• ${a.title} — ${a.name} v1.0`),
      ...Object.keys(UNSUPPORTED_ACTIONS).map((n) => `• ${n} — заглушка: рекламные кампании не подключены`),
    ].join("\n");
    return [{ text, buttons: [[HOME]] }];
  }

  return async function run(name: SystemCommand, args: string, ctx: DomainCtx): Promise<Reply[]> {
    switch (name) {
      case "start":
      case "menu":
        return [homePanel(homeStatus(await ctx.status(), cfg))];
      case "help":
        return [helpReply()];
      case "tools":
        return toolsList();
      case "templates":
        await d.clearTemplate(ctx.chatId);
        return [templatesRoot()];
      case "systems":
        return systems(ctx);
      case "upstream": {
        const panel = sectionPanel("upstream", homeStatus(await ctx.status(), cfg));
        return panel ? [panel] : [];
      }
      case "upstream_demo":
        return setMode("DEMO", ctx);
      case "upstream_sis":
        return setMode("SIS_HTTP", ctx);
      case "upstream_auto":
        return setMode("AUTO", ctx);
      case "upstream_clear":
        return setMode(null, ctx);
      case "sis_check":
        return sis.sisCheck(ctx);
      case "shadow_check":
        return sis.shadowCheck(ctx);
      case "cancel":
        await d.clearTemplate(ctx.chatId);
        return [{ text: "Отменено.", buttons: [[HOME]] }];
      case "tpl_rate_set":
        // Answered by the domain (it needs the pending template); here only when called directly.
        return [
          { text: "Команда отвечает на шаг шаблона «Пересчитать цены по курсу»: запустите его в разделе «Цены».", buttons: [[HOME]] },
        ];
    }
  };
}
