import type pg from "pg";
import { PRESS_TEXTS } from "@ownerbot/domain/actions";
import type { PressOutcome } from "@ownerbot/core/db";
import type { CallbackAnswer } from "./fake-telegram/index.ts";
import { Tally } from "./history-records.ts";

// Promises 4 and 5 of RELIABILITY.md, read from the actions table, the DEMO ledger, the action
// audit events and what the fake Bot API answered to each press:
//   4. an action commits at most once however often it is confirmed: at most one winning confirm,
//      one commit event and one ledger row per key; a duplicate press is answered
//      "Уже выполняется. Подожди." or "Уже выполнено.";
//   5. an expired, cancelled, replayed or tampered confirm commits nothing and says why: such an
//      action has no ledger row and no commit, and each refused press got its own answer.

type ActionRow = { id: number; status: string; key: string; tool: string };
type PressRow = { action_id: number; event: string; reason: string | null; update: number | null };

export type ActionHistory = {
  actions: ActionRow[];
  /** Ledger rows per action (its key, or its plan steps' <key>:<step>). */
  ledger: Map<number, number>;
  commits: Map<number, number>;
  presses: PressRow[];
  /** Callback query id of each inbox row. */
  callbackOf: Map<number, string>;
  unknownTokenUpdates: number[];
};

/**
 * `upstreamEffects`: effects an upstream counted per idempotency key (the SIS simulator's applies);
 * an action committed through SIS has its effect there instead of in the DEMO ledger.
 */
export async function loadActionHistory(pool: pg.Pool, upstreamEffects?: ReadonlyMap<string, number>): Promise<ActionHistory | null> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('actions')::text AS t");
  if (exists.rows[0]?.t === null) return null;
  const [actions, ledger, events, callbacks] = await Promise.all([
    pool.query<ActionRow>("SELECT id::int, status, idempotency_key AS key, tool FROM actions ORDER BY id"),
    pool.query<{ id: number; n: number }>(
      `SELECT a.id::int, count(l.*)::int AS n FROM actions a
       JOIN demo_action_ledger l ON l.idempotency_key = a.idempotency_key OR l.idempotency_key LIKE a.idempotency_key || ':%'
       GROUP BY a.id`,
    ),
    pool.query<{ event: string; action_id: number | null; reason: string | null; update: number | null; cid: string | null }>(
      `SELECT event_type AS event, (payload->>'action_id')::int AS action_id, payload->>'reason' AS reason,
              (payload->>'update')::int AS update, correlation_id AS cid
       FROM audit_events WHERE event_type LIKE 'action\\_%' OR event_type = 'callback_token_unknown' ORDER BY id`,
    ),
    pool.query<{ id: number; cb: string }>(
      "SELECT id::int, payload->'callback_query'->>'id' AS cb FROM inbox WHERE payload ? 'callback_query'",
    ),
  ]);
  const commits = new Map<number, number>();
  const presses: PressRow[] = [];
  const unknown: number[] = [];
  const PRESS_EVENTS = new Set([
    "action_confirmed",
    "action_cancelled",
    "action_expired",
    "action_tamper_blocked",
    "action_denied",
    "action_press_refused",
  ]);
  for (const e of events.rows) {
    if (e.event === "callback_token_unknown") {
      const m = /^upd-(\d+)$/.exec(e.cid ?? "");
      if (m) unknown.push(Number(m[1]));
      continue;
    }
    if (e.action_id === null) continue;
    if (e.event === "action_committed") commits.set(e.action_id, (commits.get(e.action_id) ?? 0) + 1);
    // A tamper block found by worker-action (at commit) is not a press.
    if (PRESS_EVENTS.has(e.event) && e.update !== null)
      presses.push({ action_id: e.action_id, event: e.event, reason: e.reason, update: e.update });
  }
  const effects = new Map(ledger.rows.map((r) => [r.id, r.n]));
  for (const a of actions.rows) {
    const n = [...(upstreamEffects ?? new Map<string, number>())].reduce(
      (sum, [key, c]) => sum + (key === a.key || key.startsWith(`${a.key}:`) ? c : 0),
      0,
    );
    if (n > 0) effects.set(a.id, (effects.get(a.id) ?? 0) + n);
  }
  return {
    actions: actions.rows,
    ledger: effects,
    commits,
    presses,
    callbackOf: new Map(callbacks.rows.map((r) => [r.id, r.cb])),
    unknownTokenUpdates: unknown,
  };
}

