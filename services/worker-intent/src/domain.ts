import type pg from "pg";
import type { Redis } from "ioredis";
import type { Config } from "@ownerbot/shared/config/index";
import type { Logger } from "@ownerbot/shared/logger/index";
import type { Reply } from "@ownerbot/shared/domain/contract";
import type { DomainHandlers } from "./handle.ts";
import type { RuntimeStatus } from "./status.ts";

export type DomainDeps = { cfg: Config; pool: pg.Pool; redis: Redis; log: Logger };

const yes = (ok: boolean): string => (ok ? "✅" : "❌");

export function statusText(s: RuntimeStatus, cfg: Config): string {
  const mode = s.effectiveMode === s.configuredMode ? s.effectiveMode : `${s.effectiveMode} (в настройках ${s.configuredMode})`;
  return [
    "🏠 OwnerBot",
    `Магазин: ${cfg.SHOP_ID} · ${cfg.SHOP_CURRENCY} · ${cfg.OWNER_TZ}`,
    `Данные: ${mode}`,
    `База: ${yes(s.db)} · Redis: ${yes(s.redis)}`,
    `Голос: ${s.asr} · LLM: ${s.llm === "OFF" ? "выключен" : s.llm}`,
    `Очереди: обработка ${s.queues.intent} · отправка ${s.queues.send}`,
  ].join("\n");
}

const HELP = [
  "Что я умею — просто напиши:",
  "• выручка за неделю",
  "• сравни с прошлой неделей",
  "• что с заказом 1234",
  "• топ товаров за месяц",
  "• сколько осталось на складе",
  "• зависшие заказы",
  "• неотвеченные чаты",
  "• воронка за 30 дней",
  "Меню: /start",
].join("\n");

export function createDomain(d: DomainDeps): DomainHandlers {
  const home = async (status: () => Promise<RuntimeStatus>): Promise<Reply[]> => [
    { text: statusText(await status(), d.cfg), buttons: [[{ text: "❓ Помощь", action: { t: "nav", to: "help" } }]], editInPlace: true },
  ];
  return {
    command: async (name, _args, ctx) => {
      if (name === "start" || name === "menu") return home(ctx.status);
      if (name === "help") return [{ text: HELP }];
      return [{ text: `Команда /${name} пока не поддерживается. Список: /help` }];
    },
    text: async () => [{ text: `Не понял запрос.\n\n${HELP}` }],
    action: async (action, ctx) => {
      if (action.t === "nav" && action.to === "help") return [{ text: HELP, editInPlace: true, buttons: [[{ text: "🏠 Меню", action: { t: "nav", to: "home" } }]] }];
      if (action.t === "nav" && action.to === "home") return home(ctx.status);
      return [];
    },
    voice: async () => [{ text: "Голосовые сообщения скоро будут понимать — пока напиши текстом." }],
  };
}
