import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import type { CapabilityKey, CapabilityStatus } from "../sis/capabilities.ts";
import { formatDateTime } from "../format/dates.ts";
import type { CapabilitiesData } from "../tools/results/capabilities.ts";
import { blocks, toolButton, warningLines } from "./common.ts";

const CAPABILITY_RU: Record<CapabilityKey, string> = {
  fx: "Курсы и пересчёт цен",
  prices_bump: "Массовое изменение цен",
  prices_rollback: "Откат пересчёта цен",
  discounts: "Скидки",
  products_publish: "Публикация товаров",
  looks_publish: "Публикация образов",
};

const STATUS_RU: Record<CapabilityStatus, string> = {
  supported: "✅ доступно",
  unsupported: "➖ не поддерживается этим SIS",
  misconfigured: "❌ отказ в доступе (ключ)",
  offline: "⚠️ нет ответа",
  unknown: "❔ неясно",
};

export function presentCapabilities(result: ToolResult<CapabilitiesData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const title = "🔌 Возможности SIS";
  if (d.baseUrl === null) {
    const lines = [
      "SIS не подключён: SIS_BASE_URL и SIS_OWNERBOT_API_KEY не заданы, проверять нечего.",
      `Режим данных: ${d.effectiveMode}.`,
      d.configuredMode === "DEMO"
        ? "В режиме DEMO отчёты строятся по демо-данным магазина. Действия с ценами, скидками и публикацией в этой версии ещё не подключены — ни в DEMO, ни с SIS."
        : "⚠️ Выбран режим с SIS — задайте адрес и ключ SIS в .env и перезапустите бота.",
    ];
    return [{ text: blocks(title, lines, warningLines(result)) }];
  }
  const lines = d.probes.map(
    (p) => `${STATUS_RU[p.status]} — ${CAPABILITY_RU[p.key]} (${p.method} ${p.endpoint}: ${p.statusCode || "—"}, ${p.latencyMs} мс)`,
  );
  const s = d.summary;
  const head = [`SIS: ${d.baseUrl}`, `Доступно ${s.supported} из ${d.probes.length}.`];
  const at = d.checkedAt ? formatDateTime(new Date(d.checkedAt), ctx.shop.timeZone, ctx.now) : "—";
  const cacheNote = !d.cached
    ? ""
    : s.offline > 0
      ? " (SIS не ответил недавно; новая попытка — через минуту или кнопкой ниже)"
      : " (из кэша, до 6 ч)";
  const foot = [`Проверено: ${at}${cacheNote}`, ...warningLines(result)];
  return [
    {
      text: blocks(title, head, lines, foot),
      buttons: [[toolButton("🔄 Проверить заново", "sis_actions_capabilities", { force_refresh: true })]],
    },
  ];
}
