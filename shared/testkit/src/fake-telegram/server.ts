import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleBotApi, handleFileDownload, type BotApiContext } from "./bot-api-http.ts";
import { handleControl } from "./control-api.ts";
import { Faults } from "./faults.ts";
import { sendBytes, sendJson } from "./http-util.ts";
import { FakeState } from "./state.ts";
import type { CallRecord, FakeTelegram, FakeTelegramOptions, TgUser } from "./types.ts";
import { pushCallback, pushText, pushVoice } from "./user-updates.ts";

const BOT_PATH = /^\/bot([^/]+)\/([^/]+)$/;
const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;
const asset = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), "utf8");
// The page is served as one self-contained document; its parts are kept apart for editing.
const WEB_CHAT_HTML = asset("web-chat.html")
  .replace("/*STYLES*/", () => asset("web-chat-layout.css") + asset("web-chat-messages.css"))
  .replace("/*SCRIPTS*/", () => '"use strict";\n' + inlineModules(asset("web-chat-render.js"), asset("web-chat.js")));

/** The browser files are ES modules for linting; inline they become one classic script. */
function inlineModules(...sources: string[]): string {
  return sources.map((src) => src.replace(/^import .*$/gm, "").replace(/^export /gm, "")).join("\n");
}

function botIdFromToken(token: string | undefined): number | undefined {
  const head = token?.split(":")[0];
  return head && /^\d{1,15}$/.test(head) ? Number(head) : undefined;
}

const EMBEDDED_HISTORY = 300;

/**
 * The page arrives with the chat's recent history already in it, so it paints
 * complete on load (headless screenshots included) before the event stream connects.
 */
function webChatPage(state: FakeState, userId: number): string {
  const messages = [...(state.chats.get(userId)?.messages.values() ?? [])];
  // `<` is escaped so no value can close the script element.
  const config = JSON.stringify({
    userId,
    botName: state.bot.first_name,
    botUsername: state.bot.username,
    history: messages.slice(-EMBEDDED_HISTORY),
    eventId: state.lastEventId,
  }).replace(/</g, "\\u003c");
  return WEB_CHAT_HTML.replace(/\/\*CONFIG\*\/\s*\{\}/, () => config);
}

/** Starts the fake Bot API, its control API and the web chat on one HTTP server. */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const bot: TgUser = {
    id: opts.botId ?? botIdFromToken(opts.token) ?? 7_000_000_001,
    is_bot: true,
    first_name: "OwnerBot",
    username: opts.botUsername ?? "ownerbot_test_bot",
  };
  const state = new FakeState(bot, opts.now ?? Date.now);
  const faults = new Faults();
  const webChatUserId = opts.webChatUserId ?? 1001;
  state.addChat(webChatUserId);
  for (const id of opts.chats ?? []) state.addChat(id);
  const botCtx: BotApiContext = {
    state,
    faults,
    token: opts.token,
    timers: new Set(),
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://fake-telegram");
    const path = url.pathname;
    const api = BOT_PATH.exec(path);
    if (api) return handleBotApi(botCtx, req, res, decodeURIComponent(api[1] ?? ""), api[2] ?? "", url);
    const file = FILE_PATH.exec(path);
    if (file) return handleFileDownload(botCtx, req, res, decodeURIComponent(file[1] ?? ""), decodeURIComponent(file[2] ?? ""));
    if (path.startsWith("/control/")) return handleControl({ fake, state, faults }, req, res, url);
    if (req.method === "GET" && (path === "/" || path === "/index.html")) {
      return sendBytes(res, 200, "text/html; charset=utf-8", webChatPage(state, webChatUserId), {
        "cache-control": "no-store",
      });
    }
    sendJson(res, 404, {
      ok: false,
      error_code: 404,
      description: "Not Found",
    });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, 500, {
        ok: false,
        error_code: 500,
        description: `fake-telegram: ${message}`,
      });
    });
  });
  // Long polls hold requests open; the defaults would cut them or the keep-alive pool.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const fake: FakeTelegram = {
    apiRoot: origin,
    port,
    webChatUrl: `${origin}/`,
    webChatUserId,
    botInfo: bot,
    pushText: (userId, text, o) => pushText(state, userId, text, o),
    pushCallback: (userId, data, o) => pushCallback(state, userId, data, o),
    pushVoice: (userId, bytes, o) => pushVoice(state, userId, bytes, o),
    pushUpdate: (raw) => state.pushUpdate(raw),
    pushMany: (updates) => updates.map((u) => state.pushUpdate(u)),
    addChat: (chatId, o) => void state.addChat(chatId, o),
    calls: (sinceSeq = 0) => state.callLog.slice(Math.max(0, sinceSeq)),
    lastSeq: () => state.callLog.length,
    messages: (chatId) => structuredClone([...(state.chats.get(chatId)?.messages.values() ?? [])]),
    waitForCall: (predicate, timeoutMs = 5000, sinceSeq = 0) => waitForCall(state, predicate, timeoutMs, sinceSeq),
    offeredUpdateIds: () => [...state.updates.offered].sort((a, b) => a - b),
    confirmedOffset: () => state.updates.confirmedOffset,
    restartUpdateIds: () => state.updates.restartIds(),
    pendingCount: () => state.updates.pending,
    callbackAnswers: () => state.answers.slice(),
    fileBytes: (fileId) => state.files.get(fileId)?.data,
    setFault: (spec) => void faults.add(spec),
    clearFaults: () => faults.clear(),
    close: () => (closing ??= shutdown()),
  };
  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    for (const t of botCtx.timers) clearTimeout(t);
    botCtx.timers.clear();
    state.updates.release();
    // Let the released long poll's answer go out before the sockets are cut.
    await new Promise((resolve) => setImmediate(resolve));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return fake;
}

function waitForCall(state: FakeState, predicate: (call: CallRecord) => boolean, timeoutMs: number, sinceSeq: number): Promise<CallRecord> {
  // seq n sits at index n-1, so starting at index sinceSeq skips everything up to it.
  for (let i = Math.max(0, sinceSeq); i < state.callLog.length; i++) {
    const call = state.callLog[i];
    if (call && predicate(call)) return Promise.resolve(call);
  }
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      state.events.off("call", onCall);
    };
    const onCall = (call: CallRecord): void => {
      let hit: boolean;
      try {
        hit = predicate(call);
      } catch (err) {
        done();
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (!hit) return;
      done();
      resolve(call);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`waitForCall: no matching Bot API call within ${timeoutMs} ms (${state.callLog.length} calls recorded)`));
    }, timeoutMs);
    state.events.on("call", onCall);
  });
}
