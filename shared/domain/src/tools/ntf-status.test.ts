import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolContext } from "../contract.ts";
import type { SettingChangeData } from "./results/ntf.ts";
import type { NtfStatusData } from "./results/ntf.ts";
import { ntfKit, type NtfKit } from "@ownerbot/testkit/ntf-kit";
import type { ShopProvider } from "./provider.ts";
import { all, ANCHOR, one } from "@ownerbot/testkit/test-shop";

// ntf_status, the escalation ack and snooze, and the FX seed when rates are unreadable. "Now" is
// 07:00 in Moscow (UTC+3 all year) on the demo's anchor day, so expected local times are written
// out by hand.

let s: NtfKit["s"];
let ctx: ToolContext;
let as: NtfKit["as"];
let okData: NtfKit["okData"];
let run: NtfKit["run"];
let row: NtfKit["row"];
let nextOwner = 7000;
beforeAll(async () => {
  ({ s, ctx, as, okData, row, run } = await ntfKit());
});
afterAll(async () => {
  await s.env.close();
});

describe("ntf_fx_delta_subscribe", () => {
  it("subscribes even when the rates cannot be read, leaving the first alert to the first rate", async () => {
    const owner = nextOwner++;
    const down = new Proxy({} as ShopProvider, {
      get: (_t, prop) => (prop === "source" ? (n: string) => `demo:${n}` : () => Promise.reject(new Error("connect ECONNREFUSED"))),
    });
    const r = await okData<SettingChangeData>("ntf_fx_delta_subscribe", {}, { ...as(owner), provider: down });
    expect(r.data.notes).toEqual(["Курсы сейчас не прочитать: первое уведомление придёт с первым доступным курсом."]);
    expect(await row(owner)).toMatchObject({ fx_delta_enabled: true, fx_delta_base: null, fx_delta_last_notified_rate: null });
    // A named base is kept unchecked then; the scheduler falls back to the pick if it is not quoted.
    const named = await okData<SettingChangeData>("ntf_fx_delta_subscribe", { base: "usd" }, { ...as(owner), provider: down });
    expect(named.data.notes).toEqual([
      "Курсы сейчас не прочитать: слежу за курсом USD → RUB, первое уведомление придёт с первым доступным курсом.",
    ]);
    expect(await row(owner)).toMatchObject({ fx_delta_base: "USD", fx_delta_last_notified_rate: null });
  });

  it("without a base: picks the biggest mover, stores it with its rate, and says which is watched", async () => {
    const owner = nextOwner++;
    const [mover, ...others] = await latestRates();
    const r = await okData<SettingChangeData>("ntf_fx_delta_subscribe", {}, as(owner));
    expect(await row(owner)).toMatchObject({ fx_delta_enabled: true, fx_delta_base: mover!.base });
    expect(Number((await row(owner))!.fx_delta_last_notified_rate)).toBeCloseTo(mover!.rate, 6);
    expect(r.data.notes[0]).toMatch(new RegExp(`^Слежу за курсом ${mover!.base} → RUB: сейчас `));
    expect(r.data.notes[0]).toContain(
      `Можно выбрать другую валюту: ${others
        .map((o) => o.base)
        .sort()
        .join(", ")}.`,
    );
    const status = await okData<NtfStatusData>("ntf_status", {}, as(owner));
    expect(status.replies[0]!.text).toContain(`Валюта: ${mover!.base} → RUB · отсчёт от курса `);
  });

  it("an explicit base is stored (upper-cased) and kept by a later subscribe, though another currency moved more", async () => {
    const owner = nextOwner++;
    const rates = await latestRates();
    const [mover, calm] = [rates[0]!, rates.at(-1)!];
    const r = await okData<SettingChangeData>("ntf_fx_delta_subscribe", { base: ` ${calm.base.toLowerCase()}` }, as(owner));
    expect(r.data.notes[0]).toMatch(new RegExp(`^Слежу за курсом ${calm.base} → RUB: сейчас `));
    expect(await row(owner)).toMatchObject({ fx_delta_base: calm.base });
    expect(Number((await row(owner))!.fx_delta_last_notified_rate)).toBeCloseTo(calm.rate, 6);
    await okData("ntf_fx_delta_subscribe", { min_percent: 1 }, as(owner));
    expect(await row(owner)).toMatchObject({ fx_delta_base: calm.base, fx_delta_min_percent: 1 });
    // Switching to another base offers the way back.
    const sw = await okData<SettingChangeData>("ntf_fx_delta_subscribe", { base: mover.base }, as(owner));
    expect(await row(owner)).toMatchObject({ fx_delta_base: mover.base });
    expect(sw.replies[0]!.buttons![0]![0]).toEqual({
      text: `↩️ Вернуть ${calm.base}`,
      action: { t: "tool", tool: "ntf_fx_delta_subscribe", input: { base: calm.base } },
    });
  });

  it("refuses a base that is not quoted, naming the parameter and the available ones, and writes nothing", async () => {
    const owner = nextOwner++;
    const bases = (await latestRates()).map((x) => x.base).sort();
    const o = await run("ntf_fx_delta_subscribe", { base: "XAU" }, as(owner));
    expect(!o.ok && o.error.code).toBe("VALIDATION_ERROR");
    expect(!o.ok && o.error.message).toBe(`Параметр base: курса XAU к RUB нет; есть ${bases.join(", ")}`);
    expect(await row(owner)).toBeUndefined();
  });

  it("a stored base that is no longer quoted is replaced by the pick, and the reply says why", async () => {
    const owner = nextOwner++;
    const mover = (await latestRates())[0]!;
    await s.env.pool.query(
      "INSERT INTO owner_notify_settings (owner_id, fx_delta_base, fx_delta_last_notified_rate) VALUES ($1, 'XAU', 7000)",
      [owner],
    );
    const r = await okData<SettingChangeData>("ntf_fx_delta_subscribe", {}, as(owner));
    expect(r.data.notes[0]).toContain(`Курса XAU к RUB больше нет`);
    expect(await row(owner)).toMatchObject({ fx_delta_base: mover.base });
  });
});

