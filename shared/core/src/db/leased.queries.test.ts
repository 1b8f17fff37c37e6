import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { claimOutboxChat } from "./outbox.queries.ts";
import { chatClaimable, findOpenRows, OUTBOX, releaseRows, renewLeases, rowState } from "./leased.queries.ts";

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t.close());

async function reply(chatId: number, cause: string): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    "INSERT INTO outbox (cause, seq, chat_id, method, payload) VALUES ($1, 0, $2, 'sendMessage', '{}') RETURNING id",
    [cause, chatId],
  );
  return rows[0]!.id;
}

describe("leased work queries", () => {
  it("renews only its own claims and tells when another claimer took a row", async () => {
    const a = await reply(1, "l:a");
    const b = await reply(1, "l:b");
    await claimOutboxChat(t.pool, 1, "w:1", 1, 10);
    expect(await renewLeases(t.pool, OUTBOX, [a, b], "w:1", 30)).toBe(0);
    const { rows } = await t.pool.query<{ left: number }>(
      "SELECT extract(epoch FROM min(lease_until) - now())::float8 AS left FROM outbox WHERE id = ANY($1)",
      [[a, b]],
    );
    expect(rows[0]!.left).toBeGreaterThan(20);
    // a is sent (finished), b's lease ran out and w:2 took it.
    await t.pool.query("UPDATE outbox SET status = 'sent' WHERE id = $1", [a]);
    await t.pool.query("UPDATE outbox SET claimed_by = 'w:2' WHERE id = $1", [b]);
    expect(await renewLeases(t.pool, OUTBOX, [a, b], "w:1", 30)).toBe(1);
  });

  it("says where a row stands and what keeps its chat from being claimed", async () => {
    const first = await reply(2, "s:1");
    const second = await reply(2, "s:2");
    expect(await rowState(t.pool, OUTBOX, second)).toEqual({ kind: "open" });
    await claimOutboxChat(t.pool, 2, "w:1", 30, 1);
    expect(await rowState(t.pool, OUTBOX, second)).toMatchObject({ kind: "held" });
    expect(await chatClaimable(t.pool, OUTBOX, 2)).toBe(false);
    const until = Date.now() + 60_000;
    await releaseRows(t.pool, OUTBOX, [first], "w:1", { error: "502", notBeforeMs: until });
    const backoff = await rowState(t.pool, OUTBOX, second);
    expect(backoff.kind).toBe("backoff");
    expect(Math.abs((backoff as { untilMs: number }).untilMs - until)).toBeLessThan(5);
    expect(await chatClaimable(t.pool, OUTBOX, 2)).toBe(false);
    await t.pool.query("UPDATE outbox SET status = 'dead', last_error = 'gave up' WHERE id = $1", [first]);
    expect(await rowState(t.pool, OUTBOX, first)).toEqual({ kind: "dead", error: "gave up" });
    expect(await chatClaimable(t.pool, OUTBOX, 2)).toBe(true);
    expect(await rowState(t.pool, OUTBOX, 999_999)).toEqual({ kind: "missing" });
  });

  it("finds rows that waited too long or lost their lease, not ones backing off further", async () => {
    const stale = await reply(3, "f:1");
    const later = await reply(4, "f:2");
    await t.pool.query("UPDATE outbox SET created_at = now() - interval '1 minute' WHERE id = ANY($1)", [[stale, later]]);
    await t.pool.query("UPDATE outbox SET not_before = now() + interval '1 hour' WHERE id = $1", [later]);
    const found = (await findOpenRows(t.pool, OUTBOX, 10_000, 100)).map((r) => r.id);
    expect(found).toContain(stale);
    expect(found).not.toContain(later);
  });
});
