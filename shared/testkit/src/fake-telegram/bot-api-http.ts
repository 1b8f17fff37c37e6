import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, CONFLICT_OTHER_POLL } from "./api-error.ts";
import { canonicalMethod, getUpdatesArgs, METHODS } from "./bot-api-methods.ts";
import { BAD_GATEWAY_HTML, type ActiveFault, type Faults } from "./faults.ts";
import { clientGone, readBody, sendBytes, sendJson } from "./http-util.ts";
import { parseParams, type Params } from "./params.ts";
import type { FakeState } from "./state.ts";

export interface BotApiContext {
  state: FakeState;
  faults: Faults;
  token: string | undefined;
  /** Delays of `slow` faults, cleared on close. */
  timers: Set<NodeJS.Timeout>;
}

const UNAUTHORIZED = new ApiError(401, "Unauthorized");
const NOT_FOUND = new ApiError(404, "Not Found");

function answerError(ctx: BotApiContext, res: ServerResponse, method: string, params: Params, err: ApiError): void {
  ctx.state.record({
    method,
    params,
    ok: false,
    error: err.message,
    errorCode: err.code,
  });
  sendJson(res, err.code, err.toBody());
}

/** `/bot<token>/<method>`: auth, parameters, injected faults, then the method itself. */
export async function handleBotApi(
  ctx: BotApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  rawMethod: string,
  url: URL,
): Promise<void> {
  const gone = clientGone(res);
  let params: Params = {};
  const method = canonicalMethod(rawMethod) ?? rawMethod;
  try {
    const body = await readBody(req);
    if (ctx.token !== undefined && token !== ctx.token) throw UNAUTHORIZED;
    if (!canonicalMethod(rawMethod)) throw NOT_FOUND;
    params = parseParams(req.headers["content-type"] ?? "", body, url.searchParams);
  } catch (err) {
    if (err instanceof ApiError) return answerError(ctx, res, method, params, err);
    throw err;
  }
  const fault = ctx.faults.take(method);
  if (fault) {
    if (fault.kind !== "slow") return applyFault(ctx, res, method, params, fault);
    await sleep(ctx, fault.delayMs);
  }
  try {
    const result = method === "getUpdates" ? await getUpdates(ctx, params, gone) : METHODS[method]?.(ctx.state, params);
    ctx.state.record({
      method,
      params,
      ok: true,
      result,
      ...(fault ? { fault: fault.kind } : {}),
    });
    sendJson(res, 200, { ok: true, result });
  } catch (err) {
    if (err instanceof ApiError) return answerError(ctx, res, method, params, err);
    const message = err instanceof Error ? err.message : String(err);
    ctx.state.record({
      method,
      params,
      ok: false,
      error: `fake-telegram bug: ${message}`,
      errorCode: 500,
    });
    sendJson(res, 500, {
      ok: false,
      error_code: 500,
      description: "Internal Server Error",
    });
  }
}

function getUpdates(ctx: BotApiContext, params: Params, gone: AbortSignal): Promise<unknown> {
  const args = getUpdatesArgs(params);
  ctx.state.updates.setAllowed(args.allowedUpdates);
  return ctx.state.updates.poll(args.offset, args.limit, args.timeout, gone);
}

function applyFault(ctx: BotApiContext, res: ServerResponse, method: string, params: Params, fault: ActiveFault): void {
  const record = (error: string, errorCode?: number): void => {
    ctx.state.record({
      method,
      params,
      ok: false,
      error,
      fault: fault.kind,
      ...(errorCode ? { errorCode } : {}),
    });
  };
  switch (fault.kind) {
    case "429": {
      const err = new ApiError(429, `Too Many Requests: retry after ${fault.retryAfter}`, {
        retry_after: fault.retryAfter,
      });
      record(err.message, 429);
      sendJson(res, 429, err.toBody());
      return;
    }
    case "conflict": {
      record(CONFLICT_OTHER_POLL, 409);
      sendJson(res, 409, new ApiError(409, CONFLICT_OTHER_POLL).toBody());
      return;
    }
    case "5xx":
      record("502 Bad Gateway", 502);
      sendBytes(res, 502, "text/html", BAD_GATEWAY_HTML);
      return;
    case "401":
      record(UNAUTHORIZED.message, 401);
      sendJson(res, 401, UNAUTHORIZED.toBody());
      return;
    case "hang":
      // Accepted and never answered; close() or the client's own deadline ends it.
      record("no answer (hang fault)");
      return;
    case "slow":
      return;
  }
}

function sleep(ctx: BotApiContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      ctx.timers.delete(t);
      resolve();
    }, ms);
    ctx.timers.add(t);
  });
}

/** `/file/bot<token>/<path>`: the bytes of a file getFile pointed at. */
export async function handleFileDownload(
  ctx: BotApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  path: string,
): Promise<void> {
  await readBody(req, 0).catch(() => undefined);
  if (ctx.token !== undefined && token !== ctx.token) return sendJson(res, 401, UNAUTHORIZED.toBody());
  const stored = ctx.state.filesByPath.get(path);
  // `file:<file_id>` aims a fault at one file's downloads; `file` at every download.
  const fault = (stored && ctx.faults.take(`file:${stored.file_id}`)) ?? ctx.faults.take("file");
  if (fault?.kind === "hang") return;
  if (fault?.kind === "5xx") return sendBytes(res, 502, "text/html", BAD_GATEWAY_HTML);
  if (fault?.kind === "429")
    return sendJson(
      res,
      429,
      new ApiError(429, `Too Many Requests: retry after ${fault.retryAfter}`, {
        retry_after: fault.retryAfter,
      }).toBody(),
    );
  if (fault?.kind === "slow") await sleep(ctx, fault.delayMs);
  const file = ctx.state.filesByPath.get(path);
  if (!file?.data) return sendJson(res, 404, NOT_FOUND.toBody());
  if (fault?.kind === "stall") {
    // A download that starts and then stops coming: the headers promise every byte, half arrive.
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(file.data.length) });
    res.write(file.data.subarray(0, Math.floor(file.data.length / 2)));
    return;
  }
  sendBytes(res, 200, "application/octet-stream", file.data);
}
