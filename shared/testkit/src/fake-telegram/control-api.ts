import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.ts";
import type { Faults } from "./faults.ts";
import { readBody, sendBytes, sendJson } from "./http-util.ts";
import type { FakeEvent, FakeState } from "./state.ts";
import type { FakeTelegram, TgUpdate } from "./types.ts";

export interface ControlContext {
  fake: FakeTelegram;
  state: FakeState;
  faults: Faults;
}

const HEARTBEAT_MS = 15_000;

function bad(description: string): ApiError {
  return new ApiError(400, description);
}

function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8") || "null");
  } catch {
    throw bad("body must be JSON");
  }
}

function intOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** A raw update, or the short forms `{ user_id, text }` and `{ user_id, callback_data, message_id }`. */
function pushOne(ctx: ControlContext, item: unknown): TgUpdate {
  if (typeof item !== "object" || item === null || Array.isArray(item)) throw bad("an update must be an object");
  const o = item as Record<string, unknown>;
  const userId = intOf(o.user_id);
  if (userId === undefined) return ctx.fake.pushUpdate(o);
  const chatId = intOf(o.chat_id);
  if (typeof o.text === "string") {
    const username = typeof o.username === "string" ? o.username : undefined;
    return ctx.fake.pushText(userId, o.text, {
      ...(chatId !== undefined ? { chatId } : {}),
      ...(username !== undefined ? { username } : {}),
    });
  }
  if (typeof o.callback_data === "string") {
    const messageId = intOf(o.message_id);
    return ctx.fake.pushCallback(userId, o.callback_data, {
      ...(chatId !== undefined ? { chatId } : {}),
      ...(messageId !== undefined ? { messageId } : {}),
    });
  }
  throw bad("with user_id, give text or callback_data");
}

function stateSummary(ctx: ControlContext): Record<string, unknown> {
  const q = ctx.state.updates;
  return {
    bot: ctx.state.bot,
    web_chat_user_id: ctx.fake.webChatUserId,
    last_update_id: q.lastId,
    pending: q.pending,
    confirmed_offset: q.confirmedOffset,
    offered: q.offered.size,
    offer_count: q.offerCount,
    dropped: q.dropped,
    polling: q.polling,
    calls: ctx.state.callLog.length,
    chats: ctx.state.chats.size,
    callback_answers: ctx.state.answers.length,
    faults: ctx.faults.list().map((f) => ({
      ...f,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
    })),
  };
}

function streamEvents(ctx: ControlContext, res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  res.write(`retry: 1000\n: connected at event ${ctx.state.lastEventId}\n\n`);
  const onEvent = (e: FakeEvent): void => {
    res.write(`id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(e.data)}\n\n`);
  };
  const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  ctx.state.events.on("event", onEvent);
  res.on("close", () => {
    clearInterval(heartbeat);
    ctx.state.events.off("event", onEvent);
  });
}

function serveFile(ctx: ControlContext, res: ServerResponse, id: string): void {
  const file = ctx.state.files.get(id);
  if (!file) return sendJson(res, 404, { ok: false, description: "no such file" });
  if (!file.data) {
    res.writeHead(302, { location: file.url ?? "/" });
    res.end();
    return;
  }
  const inline = /^(image|audio)\//.test(file.mime_type);
  const name = encodeURIComponent(file.file_name ?? file.file_path.split("/").pop() ?? "file");
  sendBytes(res, 200, file.mime_type, file.data, {
    "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${name}`,
  });
}

/** `/control/*`: how out-of-process drivers and the web chat talk to the fake. */
export async function handleControl(ctx: ControlContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice("/control".length);
  const q = url.searchParams;
  const route = `${req.method ?? "GET"} ${path.startsWith("/files/") ? "/files/" : path}`;
  try {
    const body = route === "GET /events" ? Buffer.alloc(0) : await readBody(req);
    switch (route) {
      case "POST /updates": {
        const input = jsonBody(body);
        const result = Array.isArray(input) ? input.map((u) => pushOne(ctx, u)) : pushOne(ctx, input);
        return sendJson(res, 200, { ok: true, result });
      }
      case "POST /voice": {
        if (body.length === 0) throw bad("body must hold the voice bytes");
        const duration = intOf(q.get("duration"));
        const fileName = q.get("file_name");
        const mimeType = q.get("mime_type");
        const chatId = intOf(q.get("chat_id"));
        const result = ctx.fake.pushVoice(intOf(q.get("user_id")) ?? ctx.fake.webChatUserId, body, {
          asDocument: q.get("as_document") === "1" || q.get("as_document") === "true",
          ...(duration !== undefined ? { duration } : {}),
          ...(fileName ? { fileName } : {}),
          ...(mimeType ? { mimeType } : {}),
          ...(chatId !== undefined ? { chatId } : {}),
        });
        return sendJson(res, 200, { ok: true, result });
      }
      case "GET /calls": {
        const method = q.get("method");
        const calls = ctx.fake.calls(intOf(q.get("since")) ?? 0);
        return sendJson(res, 200, {
          ok: true,
          result: method ? calls.filter((c) => c.method === method) : calls,
        });
      }
      case "GET /events":
        return streamEvents(ctx, res);
      case "GET /faults":
        return sendJson(res, 200, {
          ok: true,
          result: stateSummary(ctx).faults,
        });
      case "POST /faults": {
        const input = jsonBody(body);
        try {
          for (const spec of Array.isArray(input) ? input : [input]) ctx.faults.add(spec);
        } catch (err) {
          throw bad(err instanceof Error ? err.message : String(err));
        }
        return sendJson(res, 200, {
          ok: true,
          result: stateSummary(ctx).faults,
        });
      }
      case "DELETE /faults":
        ctx.faults.clear();
        return sendJson(res, 200, { ok: true, result: true });
      case "GET /state":
        return sendJson(res, 200, { ok: true, result: stateSummary(ctx) });
      case "GET /offered":
        return sendJson(res, 200, {
          ok: true,
          result: {
            update_ids: ctx.fake.offeredUpdateIds(),
            confirmed_offset: ctx.fake.confirmedOffset(),
          },
        });
      case "GET /answers":
        return sendJson(res, 200, {
          ok: true,
          result: ctx.fake.callbackAnswers(),
        });
      case "GET /history": {
        // event_id joins this snapshot to /control/events: later events have larger ids.
        const chatId = intOf(q.get("chat_id")) ?? ctx.fake.webChatUserId;
        return sendJson(res, 200, {
          ok: true,
          result: ctx.fake.messages(chatId),
          event_id: ctx.state.lastEventId,
        });
      }
      case "POST /chats": {
        const o = jsonBody(body) as Record<string, unknown> | null;
        const chatId = intOf(o?.chat_id);
        if (chatId === undefined) throw bad("chat_id must be an integer");
        ctx.fake.addChat(chatId, typeof o?.title === "string" ? { title: o.title } : {});
        return sendJson(res, 200, { ok: true, result: true });
      }
      case "GET /files/":
        return serveFile(ctx, res, decodeURIComponent(path.slice("/files/".length)));
      default:
        return sendJson(res, 404, {
          ok: false,
          error_code: 404,
          description: "Not Found",
        });
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    sendJson(res, err.code, {
      ok: false,
      error_code: err.code,
      description: err.message,
    });
  }
}
