import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { TestEnv } from "@ownerbot/testkit/harness";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { ownerChat, startDemoWorld, type OwnerChat } from "@ownerbot/testkit/owner-chat";

// The owner switches the daily digest on by text and by the template button, and off again with
// the button under the reply; the settings row in Postgres is checked after each step.

let t: TestEnv;
let tg: FakeTelegram;
let world: World;
let chat: OwnerChat;
beforeAll(async () => {
  world = await startDemoWorld();
  ({ t, tg } = world);
  chat = ownerChat(tg);
});
afterAll(async () => world?.close());

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
    const on = await chat.ask("включи дайджест в 08:30");
    expect(on.text).toMatch(/^✅ Ежедневный дайджест включён/);
    expect(on.text).toContain("08:30 (Москва, как у магазина)");
    expect(on.text).toContain("Следующий дайджест:");
    expect(await digestRow()).toEqual({ digest_enabled: true, digest_time_local: "08:30", digest_tz: null, updated_by: OWNER });

    const off = await chat.tap(on, /Выключить/);
    expect(off.text).toMatch(/^🔕 Ежедневный дайджест выключен/);
    expect(await digestRow()).toMatchObject({ digest_enabled: false, digest_time_local: "08:30" });
  });

  it("the NTF_DAILY_DIGEST_SUBSCRIBE template button in the notifications panel switches it back on, keeping the time", async () => {
    const home = await chat.ask("/start");
    const panel = await chat.tap(home, /Уведомления/, "editMessageText");
    const on = await chat.tap(panel, /Дайджест: вкл/);
    expect(on.text).toMatch(/^✅ Ежедневный дайджест включён/);
    expect(await digestRow()).toMatchObject({ digest_enabled: true, digest_time_local: "08:30" });

    const all = await chat.tap(on, /Все уведомления/);
    expect(all.text).toMatch(/^🔔 Уведомления\n\n📰 Дайджест: вкл, 08:30/);
  });
});
