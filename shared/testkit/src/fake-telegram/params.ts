import { ApiError, badRequest } from "./api-error.ts";
import { boundaryOf, parseMultipart, UploadedFile } from "./multipart.ts";

export type Params = Record<string, unknown>;

/**
 * Merges the query string and the body into one parameter bag, as the real Bot
 * API does. Form and multipart values stay strings; the accessors below coerce
 * them, so JSON and form callers see the same behaviour.
 */
export function parseParams(contentType: string, body: Buffer, query: URLSearchParams): Params {
  const params: Params = {};
  for (const [k, v] of query) params[k] = v;
  if (body.length === 0) return params;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON body");
    }
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      Object.assign(params, parsed);
    }
  } else if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = v;
  } else if (type === "multipart/form-data") {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw badRequest("multipart boundary is missing");
    const parts = parseMultipart(body, boundary);
    const attached = new Set<string>();
    for (const [k, v] of parts) {
      // grammY sends `document=attach://<id>` plus a part named <id> holding the bytes.
      if (typeof v === "string" && v.startsWith("attach://")) {
        const file = parts.get(v.slice("attach://".length));
        if (file instanceof UploadedFile) {
          params[k] = file;
          attached.add(v.slice("attach://".length));
          continue;
        }
      }
      params[k] = v;
    }
    for (const id of attached) delete params[id];
  }
  return params;
}

export function optInt(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  throw badRequest(`invalid ${key} specified`);
}

export function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw badRequest(`invalid ${key} specified`);
}

export function optBool(p: Params, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === "") return undefined;
  return v === true || v === 1 || v === "true" || v === "1" || v === "True";
}

/** Objects arrive decoded in JSON bodies and as JSON text in form bodies. */
export function optJson(p: Params, key: string, onBadJson: string): unknown {
  const v = p[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    throw badRequest(onBadJson);
  }
}

/** chat_id: the numeric id of a chat; `@username` never resolves in the fake. */
export function chatIdOf(p: Params): number {
  const v = p.chat_id;
  if (v === undefined || v === null || v === "") throw badRequest("chat_id is empty");
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  throw badRequest("chat not found");
}

export function requireMessageId(p: Params): number {
  const id = optInt(p, "message_id");
  if (id === undefined) throw badRequest("message identifier is not specified");
  return id;
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
