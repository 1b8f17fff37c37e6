import type { Logger } from "@ownerbot/core/logger";
import { type AuditInsert, type Db, type OutboxInsert, type Queryable, writeNotification, type WrittenRows } from "@ownerbot/core/db";
import type { ShopSettings, ToolContext } from "@ownerbot/domain/contract";
import { splitMessage } from "@ownerbot/domain/format";
import { createRunner, sisFxStatus, toolEnv } from "@ownerbot/domain/tools";
import { opsSnapshot, evaluateOpsRules, type OpsSnapshot } from "@ownerbot/domain/digest";
import {
  cooledDown,
  escalationReasons,
  escalationStep,
  escalationText,
  fxApplyDecision,
  fxApplyText,
  fxDeltaDecision,
  fxDeltaText,
  fxRateOf,
  keyHash,
  loadNotifySettings,
  type NotifySettings,
  opsAlertDecision,
  opsAlertText,
  opsDedupeKey,
  opsRulesOf,
  parseLastApply,
} from "@ownerbot/domain/notify";
import { runDigest, runWeekly } from "./digests.ts";
import type { Effect } from "./effect.ts";

// One owner's turn in a tick, in the reference's order: FX status (read once) → FX delta → FX apply
// events → ops snapshot (read once) → ops alert → daily digest → escalation → weekly. A feature
// that throws is logged and audited as notify_error (at most hourly); the others still run.

export type OwnerDeps = {
  pool: Queryable;
  db: Db;
  shop: ShopSettings;
  log: Logger;
  /** Adds the jobs of rows a feature just wrote (the sweepers add them anyway if this is missing or fails). */
  onWritten?: (rows: WrittenRows) => Promise<void>;
};

const fxTools = createRunner([sisFxStatus]);

export function textRows(cause: string, chatId: number, texts: string[]): OutboxInsert[] {
  return texts
    .flatMap((t) => splitMessage(t))
    .map((text, seq) => ({
      cause,
      seq,
      chatId,
      method: "sendMessage",
      payload: { chat_id: chatId, text, link_preview_options: { is_disabled: true } },
    }));
}

