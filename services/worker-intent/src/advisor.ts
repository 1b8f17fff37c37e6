import type { Redis } from "ioredis";
import { isActionName } from "@ownerbot/domain/actions";
import type { Reply, ShopSettings } from "@ownerbot/domain/contract";
import {
  adviceReply,
  type AdviceTopic,
  briefHeader,
  factLines,
  isMemoRequest,
  keptBriefNote,
  type MemoFact,
  memoReport,
  PLAYBOOKS,
  topicOf,
} from "@ownerbot/domain/advice";
import { isNumericAnswer, provenanceParts } from "@ownerbot/domain/quality";
import { HOME, nav } from "@ownerbot/domain/ui";
import { formatDateTime } from "@ownerbot/domain/format";
import type { BriefCache } from "./brief-cache.ts";
import type { DomainCtx } from "./handle.ts";
import type { ToolRunner } from "./tool-runner.ts";

// The advisor's data work behind its buttons and phrases: the data brief, «проверить данными»,
// «предложить действие» and the decision memo PDF. Numbers come only from read tools; everything
// the playbook says is a hypothesis.

/** How long «записка» without a topic means the topic of the last advice (reference: last advice 1800 s). */
const LAST_TOPIC_TTL_SEC = 1800;

export type AdvisorDeps = {
  redis: Redis;
  /** Redis key prefix of this deployment (QUEUE_PREFIX). */
  prefix: string;
  shop: ShopSettings;
  runTool: ToolRunner;
  preview: (tool: string, input: Record<string, unknown>, ctx: DomainCtx, notes?: string[]) => Promise<Reply[]>;
  shopNow: () => Promise<Date>;
  /** The kept briefs, and how long after a brief «обновить» shows the kept one (ADVICE_BRIEF_*). */
  briefs: BriefCache;
  briefCooldownSec: number;
};

