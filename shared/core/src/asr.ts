// The public surface of @ownerbot/core/asr: what other packages use; the rest is internal.
export { ConvertError, convertToWav } from "./asr/ffmpeg.ts";
export type { Converted } from "./asr/ffmpeg.ts";
export { AsrUnavailable, createAsrGuard } from "./asr/guard.ts";
export type { AsrGuard } from "./asr/guard.ts";
export { TranscriberError, createTranscriber } from "./asr/transcriber.ts";
export type { Transcriber } from "./asr/transcriber.ts";
export { declaredRefusal, voiceFileOf } from "./asr/voice-file.ts";
export type { AsrLimits, VoiceFile } from "./asr/voice-file.ts";
export { parseWav, wavSeconds } from "./asr/wav.ts";
