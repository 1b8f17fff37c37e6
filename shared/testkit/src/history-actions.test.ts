import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "./harness.ts";
import { checkBadConfirms, checkOnce, loadActionHistory } from "./history-actions.ts";
import type { CallbackAnswer } from "./fake-telegram/index.ts";

// Promises 4 and 5 of the history checker on hand-made histories: a clean one passes, and each
// kind of broken one is counted.

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.pool.query("TRUNCATE actions, demo_action_ledger, audit_events, inbox RESTART IDENTITY");
});

async function action(status: string, key: string): Promise<number> {
  const r = await t.pool.query<{ id: number }>(
    `INSERT INTO actions (cause, chat_id, owner_id, tool, payload, payload_hash, correlation_id, expires_at, status, idempotency_key)
     VALUES ($1, 1001, 1001, 'flag_order', '{}', ob_payload_hash('{}'), 'upd-1', now() + interval '5 minutes', $2, $3) RETURNING id`,
    [`upd:${key}`, status, key],
  );
  return r.rows[0]!.id;
}

/** A press (an inbox callback row) and its audit event; returns its callback query id. */
async function press(actionId: number, event: string, reason: string): Promise<string> {
  const cb = `cb-${actionId}-${Math.random().toString(36).slice(2, 8)}`;
  const r = await t.pool.query<{ id: number }>(
    "INSERT INTO inbox (bot_id, update_id, chat_id, user_id, kind, payload) VALUES (1, $1, 1001, 1001, 'callback', $2) RETURNING id",
    [Math.floor(Math.random() * 1e9), JSON.stringify({ callback_query: { id: cb } })],
  );
  await t.pool.query("INSERT INTO audit_events (event_type, correlation_id, actor_id, payload) VALUES ($1, 'upd-9', 1001, $2)", [
    event,
    JSON.stringify({ action_id: actionId, reason, update: r.rows[0]!.id }),
  ]);
  return cb;
}

const committed = (id: number) =>
  t.pool.query("INSERT INTO audit_events (event_type, correlation_id, payload) VALUES ('action_committed', 'upd-1', $1)", [
    JSON.stringify({ action_id: id }),
  ]);
const ledger = (key: string) =>
  t.pool.query("INSERT INTO demo_action_ledger (idempotency_key, tool, result) VALUES ($1, 'flag_order', '{}')", [key]);
const ans = (id: string, text: string): CallbackAnswer => ({ callback_query_id: id, text, at: 0 });

describe("promise 4: an action commits at most once", () => {
  it("passes one commit with one winning confirm and duplicates told so", async () => {
    const id = await action("committed", "k1");
    await ledger("k1");
    await committed(id);
    const win = await press(id, "action_confirmed", "confirmed");
    const dup = await press(id, "action_press_refused", "running");
    const late = await press(id, "action_press_refused", "done");
    const h = await loadActionHistory(t.pool);
    const answers = [ans(win, "Выполняю…"), ans(dup, "Уже выполняется. Подожди."), ans(late, "Уже выполнено.")];
    expect(checkOnce(h, answers).violations).toBe(0);
    expect(checkBadConfirms(h, answers).violations).toBe(0);
  });

  it("counts two commits, two winners, a commit without its ledger effect and a wrong duplicate answer", async () => {
    const a = await action("committed", "k2");
    await ledger("k2");
    await committed(a);
    await committed(a);
    const b = await action("committed", "k3");
    await committed(b);
    const w1 = await press(a, "action_confirmed", "confirmed");
    const w2 = await press(a, "action_confirmed", "confirmed");
    const dup = await press(a, "action_press_refused", "running");
    const t4 = checkOnce(await loadActionHistory(t.pool), [ans(w1, "Выполняю…"), ans(w2, "Выполняю…"), ans(dup, "Кнопка устарела")]);
    expect(t4.violations).toBe(4);
    expect(t4.examples.join("\n")).toMatch(/committed 2 times/);
    expect(t4.examples.join("\n")).toMatch(/confirmed by 2 presses/);
    expect(t4.examples.join("\n")).toMatch(/0 ledger effects/);
    expect(t4.examples.join("\n")).toMatch(/answered «Кнопка устарела»/);
  });
});

describe("promise 5: bad confirms commit nothing and say why", () => {
  it("counts an effect of a cancelled action and a refusal answered with the wrong words", async () => {
    const c = await action("cancelled", "k4");
    await ledger("k4");
    const e = await action("expired", "k5");
    const p = await press(e, "action_expired", "expired");
    const t5 = checkBadConfirms(await loadActionHistory(t.pool), [ans(p, "Уже выполнено.")]);
    expect(t5.violations).toBe(2);
    expect(t5.examples[0]).toContain(`action ${c} is cancelled but has 1 ledger effects`);
    expect(t5.examples[1]).toContain("expected «Подтверждение истекло. Запусти действие снова.»");
  });

  it("passes refusals answered with their own words", async () => {
    const e = await action("expired", "k6");
    const x = await press(e, "action_expired", "expired");
    const b = await action("blocked", "k7");
    const y = await press(b, "action_tamper_blocked", "tampered");
    const f = await action("previewed", "k8");
    const z = await press(f, "action_press_refused", "forged");
    const h = await loadActionHistory(t.pool);
    const answers = [
      ans(x, "Подтверждение истекло. Запусти действие снова."),
      ans(y, "Данные действия изменились после предпросмотра — выполнение заблокировано. Запусти действие снова."),
      ans(z, "Некорректное подтверждение. Запусти действие снова."),
    ];
    expect(checkBadConfirms(h, answers).violations).toBe(0);
  });
});
