import { TelegramError, type TelegramClient } from "@ownerbot/core/telegram";
import type { AsrReason } from "@ownerbot/core/db";

/** The file cannot be had, and trying again will not change that. */
export class FileRefused extends Error {
  readonly reason: AsrReason;
  constructor(reason: AsrReason, message: string) {
    super(message);
    this.name = "FileRefused";
    this.reason = reason;
  }
}

/** Telegram could not hand the file over this time (5xx, 429, network, deadline). */
export class FileUnavailable extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "FileUnavailable";
  }
}

export type OpenedFile = { bytes: AsyncIterable<Uint8Array>; size: number | undefined };

/**
 * getFile, then the download as a stream (converted while it arrives). The byte cap is enforced
 * three times: by getFile's size, by Content-Length, and by the converter while it reads. The
 * download URL holds the bot token, so it never enters an error or a log line.
 */
export async function openTelegramFile(
  tg: TelegramClient,
  o: { apiRoot: string; token: string; fileId: string; maxBytes: number; signal: AbortSignal },
): Promise<OpenedFile> {
  let file: { file_path?: string; file_size?: number };
  try {
    file = await tg.call("getFile", { file_id: o.fileId }, { signal: o.signal });
  } catch (err) {
    if (err instanceof TelegramError && err.status === 400) {
      if (/too big/i.test(err.description)) throw new FileRefused("too_big", "Telegram says the file is too big to download");
      throw new FileRefused("download_failed", `getFile refused: ${err.description}`);
    }
    throw new FileUnavailable(`getFile failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (file.file_size !== undefined && file.file_size > o.maxBytes)
    throw new FileRefused("too_big", `${file.file_size} bytes, more than ${o.maxBytes}`);
  if (!file.file_path) throw new FileRefused("download_failed", "getFile gave no file_path");
  const path = file.file_path.split("/").map(encodeURIComponent).join("/");
  let res: Response;
  try {
    res = await fetch(`${o.apiRoot.replace(/\/$/, "")}/file/bot${o.token}/${path}`, { signal: o.signal });
  } catch (err) {
    throw new FileUnavailable(o.signal.aborted ? "the download did not start in time" : "the download failed (network)", { cause: err });
  }
  if (res.status === 404 || res.status === 400) throw new FileRefused("download_failed", `the file server answered ${res.status}`);
  if (!res.ok || !res.body) throw new FileUnavailable(`the file server answered ${res.status}`);
  const length = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(length) && length > o.maxBytes) {
    await res.body.cancel();
    throw new FileRefused("too_big", `${length} bytes, more than ${o.maxBytes}`);
  }
  return { bytes: res.body, size: Number.isFinite(length) ? length : file.file_size };
}
