import type { Config } from "@ownerbot/core/config";
import type { Db } from "@ownerbot/core/db";
import type { Reply, ShopSettings, ToolContext } from "@ownerbot/domain/contract";
import type { ToolRegistry } from "@ownerbot/domain/tools";
import { addDays, localDay } from "@ownerbot/domain/format";
import { HOME, nav } from "@ownerbot/domain/ui";
import { preflightProblems, type PreflightReport } from "@ownerbot/domain/preflight";
import type { Upstream } from "@ownerbot/domain/sis";
import type { DomainCtx } from "./handle.ts";

// /sis_check, /shadow_check and the SIS and preflight lines of /systems (reference §10.6).

export type SisCommandDeps = { upstream: Upstream; db: Db; shop: ShopSettings; preflight?: () => PreflightReport };

export type SisState = "ok" | "degraded" | "unavailable" | "disabled";
export type SisProbe = { state: SisState; lines: string[] };

const STATE_TEXT: Record<SisState, string> = {
  ok: "✅ работает",
  degraded: "⚠️ отвечает, но контракт нарушен",
  unavailable: "❌ недоступен",
  disabled: "— не настроен",
};
const BREAKER: Record<string, string> = { closed: "закрыт (запросы идут)", open: "открыт (запросы не идут)", half_open: "пробный запрос" };

/** Leaves that differ between two answers, as "path: демо X · SIS Y"; at most `max`. */
export function differences(a: unknown, b: unknown, path = "", max = 5, out: string[] = []): string[] {
  if (out.length >= max) return out;
  const norm = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);
  const x = norm(a);
  const y = norm(b);
  if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys)
      differences((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k, max, out);
    return out;
  }
  const same = typeof x === "number" && typeof y === "number" ? Math.abs(x - y) < 1e-9 : x === y;
  if (!same) out.push(`${path || "ответ"}: демо ${JSON.stringify(x) ?? "—"} · SIS ${JSON.stringify(y) ?? "—"}`);
  return out;
}

const withinMs = <T>(p: Promise<T>, ms: number, fallback: () => T): Promise<T> =>
  Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback()), ms).unref())]);

