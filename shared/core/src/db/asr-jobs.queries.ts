import type pg from "pg";
import type { VoiceFile } from "../asr/voice-file.ts";
import type { Queryable } from "./sql.ts";

export type ClaimedAsr = { id: number; chatId: number; file: VoiceFile; attempts: number; createdAt: Date };

/** Claims the chat's oldest open transcription with a lease (ob_claim_asr, db/migrations/0030). */
export async function claimAsrJob(db: Queryable, chatId: number, claimer: string, leaseSec: number): Promise<ClaimedAsr | null> {
  const { rows } = await db.query<{ id: number; chat_id: number; file: VoiceFile; attempts: number; created_at: Date }>({
    name: "ob-claim-asr",
    text: "SELECT * FROM ob_claim_asr($1, $2, $3::double precision, 1)",
    values: [chatId, claimer, leaseSec],
  });
  const r = rows[0];
  return r ? { id: r.id, chatId: r.chat_id, file: r.file, attempts: r.attempts, createdAt: r.created_at } : null;
}

/** Why a voice has no transcript; the intent worker words each for the owner. */
export type AsrReason =
  "too_big" | "too_long" | "not_audio" | "corrupt" | "silence" | "convert_timeout" | "download_failed" | "unclear" | "unavailable";

export type AsrFinish =
  | { status: "done"; transcript: string; audioSeconds: number }
  | { status: "refused" | "dead"; reason: AsrReason; error: string; audioSeconds?: number | undefined };

/**
 * Records how a transcription ended and hands its voice back to the intent worker, in one
 * transaction of two statements. The first (fenced on the claimer) locks the asr row: an intent
 * finish deciding to park the voice either went first — then the second statement, with a fresh
 * snapshot, sees the row parked and wakes it — or waits for this commit and sees the transcription
 * ended, so it does not park. Returns the inbox row to wake (null when the lease was lost, or the
 * row is claimed and its claimer will see the result).
 */
export async function finishAsrJob(
  pool: pg.Pool,
  id: number,
  claimer: string,
  f: AsrFinish,
): Promise<{ fenced: boolean; woke: { id: number; chatId: number } | null }> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const fin = await c.query({
      name: "ob-finish-asr",
      text: `UPDATE asr_jobs SET status = $3, transcript = $4, reason = $5, last_error = $6, audio_seconds = $7,
              done_at = now(), lease_until = NULL
       WHERE id = $1 AND claimed_by = $2 AND status = 'claimed'`,
      values: [
        id,
        claimer,
        f.status,
        f.status === "done" ? f.transcript : null,
        f.status === "done" ? null : f.reason,
        f.status === "done" ? null : f.error.slice(0, 2000),
        f.audioSeconds ?? null,
      ],
    });
    if (fin.rowCount !== 1) {
      await c.query("ROLLBACK");
      return { fenced: false, woke: null };
    }
    const woke = await wakeVoice(c, id);
    await c.query("COMMIT");
    return { fenced: true, woke };
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** A waiting or parked voice becomes claimable now. */
async function wakeVoice(db: Queryable, id: number): Promise<{ id: number; chatId: number } | null> {
  const { rows } = await db.query<{ id: number; chat_id: number }>({
    name: "ob-wake-voice",
    text: `UPDATE inbox SET status = 'new', not_before = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('new', 'parked') RETURNING id, chat_id`,
    values: [id],
  });
  const r = rows[0];
  return r ? { id: r.id, chatId: r.chat_id } : null;
}

export type AsrResult =
  | { status: "open"; attempts: number }
  | { status: "done"; transcript: string; audioSeconds: number | null }
  | { status: "refused" | "dead"; reason: AsrReason; audioSeconds: number | null };

/** Where a voice's transcription stands, for the intent worker; null when none was asked for yet. */
export async function asrResultOf(db: Queryable, id: number): Promise<AsrResult | null> {
  const { rows } = await db.query<{
    status: string;
    transcript: string | null;
    reason: string | null;
    audio_seconds: number | null;
    attempts: number;
  }>({
    name: "ob-asr-result",
    text: "SELECT status, transcript, reason, audio_seconds, attempts FROM asr_jobs WHERE id = $1",
    values: [id],
  });
  const r = rows[0];
  if (!r) return null;
  if (r.status === "done") return { status: "done", transcript: r.transcript ?? "", audioSeconds: r.audio_seconds };
  if (r.status === "refused" || r.status === "dead")
    return { status: r.status, reason: (r.reason ?? "unavailable") as AsrReason, audioSeconds: r.audio_seconds };
  return { status: "open", attempts: r.attempts };
}

export async function cachedTranscript(db: Queryable, fileUniqueId: string): Promise<{ transcript: string; audioSeconds: number } | null> {
  const { rows } = await db.query<{ transcript: string; audio_seconds: number }>({
    name: "ob-asr-cache-get",
    text: "SELECT transcript, audio_seconds FROM asr_cache WHERE file_unique_id = $1",
    values: [fileUniqueId],
  });
  const r = rows[0];
  return r ? { transcript: r.transcript, audioSeconds: r.audio_seconds } : null;
}

export async function cacheTranscript(
  db: Queryable,
  fileUniqueId: string,
  transcript: string,
  provider: string,
  audioSeconds: number,
): Promise<void> {
  await db.query({
    name: "ob-asr-cache-put",
    text: `INSERT INTO asr_cache (file_unique_id, transcript, provider, audio_seconds) VALUES ($1, $2, $3, $4)
     ON CONFLICT (file_unique_id) DO NOTHING`,
    values: [fileUniqueId, transcript, provider, audioSeconds],
  });
}

/** The voice's status message (its Telegram id once sent) and whether the owner was told it is late. */
export async function voiceReplies(db: Queryable, id: number): Promise<{ statusMessageId: number | null; toldLate: boolean }> {
  const { rows } = await db.query<{ status_message_id: number | null; told_late: boolean }>({
    name: "ob-voice-replies",
    text: `SELECT (SELECT telegram_message_id FROM outbox WHERE cause = 'upd:' || $1::bigint AND seq = 0) AS status_message_id,
       EXISTS (SELECT 1 FROM outbox WHERE cause = 'upd:' || $1::bigint || ':late') AS told_late`,
    values: [id],
  });
  return { statusMessageId: rows[0]?.status_message_id ?? null, toldLate: rows[0]?.told_late === true };
}
