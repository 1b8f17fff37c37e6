import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import { actionChat, startActionWorld, TEAM, UNKNOWN_TEAM_CHAT, type ActionChat } from "./testing/action-world.ts";
import { runTemplate } from "./testing/template-run.ts";

// Every action tool of the reference through the real services: from a phrase and from its
// template, the preview (what changes, before → after), the commit (the demo shop changed, and the
// read tools report it), the noop (no buttons, nothing stored) and the threshold (⚠️ only).

let w: World;
let chat: ActionChat;
beforeAll(async () => {
  w = await startActionWorld({}, { unknownTeamChat: true });
  chat = actionChat(w);
});
afterAll(async () => w?.close());

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await w.t.pool.query(sql, params)).rows[0] as T;
}
const price = async (id: string): Promise<number> =>
  (await one<{ price: number }>("SELECT price FROM demo_products WHERE product_id = $1", [id])).price;
const buttons = (s: { params: Record<string, unknown> }): string[] =>
  ((s.params.reply_markup as { inline_keyboard: { text: string }[][] } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.text);
const actionsCount = async (): Promise<number> => (await one<{ n: number }>("SELECT count(*)::int AS n FROM actions")).n;

describe("prices", () => {
  it("adjust_price: phrase, template, noop and the 30 % threshold", async () => {
    const before = await price("PRD-00005");
    const p = await chat.ask("подними цену товара 5 на 10%");
    expect(p.text).toContain("предпросмотр");
    expect(p.text).toContain("PRD-00005");
    expect(buttons(p)).toEqual(["✅ Подтвердить", "❌ Отменить"]);
    expect(await price("PRD-00005")).toBe(before);
    expect(await chat.confirm(p)).toMatch(/^✅ Выполнено/);
    expect(await price("PRD-00005")).toBeCloseTo(before * 1.1, 2);

    const t = await runTemplate(chat, "PRD_UPDATE_PRICE", ["5", "set", "1999", "none"]);
    expect(t.text).toMatch(/1\s999/u);
    await chat.confirm(t, /⚠️|Подтвердить/);
    expect(await price("PRD-00005")).toBe(1999);

    const stored = await actionsCount();
    const noop = await chat.ask("поставь цену 1999 на товар 5");
    expect(noop.text).toContain("Изменений нет");
    expect(buttons(noop)).toEqual([]);
    expect(await actionsCount()).toBe(stored);

    const big = await chat.ask("подними цену товара 6 на 50%");
    expect(buttons(big)).toEqual(["⚠️ Применить несмотря на аномалию", "❌ Отменить"]);
    expect(big.text).toContain("FORCE_REQUIRED");
    const before6 = await price("PRD-00006");
    expect(await chat.confirm(big, /⚠️/)).toMatch(/^✅/);
    expect(await price("PRD-00006")).toBeCloseTo(before6 * 1.5, 1);
  });

  it("sis_prices_bump: «снизь цены на 3 %» lowers them; English; template; over 30 % needs ⚠️", async () => {
    const before = await price("PRD-00010");
    const p = await chat.ask("снизь цены на 3 %");
    expect(p.text).toMatch(/-3 %/);
    await chat.confirm(p);
    expect(await price("PRD-00010")).toBe(Math.ceil(before * 0.97 - 1e-9));
    const en = await chat.ask("raise prices by 2%");
    await chat.confirm(en);
    const t = await runTemplate(chat, "PRC_BUMP", ["1"]);
    expect(t.text).toContain("+1 %");
    await chat.confirm(t);
    const big = await chat.ask("подними цены на 40%");
    expect(buttons(big)).toEqual(["⚠️ Применить несмотря на аномалию", "❌ Отменить"]);
    expect(await chat.press(big, /Отменить/)).toBe("Отменено.");
  });
});

describe("FX", () => {
  it("auto reprice when due, then noop; manual reprice by template; rollback; settings", async () => {
    const auto = await chat.ask("обнови цены по курсу");
    expect(auto.text).toMatch(/Курс USD→RUB/);
    expect(await chat.confirm(auto)).toMatch(/^✅ Выполнено/);
    const again = await chat.ask("обнови цены по курсу");
    expect(again.text).toContain("Изменений нет");
    const tplAuto = await runTemplate(chat, "PRC_FX_AUTO");
    expect(tplAuto.text).toContain("Изменений нет");

    const manual = await runTemplate(chat, "PRC_FX_REPRICE", ["USD", "RUB", "latest"]);
    expect(manual.text).toContain("Изменений нет");
    const prompt = await runTemplate(chat, "PRC_FX_REPRICE", ["USD", "RUB"], { partial: true });
    // The last step offers the latest rate set; /tpl_rate_set <id> answers it as well (reference §2.1).
    expect(prompt.text).toMatch(/набору курсов/);
    expect((await chat.ask("/tpl_rate_set latest")).text).toContain("Изменений нет");
    const eur = await chat.ask("пересчитай цены по курсу евро");
    expect(eur.text).toMatch(/EUR→RUB/);

    const rb = await chat.ask("откати последнее обновление цен");
    expect(rb.text).toContain("Откат пересчёта цен");
    await chat.confirm(rb);
    const none = await runTemplate(chat, "PRC_FX_ROLLBACK");
    expect(none.text).toContain("Изменений нет");

    // The template asks in words: when to reprice, and from which move of the rate.
    const s = await runTemplate(chat, "PRC_FX_SETTINGS", ["По интервалу", "1"]);
    expect(s.text).toMatch(/manual → interval/);
    await chat.confirm(s);
    expect(await one("SELECT reprice_schedule_mode, min_rate_delta_percent FROM demo_fx_settings")).toEqual({
      reprice_schedule_mode: "interval",
      min_rate_delta_percent: 1,
    });
    const daily = await chat.ask("пересчитывай цены каждый день");
    await chat.confirm(daily);
    expect((await chat.ask("пересчитывай цены каждый день")).text).toContain("Изменений нет");
  });
});

describe("catalogue", () => {
  it("discounts: set on named products, clear them, by template, noop, over 50 % needs ⚠️", async () => {
    const p = await chat.ask("поставь скидку 10% на товары 7, 8");
    await chat.confirm(p);
    const r = await one<{ n: number }>(
      "SELECT count(*)::int AS n FROM demo_products WHERE product_id IN ('PRD-00007','PRD-00008') AND compare_at_price IS NOT NULL",
    );
    expect(r.n).toBe(2);
    expect((await chat.ask("поставь скидку 10% на товары 7, 8")).text).toContain("Изменений нет");
    const clear = await chat.ask("убери скидки с товаров 7");
    await chat.confirm(clear);
    const t = await runTemplate(chat, "DSC_CLEAR_IDS", ["8"]);
    await chat.confirm(t);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(*)::int AS n FROM demo_products WHERE product_id IN ('PRD-00007','PRD-00008') AND compare_at_price IS NOT NULL",
        )
      ).n,
    ).toBe(0);
    const set = await runTemplate(chat, "DSC_SET_IDS", ["9", "15"]);
    await chat.confirm(set);
    const big = await chat.ask("поставь скидку 60% на товары 11, 12");
    expect(buttons(big)).toContain("⚠️ Применить несмотря на аномалию");
    expect(buttons(big)).not.toContain("✅ Подтвердить");
  });

  it("publish: hide products by phrase (the read tool sees them), show by template, the whole shop needs ⚠️", async () => {
    const hide = await chat.ask("скрой товары 13, 14");
    await chat.confirm(hide);
    const unpub = await chat.ask("неопубликованные товары");
    expect(unpub.text).toContain("PRD-00013");
    const show = await runTemplate(chat, "PRD_PUBLISH_IDS", ["13"]);
    await chat.confirm(show);
    expect((await one<{ published: boolean }>("SELECT published FROM demo_products WHERE product_id = 'PRD-00013'")).published).toBe(true);
    expect((await chat.ask("опубликуй товары 13")).text).toContain("Изменений нет");
    const all = await chat.ask("скрой все товары");
    expect(all.text).toContain("MASS_CHANGE_OVER_20");
    expect(buttons(all)).toEqual(["⚠️ Применить несмотря на аномалию", "❌ Отменить"]);
    expect(await chat.press(all, /Отменить/)).toBe("Отменено.");
  });

  it("looks: hide by phrase, show by template, noop, all of them needs ⚠️", async () => {
    await chat.confirm(await chat.ask("скрой луки 1, 2"));
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM demo_looks WHERE look_id IN ('LK-001','LK-002') AND NOT active")).n,
    ).toBe(2);
    await chat.confirm(await runTemplate(chat, "LOOK_PUBLISH_IDS", ["1"]));
    expect((await chat.ask("опубликуй луки 1")).text).toContain("Изменений нет");
    const all = await chat.ask("скрой все луки");
    expect(await chat.confirm(all, /⚠️/)).toMatch(/^✅/);
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM demo_looks WHERE active")).n).toBe(0);
  });

  it("coupons: create (the read tool lists it), disable, noop, template, over 50 % needs ⚠️", async () => {
    const active = async (): Promise<number> => Number(/действует (\d+)/.exec((await chat.ask("купоны")).text)?.[1]);
    const before = await active();
    await chat.confirm(await chat.ask("создай купон SPRING26 на 15% на 3 дня"));
    expect(await active()).toBe(before + 1);
    const off = await chat.ask("выключи купон SPRING26");
    expect(off.text).toMatch(/Активен: да → нет/);
    await chat.confirm(off);
    expect((await chat.ask("выключи купон SPRING26")).text).toContain("Изменений нет");
    await chat.confirm(await runTemplate(chat, "DSC_CREATE_COUPON", ["TPL10", "10", "100"]));
    expect(await one("SELECT percent_off, max_uses, active FROM demo_coupons WHERE code = 'TPL10'")).toEqual({
      percent_off: 10,
      max_uses: 100,
      active: true,
    });
    const big = await chat.ask("создай купон HUGE70 на 70% на сутки");
    expect(buttons(big)).toEqual(["⚠️ Применить несмотря на аномалию", "❌ Отменить"]);
  });
});

