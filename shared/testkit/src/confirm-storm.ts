import type { CallRecord, FakeTelegram } from "./fake-telegram/index.ts";
import { buttonData } from "./owner-chat.ts";
import { sleep, waitForCalls } from "./wait.ts";

// RELIABILITY C1 as a driver, for the e2e test and bench/actions.ts: many previews, then every
// one's ✅ pressed many times at once, as from several devices.

export type Preview = { messageId: number; data: string; text: string };

/** Sends each text as `owner` and collects the previews (✅ button and message) in the same order. */
export async function previewMany(tg: FakeTelegram, owner: number, texts: readonly string[], timeoutMs = 120_000): Promise<Preview[]> {
  const since = tg.lastSeq();
  for (const t of texts) tg.pushText(owner, t);
  const isPreview = (c: CallRecord): boolean =>
    c.ok && c.method === "sendMessage" && Number(c.params.chat_id) === owner && /предпросмотр/.test(String(c.params.text));
  const calls = await waitForCalls(tg, isPreview, texts.length, { since, timeoutMs });
  return calls.map((c) => ({
    messageId: (c.result as { message_id: number }).message_id,
    data: buttonData(c.params, /Подтвердить/),
    text: String(c.params.text),
  }));
}

/** Deterministic shuffle (mulberry32), so a failing storm can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Presses every preview's ✅ `times` times, all pushed at once in a shuffled order; returns the callback ids per preview. */
export function pressStorm(tg: FakeTelegram, owner: number, previews: readonly Preview[], times: number, seed = 11): Map<string, number> {
  const presses: { p: number }[] = [];
  for (let k = 0; k < times; k++) for (let p = 0; p < previews.length; p++) presses.push({ p });
  const ids = new Map<string, number>();
  for (const { p } of shuffled(presses, seed)) {
    const pv = previews[p] as Preview;
    const u = tg.pushCallback(owner, pv.data, { messageId: pv.messageId });
    if (u.callback_query) ids.set(u.callback_query.id, p);
  }
  return ids;
}

/** Waits until every one of these callbacks has an answer. */
export async function answered(tg: FakeTelegram, ids: ReadonlyMap<string, number>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = new Set(tg.callbackAnswers().map((a) => a.callback_query_id));
    let missing = 0;
    for (const id of ids.keys()) if (!seen.has(id)) missing++;
    if (missing === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing} of ${ids.size} presses unanswered`);
    const last = tg.lastSeq();
    await tg.waitForCall((c) => c.method === "answerCallbackQuery", Math.min(1000, deadline - Date.now()), last).catch(() => sleep(10));
  }
}
