import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDelta, formatNumber, formatPercent } from "../format/numbers.ts";
import type { Delta, GapRow, RetroExportData, RetroGapsData, RetroSummaryData } from "../tools/results/retro.ts";
import { toolTitle } from "../intent/tool-names.ts";
import { PLAYBOOKS, type AdviceTopic } from "../advice/topics.ts";
import { errorKeyLabel } from "./audit-labels.ts";
import { blocks, footer, toolButton } from "./common.ts";

function line(label: string, d: Delta, locale: string): string {
  return `${label}: ${formatNumber(d.current, locale)} ${formatDelta(d.percent, locale)} (было ${formatNumber(d.previous, locale)})`;
}

export function presentRetroSummary(result: ToolResult<RetroSummaryData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const loc = ctx.shop.locale;
  const m = d.metrics;
  const lines = [
    line("Вызовы инструментов", m.toolCalls, loc),
    line("Из них с ошибкой бота", m.toolFailures, loc),
    line("Не найдено или неверный запрос", m.ownerMisses, loc),
    line("Ошибки в журнале", m.errors, loc),
    line("Непонятые запросы", m.unknownIntents, loc),
    line("Действия выполнены", m.actionsCommitted, loc),
  ];
  if (m.actionsFailed.current > 0) lines.push(line("Действия с ошибкой", m.actionsFailed, loc));
  if (m.llmPlanned.current + m.llmFallbacks.current > 0) {
    lines.push(line("Понято через LLM", m.llmPlanned, loc), line("LLM не понял (ответ с подсказкой)", m.llmFallbacks, loc));
    if (m.llmDisallowed.current > 0) lines.push(line("LLM предлагал запрещённые действия", m.llmDisallowed, loc));
  }
  lines.push(...advisorLines(d, loc));
  if (m.accessDenied.current > 0) lines.push(line("Чужие попытки доступа", m.accessDenied, loc));
  if (d.failureRatePct !== null) lines.push(`Доля ошибок: ${formatPercent(d.failureRatePct, loc, { sign: false })}`);
  const tools = d.topTools.map((t) => `• ${toolTitle(t.key)}: ${formatNumber(t.count, loc)}`);
  const errors = d.topErrors.map((t) => `• ${errorKeyLabel(t.key)}: ${formatNumber(t.count, loc)}`);
  return [
    {
      text: blocks(
        `🧭 Итоги бота за ${d.periodDays} дн.`,
        m.events.current === 0 ? "Событий за период нет." : lines,
        tools.length > 0 && ["Чаще всего:", ...tools],
        errors.length > 0 && ["Ошибки:", ...errors],
        footer(result),
      ),
      buttons: [
        [
          toolButton("🕳 Пробелы", "retro_gaps", { period_days: d.periodDays }),
          toolButton("📎 JSON", "retro_export", { period_days: d.periodDays }),
        ],
      ],
    },
  ];
}

/** The advisor's data work, when there was any in either period. */
function advisorLines(d: RetroSummaryData, loc: string): string[] {
  const a = d.advisor;
  if (Object.values(a).every((x) => x.current + x.previous === 0)) return [];
  const out = [line("Сводки советника по данным", a.briefs, loc), line("Записки советника", a.memos, loc)];
  if (a.checks.current > 0) out.push(line("Проверки советника данными", a.checks, loc));
  const parts = [`отправлено ${formatNumber(a.memosSent.current, loc)}`];
  if (a.memosFailed.current > 0) parts.push(`не отправлено ${formatNumber(a.memosFailed.current, loc)}`);
  if (a.memosPartial.current > 0) parts.push(`без части отчётов ${formatNumber(a.memosPartial.current, loc)}`);
  if (a.memos.current > 0 || a.memosSent.current + a.memosFailed.current > 0) out.push(`Из записок: ${parts.join(", ")}`);
  return out;
}

const topicTitle = (t: string): string => PLAYBOOKS[t as AdviceTopic]?.title ?? t;

function gapBlock(title: string, rows: GapRow[], locale: string): string[] | false {
  if (rows.length === 0) return false;
  return [title, ...rows.map((r) => `• ${toolTitle(r.tool)}: ${formatNumber(r.count, locale)} (было ${formatNumber(r.previous, locale)})`)];
}

export function presentRetroGaps(result: ToolResult<RetroGapsData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const loc = ctx.shop.locale;
  const lists = [d.unknownTools, d.notImplemented, d.invalidInput, d.notAllowed, d.wizardMissing, d.advisor];
  const empty = lists.every((l) => l.length === 0) && d.unknownIntents.current === 0;
  return [
    {
      text: blocks(
        `🕳 Пробелы бота за ${d.periodDays} дн.`,
        empty ? "Пробелов не найдено." : line("Непонятые запросы", d.unknownIntents, loc),
        gapBlock("Несуществующие инструменты:", d.unknownTools, loc),
        gapBlock("Нет в этой версии или у источника данных:", d.notImplemented, loc),
        gapBlock("Ошибки параметров:", d.invalidInput, loc),
        gapBlock("Запрещённые действия:", d.notAllowed, loc),
        d.wizardMissing.length > 0 && [
          "Не хватало параметров (спрашивал мастер):",
          ...d.wizardMissing.map(
            (r) => `• ${toolTitle(r.tool)} — ${r.fields}: ${formatNumber(r.count, loc)} (было ${formatNumber(r.previous, loc)})`,
          ),
        ],
        d.advisor.length > 0 && [
          "Записки советника с пробелами:",
          ...d.advisor.map((r) => {
            const what = [
              r.partial > 0 && `без части отчётов ${formatNumber(r.partial, loc)}`,
              r.failed > 0 && `не отправлено ${formatNumber(r.failed, loc)}`,
            ].filter(Boolean);
            return `• ${topicTitle(r.topic)}: ${what.join(", ")}`;
          }),
        ],
        d.hints.length > 0 && d.hints.map((h) => `👉 ${h}`),
        footer(result),
      ),
    },
  ];
}

export function presentRetroExport(result: ToolResult<RetroExportData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  return [
    {
      text: blocks(
        `📎 Итоги за ${d.summary.periodDays} дн. — файл ${d.filename} (${formatNumber(Math.ceil(d.bytes / 1024), ctx.shop.locale)} КБ)`,
        footer(result),
      ),
      ...(result.artifacts ? { artifacts: result.artifacts } : {}),
    },
  ];
}