export async function runOwner(d: OwnerDeps, ownerId: number, now: Date): Promise<{ sent: number; errors: number }> {
  const s: NotifySettings = await loadNotifySettings(d.db, ownerId);
  const ctx: ToolContext = { db: d.db, shop: d.shop, now, correlationId: `ntf-${ownerId}-${now.getTime()}`, actorId: ownerId };
  let sent = 0;
  let errors = 0;
  let errorNoticed = false;

  const apply = async (e: Effect): Promise<void> => {
    const outbox = e.cause && e.texts ? textRows(e.cause, ownerId, e.texts) : [];
    const r = await writeNotification(d.pool, { ownerId, state: e.state, outbox, reports: e.reports ?? [], audits: e.audits ?? [] });
    sent += r.outbox.length;
    await d.onWritten?.(r);
  };
  const audit = (type: string, payload: Record<string, unknown>): AuditInsert => ({
    type,
    actorId: ownerId,
    correlationId: ctx.correlationId,
    payload,
  });

  const guard = async (feature: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      errors++;
      d.log.warn({ err, owner_id: ownerId, feature }, "notify feature failed");
      if (errorNoticed || !cooledDown(s.last_error_notice_at, 1, now)) return;
      errorNoticed = true;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      await apply({ state: { last_error_notice_at: now }, audits: [audit("notify_error", { feature, error: message })] }).catch(
        (e2: unknown) => d.log.error({ err: e2, owner_id: ownerId }, "could not record notify_error"),
      );
    }
  };

  // FX status, once, when anything reads it.
  const wantsFx =
    s.fx_delta_enabled ||
    s.fx_apply_events_enabled ||
    (s.escalation_enabled && s.escalation_on_fx_failed) ||
    (s.digest_enabled && s.digest_quiet_enabled && s.digest_quiet_send_on_fx_failed);
  let fxStatus: unknown = null;
  if (wantsFx)
    await guard("fx_status", async () => {
      const out = await fxTools.run("sis_fx_status", {}, ctx);
      if (!out.ok) throw new Error(`sis_fx_status: ${out.error.code} ${out.error.message}`);
      fxStatus = out.result.data;
    });
  const lastApply = parseLastApply(fxStatus);
  const fxLastApplyFailed = lastApply.kind === "event" && lastApply.event.result === "failed";

  if (s.fx_delta_enabled && fxStatus !== null)
    await guard("fx_delta", async () => {
      // The stored base's rate is compared with the stored rate; without a stored base, or when it is
      // no longer quoted, the biggest mover is watched from now on and its rate told as a first notice.
      const r = fxRateOf(fxStatus, s.fx_delta_base);
      const dec = fxDeltaDecision(s, r, now);
      if (!dec.send || r === null) return;
      const base = r.base ?? s.fx_delta_base;
      const cause = `ntf:fxd:${ownerId}:${keyHash(`${base ?? "-"}|${dec.rate}|${s.fx_delta_last_notified_at?.toISOString() ?? "-"}`)}`;
      const gone =
        r.switched && s.fx_delta_base !== null
          ? [`Курса ${s.fx_delta_base} к ${d.shop.currency} больше нет — теперь слежу за ${r.base}.`]
          : [];
      await apply({
        state: { fx_delta_base: base, fx_delta_last_notified_rate: dec.rate, fx_delta_last_notified_at: now },
        cause,
        texts: [[fxDeltaText(dec.rate, r.label, dec.previous, dec.deltaPct, d.shop), ...gone].join("\n")],
        audits: [
          audit("notify_fx_delta_sent", { base, rate: dec.rate, previous: dec.previous, delta_pct: dec.deltaPct, switched: r.switched }),
        ],
      });
    });

  // DEMO's status has no last_apply: the feature stays idle there (and outside DEMO an absent one is skipped silently).
  if (s.fx_apply_events_enabled && fxStatus !== null)
    await guard("fx_apply", async () => {
      if (lastApply.kind === "absent") return;
      if (lastApply.kind === "problem") {
        if (!cooledDown(s.fx_apply_last_error_notice_at, 12, now)) return;
        await apply({
          state: { fx_apply_last_error_notice_at: now },
          audits: [audit("notify_fx_apply_parse_failed", { problem: lastApply.problem })],
        });
        return;
      }
      const e = lastApply.event;
      const dec = fxApplyDecision(s, e, now);
      if (!dec.send) {
        // A muted result is remembered so it is not looked at again.
        if (dec.why === "muted" && s.fx_apply_last_seen_key !== e.key) await apply({ state: { fx_apply_last_seen_key: e.key } });
        return;
      }
      await apply({
        state: { fx_apply_last_seen_key: e.key, fx_apply_last_sent_at: now },
        cause: `ntf:fxa:${ownerId}:${keyHash(e.key)}`,
        texts: [fxApplyText(e, d.shop, now)],
        audits: [audit("notify_fx_apply_event_sent", { key: e.key, result: e.result })],
      });
    });

  // Ops snapshot, once, for the ops alert and escalation (the digest reads its own with the same rules).
  let ops: OpsSnapshot | null = null;
  const rules = opsRulesOf(s);
  if (s.ops_alerts_enabled || s.escalation_enabled)
    await guard("ops_snapshot", async () => {
      ops = await opsSnapshot(ctx, rules);
    });

  const snap = ops as OpsSnapshot | null;
  if (s.ops_alerts_enabled && snap)
    await guard("ops_alert", async () => {
      const failed = (["unanswered", "stuck", "payment", "errors", "outOfStock", "lowStock"] as const).filter(
        (p) => snap[p].error !== undefined,
      );
      if (failed.length > 0 && cooledDown(s.ops_alerts_last_error_notice_at, 12, now))
        await apply({
          state: { ops_alerts_last_error_notice_at: now },
          audits: [audit("notify_ops_alert_tool_failed", { parts: failed, errors: failed.map((p) => snap[p].error) })],
        });
      const hits = evaluateOpsRules(snap, rules);
      const key = opsDedupeKey(snap, now);
      const dec = opsAlertDecision(s, key, hits.length, now);
      if (!dec.send) return;
      await apply({
        state: { ops_alerts_last_seen_key: key, ops_alerts_last_sent_at: now },
        cause: `ntf:ops:${ownerId}:${keyHash(key)}`,
        texts: [opsAlertText(snap, hits, d.shop, rules)],
        audits: [audit("notify_ops_alert_sent", { key, hits: hits.map((h) => ({ rule: h.rule, count: h.count })) })],
      });
    });

  await guard("digest", () => runDigest({ s, ctx, now, ownerId, apply, audit, fxLastApplyFailed }));

  if (s.escalation_enabled && snap)
    await guard("escalation", async () => {
      let unansweredSevere: number | null = null;
      if (s.escalation_on_unanswered_chats_severe) {
        // Measured with the escalation's own threshold (the reference compared against the ops snapshot's and never fired).
        const env = await toolEnv(ctx);
        const since = new Date(env.clock.now.getTime() - s.escalation_unanswered_threshold_hours * 3_600_000);
        unansweredSevere = (await env.provider.unansweredChats({ waitingSince: since, limit: 1, offset: 0 })).total;
      }
      const reasons = escalationReasons(s, {
        fxLastApplyFailed,
        outOfStock: snap.outOfStock.count,
        stuck: snap.stuck.count,
        errors: snap.errors.count,
        unansweredSevere,
      });
      const step = escalationStep(s, reasons, now);
      if (step.kind === "idle" || step.kind === "skip") return;
      if (step.kind === "reset" || step.kind === "remember") return apply({ state: step.patch });
      await apply({
        state: step.patch,
        cause: `ntf:esc:${ownerId}:${keyHash(`${step.key}|${step.firstSeenAt.toISOString()}`)}:${step.stage}`,
        texts: [escalationText(reasons, step.stage, step.firstSeenAt, now, d.shop)],
        audits: [audit("notify_escalation_sent", { key: step.key, stage: step.stage, reasons: reasons.map((r) => r.code) })],
      });
    });

  await guard("weekly", () => runWeekly({ s, ctx, now, ownerId, apply, audit, fxLastApplyFailed }));
  return { sent, errors };
}
