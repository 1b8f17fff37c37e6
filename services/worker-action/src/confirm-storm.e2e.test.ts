import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answered, previewMany, pressStorm } from "@ownerbot/testkit/confirm-storm";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import { until } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { actionChat, startActionWorld } from "./testing/action-world.ts";

// RELIABILITY C1 / promise 4: 100 actions, each confirmed by 50 concurrent presses → exactly 100
// commits. Every action adds 100 ₽ to one of 20 products (5 actions each), so a double commit
// would show in the prices too, not only in the DEMO ledger.

const ACTIONS = 100;
const PRESSES = 50;
const ALLOWED = ["Выполняю…", "Уже выполняется. Подожди.", "Уже выполнено."];

let w: World;
beforeAll(async () => {
  w = await startActionWorld();
});
afterAll(async () => w?.close());

describe("confirm storm", () => {
  it(`${ACTIONS} actions × ${PRESSES} concurrent presses → exactly ${ACTIONS} commits, every press answered once`, async () => {
    const { rows: products } = await w.t.pool.query<{ product_id: string; price: number }>(
      "SELECT product_id, price FROM demo_products WHERE price >= 500 ORDER BY product_id LIMIT 20",
    );
    expect(products).toHaveLength(20);
    const texts = Array.from({ length: ACTIONS }, (_, i) => `подними цену товара ${products[i % 20]!.product_id} на 100`);
    const previews = await previewMany(w.tg, OWNER, texts);
    expect(previews.every((p) => p.text.includes("+100"))).toBe(true);

    const started = performance.now();
    const presses = pressStorm(w.tg, OWNER, previews, PRESSES);
    expect(presses.size).toBe(ACTIONS * PRESSES);
    // Minutes on a loaded shared machine; about 20 s on a quiet one.
    await answered(w.tg, presses, 400_000);
    await until(async () => {
      const r = await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM actions WHERE status = 'committed'");
      return r.rows[0]!.n === ACTIONS;
    }, 300_000);
    console.log(
      `confirm storm: ${presses.size} presses of ${ACTIONS} actions answered and committed in ${Math.round(performance.now() - started)} ms`,
    );

    // Every press answered exactly once, with one of the three texts; one "Выполняю…" per action.
    const answers = w.tg.callbackAnswers().filter((a) => presses.has(a.callback_query_id));
    expect(answers).toHaveLength(presses.size);
    expect(answers.filter((a) => !ALLOWED.includes(a.text ?? ""))).toEqual([]);
    const winners = answers.filter((a) => a.text === "Выполняю…").map((a) => presses.get(a.callback_query_id));
    expect(new Set(winners).size).toBe(ACTIONS);
    expect(winners).toHaveLength(ACTIONS);

    const ledger = await w.t.pool.query<{ n: number; replays: number }>(
      "SELECT count(*)::int AS n, coalesce(sum(replays), 0)::int AS replays FROM demo_action_ledger",
    );
    expect(ledger.rows[0]).toEqual({ n: ACTIONS, replays: 0 });
    const commits = await w.t.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'action_committed'",
    );
    expect(commits.rows[0]!.n).toBe(ACTIONS);
    const { rows: after } = await w.t.pool.query<{ product_id: string; price: number }>(
      "SELECT product_id, price FROM demo_products WHERE product_id = ANY($1) ORDER BY product_id",
      [products.map((p) => p.product_id)],
    );
    expect(after.map((p) => p.price)).toEqual(products.map((p) => p.price + 500));

    await actionChat(w).settle();
    const report = await checkWorld(w, { owners: [OWNER] });
    expect(violated(report, [1, 2, 3, 4, 5, 8, 9]), formatHistory(report)).toEqual([]);
  }, 900_000);
});
