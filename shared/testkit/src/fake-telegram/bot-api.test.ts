import { describe, expect, it } from "vitest";
import { envelope, grammyError, TOKEN, useFake } from "./test-support.ts";
import type { TgMessage } from "./types.ts";

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

describe("Bot API methods", () => {
  const start = useFake();

  it("sendMessage returns a full Message with per-chat increasing ids", async () => {
    const { fake, api } = await start();
    fake.pushText(42, "/start");
    const keyboard = {
      inline_keyboard: [[{ text: "Да", callback_data: "yes" }]],
    };
    const m1 = await api.sendMessage(42, "Привет", { reply_markup: keyboard });
    const m2 = await api.sendMessage(42, "Ещё");
    expect(m1.message_id).toBe(2);
    expect(m2.message_id).toBe(3);
    expect(m1.chat).toMatchObject({ id: 42, type: "private" });
    expect(m1.from).toMatchObject({
      id: fake.botInfo.id,
      is_bot: true,
      username: "ownerbot_test_bot",
    });
    expect(m1.text).toBe("Привет");
    expect(m1.reply_markup).toEqual(keyboard);
    expect(typeof m1.date).toBe("number");
    expect(fake.messages(42).map((m) => [m.message_id, m.text])).toEqual([
      [1, "/start"],
      [2, "Привет"],
      [3, "Ещё"],
    ]);
    expect(fake.messages(42)[0]?.entities).toEqual([{ offset: 0, length: 6, type: "bot_command" }]);
  });

  it("sendMessage rejects what Telegram rejects", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    const empty = await grammyError(api.sendMessage(42, ""));
    expect([empty.error_code, empty.description]).toEqual([400, "Bad Request: message text is empty"]);
    const long = await grammyError(api.sendMessage(42, "x".repeat(4097)));
    expect(long.description).toBe("Bad Request: message is too long");
    expect((await api.sendMessage(42, "x".repeat(4096))).text?.length).toBe(4096);
    const unknown = await grammyError(api.sendMessage(43, "hi"));
    expect(unknown.description).toBe("Bad Request: chat not found");
    const button = (data: string) => ({
      reply_markup: { inline_keyboard: [[{ text: "b", callback_data: data }]] },
    });
    const tooBig = await grammyError(api.sendMessage(42, "b", button("я".repeat(32) + "x")));
    expect(tooBig.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    expect((await api.sendMessage(42, "b", button("я".repeat(32)))).reply_markup?.inline_keyboard[0]?.[0]).toEqual({
      text: "b",
      callback_data: "я".repeat(32),
    });
    const bad = await grammyError(api.sendMessage(42, "<script>alert(1)</script>", { parse_mode: "HTML" }));
    expect(bad.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0');
  });

  it("parses HTML into text and entities", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    const m = await api.sendMessage(42, '<b>Итого</b>: 5 &lt; 7 <a href="https://x.test">тут</a>', {
      parse_mode: "HTML",
    });
    expect(m.text).toBe("Итого: 5 < 7 тут");
    expect(m.entities).toEqual([
      { type: "bold", offset: 0, length: 5 },
      { type: "text_link", offset: 13, length: 3, url: "https://x.test" },
    ]);
  });

  it("edits apply in place and identical edits are refused", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    const kb = { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] };
    const sent = await api.sendMessage(42, "v1", { reply_markup: kb });
    const same = await grammyError(api.editMessageText(42, sent.message_id, "v1", { reply_markup: kb }));
    expect(same.description).toBe(NOT_MODIFIED);
    const edited = await api.editMessageText(42, sent.message_id, "v2", {
      reply_markup: kb,
    });
    expect(edited).toMatchObject({
      message_id: sent.message_id,
      text: "v2",
      reply_markup: kb,
    });
    const sameMarkup = await grammyError(api.editMessageReplyMarkup(42, sent.message_id, { reply_markup: kb }));
    expect(sameMarkup.description).toBe(NOT_MODIFIED);
    // Like Telegram: an edit without reply_markup drops the keyboard.
    await api.editMessageText(42, sent.message_id, "v3");
    expect(fake.messages(42)).toHaveLength(1);
    expect(fake.messages(42)[0]).toMatchObject({ text: "v3" });
    expect(fake.messages(42)[0]?.reply_markup).toBeUndefined();
    expect(typeof fake.messages(42)[0]?.edit_date).toBe("number");
    const missing = await grammyError(api.editMessageText(42, 999, "x"));
    expect(missing.description).toBe("Bad Request: message to edit not found");
  });

  it("deleteMessage removes the message once", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    const a = await api.sendMessage(42, "a");
    await api.sendMessage(42, "b");
    expect(await api.deleteMessage(42, a.message_id)).toBe(true);
    expect(fake.messages(42).map((m) => m.text)).toEqual(["b"]);
    const again = await grammyError(api.deleteMessage(42, a.message_id));
    expect(again.description).toBe("Bad Request: message to delete not found");
  });

  it("answerCallbackQuery works once, and not after 15 minutes", async () => {
    let now = Date.parse("2025-01-01T10:00:00Z");
    const { fake, api } = await start({ now: () => now });
    fake.addChat(42);
    const msg = await api.sendMessage(42, "?", {
      reply_markup: { inline_keyboard: [[{ text: "Да", callback_data: "y" }]] },
    });
    const update = fake.pushCallback(42, "y");
    const query = update.callback_query;
    expect(query?.message?.message_id).toBe(msg.message_id);
    expect(typeof query?.id).toBe("string");
    expect(
      await api.answerCallbackQuery(query?.id ?? "", {
        text: "Готово",
        show_alert: true,
      }),
    ).toBe(true);
    const twice = await grammyError(api.answerCallbackQuery(query?.id ?? ""));
    expect(twice.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
    expect(fake.callbackAnswers()).toEqual([
      {
        callback_query_id: query?.id,
        text: "Готово",
        show_alert: true,
        at: now,
      },
    ]);
    const late = fake.pushCallback(42, "y", { messageId: msg.message_id });
    now += 15 * 60 * 1000 + 1;
    const expired = await grammyError(api.answerCallbackQuery(late.callback_query?.id ?? ""));
    expect(expired.error_code).toBe(400);
    const forged = await grammyError(api.answerCallbackQuery("12345"));
    expect(forged.error_code).toBe(400);
  });

  it("reads form bodies with JSON-encoded reply_markup", async () => {
    const { fake } = await start();
    fake.addChat(42);
    const body = new URLSearchParams({
      chat_id: "42",
      text: "form",
      reply_markup: JSON.stringify({
        inline_keyboard: [[{ text: "A", callback_data: "a" }]],
      }),
    });
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      body,
    });
    const json = await envelope<TgMessage>(res);
    expect(json.ok).toBe(true);
    expect(json.result.reply_markup).toEqual({
      inline_keyboard: [[{ text: "A", callback_data: "a" }]],
    });
  });

  it("answers 404 for unknown methods and 401 for a wrong token", async () => {
    const { fake, api } = await start({ token: TOKEN });
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendTelepathy`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      ok: false,
      error_code: 404,
      description: "Not Found",
    });
    const wrong = await fetch(`${fake.apiRoot}/bot1:wrong/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      ok: false,
      error_code: 401,
      description: "Unauthorized",
    });
    expect((await api.getMe()).id).toBe(123456);
  });

  it("keeps commands per scope", async () => {
    const { api } = await start();
    const commands = [{ command: "start", description: "Начать" }];
    expect(await api.setMyCommands(commands)).toBe(true);
    expect(await api.getMyCommands()).toEqual(commands);
    expect(await api.getMyCommands({ scope: { type: "all_private_chats" } })).toEqual([]);
    const bad = await grammyError(api.setMyCommands([{ command: "Start!", description: "x" }]));
    expect(bad.error_code).toBe(400);
    await api.deleteMyCommands();
    expect(await api.getMyCommands()).toEqual([]);
  });

  it("records every call and lets tests wait for one", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    await api.sendMessage(42, "first");
    await grammyError(api.sendMessage(43, "nowhere"));
    const since = fake.lastSeq();
    const waiting = fake.waitForCall((c) => c.method === "sendChatAction", 2000, since);
    await api.sendChatAction(42, "typing");
    const call = await waiting;
    expect(call).toMatchObject({
      method: "sendChatAction",
      ok: true,
      result: true,
      params: { chat_id: 42, action: "typing" },
    });
    expect(call.seq).toBe(since + 1);
    const log = fake.calls();
    expect(log.map((c) => [c.seq, c.method, c.ok])).toEqual([
      [1, "sendMessage", true],
      [2, "sendMessage", false],
      [3, "sendChatAction", true],
    ]);
    expect(log[1]).toMatchObject({
      error: "Bad Request: chat not found",
      errorCode: 400,
    });
    const past = await fake.waitForCall((c) => c.method === "sendMessage" && c.ok, 10);
    expect(past.seq).toBe(1);
    await expect(fake.waitForCall((c) => c.method === "getMe", 50)).rejects.toThrow(/no matching Bot API call/);
  });
});
