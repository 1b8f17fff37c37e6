import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/shared/testing/fake-telegram/index";
import type { TestEnv } from "@ownerbot/shared/testing/harness";
import { OWNER, startWorld, type World } from "@ownerbot/shared/testing/world";
import { isReplyTo, waitForCalls } from "@ownerbot/shared/testing/wait";
import { seedDemo } from "@ownerbot/shared/domain/demo/seed";

// The owner switches the daily digest on by text and by the template button, and off again with
// the button under the reply; the settings row in Postgres is checked after each step.

let t: TestEnv;
let tg: FakeTelegram;
let world: World;
beforeAll(async () => {
  world = await startWorld({}, async (env) => {
    await seedDemo(env.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
  });
  ({ t, tg } = world);
});
afterAll(async () => world?.close());

type Sent = { text: string; params: Record<string, unknown>; result: unknown };
type Markup = { inline_keyboard: { text: string; callback_data?: string }[][] };

async function ask(text: string): Promise<Sent> {
  const since = tg.lastSeq();
  tg.pushText(OWNER, text);
  const [c] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
  return { text: String(c!.params.text), params: c!.params, result: c!.result };
}

async function tap(on: Sent, label: RegExp, method = "sendMessage"): Promise<Sent> {
  const kb = (on.params.reply_markup as Markup | undefined)?.inline_keyboard.flat() ?? [];
  const b = kb.find((x) => label.test(x.text));
  if (!b?.callback_data) throw new Error(`no button ${label} among ${kb.map((x) => x.text).join(", ")}`);
  const since = tg.lastSeq();
  tg.pushCallback(OWNER, b.callback_data, { messageId: (on.result as { message_id: number }).message_id });
  const [c] = await waitForCalls(tg, (x) => x.ok && x.method === method, 1, { since, timeoutMs: 20_000 });
  return { text: String(c!.params.text), params: c!.params, result: c!.result };
}

type DigestRow = { digest_enabled: boolean; digest_time_local: string; digest_tz: string | null; updated_by: number };

async function digestRow(): Promise<DigestRow | undefined> {
  const { rows } = await t.pool.query<DigestRow>(
    "SELECT digest_enabled, digest_time_local, digest_tz, updated_by::int FROM owner_notify_settings WHERE owner_id = $1",
    [OWNER],
  );
  return rows[0];
}

describe("notification settings", () => {
  it("«включи дайджест в 08:30» switches it on; the button under the reply switches it off", async () => {
    expect(await digestRow()).toBeUndefined();
    const on = await ask("включи дайджест в 08:30");
    expect(on.text).toMatch(/^✅ Ежедневный дайджест включён/);
    expect(on.text).toContain("08:30 (Europe/Moscow, как у магазина)");
    expect(on.text).toContain("Следующий дайджест:");
    expect(await digestRow()).toEqual({ digest_enabled: true, digest_time_local: "08:30", digest_tz: null, updated_by: OWNER });

    const off = await tap(on, /Выключить/);
    expect(off.text).toMatch(/^🔕 Ежедневный дайджест выключен/);
    expect(await digestRow()).toMatchObject({ digest_enabled: false, digest_time_local: "08:30" });
  });

  it("the NTF_DAILY_DIGEST_SUBSCRIBE template button in the notifications panel switches it back on, keeping the time", async () => {
    const home = await ask("/start");
    const panel = await tap(home, /Уведомления/, "editMessageText");
    const on = await tap(panel, /Дайджест: вкл/);
    expect(on.text).toMatch(/^✅ Ежедневный дайджест включён/);
    expect(await digestRow()).toMatchObject({ digest_enabled: true, digest_time_local: "08:30" });

    const all = await tap(on, /Все уведомления/);
    expect(all.text).toMatch(/^🔔 Уведомления\n\n📰 Дайджест: вкл, 08:30/);
  });
});