function answerTexts(answers: readonly CallbackAnswer[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const a of answers) m.set(a.callback_query_id, [...(m.get(a.callback_query_id) ?? []), a.text ?? ""]);
  return m;
}

/** The answer each press had to get, by the outcome its audit event recorded. */
function expectedText(p: PressRow): string | undefined {
  const reason = (p.reason ?? "") as PressOutcome;
  return PRESS_TEXTS[reason];
}

function checkAnswer(t: Tally, h: ActionHistory, answers: Map<string, string[]>, p: PressRow, allowed: readonly string[]): void {
  const cb = p.update === null ? undefined : h.callbackOf.get(p.update);
  if (cb === undefined) return;
  const got = answers.get(cb) ?? [];
  if (got.length === 0) return; // unanswered presses are promise 3's
  if (!got.every((g) => allowed.includes(g)))
    t.add(
      `action ${p.action_id}: press (inbox ${p.update}, ${p.reason}) answered «${got.join(" | ")}», expected «${allowed.join("» or «")}»`,
    );
}

export function checkOnce(h: ActionHistory | null, answers: readonly CallbackAnswer[]): Tally {
  const t = new Tally();
  if (!h) return t;
  const byText = answerTexts(answers);
  const confirms = new Map<number, number>();
  for (const p of h.presses) if (p.event === "action_confirmed") confirms.set(p.action_id, (confirms.get(p.action_id) ?? 0) + 1);
  for (const a of h.actions) {
    const c = confirms.get(a.id) ?? 0;
    if (c > 1) t.add(`action ${a.id} confirmed by ${c} presses`);
    const n = h.commits.get(a.id) ?? 0;
    if (n > 1) t.add(`action ${a.id} (${a.tool}) committed ${n} times`);
    const steps = h.ledger.get(a.id) ?? 0;
    if (a.status === "committed" && a.tool !== "plan" && steps !== 1)
      t.add(`action ${a.id} (${a.tool}) committed with ${steps} ledger effects`);
  }
  for (const p of h.presses) {
    if (p.event === "action_confirmed") checkAnswer(t, h, byText, p, [PRESS_TEXTS.confirmed]);
    else if (p.reason === "running" || p.reason === "done") checkAnswer(t, h, byText, p, [PRESS_TEXTS.running, PRESS_TEXTS.done]);
  }
  return t;
}

const REFUSED = new Set(["expired", "was_cancelled", "forged", "tampered", "blocked", "denied", "missing", "failed", "cancelled"]);

export function checkBadConfirms(h: ActionHistory | null, answers: readonly CallbackAnswer[]): Tally {
  const t = new Tally();
  if (!h) return t;
  const byText = answerTexts(answers);
  for (const a of h.actions) {
    if (!["cancelled", "expired", "blocked", "previewed"].includes(a.status)) continue;
    const effects = h.ledger.get(a.id) ?? 0;
    if (effects > 0) t.add(`action ${a.id} is ${a.status} but has ${effects} ledger effects`);
    if ((h.commits.get(a.id) ?? 0) > 0) t.add(`action ${a.id} is ${a.status} but was committed`);
  }
  for (const p of h.presses) {
    if (!p.reason || !REFUSED.has(p.reason)) continue;
    const want = expectedText(p);
    if (want !== undefined) checkAnswer(t, h, byText, p, [want]);
  }
  for (const update of h.unknownTokenUpdates) {
    const cb = h.callbackOf.get(update);
    const got = cb ? (byText.get(cb) ?? []) : [];
    if (got.length > 0 && !got.every((g) => /Кнопка устарела/.test(g)))
      t.add(`unknown token (inbox ${update}) answered «${got.join(" | ")}»`);
  }
  return t;
}
