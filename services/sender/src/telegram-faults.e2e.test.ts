import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";
import { checkHistory, formatHistory, violated } from "@ownerbot/testkit/history";
import { buttonData, ownerChat, startDemoWorld, type Sent } from "@ownerbot/testkit/owner-chat";
import { sleep, until } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";

// Fault E2 of RELIABILITY.md: Telegram answers with 429 storms, 502s and slow long polls while the
// owner and a few strangers write and tap. Afterwards the history checker must find nothing lost,
// every owner message answered once, every callback answered, strangers ignored and no secret out.

const BOT_TOKEN = "987654:E2-bot-token-secret-value";
const SIS_KEY = "sis-e2-secret-api-key";
const OPENAI_KEY = "sk-e2-openai-secret-key";
const STRANGERS = [3001, 3002, 3003];
const OWNER_TEXTS = ["выручка за неделю", "/start", "/help", "что с заказом 1001", "выручка за вчера", "/health"];
const SEND_METHODS = new Set(["sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument"]);

let w: World;
beforeAll(async () => {
  w = await startDemoWorld({
    env: { BOT_TOKEN, SIS_OWNERBOT_API_KEY: SIS_KEY, OPENAI_API_KEY: OPENAI_KEY, LOG_LEVEL: "info" },
  });
});
afterAll(async () => w?.close());

/** Owner texts, taps on an earlier reply's buttons and strangers' texts and forged taps, mixed. */
async function mixedTraffic(home: Sent, o: { ticks: number; tickMs: number }): Promise<number> {
  const messageId = (home.result as { message_id: number }).message_id;
  const taps = [/Отчёты/, /Заказы/].map((label) => buttonData(home.params, label));
  let pushed = 0;
  for (let i = 0; i < o.ticks; i++) {
    w.tg.pushText(OWNER, OWNER_TEXTS[i % OWNER_TEXTS.length]!);
    w.tg.pushText(OWNER, OWNER_TEXTS[(i * 7 + 3) % OWNER_TEXTS.length]!);
    pushed += 2;
    if (i % 3 === 0) {
      w.tg.pushCallback(OWNER, taps[i % taps.length]!, { messageId });
      pushed++;
    }
    const stranger = STRANGERS[i % STRANGERS.length]!;
    if (i % 2 === 0) w.tg.pushText(stranger, i % 4 === 0 ? "/start" : "дай выручку");
    else w.tg.pushCallback(stranger, `forged-${i}`);
    pushed++;
    await sleep(o.tickMs);
  }
  return pushed;
}

const retryAfterOf = (c: CallRecord): number => Number(/retry after (\d+)/.exec(c.error ?? "")?.[1] ?? NaN);

describe("fault E2: Telegram 429 storms, 502s and slow getUpdates", () => {
  it("loses nothing, answers every owner message once and every callback, and honours retry_after", async () => {
    const chat = ownerChat(w.tg, 30_000);
    const home = await chat.ask("/start");
    const since = w.tg.lastSeq();
    // Counted from here, so a retry of this test in the same world counts only its own updates.
    const countInbox = async () => (await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox")).rows[0]!.n;
    const storedBefore = await countInbox();

    w.tg.setFault({ method: "sendMessage", kind: "429", retryAfter: 2, probability: 0.05 });
    w.tg.setFault({ method: "sendMessage", kind: "429", retryAfter: 1, probability: 0.1 });
    w.tg.setFault({ method: "sendMessage", kind: "5xx", probability: 0.15 });
    w.tg.setFault({ method: "answerCallbackQuery", kind: "5xx", probability: 0.3 });
    w.tg.setFault({ method: "editMessageText", kind: "5xx", probability: 0.3 });
    w.tg.setFault({ method: "getUpdates", kind: "slow", delayMs: 1500, probability: 0.3 });
    const ticks = 130;
    const pushed = await mixedTraffic(home, { ticks, tickMs: 110 });
    // Each 429 holds the owner's chat back 1-2 s, so the storm outlasts the traffic to reach the backlog.
    await sleep(6000);
    w.tg.clearFaults();

    await until(async () => {
      const { rows } = await w.t.pool.query<{ open: number }>(
        `SELECT (SELECT count(*) FROM inbox WHERE status IN ('new', 'claimed'))::int
              + (SELECT count(*) FROM outbox WHERE status IN ('pending', 'claimed'))::int AS open`,
      );
      return w.tg.pendingCount() === 0 && rows[0]?.open === 0;
    }, 40_000);
    // The sender records "sent" just after Telegram answers (asynchronous commit).
    await sleep(300);

    const calls = w.tg.calls(since);
    // Per tick two owner texts and one stranger update; an owner tap every third tick.
    expect(pushed).toBe(ticks * 3 + Math.ceil(ticks / 3));
    expect(await countInbox()).toBe(storedBefore + pushed);

    const logs = w.stack.logs();
    // Promise 9 reads real log lines (LOG_LEVEL=info), not an empty capture.
    expect(logs.split("\n").filter((l) => l.startsWith("{")).length).toBeGreaterThan(10);
    const report = await checkHistory({
      tg: w.tg,
      pool: w.t.pool,
      owners: [OWNER],
      logs,
      secrets: [BOT_TOKEN, SIS_KEY, OPENAI_KEY],
    });
    expect(violated(report, [1, 2, 3, 7, 8, 9]), formatHistory(report)).toEqual([]);

    const faults = calls.filter((c) => c.fault !== undefined && c.fault !== "slow");
    // The storm really happened: every kind of injected failure hit the pipeline.
    // Edits come only from the owner's taps, and how many taps end in a panel edit depends on the
    // machine's load (a tap that waits behind a busy chat may be answered without one); the edit
    // fault is expected once there were enough edits for a 30 % fault to be all but certain.
    const edits = calls.filter((c) => c.method === "editMessageText").length;
    const kinds = new Set(faults.map((c) => `${c.method}/${c.fault}`));
    if (edits < 20) kinds.delete("editMessageText/5xx");
    expect(kinds).toEqual(
      new Set(["sendMessage/429", "sendMessage/5xx", "answerCallbackQuery/5xx", ...(edits >= 20 ? ["editMessageText/5xx"] : [])]),
    );
    expect(calls.some((c) => c.method === "getUpdates" && c.fault === "slow")).toBe(true);
    // retry_after: after a 429 nothing more goes to that chat before the time Telegram named.
    const early: string[] = [];
    for (const c of calls.filter((x) => x.errorCode === 429)) {
      const until = c.at + retryAfterOf(c) * 1000;
      const next = calls.find((x) => x.seq > c.seq && SEND_METHODS.has(x.method) && x.params.chat_id === c.params.chat_id);
      if (next && next.at < until) early.push(`#${next.seq} ${next.at - c.at} ms after 429 #${c.seq} (retry_after ${retryAfterOf(c)} s)`);
    }
    expect(calls.filter((x) => x.errorCode === 429).length).toBeGreaterThan(3);
    expect(early).toEqual([]);
  });
});
