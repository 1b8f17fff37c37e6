import { InputFile } from "grammy";
import { describe, expect, it } from "vitest";
import { grammyError, TOKEN, useFake } from "./test-support.ts";

// 1x1 PNG
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

describe("files", () => {
  const start = useFake();

  it("sendDocument uploads by multipart and serves the bytes back", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    const bytes = Buffer.from("date;revenue\n2025-01-01;100\n\u0000\u00ff binary tail", "latin1");
    const m = await api.sendDocument(42, new InputFile(bytes, "отчёт.csv"), {
      caption: "Отчёт",
    });
    expect(m.document).toMatchObject({
      file_name: "отчёт.csv",
      file_size: bytes.length,
    });
    expect(m.caption).toBe("Отчёт");
    const id = m.document?.file_id ?? "";
    expect(fake.fileBytes(id)?.equals(bytes)).toBe(true);
    const served = Buffer.from(await (await fetch(`${fake.apiRoot}/control/files/${encodeURIComponent(id)}`)).arrayBuffer());
    expect(served.equals(bytes)).toBe(true);
    const again = await api.sendDocument(42, id);
    expect(again.document?.file_id).toBe(id);
    const longCaption = await grammyError(api.sendDocument(42, id, { caption: "c".repeat(1025) }));
    expect(longCaption.description).toBe("Bad Request: message caption is too long");
  });

  it("sendPhoto accepts images only and reports their size", async () => {
    const { fake, api } = await start();
    fake.addChat(42);
    const m = await api.sendPhoto(42, new InputFile(PNG, "chart.png"));
    expect(m.photo?.[0]).toMatchObject({
      width: 1,
      height: 1,
      file_size: PNG.length,
    });
    const notImage = await grammyError(api.sendPhoto(42, new InputFile(Buffer.from("not an image"), "x.png")));
    expect(notImage.description).toBe("Bad Request: IMAGE_PROCESS_FAILED");
  });

  it("getFile and the download route serve a pushed voice", async () => {
    const { fake, api } = await start();
    const ogg = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(200, 7)]);
    const update = fake.pushVoice(42, ogg, { duration: 3 });
    const voice = update.message?.voice;
    expect(voice).toMatchObject({
      duration: 3,
      mime_type: "audio/ogg",
      file_size: ogg.length,
    });
    const file = await api.getFile(String(voice?.file_id));
    expect(file).toMatchObject({
      file_id: voice?.file_id,
      file_size: ogg.length,
    });
    const res = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(ogg)).toBe(true);
    expect((await fetch(`${fake.apiRoot}/file/bot${TOKEN}/voice/nope.oga`)).status).toBe(404);
    const doc = fake.pushVoice(42, ogg, {
      asDocument: true,
      fileName: "note.ogg",
    });
    expect(doc.message?.document).toMatchObject({
      file_name: "note.ogg",
      file_size: ogg.length,
    });
    const bad = await grammyError(api.getFile("nope"));
    expect(bad.description).toBe("Bad Request: invalid file_id");
  });
});
