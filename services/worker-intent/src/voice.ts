import type pg from "pg";
import { type AsrReason, asrResultOf, type ClaimedUpdate, voiceReplies } from "@ownerbot/core/db";
import { declaredRefusal, voiceFileOf, type AsrLimits } from "@ownerbot/core/asr";
import type { DomainCtx, Handled, TextAnswer } from "./handle.ts";

export const RECOGNIZING_TEXT = "🎙 Распознаю…";
export const DELAYED_TEXT =
  "🎙 Распознавание задерживается: сервис распознавания речи сейчас не отвечает. Голосовое сохранено — отвечу на него, как только распознаю. Остальное работает как обычно.";
export const recognizedText = (t: string): string => `🎙 Распознал: «${t.length > 300 ? `${t.slice(0, 300)}…` : t}»`;
const AGAIN = "Пришлите ещё раз или напишите текстом.";

export function refusalText(reason: AsrReason, l: AsrLimits): string {
  switch (reason) {
    case "too_big":
      return `🎙 Файл больше ${Math.round(l.maxBytes / 1024 / 1024)} МБ — такие я не распознаю. Запишите покороче или напишите текстом.`;
    case "too_long":
      return `🎙 Запись длиннее ${minutes(l.maxSeconds)} — такие я не распознаю. Запишите покороче или напишите текстом.`;
    case "not_audio":
      return "🎙 Это не аудио — распознавать нечего. Пришлите голосовое или аудиофайл (OGG, MP3, M4A, WAV) либо напишите текстом.";
    case "corrupt":
      return `🎙 Не получилось прочитать запись: файл повреждён или обрезан. ${AGAIN}`;
    case "silence":
      return "🎙 В записи не слышно речи. Повторите, пожалуйста, или напишите текстом.";
    case "unclear":
      return "🎙 Не расслышал уверенно. Повторите, пожалуйста, чуть чётче — или напишите текстом.";
    case "convert_timeout":
      return `🎙 Эту запись не удалось обработать за отведённое время. ${AGAIN}`;
    case "download_failed":
      return `🎙 Не получилось скачать запись из Telegram. ${AGAIN}`;
    case "unavailable":
      return "🎙 Распознавание речи так и не заработало, голосовое осталось без ответа. Напишите, пожалуйста, текстом.";
  }
}

function minutes(sec: number): string {
  if (sec % 60 !== 0) return `${sec} с`;
  const m = sec / 60;
  return `${m} ${m % 10 === 1 && m % 100 !== 11 ? "минуты" : "минут"}`;
}

export type VoiceDeps = {
  pool: pg.Pool;
  limits: AsrLimits;
  orderWaitMs: number;
  retryWindowMs: number;
};

type VoiceHandled = Omit<Handled, "audits">;

/**
 * A voice in three visits of its inbox row (docs/architecture.md, "Voice"):
 * 1. no transcription yet — reply «Распознаю…», write the asr_jobs row, and hold the row as `new`
 *    for ASR_ORDER_WAIT_SEC, so the chat's later messages wait behind it;
 * 2. the wait ran out first — tell the owner once that recognition is late (an edit of the status
 *    message) and park the row, so the chat goes on;
 * 3. worker-asr handed it back — show the transcript and answer it like typed text (as a reply to
 *    the voice when it comes late), or say why it could not be recognised. A transcript no rule
 *    understands goes to the LLM planner like typed text: «Думаю…» below the transcript, and the
 *    row's later visits are the planner's (`upd:<id>:asr:late`, `upd:<id>:asr:llm`).
 */
export function createVoiceHandler(d: VoiceDeps) {
  return async function handleVoice(u: ClaimedUpdate, ctx: DomainCtx, text: TextAnswer): Promise<VoiceHandled> {
    const file = voiceFileOf(u.payload);
    if (!file) return { replies: [{ text: refusalText("not_audio", d.limits) }] };
    const result = await asrResultOf(d.pool, u.id);
    if (result === null) {
      const declared = declaredRefusal(file, d.limits);
      if (declared) {
        ctx.audit({ type: "voice_refused", payload: { reason: declared, kind: file.kind, bytes: file.fileSize, duration: file.duration } });
        return { replies: [{ text: refusalText(declared, d.limits) }] };
      }
      return {
        replies: [{ text: RECOGNIZING_TEXT }],
        hold: { notBeforeMs: Date.now() + d.orderWaitMs, park: false },
        asr: { file },
      };
    }
    const seen = await voiceReplies(d.pool, u.id);
    const edit = seen.statusMessageId !== null ? { editMessageId: seen.statusMessageId } : {};
    if (result.status === "open")
      return {
        ...edit,
        replies: [{ text: DELAYED_TEXT, editInPlace: true }],
        hold: { notBeforeMs: Date.now() + d.retryWindowMs, park: true },
        cause: `upd:${u.id}:late`,
      };
    const stage = `upd:${u.id}:asr`;
    if (result.status === "done") {
      // The transcript was shown and handed to the planner on an earlier visit: this one is the planner's.
      const planned = await text.resume(result.transcript, stage);
      if (planned) return planned;
    }
    const late = seen.toldLate ? { replyTo: file.messageId } : {};
    if (result.status !== "done") {
      ctx.audit({ type: "voice_refused", payload: { reason: result.reason, kind: file.kind, audio_seconds: result.audioSeconds } });
      return { ...edit, ...late, replies: [{ text: refusalText(result.reason, d.limits), editInPlace: true }], cause: stage };
    }
    ctx.audit({
      type: "voice_transcribed",
      payload: { kind: file.kind, audio_seconds: result.audioSeconds, chars: result.transcript.length },
    });
    const answer = await text.first(result.transcript);
    return {
      ...edit,
      ...late,
      ...answer,
      replies: [{ text: recognizedText(result.transcript), editInPlace: true }, ...answer.replies],
      cause: stage,
    };
  };
}
