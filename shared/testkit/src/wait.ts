import type { CallRecord, FakeTelegram } from "./fake-telegram/index.ts";

/** Waits until `n` calls match, following the fake's event stream (no polling). */
export async function waitForCalls(
  tg: FakeTelegram,
  match: (c: CallRecord) => boolean,
  n: number,
  opts: { since?: number; timeoutMs?: number } = {},
): Promise<CallRecord[]> {
  const since = opts.since ?? 0;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let seen = tg.calls(since).filter(match);
  while (seen.length < n) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`expected ${n} matching calls, saw ${seen.length}`);
    const lastSeq = seen.at(-1)?.seq ?? since;
    await tg.waitForCall(match, left, lastSeq).catch(() => undefined);
    seen = tg.calls(since).filter(match);
  }
  return seen;
}

export const isReplyTo =
  (chatId: number) =>
  (c: CallRecord): boolean =>
    c.ok && (c.method === "sendMessage" || c.method === "editMessageText") && Number(c.params.chat_id) === chatId;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for a database condition in tests (Postgres has no event to wait on here). */
export async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(50);
  }
}
