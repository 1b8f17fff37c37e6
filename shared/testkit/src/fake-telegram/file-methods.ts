import { badRequest } from "./api-error.ts";
import { formattedText, replyMarkup, replyTarget } from "./message-methods.ts";
import { UploadedFile } from "./multipart.ts";
import { chatIdOf, optStr, type Params } from "./params.ts";
import type { FakeState, StoredFile } from "./state.ts";
import type { TgMessage } from "./types.ts";

const MIME_BY_EXT: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  mp3: "audio/mpeg",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const GET_FILE_LIMIT = 20 * 1024 * 1024;

export function extensionOf(name: string | undefined): string | undefined {
  return /\.([A-Za-z0-9]{1,8})$/.exec(name ?? "")?.[1]?.toLowerCase();
}

export function mimeOf(name: string | undefined, fallback = "application/octet-stream"): string {
  return MIME_BY_EXT[extensionOf(name) ?? ""] ?? fallback;
}

/** Width and height of a PNG, GIF or JPEG; undefined for anything else. */
export function imageSize(b: Buffer): { width: number; height: number } | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString("latin1", 0, 4) === "GIF8") return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1] ?? 0;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
    }
    i += 2 + len;
  }
  return undefined;
}

function isWebp(b: Buffer): boolean {
  return b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP";
}

/** An uploaded file, a file_id the fake issued, or an http(s) URL (remembered, never fetched). */
function inputFile(state: FakeState, p: Params, key: "photo" | "document", kind: string): StoredFile {
  const v = p[key];
  if (v instanceof UploadedFile) {
    if (v.data.length === 0) throw badRequest("file must be non-empty");
    if (key === "photo" && !imageSize(v.data) && !isWebp(v.data)) throw badRequest("IMAGE_PROCESS_FAILED");
    const fallbackExt = key === "photo" ? "jpg" : "dat";
    const ext = extensionOf(v.filename) ?? fallbackExt;
    const mime = v.contentType !== "application/octet-stream" ? v.contentType : mimeOf(`x.${ext}`);
    return state.addFile(v.data, kind, ext, mime, v.filename);
  }
  const ref = optStr(p, key);
  if (ref === undefined || ref === "") throw badRequest(`there is no ${key} in the request`);
  const known = state.files.get(ref);
  if (known) return known;
  if (/^https?:\/\/\S+$/i.test(ref)) {
    const name = new URL(ref).pathname.split("/").pop();
    return state.addFile(undefined, kind, extensionOf(name) ?? "dat", mimeOf(name), name, ref);
  }
  throw badRequest("wrong file identifier/HTTP URL specified");
}

function sendMedia(state: FakeState, p: Params, key: "photo" | "document"): TgMessage {
  const chat = state.requireChat(chatIdOf(p));
  const caption = formattedText(p, "caption", "parse_mode", 1024, {
    tooLong: "message caption is too long",
  });
  const { inline } = replyMarkup(p);
  const file = inputFile(state, p, key, key === "photo" ? "photos" : "documents");
  const fields: Omit<TgMessage, "message_id" | "date" | "chat"> = {
    from: state.bot,
  };
  if (key === "photo") {
    const size = file.data ? imageSize(file.data) : undefined;
    fields.photo = [
      {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.size,
        width: size?.width ?? 0,
        height: size?.height ?? 0,
      },
    ];
  } else {
    fields.document = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.size,
      file_name: file.file_name ?? file.file_path.split("/").pop(),
      mime_type: file.mime_type,
    };
  }
  if (caption.text !== "") fields.caption = caption.text;
  if (caption.entities) fields.caption_entities = caption.entities;
  const reply = replyTarget(chat, p);
  if (reply) fields.reply_to_message = reply;
  if (inline) fields.reply_markup = inline;
  return state.addMessage(chat, fields);
}

export function sendPhoto(state: FakeState, p: Params): TgMessage {
  return sendMedia(state, p, "photo");
}

export function sendDocument(state: FakeState, p: Params): TgMessage {
  return sendMedia(state, p, "document");
}

export function getFile(state: FakeState, p: Params): Record<string, unknown> {
  const id = optStr(p, "file_id");
  const file = id === undefined ? undefined : state.files.get(id);
  if (!file) throw badRequest("invalid file_id");
  if (file.size > GET_FILE_LIMIT) throw badRequest("file is too big");
  return {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.size,
    file_path: file.file_path,
  };
}
