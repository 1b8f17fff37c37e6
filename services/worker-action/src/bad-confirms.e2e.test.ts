import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, type Sent } from "@ownerbot/testkit/owner-chat";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { actionChat, startActionWorld, type ActionChat } from "./testing/action-world.ts";

// RELIABILITY C2 / promise 5: an expired, cancelled, replayed, forged, another owner's or tampered
// confirm commits nothing, and each says why in its own words and leaves its own audit event.

const OTHER_OWNER = 1002;
let w: World;
let chat: ActionChat;
beforeAll(async () => {
  w = await startActionWorld({ OWNER_IDS: `${OWNER},${OTHER_OWNER}` });
  chat = actionChat(w);
});
afterAll(async () => w?.close());

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await w.t.pool.query(sql, params)).rows[0] as T;
}

/** A fresh preview of a +1 % price change of one product, and its action row. */
async function previewed(product: number): Promise<{ p: Sent; id: number }> {
  const p = await chat.ask(`подними цену товара ${product} на 1%`);
  const r = await one<{ id: number }>("SELECT max(id)::int AS id FROM actions");
  return { p, id: r.id };
}

/** Nothing of this action reached the shop: no ledger row, no commit event, the price as it was. */
async function nothingCommitted(id: number, product: number, priceBefore: number): Promise<void> {
  const a = await one<{ status: string; key: string }>("SELECT status, idempotency_key AS key FROM actions WHERE id = $1", [id]);
  expect(a.status).not.toBe("committed");
  expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM demo_action_ledger WHERE idempotency_key = $1", [a.key])).n).toBe(0);
  expect(
    (
      await one<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'action_committed' AND (payload->>'action_id')::int = $1",
        [id],
      )
    ).n,
  ).toBe(0);
  expect(await price(product)).toBe(priceBefore);
}

const price = async (n: number): Promise<number> =>
  (await one<{ price: number }>("SELECT price FROM demo_products WHERE product_id = $1", [`PRD-${String(n).padStart(5, "0")}`])).price;
const events = async (id: number): Promise<string[]> =>
  (
    await w.t.pool.query<{ e: string }>(
      "SELECT event_type || coalesce(':' || (payload->>'reason'), '') AS e FROM audit_events WHERE (payload->>'action_id')::int = $1 ORDER BY id",
      [id],
    )
  ).rows.map((r) => r.e);