/** Each base's latest rate to the shop currency as of the anchor day, biggest move since the previous one first (ties: alphabetical). */
async function latestRates(): Promise<{ base: string; rate: number }[]> {
  return all<{ base: string; rate: number }>(
    s.env,
    `WITH r AS (
       SELECT base, rate::float AS rate, lag(rate::float) OVER (PARTITION BY base ORDER BY day) AS prev,
              row_number() OVER (PARTITION BY base ORDER BY day DESC) AS n
       FROM demo_fx_rates WHERE quote = 'RUB' AND day <= $1::date)
     SELECT base, rate FROM r WHERE n = 1 ORDER BY coalesce(abs(rate / prev - 1), -1) DESC, base`,
    [ANCHOR],
  );
}

describe("ntf_escalation_ack", () => {
  it("says plainly there is nothing to ack, and writes nothing", async () => {
    const owner = nextOwner++;
    const r = await okData<SettingChangeData>("ntf_escalation_ack", {}, as(owner));
    expect(r.replies[0]!.text).toMatch(/^✅ Активного инцидента нет — принимать нечего/);
    expect(await row(owner)).toBeUndefined();
  });

  it("acks the incident the scheduler tracks, and ntf_status shows it", async () => {
    const owner = nextOwner++;
    await s.env.pool.query(
      `INSERT INTO owner_notify_settings (owner_id, escalation_enabled, escalation_last_event_key, escalation_first_seen_at, escalation_repeat_count)
       VALUES ($1, true, 'oos:3|stuck:4', $2, 1)`,
      [owner, new Date(`${ANCHOR}T01:00:00Z`)],
    );
    const r = await okData<SettingChangeData>("ntf_escalation_ack", {}, as(owner));
    expect(r.replies[0]!.text).toMatch(/^✅ Инцидент принят/);
    const stored = await one<{ k: string; at: Date }>(
      s.env,
      "SELECT escalation_last_ack_key AS k, escalation_last_ack_at AS at FROM owner_notify_settings WHERE owner_id = $1",
      [owner],
    );
    expect(stored).toEqual({ k: "oos:3|stuck:4", at: ctx.now });
    await okData("ntf_escalation_snooze", {}, as(owner));
    const status = await okData<NtfStatusData>("ntf_status", {}, as(owner));
    // first seen 04:00 Moscow, acked 07:00, snoozed for the default 12 h → 19:00.
    expect(status.replies[0]!.text).toContain(
      "Сейчас: инцидент с 23 ноя, 04:00, напоминаний: 1 · принят 23 ноя, 07:00 · пауза до 23 ноя, 19:00",
    );
  });
});

describe("ntf_status", () => {
  it("shows defaults without creating a row", async () => {
    const owner = nextOwner++;
    const r = await okData<NtfStatusData>("ntf_status", {}, as(owner));
    expect(r.data.nextDigestAt).toBeNull();
    const text = r.replies[0]!.text;
    expect(text).toMatch(/^🔔 Уведомления\n\n📰 Дайджест: выкл\n🤫 Тихий режим: выкл\n🗓 Недельный отчёт: выкл\n/);
    expect(text).toContain("Настройки по умолчанию");
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(r.replies[0]!.buttons!.flat()).toHaveLength(7);
    expect(await row(owner)).toBeUndefined();
  });

  it("reflects changes and the next digest and weekly report", async () => {
    const owner = nextOwner++;
    await okData("ntf_daily_digest_subscribe", { time_local: "08:30" }, as(owner));
    await okData("ntf_weekly_subscribe", { day_of_week: 4, time_local: "18:00" }, as(owner));
    await okData("ntf_ops_alerts_subscribe", { low_stock_lte: 12 }, as(owner));
    const r = await okData<NtfStatusData>("ntf_status", {}, as(owner));
    // Moscow = UTC+3: 08:30 on the 23rd is 05:30Z; Friday (4) 27th 18:00 is 15:00Z.
    expect(r.data.nextDigestAt).toBe(`${ANCHOR}T05:30:00.000Z`);
    expect(r.data.nextWeeklyAt).toBe("2026-11-27T15:00:00.000Z");
    const text = r.replies[0]!.text;
    expect(text).toContain("📰 Дайджест: вкл, 08:30");
    expect(text).toContain("🗓 Недельный отчёт: вкл, пт 18:00");
    expect(text).toContain("🚨 Алерты: вкл");
    expect(text).toContain("Следующий дайджест: 23 ноя, 08:30");
    expect(text).toContain("Следующий недельный отчёт: 27 ноя, 18:00");
    expect(text).toContain("• товаров с остатком ≤ 12: от 3");
    const toggles = r.replies[0]!.buttons!.flat().map((b) => ("action" in b && b.action.t === "tool" ? b.action.tool : ""));
    expect(toggles).toContain("ntf_daily_digest_unsubscribe");
    expect(toggles).toContain("ntf_escalation_enable");
  });
});