describe("orders, team, onboarding", () => {
  it("flag_order by phrase (RU, EN) and template; the same flag is a noop; flagged orders show it", async () => {
    await chat.confirm(await chat.ask("флагни заказ 1003 причина тест"));
    expect((await chat.ask("помеченные заказы")).text).toContain("OB-1003");
    expect((await chat.ask("флагни заказ 1003 причина тест")).text).toContain("Изменений нет");
    await chat.confirm(await chat.ask("flag order 1005 reason check"));
    await chat.confirm(await runTemplate(chat, "ORD_FLAG", ["1004", "Проверить оплату"]));
    expect(await one("SELECT flagged, flag_reason, flagged_by::int AS by FROM demo_orders WHERE order_id = 'OB-1004'")).toEqual({
      flagged: true,
      flag_reason: "Проверить оплату",
      by: OWNER,
    });
  });

  it("bulk_flag_order: phrase and template pin the orders shown; over 20 needs ⚠️", async () => {
    const p = await chat.ask("пометь все зависшие заказы");
    if (!p.text.includes("Изменений нет")) await chat.confirm(p);
    const t = await runTemplate(chat, "ORD_BULK_FLAG", ["payment_issues", "оплата", "10"]);
    if (!t.text.includes("Изменений нет")) {
      expect(await chat.confirm(t)).toMatch(/Помечено/);
      expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM demo_orders WHERE flag_reason = 'оплата'")).n).toBeGreaterThan(0);
    }
    expect((await chat.ask("пометь все зависшие заказы")).text).toContain("Изменений нет");
  });

  it("notify_team: each team chat gets one message; the unreachable one makes it PARTIAL_DELIVERY", async () => {
    const since = w.tg.lastSeq();
    const p = await chat.ask("сообщи команде: склад пуст");
    expect(p.text).toMatch(/Получат: 3/);
    await chat.confirm(p);
    const sent = await waitForCalls(w.tg, (c) => c.ok && c.method === "sendMessage" && TEAM.includes(Number(c.params.chat_id)), 2, {
      since,
    });
    expect(sent.map((c) => String(c.params.text)).every((t) => t.includes("склад пуст"))).toBe(true);
    const report = await waitForCalls(
      w.tg,
      (c) => c.ok && c.method === "editMessageText" && /PARTIAL_DELIVERY/.test(String(c.params.text)),
      1,
      { since },
    );
    expect(String(report[0]!.params.text)).toContain(`чат ${UNKNOWN_TEAM_CHAT}`);
    const en = await chat.ask("notify the team: hello");
    expect(en.text).toContain("hello");
    await chat.confirm(await runTemplate(chat, "ORD_NOTIFY_TEAM", ["проверьте возвраты"]));
  });

  it("onboarding: preset by phrase and template, noop; test run and its cooldown", async () => {
    const p = await chat.ask("примени стандартный набор настроек");
    expect(p.text).toMatch(/digest_enabled: выкл → вкл/);
    await chat.confirm(p);
    expect(
      (await one<{ digest_enabled: boolean }>("SELECT digest_enabled FROM owner_notify_settings WHERE owner_id = $1", [OWNER]))
        .digest_enabled,
    ).toBe(true);
    expect((await runTemplate(chat, "SYS_ONBOARD_APPLY_STANDARD")).text).toContain("Изменений нет");
    await chat.confirm(await runTemplate(chat, "SYS_ONBOARD_APPLY_MINIMAL"));
    const run = await runTemplate(chat, "SYS_ONBOARD_TEST_RUN");
    expect(await chat.confirm(run)).toMatch(/Итог/);
    expect((await chat.ask("тест-прогон")).text).toContain("Изменений нет");
  });

  it("pause_campaign says campaigns are not connected and stores nothing", async () => {
    const n = await actionsCount();
    const r = await chat.ask("поставь кампанию на паузу");
    expect(r.text).toMatch(/кампании к боту не подключены/);
    expect(await actionsCount()).toBe(n);
  });
});

