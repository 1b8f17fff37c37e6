import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intentAnswer, startFakeOpenAi } from "@ownerbot/testkit/fake-openai";
import { startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";

// The LLM planner end to end with LLM_PROVIDER=OPENAI against the fake OpenAI-compatible server:
// the real client sends chat completions with the JSON schema; the fake's scripted answers and
// faults decide what the "model" says. Nothing in the bot is mocked.

const KEY = "sk-e2e-llm-key-9a8b7c6d5e";
const OTHER = 1002;
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
let w: World;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  w = await startDemoWorld({
    env: {
      OWNER_IDS: `${OWNER},${OTHER}`,
      LLM_PROVIDER: "OPENAI",
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: KEY,
      OPENAI_LLM_MODEL: "planner-test",
      LLM_TIMEOUT_SECONDS: "2",
      LLM_ORDER_WAIT_SEC: "1",
      LLM_MAX_ATTEMPTS: "2",
      LLM_ALLOWED_ACTION_TOOLS: "notify_team",
      MANAGER_CHAT_IDS: "5001",
    },
  });
});
afterAll(async () => {
  await w?.close();
  await fake?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");

/** Pushes an owner text and returns the bot's calls for it: «Думаю…» first, then the edit with the answer (and more). */
async function askPlanner(phrase: string, n = 2): Promise<CallRecord[]> {
  const since = w.tg.lastSeq();
  w.tg.pushText(OWNER, phrase);
  const calls = await waitForCalls(w.tg, isReplyTo(OWNER), n, { since, timeoutMs: 20_000 });
  // On a busy machine a planned answer can take longer than LLM_ORDER_WAIT_SEC (1 s here): the
  // owner then also gets «Думаю дольше», and the answer comes after it. That notice is the stall
  // test's subject; here it is only skipped.
  const late = calls.filter((c) => /Думаю дольше/.test(text(c))).length;
  if (late === 0 || n !== 2) return calls;
  const all = await waitForCalls(w.tg, isReplyTo(OWNER), n + late, { since, timeoutMs: 20_000 });
  return all.filter((c) => !/Думаю дольше/.test(text(c)));
}

async function actionRows(): Promise<number> {
  const { rows } = await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM actions");
  return rows[0]!.n;
}

describe("LLM planner against an OpenAI-compatible server", () => {
  it("answers a text no rule matches with the tool the model chose, after «Думаю…»", async () => {
    fake.chat.answer(intentAnswer({ tool: "inventory_status", payload: {} }));
    const [status, answer] = await askPlanner("как поживает мой магазинчик");
    expect(text(status!)).toBe("🤔 Думаю…");
    expect(answer!.method).toBe("editMessageText");
    expect(answer!.params.message_id).toBe((status!.result as { message_id: number }).message_id);
    expect(text(answer!)).not.toMatch(/Не понял/);
    expect(text(answer!)).toMatch(/склад|Склад|остат|Остат/);

    // What the server got: the model, a strict JSON schema, the owner's words, the registry's tools in the prompt.
    const req = fake.chat.received.at(-1)!;
    expect(req.model).toBe("planner-test");
    expect(req.user).toBe("как поживает мой магазинчик");
    expect(req.responseFormat).toMatchObject({ type: "json_schema", json_schema: { strict: true } });
    expect(req.system).toMatch(/- inventory_status \(read; Склад и каталог\)/);
    expect(req.system).toMatch(/- notify_team \(action;/);
    expect(req.system).not.toMatch(/- sis_prices_bump/);
    expect(req.system).toMatch(/не придумывай числа/);
  });

  it.each([
    ["an unknown tool", intentAnswer({ tool: "delete_everything", payload: {} }), /Такого отчёта у меня нет/],
    ["an action not allowed", intentAnswer({ tool: "sis_prices_bump", payload: { bump_percent: "50" } }), /не запускаю/],
    ["content that is not JSON", "конечно! вот ваш ответ", /Переформулируйте/],
    ["JSON that breaks the schema", { intent_kind: "TOOL", tool: "kpi_snapshot", confidence: 7 }, /Переформулируйте/],
    ["a payload the tool rejects", intentAnswer({ tool: "revenue_trend", payload: { days: 100000 } }), /Такого отчёта/],
  ])("%s → «не понял» with a hint, nothing run", async (_name, content, hint) => {
    const before = await actionRows();
    fake.chat.answer(content);
    const [status, answer] = await askPlanner("сделай что-нибудь эдакое с магазином");
    expect(text(status!)).toBe("🤔 Думаю…");
    expect(text(answer!)).toMatch(/^🤔 Не понял запрос\./);
    expect(text(answer!)).toMatch(hint);
    expect(await actionRows()).toBe(before);
    const { rows } = await w.t.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'llm_intent_failed'",
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it("an allowed action becomes a preview only", async () => {
    const before = await actionRows();
    fake.chat.answer(intentAnswer({ tool: "notify_team", payload: { message: "Проверьте склад" } }));
    const calls = await askPlanner("шепни ребятам пару слов");
    expect(text(calls[1]!)).toMatch(/Проверьте склад/);
    expect(await actionRows()).toBe(before + 1);
    const { rows } = await w.t.pool.query<{ status: string }>("SELECT status FROM actions ORDER BY id DESC LIMIT 1");
    expect(rows[0]!.status).toBe("previewed");
  });

  it("an allowed action missing its parameters goes to the parameter wizard, then the preview", async () => {
    const before = await actionRows();
    fake.chat.answer(intentAnswer({ tool: "notify_team", payload: {} }));
    const calls = await askPlanner("черкни ребятам пару слов");
    expect(text(calls[1]!)).toContain("Что написать команде?");
    expect(await actionRows()).toBe(before);
    const since = w.tg.lastSeq();
    w.tg.pushText(OWNER, "Склад пуст, закажите упаковку");
    const [preview] = await waitForCalls(w.tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(text(preview!)).toContain("Склад пуст, закажите упаковку");
    expect(text(preview!)).toContain("предпросмотр");
    expect(await actionRows()).toBe(before + 1);
  });

  it("a stalled LLM: the owner is told once, /start and rule-routed messages are not held", async () => {
    fake.setFault({ mode: "stall", count: 2 });
    const since = w.tg.lastSeq();
    const t0 = performance.now();
    w.tg.pushText(OWNER, "придумай что-нибудь необычное");
    // Another chat's rule-routed message while the planner hangs.
    w.tg.pushText(OTHER, "выручка за неделю");
    const [other] = await waitForCalls(w.tg, isReplyTo(OTHER), 1, { since, timeoutMs: 10_000 });
    const otherMs = performance.now() - t0;
    expect(text(other!)).toMatch(/Выручка|выручка/);

    const [thinking, late] = await waitForCalls(w.tg, isReplyTo(OWNER), 2, { since, timeoutMs: 10_000 });
    expect(text(thinking!)).toBe("🤔 Думаю…");
    expect(text(late!)).toMatch(/^🤔 Думаю дольше обычного/);
    // The same chat goes on once the bounded wait is over.
    const s2 = w.tg.lastSeq();
    const t1 = performance.now();
    w.tg.pushText(OWNER, "/start");
    const [start] = await waitForCalls(w.tg, isReplyTo(OWNER), 1, { since: s2, timeoutMs: 10_000 });
    const startMs = performance.now() - t1;
    expect(start!.method).toBe("sendMessage");
    // Two stalled attempts of LLM_TIMEOUT_SECONDS each, then the owner hears the planner is unavailable, as a reply to the question.
    const all = await waitForCalls(w.tg, isReplyTo(OWNER), 4, { since, timeoutMs: 20_000 });
    const final = all.find((c) => /недоступен/.test(text(c)))!;
    expect(final).toBeDefined();
    expect(all.filter((c) => /Думаю дольше/.test(text(c)))).toHaveLength(1);
    console.log(
      `LLM stall: other chat's rule reply ${Math.round(otherMs)} ms, same chat /start after the notice ${Math.round(startMs)} ms`,
    );
    expect(otherMs).toBeLessThan(2000);
    expect(startMs).toBeLessThan(2000);
  });
});
