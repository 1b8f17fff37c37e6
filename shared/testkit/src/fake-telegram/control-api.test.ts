import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { envelope, TOKEN, useFake, type Envelope } from "./test-support.ts";
import type { CallRecord, TgMessage, TgUpdate } from "./types.ts";

async function post<T>(url: string, body: unknown): Promise<{ status: number; json: Envelope<T> }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: await envelope<T>(res) };
}

interface SseEvent {
  id: number;
  event: string;
  data: unknown;
}

/** Reads Server-Sent Events until `want` of them arrived; `started` runs once the stream is open. */
async function readEvents(url: string, want: number, started: () => Promise<void>): Promise<SseEvent[]> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  if (!res.body) throw new Error("no body");
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = "";
  let kicked = false;
  try {
    while (events.length < want) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      if (!kicked) {
        kicked = true;
        await started();
      }
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const lines = buffer.slice(0, end).split("\n");
        buffer = buffer.slice(end + 2);
        const field = (name: string): string | undefined => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field("data");
        if (data !== undefined) events.push({ id: Number(field("id")), event: field("event") ?? "", data: JSON.parse(data) });
      }
    }
  } finally {
    ac.abort();
  }
  return events;
}

describe("control API", () => {
  const start = useFake();

  it("pushes short-form and raw updates that the bot then receives", async () => {
    const { fake, api } = await start();
    const one = await post<TgUpdate>(`${fake.apiRoot}/control/updates`, { user_id: 77, text: "/report week" });
    expect(one.status).toBe(200);
    expect(one.json.result.update_id).toBe(1);
    expect(one.json.result.message?.entities).toEqual([{ offset: 0, length: 7, type: "bot_command" }]);
    const bot = await api.sendMessage(77, "Какой период?", {
      reply_markup: { inline_keyboard: [[{ text: "Неделя", callback_data: "w" }]] },
    });
    const many = await post<TgUpdate[]>(`${fake.apiRoot}/control/updates`, [
      { user_id: 77, callback_data: "w", message_id: bot.message_id },
      { message: { message_id: 50, date: 1, chat: { id: 78, type: "private" }, text: "raw" } },
    ]);
    expect(many.json.result.map((u) => u.update_id)).toEqual([2, 3]);
    expect(many.json.result[0]?.callback_query?.message?.text).toBe("Какой период?");
    const got = await api.getUpdates();
    expect(got.map((u) => u.message?.text ?? u.callback_query?.data)).toEqual(["/report week", "w", "raw"]);
    // A raw update makes its chat known, so the bot may answer there.
    expect((await api.sendMessage(78, "ok")).message_id).toBe(51);
    const bad = await post(`${fake.apiRoot}/control/updates`, { user_id: 77 });
    expect(bad.status).toBe(400);
  });

  it("lists calls since a seq and reports state", async () => {
    const { fake, api } = await start();
    fake.pushText(5, "hi");
    await api.getUpdates();
    await api.sendMessage(5, "one");
    await api.sendMessage(5, "two");
    const res = await envelope<CallRecord[]>(fetch(`${fake.apiRoot}/control/calls?since=2`));
    expect(res.result.map((c) => [c.seq, c.method, (c.result as TgMessage).text])).toEqual([[3, "sendMessage", "two"]]);
    const state = await envelope<Record<string, unknown>>(fetch(`${fake.apiRoot}/control/state`));
    expect(state.result).toMatchObject({ last_update_id: 1, pending: 1, confirmed_offset: 0, offered: 1, calls: 3, polling: false });
  });

  it("sets and clears faults", async () => {
    const { fake, api } = await start();
    const set = await post<unknown[]>(`${fake.apiRoot}/control/faults`, { method: "getMe", kind: "429", retryAfter: 3, count: 1 });
    expect(set.json.result).toEqual([expect.objectContaining({ kind: "429", method: "getme", remaining: 1 })]);
    await expect(api.getMe()).rejects.toMatchObject({ error_code: 429, parameters: { retry_after: 3 } });
    await post(`${fake.apiRoot}/control/faults`, { kind: "5xx" });
    await fetch(`${fake.apiRoot}/control/faults`, { method: "DELETE" });
    expect((await api.getMe()).is_bot).toBe(true);
    expect((await post(`${fake.apiRoot}/control/faults`, { kind: "nope" })).status).toBe(400);
  });

  it("streams pushed updates and bot calls as Server-Sent Events", async () => {
    const { fake, api } = await start();
    const events = await readEvents(`${fake.apiRoot}/control/events`, 2, async () => {
      fake.pushText(1001, "привет");
      await api.sendMessage(1001, "здравствуйте");
    });
    expect(events.map((e) => e.event)).toEqual(["update", "call"]);
    expect((events[0]?.data as TgUpdate).message?.text).toBe("привет");
    expect(events[1]?.data).toMatchObject({ method: "sendMessage", ok: true, result: { text: "здравствуйте" } });
    expect(events[1]?.id).toBe((events[0]?.id ?? 0) + 1);
  });

  it("gives the chat history with the event id it is current to", async () => {
    const { fake, api } = await start();
    fake.pushText(1001, "a");
    const sent = await api.sendMessage(1001, "b");
    await api.editMessageText(1001, sent.message_id, "b2");
    const res = await envelope<TgMessage[]>(fetch(`${fake.apiRoot}/control/history?chat_id=1001`));
    expect(res.result.map((m) => m.text)).toEqual(["a", "b2"]);
    expect(res.event_id).toBe(3);
  });

  it("takes a voice as raw bytes and serves it back", async () => {
    const { fake, api } = await start();
    const ogg = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(64, 1)]);
    const res = await envelope<TgUpdate>(fetch(`${fake.apiRoot}/control/voice?user_id=1001&duration=4`, { method: "POST", body: ogg }));
    expect(res.result.message?.voice).toMatchObject({ duration: 4, file_size: ogg.length });
    const id = String(res.result.message?.voice?.file_id);
    const served = await fetch(`${fake.apiRoot}/control/files/${encodeURIComponent(id)}`);
    expect(served.headers.get("content-type")).toBe("audio/ogg");
    expect(Buffer.from(await served.arrayBuffer()).equals(ogg)).toBe(true);
    const file = await api.getFile(id);
    const dl = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(ogg)).toBe(true);
  });

  it("takes a browser recording (WebM) as an audio file that getFile serves like Telegram", async () => {
    const { fake, api } = await start();
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(64, 2)]);
    const q = "user_id=1001&duration=3&as_document=1&file_name=voice.webm&mime_type=audio%2Fwebm";
    const res = await envelope<TgUpdate>(fetch(`${fake.apiRoot}/control/voice?${q}`, { method: "POST", body: webm }));
    expect(res.result.message?.document).toMatchObject({ file_name: "voice.webm", mime_type: "audio/webm", file_size: webm.length });
    const file = await api.getFile(String(res.result.message?.document?.file_id));
    const dl = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(webm)).toBe(true);
  });

  it("serves the web chat page with its configuration and history inline", async () => {
    const { fake } = await start({ webChatUserId: 555 });
    fake.pushText(555, "</script><b>hi</b>");
    const html = await (await fetch(fake.webChatUrl)).text();
    expect(html).toContain("<title>OwnerBot — демо-чат</title>");
    expect(html).toContain('placeholder="Сообщение…"');
    expect(html).toContain('id="mic"');
    expect(html).toContain("MediaRecorder");
    expect(html).toContain('const CFG = {"userId":555,');
    expect(html).toContain("\\u003c/script>\\u003cb>hi\\u003c/b>");
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
    expect(html).not.toMatch(/^\s*(import|export) /m);
    // The inlined modules must compile as one classic script.
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? "";
    expect(() => new Script(script)).not.toThrow();
  });
});