describe("section buttons", () => {
  it("Заказы → 🚩 Пометить and Цены → 💹 Цены ±% end in the same preview and commit", async () => {
    const home = await chat.ask("/start");
    const orders = await chat.tap(home, /Заказы/, "editMessageText");
    await chat.tap(orders, /Пометить/);
    await chat.ask("1006");
    const flag = await chat.ask("Срочно");
    expect(flag.text).toContain("Пометка заказа OB-1006");
    await chat.confirm(flag);
    expect((await one<{ flagged: boolean }>("SELECT flagged FROM demo_orders WHERE order_id = 'OB-1006'")).flagged).toBe(true);
    const home2 = await chat.ask("/start");
    const prices = await chat.tap(home2, /Цены/, "editMessageText");
    await chat.tap(prices, /Цены ±%/);
    const bump = await chat.ask("-1");
    expect(bump.text).toMatch(/-1 %/);
    expect(await chat.confirm(bump)).toMatch(/^✅/);
    const products = await chat.tap(await chat.ask("/start"), /Товары/, "editMessageText");
    expect(buttons(products)).toEqual(expect.arrayContaining(["✏️ Цена", "✅ Опубликовать", "🙈 Скрыть"]));
  });
});

describe("plans", () => {
  it("«сделай купон и сообщи команде»: all steps, or only the main one", async () => {
    let since = w.tg.lastSeq();
    const all = await chat.ask("сделай купон PLANA на 5% на сутки и сообщи команде");
    expect(buttons(all)).toEqual(["✅ Выполнить всё", "✅ Только основной шаг", "✖️ Отмена"]);
    expect(await chat.confirm(all, /Выполнить всё/)).toMatch(/Купон создан: PLANA/);
    await waitForCalls(
      w.tg,
      (c) => c.ok && c.method === "sendMessage" && TEAM.includes(Number(c.params.chat_id)) && /PLANA/.test(String(c.params.text)),
      2,
      { since },
    );
    since = w.tg.lastSeq();
    const main = await chat.ask("сделай купон PLANB на 5% на сутки и сообщи команде");
    expect(await chat.confirm(main, /Только основной/)).toMatch(/пропущено — выбран только основной шаг/);
    expect(
      w.tg
        .calls(since)
        .filter((c) => c.method === "sendMessage" && /PLANB/.test(String(c.params.text)) && TEAM.includes(Number(c.params.chat_id))),
    ).toEqual([]);
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM demo_coupons WHERE code IN ('PLANA', 'PLANB')")).n).toBe(2);
  });

  it("«проверь курс и обнови цены если надо»: the rate, the reprice when due; then nothing is due", async () => {
    const r = await chat.ask("проверь курс и обнови цены если надо");
    expect(r.text).toMatch(/План/);
    expect(r.text).toMatch(/Курсы валют/);
    // The rollback above brought the old prices back, so the rate's move since then is due again.
    expect(r.text).toMatch(/USD→RUB/);
    // Prices changed by hand above are far from their cost × rate: those are anomalies, shown with ⚠️.
    const anomalies = buttons(r).includes("⚠️ Применить несмотря на аномалию");
    expect(buttons(r)).toEqual(
      anomalies ? ["✅ Выполнить всё", "⚠️ Применить несмотря на аномалию", "✖️ Отмена"] : ["✅ Выполнить всё", "✖️ Отмена"],
    );
    expect(await chat.confirm(r, anomalies ? /⚠️/ : /Выполнить всё/)).toMatch(/Цены пересчитаны/);
    const again = await chat.ask("проверь курс и обнови цены если надо");
    expect(again.text).toMatch(/изменений нет — пересчёт не нужен/);
    expect(buttons(again)).toEqual([]);
  });

  it("leaves a history the checker passes (promises 1–5, 8, 9)", async () => {
    // Telegram has the last messages; the sender records them a moment later.
    await chat.settle();
    const report = await checkWorld(w, { owners: [OWNER] });
    expect(violated(report, [1, 2, 3, 4, 5, 8, 9]), formatHistory(report)).toEqual([]);
    expect(report.find((r) => r.promise === 4)?.status).toBe("checked");
  });
});
