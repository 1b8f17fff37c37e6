import { buttonData, ownerChat, startDemoWorld, type OwnerChat, type Sent } from "@ownerbot/testkit/owner-chat";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";
import { until, waitForCalls } from "@ownerbot/testkit/wait";
import type { TestEnv } from "@ownerbot/testkit/harness";
import { OWNER, type World } from "@ownerbot/testkit/world";

// The e2e world of the action tests: a demo shop, the pipeline with worker-action, two team chats
// the fake Bot API knows (and MANAGER_CHAT_IDS names) plus one it does not, for partial delivery.

export const TEAM = [-500, -600];
export const UNKNOWN_TEAM_CHAT = -700;

export async function startActionWorld(
  env: Record<string, string> = {},
  o: { unknownTeamChat?: boolean } = {},
  before?: (t: TestEnv) => Promise<void>,
): Promise<World> {
  const team = o.unknownTeamChat ? [...TEAM, UNKNOWN_TEAM_CHAT] : TEAM;
  const full: Record<string, string> = { MANAGER_CHAT_IDS: team.join(","), ...env };
  const w = await startDemoWorld({
    env: full,
    action: true,
    // `env` may be changed by the hook (a proxy's address): copy it in before the services start.
    before: async (t) => {
      await before?.(t);
      Object.assign(full, env);
    },
  });
  for (const c of TEAM) w.tg.addChat(c, { type: "group", title: `team ${c}` });
  return w;
}

const messageIdOf = (s: Sent): number => (s.result as { message_id: number }).message_id;

/** An outcome on the preview message: committed, failed or blocked (not the "Выполняю…" in between). */
const isOutcome = (messageId: number) => (c: CallRecord) =>
  c.ok && c.method === "editMessageText" && c.params.message_id === messageId && /^(✅|❌|⛔)/.test(String(c.params.text));

export function actionChat(w: World, timeoutMs = 20_000) {
  const chat: OwnerChat = ownerChat(w.tg, timeoutMs);
  /** Until every action has ended and every reply is out, so the next question's answer is not an earlier edit. */
  const settle = (): Promise<void> =>
    until(async () => {
      const r = await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed')");
      const a = await w.t.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM actions WHERE status IN ('confirmed', 'in_progress') OR delivery = 'pending'",
      );
      return r.rows[0]?.n === 0 && a.rows[0]?.n === 0;
    }, timeoutMs);
  return {
    ...chat,
    settle,
    async ask(text: string): Promise<Sent> {
      await settle();
      return chat.ask(text);
    },
    async tap(on: Sent, label: RegExp, method?: string): Promise<Sent> {
      await settle();
      return chat.tap(on, label, method);
    },
    /** Presses a button of `on` as `user` (in `chatId`), returns the press's answer text. */
    async press(on: Sent, label: RegExp, o: { user?: number; chatId?: number; data?: string } = {}): Promise<string> {
      const since = w.tg.lastSeq();
      const data = o.data ?? buttonData(on.params, label);
      const u = w.tg.pushCallback(o.user ?? OWNER, data, {
        messageId: messageIdOf(on),
        ...(o.chatId !== undefined ? { chatId: o.chatId } : {}),
      });
      const id = u.callback_query?.id;
      const [c] = await waitForCalls(w.tg, (x) => x.ok && x.method === "answerCallbackQuery" && x.params.callback_query_id === id, 1, {
        since,
        timeoutMs,
      });
      await settle();
      return typeof c?.params.text === "string" ? c.params.text : "";
    },
    /** Presses and waits for the outcome that replaces the preview; returns its text. */
    async confirm(on: Sent, label = /Подтвердить|Выполнить всё/): Promise<string> {
      const since = w.tg.lastSeq();
      w.tg.pushCallback(OWNER, buttonData(on.params, label), { messageId: messageIdOf(on) });
      const [c] = await waitForCalls(w.tg, isOutcome(messageIdOf(on)), 1, { since, timeoutMs });
      await settle();
      return typeof c?.params.text === "string" ? c.params.text : "";
    },
    /** The newest text of the preview message (after edits). */
    textOf(on: Sent): string {
      const m = w.tg.messages(OWNER).find((x) => x.message_id === messageIdOf(on));
      return m?.text ?? "";
    },
    messageIdOf,
  };
}

export type ActionChat = ReturnType<typeof actionChat>;