export function createAdvisor(d: AdvisorDeps) {
  const lastKey = (chatId: number): string => `${d.prefix}:advice:last:${chatId}`;
  const remember = (chatId: number, topic: AdviceTopic): Promise<unknown> =>
    d.redis.set(lastKey(chatId), topic, "EX", LAST_TOPIC_TTL_SEC).catch(() => undefined);

  /** A topic's playbook; its topic is what a later «записка» without one is about. */
  async function advice(topic: AdviceTopic, ctx: DomainCtx): Promise<Reply> {
    await remember(ctx.chatId, topic);
    return adviceReply(topic);
  }

  /**
   * The brief runs the topic's read tools (at most four; an action among them is refused, never
   * previewed), «проверить данными» the next ones, «предложить действие» previews the playbook's one
   * action through the action pipeline (nothing commits without ✅).
   */
  async function step(which: "brief" | "refresh" | "check" | "act" | "memo", topic: AdviceTopic, ctx: DomainCtx): Promise<Reply[]> {
    const p = PLAYBOOKS[topic];
    await remember(ctx.chatId, topic);
    if (which === "memo") return memo(topic, ctx);
    if (which === "brief" || which === "refresh") return brief(topic, ctx, which === "refresh");
    if (which === "act") {
      const input = { ...p.action.input };
      if (p.action.tool === "create_coupon") {
        const pct = Number(input.percent_off ?? 10);
        input.code = `ADV${pct}-${(await d.shopNow()).toISOString().slice(5, 10).replace("-", "")}`;
        if (p.action.validHours) input.ends_at = new Date(Date.now() + p.action.validHours * 3_600_000).toISOString();
      }
      ctx.audit({ type: "advice_action_proposed", payload: { topic, tool: p.action.tool } });
      return d.preview(p.action.tool, input, ctx, [
        "🧠 Предложение советника (гипотеза): сначала предпросмотр, выполнится только после ✅.",
      ]);
    }
    const calls = p.validate.slice(0, 4);
    const replies = await reports(calls, ctx);
    ctx.audit({ type: "advice_validated", payload: { topic, tools: calls.map((c) => c.tool) } });
    return replies;
  }

  /** Read tools one after another; an action among them is refused, never previewed. */
  async function reports(calls: readonly { tool: string; input: Record<string, unknown> }[], ctx: DomainCtx): Promise<Reply[]> {
    const replies: Reply[] = [];
    for (const c of calls) {
      if (isActionName(c.tool)) {
        replies.push({ text: `⛔ ${c.tool}: в сводке советника только отчёты, действия не запускаются (REPORT_ONLY_ENFORCED).` });
        continue;
      }
      replies.push(...(await d.runTool(c.tool, c.input, ctx, { asked: { by: "button" } })));
    }
    return replies;
  }

  /**
   * The data brief: kept for ADVICE_BRIEF_CACHE_SEC and shown again from there (with when it was
   * gathered); a refresh runs the reports again unless the last run is within the cooldown.
   */
  async function brief(topic: AdviceTopic, ctx: DomainCtx, refresh: boolean): Promise<Reply[]> {
    const kept = await d.briefs.get(ctx.chatId, topic);
    if (kept) {
      const ageSec = Math.max(0, Math.floor((Date.now() - kept.builtAt) / 1000));
      const waitSec = d.briefCooldownSec - ageSec;
      if (!refresh || waitSec > 0) {
        ctx.audit({ type: "advice_brief_kept", payload: { topic, age_sec: ageSec, refresh } });
        const note = keptBriefNote(formatDateTime(new Date(kept.builtAt), d.shop.timeZone), refresh ? waitSec : undefined);
        const [head, ...rest] = kept.replies;
        return [{ ...head!, text: `${head!.text}\n${note}` }, ...rest];
      }
    }
    const calls = PLAYBOOKS[topic].brief.slice(0, 4);
    const tools = calls.map((c) => c.tool);
    const replies = [briefHeader(topic, tools), ...(await reports(calls, ctx))];
    ctx.audit({ type: "advice_brief_built", payload: { topic, tools, ...(refresh ? { refresh } : {}) } });
    await d.briefs.put(ctx.chatId, topic, { builtAt: Date.now(), replies });
    return replies;
  }

  /** One brief tool as a memo fact: its presented lines and provenance, or why it is left out. */
  async function fact(tool: string, input: Record<string, unknown>, ctx: DomainCtx): Promise<{ fact: MemoFact; asOf?: string }> {
    if (isActionName(tool)) return { fact: { kind: "missing", title: tool, why: "действие, в записку не входит (REPORT_ONLY_ENFORCED)." } };
    const { outcome, ctx: tctx } = await d.runTool.readOutcome(tool, input, ctx);
    const title = outcome.tool?.title ?? tool;
    if (!outcome.ok) return { fact: { kind: "missing", title, why: `данные не получены (${outcome.error.message})` } };
    if (isNumericAnswer(outcome) && outcome.result.provenance.sources.length === 0)
      return { fact: { kind: "missing", title, why: "у цифр не указан источник — в записку не включены." } };
    const lines = factLines(
      d.runTool
        .present(outcome, tctx)
        .map((r) => r.text)
        .join("\n"),
    );
    const { badge, sources, window, asOf } = provenanceParts(outcome, d.shop, tctx.now);
    return { fact: { kind: "data", title, lines, sources, window, asOf, badge }, asOf: outcome.result.asOf };
  }

  /** The decision memo: the brief's facts now, drawn as a PDF by the report worker and sent as a document. */
  async function memo(topic: AdviceTopic, ctx: DomainCtx): Promise<Reply[]> {
    const p = PLAYBOOKS[topic];
    const calls = p.brief.slice(0, 4);
    const facts: MemoFact[] = [];
    let dataAsOf: string | undefined;
    for (const c of calls) {
      const f = await fact(c.tool, c.input, ctx);
      facts.push(f.fact);
      dataAsOf ??= f.asOf;
    }
    // A memo with reports left out is coded "partial", so retro_gaps can list its topic.
    const leftOut = facts.filter((f) => f.kind === "missing").length;
    ctx.audit({
      type: "advice_memo_requested",
      payload: { topic, tools: calls.map((c) => c.tool), ...(leftOut > 0 ? { code: "partial", left_out: leftOut } : {}) },
    });
    const report = memoReport({ topic, facts, shop: d.shop, now: new Date(), ...(dataAsOf ? { dataAsOf } : {}) });
    return [
      {
        text: `📄 Записка «${p.title}»: собрал данные (${facts.filter((f) => f.kind === "data").length} из ${facts.length} отчётов), PDF пришлю следующим сообщением.`,
        buttons: [[nav("🧠 Советник", `advisor:preset:${topic}`), HOME]],
        report,
      },
    ];
  }

  /** «записка …» typed: the topic named in the text, else the last advice's; asked for when neither. */
  async function memoByPhrase(text: string, ctx: DomainCtx): Promise<Reply[]> {
    const named = topicOf(text);
    const last = named ?? ((await d.redis.get(lastKey(ctx.chatId)).catch(() => null)) as AdviceTopic | null);
    if (last && last in PLAYBOOKS) return step("memo", last, ctx);
    return [
      {
        text: "📄 Записка — по какой теме? Выберите тему:",
        buttons: [
          [nav("🌦 Сезон", "advisor:memo:SEASON_TRENDS"), nav("🏷 Акции", "advisor:memo:PROMO_STRATEGY")],
          [nav("💲 Цены", "advisor:memo:PRICING_STRATEGY"), nav("🗂 Ассортимент", "advisor:memo:ASSORTMENT_STRATEGY")],
          [nav("🔥 Приоритеты", "advisor:memo:OPS_PRIORITY"), nav("🚀 Рост", "advisor:memo:GROWTH_PLAN")],
          [HOME],
        ],
      },
    ];
  }

  return { advice, step, memoByPhrase, isMemoRequest };
}
