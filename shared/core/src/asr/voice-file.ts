// What an update says about the audio it carries, read before anything is downloaded.

export type VoiceKind = "voice" | "audio" | "video_note" | "document";

/** Stored with the asr_jobs row (db/migrations/0030): everything worker-asr needs but the bytes. */
export type VoiceFile = {
  kind: VoiceKind;
  fileId: string;
  fileUniqueId: string;
  /** The owner's message, for replying to it when the answer comes late. */
  messageId: number;
  mimeType?: string;
  fileName?: string;
  fileSize?: number;
  duration?: number;
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === "object" && v !== null ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

/** File names clients give audio they send as a document (a PNG renamed .ogg passes here and is caught by its bytes). */
const AUDIO_NAME = /\.(ogg|oga|opus|mp3|m4a|aac|wav|flac|webm|weba|mka)$/i;

/** A document is audio when its MIME type or its name says so. */
export function isAudioDocument(doc: Obj | undefined): boolean {
  if (!doc) return false;
  const mime = str(doc.mime_type) ?? "";
  return mime.startsWith("audio/") || AUDIO_NAME.test(str(doc.file_name) ?? "");
}

/** The audio of a message: a voice note, an audio file, a video note, or an audio document; null for anything else. */
export function voiceFileOf(payload: Obj): VoiceFile | null {
  const msg = obj(payload.message);
  if (!msg) return null;
  const messageId = num(msg.message_id) ?? 0;
  const pick = (kind: VoiceKind, f: Obj | undefined): VoiceFile | null => {
    const fileId = str(f?.file_id);
    const fileUniqueId = str(f?.file_unique_id);
    if (!f || !fileId || !fileUniqueId) return null;
    const out: VoiceFile = { kind, fileId, fileUniqueId, messageId };
    const mime = str(f.mime_type);
    const name = str(f.file_name);
    const size = num(f.file_size);
    const duration = num(f.duration);
    if (mime) out.mimeType = mime;
    if (name) out.fileName = name.slice(0, 200);
    if (size !== undefined) out.fileSize = size;
    if (duration !== undefined) out.duration = duration;
    return out;
  };
  if (msg.voice) return pick("voice", obj(msg.voice));
  if (msg.audio) return pick("audio", obj(msg.audio));
  if (msg.video_note) return pick("video_note", obj(msg.video_note));
  const doc = obj(msg.document);
  return isAudioDocument(doc) ? pick("document", doc) : null;
}

export type AsrLimits = { maxBytes: number; maxSeconds: number };

/** Refuses by what Telegram declared, before a byte is fetched; worker-asr checks the real file again. */
export function declaredRefusal(f: VoiceFile, l: AsrLimits): "too_big" | "too_long" | null {
  if (f.fileSize !== undefined && f.fileSize > l.maxBytes) return "too_big";
  if (f.duration !== undefined && f.duration > l.maxSeconds) return "too_long";
  return null;
}