export function createSisCommands(cfg: Config, registry: ToolRegistry, d: SisCommandDeps) {
  const { upstream } = d;

  /** Ping with its latency, then the contract check (a validated kpi/summary), under `budgetMs`. */
  async function probe(budgetMs: number): Promise<SisProbe> {
    const sis = upstream.sis;
    if (!sis) return { state: "disabled", lines: ["SIS: SIS_BASE_URL и SIS_OWNERBOT_API_KEY не заданы."] };
    const run = async (): Promise<SisProbe> => {
      const lines: string[] = [];
      let pong;
      try {
        pong = await sis.ping();
        lines.push(`ping: ✅ ${pong.latencyMs} мс · магазин ${pong.shopId} · as_of ${pong.asOf.toISOString()}`);
      } catch (e) {
        return { state: "unavailable", lines: [`ping: ❌ ${(e as Error).message}`] };
      }
      if (!cfg.SIS_CONTRACT_CHECK_ENABLED)
        return { state: "ok", lines: [...lines, "Контракт: проверка выключена (SIS_CONTRACT_CHECK_ENABLED)"] };
      const today = localDay(pong.asOf, cfg.OWNER_TZ);
      try {
        const days = await sis.kpiDays(addDays(today, -1), today);
        lines.push(`Контракт kpi/summary: ✅ ${days.length} дн. в ожидаемом формате`);
        return { state: "ok", lines };
      } catch (e) {
        lines.push(`Контракт kpi/summary: ❌ ${(e as Error).message}`);
        return { state: "degraded", lines };
      }
    };
    return withinMs(run(), budgetMs, () => ({ state: "unavailable", lines: [`SIS не ответил за ${budgetMs / 1000} с.`] }));
  }

  function breakerLine(): string {
    return upstream.http ? `Выключатель: ${BREAKER[upstream.http.breakerState()] ?? upstream.http.breakerState()}` : "";
  }

  async function sisCheck(ctx: DomainCtx): Promise<Reply[]> {
    const p = await probe(Math.max(1000, cfg.INTENT_TIMEOUT_MS - 3000));
    ctx.audit({ type: "sis_check", payload: { state: p.state } });
    const host = cfg.SIS_BASE_URL === "" ? "—" : new URL(cfg.SIS_BASE_URL).host;
    const text = [`🔌 Проверка SIS: ${STATE_TEXT[p.state]}`, `Адрес: ${host}`, ...p.lines, breakerLine()]
      .filter((l) => l !== "")
      .join("\n");
    return [{ text, buttons: [[nav("🪞 Сверка демо и SIS", "cmd:shadow_check"), HOME]] }];
  }

  /** The same read questions against DEMO and SIS, differences item by item. */
  async function shadowCheck(ctx: DomainCtx): Promise<Reply[]> {
    if (!cfg.SHADOW_CHECK_ENABLED) return [{ text: "🪞 Сверка выключена настройкой SHADOW_CHECK_ENABLED.", buttons: [[HOME]] }];
    const sis = upstream.sis;
    if (!sis) return [{ text: "🪞 Сверка невозможна: SIS не настроен (SIS_BASE_URL, SIS_OWNERBOT_API_KEY).", buttons: [[HOME]] }];
    const base: ToolContext = { db: d.db, shop: d.shop, now: new Date(), correlationId: ctx.correlationId, actorId: ctx.userId };
    const questions: [string, Record<string, unknown>][] = [
      ["kpi_snapshot", {}],
      ["kpi_compare", { preset: "wow" }],
      ["revenue_trend", { days: 7 }],
      ["orders_search", { limit: 5 }],
    ];
    const lines: string[] = [];
    let same = 0;
    for (const [tool, input] of questions) {
      const [a, b] = await Promise.all([
        registry.run(tool, input, { ...base, provider: upstream.demo }),
        registry.run(tool, input, { ...base, provider: sis }),
      ]);
      const title = registry.get(tool)?.title ?? tool;
      if (!a.ok || !b.ok) {
        lines.push(`• ${title}: ${!b.ok ? `SIS — ${b.error.message}` : ""}${!a.ok ? ` демо — ${a.error.message}` : ""}`.trim());
        continue;
      }
      const diff = differences(a.result.data, b.result.data);
      if (diff.length === 0) {
        same++;
        lines.push(`• ${title}: ✅ совпадает`);
      } else lines.push(`• ${title}: ≠ различия`, ...diff.map((x) => `   ${x}`));
    }
    ctx.audit({ type: "shadow_check", payload: { questions: questions.length, same } });
    const text = [`🪞 Сверка демо и SIS: совпало ${same} из ${questions.length}`, ...lines].join("\n");
    return [{ text, buttons: [[nav("🔍 Проверить SIS", "cmd:sis_check"), HOME]] }];
  }

  /** The SIS, SizeBot and preflight lines of /systems. */
  async function systemsLines(): Promise<string[]> {
    const p = await probe(2000);
    const pre = d.preflight?.();
    const problems = pre ? preflightProblems(pre) : [];
    const preLine = !pre
      ? "Preflight: не выполнялся"
      : problems.length === 0
        ? "Preflight: ✅ всё в порядке"
        : `Preflight: ${pre.critical.length > 0 ? "❌" : "⚠️"} ${problems
            .slice(0, 5)
            .map((c) => c.code)
            .join(", ")}`;
    return [
      `SIS: ${STATE_TEXT[p.state]}`,
      ...p.lines.map((l) => `   ${l}`),
      ...(breakerLine() ? [`   ${breakerLine()}`] : []),
      `SizeBot: ${cfg.SIZEBOT_CHECK_ENABLED ? "проверка не подключена" : "выключен"}`,
      preLine,
    ];
  }

  return { sisCheck, shadowCheck, systemsLines, probe };
}
