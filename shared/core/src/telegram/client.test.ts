import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { createTelegramClient, TelegramError, type TelegramClient } from "./client.ts";

// grammY's Api against the fake Bot API over HTTP: typed calls, a deadline on every call, and one
// error type that says what to do next.

const TOKEN = "123456:SECRET-token-that-must-not-leak";
let tg: FakeTelegram;
let client: TelegramClient;
beforeAll(async () => {
  tg = await startFakeTelegram({ chats: [42], token: TOKEN });
  client = createTelegramClient({ token: TOKEN, apiRoot: tg.apiRoot, timeoutMs: 300 });
});
afterAll(async () => tg.close());

async function failure(p: Promise<unknown>): Promise<TelegramError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TelegramError);
  expect(String((err as Error).message)).not.toContain("SECRET");
  return err as TelegramError;
}

describe("Telegram client (grammY Api)", () => {
  it("makes typed calls and calls named at run time", async () => {
    const me = await client.api.getMe();
    expect(me.id).toBe(123456);
    const sent = await client.api.sendMessage(42, "привет");
    expect(sent.text).toBe("привет");
    const again = await client.call<{ message_id: number }>("sendMessage", { chat_id: 42, text: "ещё" });
    expect(again.message_id).toBeGreaterThan(sent.message_id);
    // A method without parameters (the sender's token probe).
    expect((await client.call<{ id: number }>("getMe")).id).toBe(123456);
    await expect(client.call("no such method!", {})).rejects.toThrow("not a Bot API method");
  });

  it("calls a parameterless method named at run time (the sender's getMe probe), with or without a signal", async () => {
    expect((await client.call<{ id: number }>("getMe")).id).toBe(123456);
    expect((await client.call<{ id: number }>("getMe", {}, { signal: AbortSignal.timeout(5000) })).id).toBe(123456);
  });

  it("uploads a file from memory", async () => {
    const bytes = Buffer.from("%PDF-1.4 fake");
    const r = await client.upload<{ document?: { file_id: string } }>("sendDocument", { chat_id: 42, caption: "Отчёт" }, "document", {
      filename: "weekly.pdf",
      content: bytes,
    });
    expect(tg.fileBytes(r.document!.file_id)).toEqual(bytes);
  });

  it("says how long Telegram asked to wait, and what is worth retrying", async () => {
    tg.setFault({ method: "sendMessage", kind: "429", retryAfter: 7, count: 1 });
    const limited = await failure(client.api.sendMessage(42, "x"));
    expect([limited.status, limited.retryAfterSec, limited.retryable]).toEqual([429, 7, true]);

    tg.setFault({ method: "sendMessage", kind: "5xx", count: 1 });
    const bad = await failure(client.api.sendMessage(42, "x"));
    expect(bad.retryable).toBe(true);

    tg.setFault({ method: "sendMessage", kind: "401", count: 1 });
    const refused = await failure(client.api.sendMessage(42, "x"));
    expect([refused.status, refused.retryable]).toEqual([401, false]);

    const unknownChat = await failure(client.api.sendMessage(777, "x"));
    expect([unknownChat.status, unknownChat.retryable]).toEqual([400, false]);
  });

  it("gives up on a call at its deadline; a long poll gets its poll time on top", async () => {
    tg.setFault({ method: "sendMessage", kind: "hang", count: 1 });
    const t0 = performance.now();
    const hung = await failure(client.api.sendMessage(42, "x"));
    expect(hung.message).toContain("no answer within 300 ms");
    expect(performance.now() - t0).toBeLessThan(2000);

    const p0 = performance.now();
    expect(await client.api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(performance.now() - p0).toBeGreaterThan(900);
  });

  it("stops a call when the caller aborts it", async () => {
    const stop = new AbortController();
    const polling = client.api.getUpdates({ timeout: 20 }, stop.signal as never);
    setTimeout(() => stop.abort(), 50);
    const err = await failure(polling);
    expect(err.retryable).toBe(true);
  });
});
