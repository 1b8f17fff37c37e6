import { HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { grammyError, rejection, TOKEN, useFake } from "./test-support.ts";

describe("injected faults", () => {
  const start = useFake();

  it("429 carries retry_after where grammY exposes it, for `count` calls", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    fake.setFault({
      method: "sendMessage",
      kind: "429",
      retryAfter: 7,
      count: 1,
    });
    const err = await grammyError(api.sendMessage(42, "hi"));
    expect(err.error_code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 7");
    expect(err.parameters.retry_after).toBe(7);
    expect(fake.messages(42)).toEqual([]);
    expect((await api.sendMessage(42, "hi")).text).toBe("hi");
    expect(fake.calls().map((c) => [c.method, c.ok, c.fault, c.errorCode])).toEqual([
      ["sendMessage", false, "429", 429],
      ["sendMessage", true, undefined, undefined],
    ]);
  });

  it("5xx answers 502 with a proxy's HTML page, which the client cannot parse", async () => {
    const { fake, api } = await start();
    fake.setFault({ kind: "5xx", count: 2 });
    const err = await rejection(api.getMe());
    expect(err).toBeInstanceOf(HttpError);
    const raw = await fetch(`${fake.apiRoot}/bot${TOKEN}/getMe`);
    expect(raw.status).toBe(502);
    expect(raw.headers.get("content-type")).toBe("text/html");
    expect(await raw.text()).toContain("502 Bad Gateway");
    expect((await api.getMe()).is_bot).toBe(true);
  });

  it("slow delays the answer and then runs the method", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    fake.setFault({ method: "sendMessage", kind: "slow", delayMs: 300 });
    const t0 = performance.now();
    const m = await api.sendMessage(42, "late");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(m.text).toBe("late");
    expect(fake.calls()[0]).toMatchObject({ ok: true, fault: "slow" });
  });

  it("hang never answers, does not run the method, and close() ends it", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    fake.setFault({ method: "sendMessage", kind: "hang" });
    const timedOut = await rejection(
      fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage?chat_id=42&text=x`, {
        signal: AbortSignal.timeout(200),
      }),
    );
    expect((timedOut as Error).name).toBe("TimeoutError");
    expect(fake.messages(42)).toEqual([]);
    expect(fake.calls()[0]).toMatchObject({
      method: "sendMessage",
      ok: false,
      fault: "hang",
    });
    const stuck = rejection(api.sendMessage(42, "y"));
    await fake.waitForCall((c) => c.fault === "hang", 2000, 1);
    await fake.close();
    expect(await stuck).toBeInstanceOf(HttpError);
    fake.clearFaults();
  });

  it("conflict makes getUpdates answer 409 only", async () => {
    const { fake, api } = await start();
    fake.setFault({ kind: "conflict", count: 1 });
    expect((await api.getMe()).is_bot).toBe(true);
    const err = await grammyError(api.getUpdates({ timeout: 0 }));
    expect(err.error_code).toBe(409);
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
    expect(fake.calls().map((c) => c.fault)).toEqual([undefined, "conflict", undefined]);
  });

  it("probability 0 never fires and clearFaults removes everything", async () => {
    const { fake, api } = await start();
    fake.setFault({ kind: "429", probability: 0 });
    for (let i = 0; i < 20; i++) await api.getMe();
    fake.setFault({ kind: "429" });
    expect((await grammyError(api.getMe())).error_code).toBe(429);
    fake.clearFaults();
    expect((await api.getMe()).is_bot).toBe(true);
  });

  it("rejects nonsense fault specs", async () => {
    const { fake } = await start();
    expect(() => fake.setFault({ kind: "teapot" as never })).toThrow(/kind/);
    expect(() => fake.setFault({ kind: "429", probability: 2 })).toThrow(/probability/);
  });
});
