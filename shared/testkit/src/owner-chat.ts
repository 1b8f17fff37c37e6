import { seedDemo } from "@ownerbot/domain/demo";
import type { FakeTelegram } from "./fake-telegram/index.ts";
import { isReplyTo, waitForCalls } from "./wait.ts";
import type { TestEnv } from "./harness.ts";
import { OWNER, startWorld, type World } from "./world.ts";

// The owner's side of an end-to-end test: a world with a small generated demo shop, and a chat that
// sends text, waits for the bot's answer and taps its buttons.

export type DemoWorldOptions = {
  /** Extra environment for the services (config overrides). */
  env?: Record<string, string>;
  seed?: number;
  /** The demo shop's today; default 2026-11-23. */
  anchorDay?: string;
  timeZone?: string;
  report?: boolean;
  asr?: boolean;
  scheduler?: boolean;
  /** Start worker-action too (actions commit only with it). */
  action?: boolean;
  /** Runs on the database after the shop is generated, before the services start; may still change `env`. */
  before?: (t: TestEnv) => Promise<void>;
};

/** startWorld over a 1 000-order demo shop generated before the services start. */
export function startDemoWorld(o: DemoWorldOptions = {}): Promise<World> {
  const timeZone = o.timeZone ?? "Europe/Moscow";
  return startWorld(
    o.env ?? {},
    async (env) => {
      await seedDemo(env.pool, { scale: 1000, seed: o.seed ?? 5, anchorDay: o.anchorDay ?? "2026-11-23", timeZone, currency: "RUB" });
      await o.before?.(env);
    },
    {
      ...(o.report ? { report: true } : {}),
      ...(o.scheduler ? { scheduler: true } : {}),
      ...(o.action ? { action: true } : {}),
      ...(o.asr ? { asr: true } : {}),
    },
  );
}

/** A message the bot sent: its text (or caption), the Bot API params and what the API returned. */
export type Sent = { text: string; params: Record<string, unknown>; result: unknown };

type Markup = { inline_keyboard: { text: string; callback_data?: string }[][] };

/** The callback_data of the first button whose label matches, or a failure naming the buttons there are. */
export function buttonData(params: Record<string, unknown>, label: RegExp): string {
  const kb = (params.reply_markup as Markup | undefined)?.inline_keyboard.flat() ?? [];
  const b = kb.find((x) => label.test(x.text));
  if (!b?.callback_data) throw new Error(`no button ${label} among ${kb.map((x) => x.text).join(", ")}`);
  return b.callback_data;
}

export type OwnerChat = ReturnType<typeof ownerChat>;

export function ownerChat(tg: FakeTelegram, timeoutMs = 20_000) {
  const sent = (c: { params: Record<string, unknown>; result?: unknown }): Sent => ({
    text: typeof c.params.text === "string" ? c.params.text : typeof c.params.caption === "string" ? c.params.caption : "",
    params: c.params,
    result: c.result,
  });
  return {
    /** Sends `text` as the owner and returns the bot's first reply to it. */
    async ask(text: string): Promise<Sent> {
      const since = tg.lastSeq();
      tg.pushText(OWNER, text);
      const [c] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs });
      return sent(c!);
    },
    /** Taps the button matching `label` under `on` and returns the first successful `method` call after it. */
    async tap(on: Sent, label: RegExp, method = "sendMessage"): Promise<Sent> {
      const since = tg.lastSeq();
      tg.pushCallback(OWNER, buttonData(on.params, label), { messageId: (on.result as { message_id: number }).message_id });
      const [c] = await waitForCalls(tg, (x) => x.ok && x.method === method, 1, { since, timeoutMs });
      return sent(c!);
    },
  };
}