describe("bad confirms commit nothing and say why", () => {
  it("expired: the press after ACTION_CONFIRM_TTL_SEC", async () => {
    const before = await price(2);
    const { p, id } = await previewed(2);
    // The clock of the row, moved as the TTL passing would move it.
    await w.t.pool.query("UPDATE actions SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    expect(await chat.press(p, /Подтвердить/)).toBe("Подтверждение истекло. Запусти действие снова.");
    expect(chat.textOf(p)).toContain("Подтверждение истекло");
    expect(await events(id)).toEqual(["action_previewed", "action_expired:expired"]);
    expect(await chat.press(p, /Подтвердить/)).toBe("Подтверждение истекло. Запусти действие снова.");
    await nothingCommitted(id, 2, before);
  });

  it("cancelled: ❌ edits to «Отменено.», a later ✅ says it was cancelled", async () => {
    const before = await price(3);
    const { p, id } = await previewed(3);
    expect(await chat.press(p, /Отменить/)).toBe("Отменено.");
    expect(chat.textOf(p)).toBe("Отменено.");
    expect(await chat.press(p, /Подтвердить/)).toBe("Действие отменено. Запусти его снова, если нужно.");
    expect(await events(id)).toEqual(["action_previewed", "action_cancelled:cancelled", "action_press_refused:was_cancelled"]);
    await nothingCommitted(id, 3, before);
  });

  it("replayed after the commit: «Уже выполнено.», one effect", async () => {
    const before = await price(4);
    const { p, id } = await previewed(4);
    expect(await chat.confirm(p)).toMatch(/^✅ Выполнено/);
    expect(await chat.press(p, /Подтвердить/)).toBe("Уже выполнено.");
    expect(await chat.press(p, /Отменить/)).toBe("Уже выполнено.");
    expect(await price(4)).toBeCloseTo(before * 1.01, 2);
    const key = (await one<{ key: string }>("SELECT idempotency_key AS key FROM actions WHERE id = $1", [id])).key;
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM demo_action_ledger WHERE idempotency_key = $1", [key])).n).toBe(1);
    expect(await events(id)).toEqual([
      "action_previewed",
      "action_confirmed:confirmed",
      "action_committed",
      "action_press_refused:done",
      "action_press_refused:done",
    ]);
  });

  it("forged: an unknown token, and a real token whose hash is not the action's", async () => {
    const before = await price(5);
    const { p, id } = await previewed(5);
    expect(await chat.press(p, /Подтвердить/, { data: "AAAAAAAAAAAAAAAAAAAAAA:0" })).toBe("Кнопка устарела. Открой меню заново: /start");
    const unknown = await one<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'callback_token_unknown'");
    expect(unknown.n).toBe(1);
    // A token in our own table that points at the action with another payload's hash.
    await w.t.pool.query(
      "INSERT INTO callback_tokens (token, chat_id, payload, expires_at) VALUES ('BBBBBBBBBBBBBBBBBBBBBB', $1, $2, now() + interval '1 hour')",
      [OWNER, JSON.stringify([{ t: "act", op: "confirm", id, hash: "0".repeat(64) }])],
    );
    expect(await chat.press(p, /Подтвердить/, { data: "BBBBBBBBBBBBBBBBBBBBBB:0" })).toBe(
      "Некорректное подтверждение. Запусти действие снова.",
    );
    await nothingCommitted(id, 5, before);
    expect(await events(id)).toEqual(["action_previewed", "action_press_refused:forged"]);
    // The forgery blocked nothing: the owner's own button still confirms.
    expect(await chat.confirm(p)).toMatch(/^✅/);
  });

  it("another owner's press: an alert, nothing committed; their own chat does not know the token", async () => {
    const before = await price(6);
    const { p, id } = await previewed(6);
    const since = w.tg.lastSeq();
    expect(await chat.press(p, /Подтвердить/, { user: OTHER_OWNER, chatId: OWNER })).toBe("Нет доступа для подтверждения.");
    const [answer] = await waitForCalls(w.tg, (c) => c.method === "answerCallbackQuery", 1, { since });
    expect(answer!.params.show_alert).toBe(true);
    expect(await chat.press(p, /Подтвердить/, { user: OTHER_OWNER })).toBe("Кнопка устарела. Открой меню заново: /start");
    expect(await events(id)).toEqual(["action_previewed", "action_denied:denied"]);
    await nothingCommitted(id, 6, before);
    expect((await one<{ status: string }>("SELECT status FROM actions WHERE id = $1", [id])).status).toBe("previewed");
  });

  it("payload altered in the database after the preview: blocked at the press", async () => {
    const before = await price(7);
    const { p, id } = await previewed(7);
    await w.t.pool.query("UPDATE actions SET payload = jsonb_set(payload, '{input,value}', '500') WHERE id = $1", [id]);
    expect(await chat.press(p, /Подтвердить/)).toBe(
      "Данные действия изменились после предпросмотра — выполнение заблокировано. Запусти действие снова.",
    );
    expect(chat.textOf(p)).toMatch(/^⛔/);
    expect((await one<{ status: string }>("SELECT status FROM actions WHERE id = $1", [id])).status).toBe("blocked");
    expect(await events(id)).toEqual(["action_previewed", "action_tamper_blocked:tampered"]);
    expect(await chat.press(p, /Подтвердить/)).toBe(
      "Действие заблокировано: его данные менялись после предпросмотра. Запусти действие снова.",
    );
    await nothingCommitted(id, 7, before);
  });

  it("payload altered between the confirm and the commit: worker-action re-checks the hash and blocks it", async () => {
    const before = await price(8);
    const { p, id } = await previewed(8);
    await w.stack["worker-action"]!.kill("SIGTERM");
    const since = w.tg.lastSeq();
    w.tg.pushCallback(OWNER, buttonData(p.params, /Подтвердить/), { messageId: chat.messageIdOf(p) });
    await waitForCalls(w.tg, (c) => c.ok && c.method === "editMessageText" && /Выполняю/.test(String(c.params.text)), 1, { since });
    await w.t.pool.query("UPDATE actions SET payload = jsonb_set(payload, '{input,value}', '500') WHERE id = $1", [id]);
    await w.stack.restart("worker-action", "SIGTERM");
    const [blocked] = await waitForCalls(w.tg, (c) => c.ok && c.method === "editMessageText" && /^⛔/.test(String(c.params.text)), 1, {
      since,
    });
    expect(String(blocked!.params.text)).toContain("выполнение заблокировано");
    expect((await one<{ status: string }>("SELECT status FROM actions WHERE id = $1", [id])).status).toBe("blocked");
    expect(await events(id)).toEqual(["action_previewed", "action_confirmed:confirmed", "action_tamper_blocked"]);
    await nothingCommitted(id, 8, before);
  });

  it("leaves a history the checker passes (promises 1–5)", async () => {
    await chat.settle();
    const report = await checkWorld(w, { owners: [OWNER, OTHER_OWNER] });
    expect(violated(report, [1, 2, 3, 4, 5, 8, 9]), formatHistory(report)).toEqual([]);
    expect(report.filter((r) => r.promise === 4 || r.promise === 5).map((r) => r.status)).toEqual(["checked", "checked"]);
  });
});
