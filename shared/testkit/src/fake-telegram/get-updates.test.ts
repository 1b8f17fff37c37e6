import { describe, expect, it } from "vitest";
import { envelope, grammyError, useFake } from "./test-support.ts";
import type { TgUpdate } from "./types.ts";

describe("getUpdates", () => {
  const start = useFake();

  it("returns pending updates in order and forgets those below the offset", async () => {
    const { fake, api } = await start();
    const pushed = ["a", "b", "c", "d", "e"].map((t) => fake.pushText(42, t));
    expect(pushed.map((u) => u.update_id)).toEqual([1, 2, 3, 4, 5]);

    const first = await api.getUpdates({ limit: 2 });
    expect(first.map((u) => u.update_id)).toEqual([1, 2]);
    expect(first.map((u) => u.message?.text)).toEqual(["a", "b"]);
    expect(fake.pendingCount()).toBe(5);
    expect(fake.confirmedOffset()).toBe(0);

    const again = await api.getUpdates();
    expect(again.map((u) => u.update_id)).toEqual([1, 2, 3, 4, 5]);

    const rest = await api.getUpdates({ offset: 3 });
    expect(rest.map((u) => u.update_id)).toEqual([3, 4, 5]);
    expect(fake.pendingCount()).toBe(3);
    expect(fake.confirmedOffset()).toBe(3);

    expect(await api.getUpdates({ offset: 6, timeout: 0 })).toEqual([]);
    expect(fake.pendingCount()).toBe(0);
    expect(fake.confirmedOffset()).toBe(6);
    expect(fake.offeredUpdateIds()).toEqual([1, 2, 3, 4, 5]);
    // Confirmed updates are gone for good, even for a lower offset.
    expect(await api.getUpdates({ offset: 1, timeout: 0 })).toEqual([]);
  });

  it("keeps only the last N updates for a negative offset", async () => {
    const { fake, api } = await start();
    for (let i = 0; i < 5; i++) fake.pushText(42, `m${i}`);
    const last = await api.getUpdates({ offset: -2 });
    expect(last.map((u) => u.update_id)).toEqual([4, 5]);
    expect(fake.pendingCount()).toBe(2);
  });

  it("wakes a waiting long poll as soon as an update is pushed", async () => {
    const { fake, api } = await start();
    const poll = api.getUpdates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 100));
    const pushedAt = performance.now();
    const update = fake.pushText(7, "hello");
    const got = await poll;
    const latency = performance.now() - pushedAt;
    expect(got.map((u) => u.update_id)).toEqual([update.update_id]);
    expect(got[0]?.message?.text).toBe("hello");
    expect(latency).toBeLessThan(100);
  });

  it("does not offer updates to a long poll whose client went away", async () => {
    const { fake } = await start();
    const ac = new AbortController();
    const poll = fetch(`${fake.apiRoot}/bot1:x/getUpdates?timeout=10`, {
      signal: ac.signal,
    });
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await poll.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    fake.pushText(3, "nobody listening");
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.offeredUpdateIds()).toEqual([]);
    expect(fake.pendingCount()).toBe(1);
  });

  it("answers an empty list when the long poll times out", async () => {
    const { api } = await start();
    const t0 = performance.now();
    const got = await api.getUpdates({ timeout: 1 });
    const elapsed = performance.now() - t0;
    expect(got).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it("ends the earlier of two concurrent polls with 409", async () => {
    const { fake, api } = await start();
    const first = api.getUpdates({ timeout: 5 });
    await new Promise((r) => setTimeout(r, 100));
    const second = api.getUpdates({ timeout: 5 });
    const err = await grammyError(first);
    expect(err.error_code).toBe(409);
    expect(err.description).toBe("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    await new Promise((r) => setTimeout(r, 50));
    fake.pushText(9, "after conflict");
    const got = await second;
    expect(got.map((u) => u.message?.text)).toEqual(["after conflict"]);
  });

  it("filters update types by allowed_updates", async () => {
    const { fake, api } = await start();
    await api.getUpdates({ allowed_updates: ["message"], timeout: 0 });
    fake.pushCallback(5, "ignored");
    fake.pushText(5, "kept");
    const got = await api.getUpdates();
    expect(got.map((u) => Object.keys(u).sort())).toEqual([["message", "update_id"]]);
    expect(got[0]?.message?.text).toBe("kept");
  });

  it("drops pending updates on deleteWebhook with drop_pending_updates", async () => {
    const { fake, api } = await start();
    fake.pushText(5, "old");
    expect(await api.deleteWebhook({ drop_pending_updates: true })).toBe(true);
    expect(fake.pendingCount()).toBe(0);
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("serves a 10 000-update preload in batches of 100 without loss or repeats", async () => {
    const { fake, api } = await start();
    const raw = Array.from({ length: 10_000 }, (_, i) => ({
      message: {
        message_id: i + 1,
        date: 1,
        chat: { id: 100 + (i % 100), type: "private" as const },
        from: { id: 100 + (i % 100), is_bot: false, first_name: "u" },
        text: `t${i}`,
      },
    }));
    const pushed = fake.pushMany(raw);
    expect(pushed.at(-1)?.update_id).toBe(10_000);
    const seen: number[] = [];
    let offset = 0;
    for (;;) {
      const batch = await api.getUpdates({ offset, timeout: 0 });
      if (batch.length === 0) break;
      expect(batch.length).toBeLessThanOrEqual(100);
      seen.push(...batch.map((u) => u.update_id));
      offset = (batch.at(-1)?.update_id ?? 0) + 1;
    }
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(fake.pendingCount()).toBe(0);
    expect(fake.confirmedOffset()).toBe(10_001);
    expect(fake.offeredUpdateIds().length).toBe(10_000);
  });

  it("accepts parameters in the query string and as a form", async () => {
    const { fake } = await start();
    for (let i = 0; i < 3; i++) fake.pushText(5, `q${i}`);
    const viaQuery = await envelope<TgUpdate[]>(fetch(`${fake.apiRoot}/bot1:x/getUpdates?offset=2&limit=1`));
    expect(viaQuery.result.map((u) => u.update_id)).toEqual([2]);
    const viaForm = await envelope<TgUpdate[]>(
      fetch(`${fake.apiRoot}/bot1:x/getupdates`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "offset=3&limit=5",
      }),
    );
    expect(viaForm.result.map((u) => u.update_id)).toEqual([3]);
    expect(fake.confirmedOffset()).toBe(3);
  });
});
