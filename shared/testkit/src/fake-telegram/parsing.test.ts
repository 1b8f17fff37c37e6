import { describe, expect, it } from "vitest";
import { parseHtml } from "./html-text.ts";
import { parseMultipart, UploadedFile } from "./multipart.ts";
import { oggOpusSeconds } from "./user-updates.ts";

describe("parseMultipart", () => {
  it("reads curl-style and grammY-style parts", () => {
    const body = Buffer.concat([
      Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n42\r\n' +
          '--XyZ\r\ncontent-disposition:form-data;name="abc";filename=doc.bin\r\ncontent-type:application/octet-stream\r\n\r\n',
      ),
      Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]),
      Buffer.from("\r\n--XyZ--\r\n"),
    ]);
    const parts = parseMultipart(body, "XyZ");
    expect(parts.get("chat_id")).toBe("42");
    const file = parts.get("abc");
    expect(file).toBeInstanceOf(UploadedFile);
    expect((file as UploadedFile).filename).toBe("doc.bin");
    expect([...(file as UploadedFile).data]).toEqual([0, 1, 2, 13, 10, 45, 45, 255]);
  });
});

describe("parseHtml", () => {
  it("nests entities and decodes character references", () => {
    const { text, entities } = parseHtml('<b>a<i>b</i></b> &amp; &#128512; <pre><code class="language-ts">x</code></pre>');
    expect(text).toBe("ab & 😀 x");
    expect(entities).toEqual([
      { type: "bold", offset: 0, length: 2 },
      { type: "italic", offset: 1, length: 1 },
      { type: "pre", offset: 8, length: 1, language: "ts" },
    ]);
  });

  it("refuses what Telegram refuses", () => {
    expect(() => parseHtml("1 < 2")).toThrow(/can't parse entities/);
    expect(() => parseHtml("<b>open")).toThrow(/Can't find end tag corresponding to start tag "b"/);
    expect(() => parseHtml("<b>x</i>")).toThrow(/Unmatched end tag/);
  });
});

describe("oggOpusSeconds", () => {
  it("reads the last page's granule and ignores junk", () => {
    const page = Buffer.alloc(27);
    page.write("OggS", 0);
    page.writeBigInt64LE(48_000n * 5n, 6);
    expect(oggOpusSeconds(page)).toBe(5);
    expect(oggOpusSeconds(Buffer.concat([Buffer.from("OggS"), Buffer.alloc(3000, 3)]))).toBeUndefined();
    expect(oggOpusSeconds(Buffer.from("not audio at all"))).toBeUndefined();
  });
});
