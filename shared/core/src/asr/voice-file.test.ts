import { describe, expect, it } from "vitest";
import { classifyUpdate } from "../telegram/updates.ts";
import { PNG_1X1 } from "@ownerbot/testkit/audio";
import { sniffContainer } from "./sniff.ts";
import { createTranscriber } from "./transcriber.ts";
import { declaredRefusal, voiceFileOf } from "./voice-file.ts";

const ref = { file_id: "F", file_unique_id: "U", file_size: 1000 };
const msg = (fields: Record<string, unknown>) => ({
  update_id: 1,
  message: { message_id: 5, date: 0, chat: { id: 9, type: "private" }, from: { id: 9 }, ...fields },
});

describe("voiceFileOf and classifyUpdate", () => {
  it("reads voice notes, audio files, video notes and audio documents; nothing else is voice", () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{ voice: { ...ref, duration: 3, mime_type: "audio/ogg" } }, "voice"],
      [{ audio: { ...ref, duration: 60, file_name: "song.mp3" } }, "audio"],
      [{ video_note: { ...ref, duration: 10, length: 240 } }, "video_note"],
      [{ document: { ...ref, mime_type: "audio/webm", file_name: "voice.webm" } }, "document"],
      // A client types documents by name: an .ogg named file is audio until its bytes say otherwise.
      [{ document: { ...ref, mime_type: "application/octet-stream", file_name: "x.ogg" } }, "document"],
      [{ document: { ...ref, mime_type: "application/pdf", file_name: "report.pdf" } }, null],
      [{ photo: [ref] }, null],
    ];
    for (const [fields, kind] of cases) {
      const u = msg(fields);
      expect(voiceFileOf(u)?.kind ?? null, JSON.stringify(fields)).toBe(kind);
      expect(classifyUpdate(u as unknown as Parameters<typeof classifyUpdate>[0]).kind).toBe(kind === null ? "message" : "voice");
    }
    expect(voiceFileOf(msg({ voice: { ...ref, duration: 3 } }))).toEqual({
      kind: "voice",
      fileId: "F",
      fileUniqueId: "U",
      messageId: 5,
      fileSize: 1000,
      duration: 3,
    });
    expect(voiceFileOf(msg({ voice: { file_id: "F" } }))).toBeNull();
  });

  it("refuses by what Telegram declared", () => {
    const l = { maxBytes: 20 * 1024 * 1024, maxSeconds: 300 };
    const f = voiceFileOf(msg({ voice: { ...ref, duration: 3 } }))!;
    expect(declaredRefusal(f, l)).toBeNull();
    expect(declaredRefusal({ ...f, fileSize: 50 * 1024 * 1024 }, l)).toBe("too_big");
    expect(declaredRefusal({ ...f, duration: 7200 }, l)).toBe("too_long");
  });
});

describe("sniffContainer", () => {
  it("names the demuxer by the first bytes and nothing else", () => {
    const head = (hex: string, rest = 16) => Buffer.concat([Buffer.from(hex, "hex"), Buffer.alloc(rest)]);
    expect(sniffContainer(Buffer.concat([Buffer.from("OggS"), Buffer.alloc(20)]))).toBe("ogg");
    expect(sniffContainer(head("1a45dfa3"))).toBe("matroska");
    expect(sniffContainer(Buffer.concat([Buffer.from("RIFF\0\0\0\0WAVE"), Buffer.alloc(8)]))).toBe("wav");
    expect(sniffContainer(Buffer.concat([Buffer.from("\0\0\0\x20ftypM4A "), Buffer.alloc(8)]))).toBe("mov");
    expect(sniffContainer(Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(12)]))).toBe("flac");
    expect(sniffContainer(Buffer.concat([Buffer.from("ID3"), Buffer.alloc(12)]))).toBe("mp3");
    expect(sniffContainer(head("fffb9064"))).toBe("mp3");
    expect(sniffContainer(head("fff15080"))).toBe("aac");
    expect(sniffContainer(PNG_1X1)).toBeNull();
    expect(sniffContainer(Buffer.from("%PDF-1.4 hello world"))).toBeNull();
    expect(sniffContainer(Buffer.from("Ogg"))).toBeNull();
  });
});

describe("createTranscriber", () => {
  it("mock: the demo's deterministic text and confidence", async () => {
    const t = createTranscriber({
      ASR_PROVIDER: "mock",
      MOCK_ASR_TEXT: "дай kpi за вчера",
      MOCK_ASR_CONFIDENCE: 0.93,
      OPENAI_BASE_URL: "http://127.0.0.1:9",
      OPENAI_API_KEY: "",
      OPENAI_ASR_MODEL: "m",
      ASR_TIMEOUT_SEC: 1,
      ASR_PROMPT: "",
    });
    expect(t.name).toBe("mock");
    expect(await t.transcribe(Buffer.alloc(0), { seconds: 1 })).toEqual({ text: "дай kpi за вчера", confidence: 0.93 });
  });
});
