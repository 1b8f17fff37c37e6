import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, makeScrubber } from "./index.ts";

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join("") };
}

const TOKEN = "7311234567:AAH-very_secret_part_0123456789abcdefXYZ";

describe("log scrubbing", () => {
  it("removes a bot token hidden in a nested network error's URL", () => {
    const out = capture();
    const log = createLogger({ name: "t", destination: out.stream, secrets: [] });
    const inner = new Error(`request to https://api.telegram.org/bot${TOKEN}/getUpdates failed, reason: ECONNRESET`);
    const outer = new Error("Network request for 'getUpdates' failed!", { cause: inner });
    log.error({ err: outer, url: `https://api.telegram.org/bot${TOKEN}/sendMessage` }, `calling bot${TOKEN}`);
    log.flush();
    const text = out.text();
    expect(text).toContain("ECONNRESET");
    expect(text).toContain("bot[REDACTED]");
    expect(text).not.toContain("very_secret_part");
  });

  it("removes configured secrets wherever they appear", () => {
    const out = capture();
    const log = createLogger({ name: "t", destination: out.stream, secrets: ["sis-key-0123456789", "sk-proj-abcdefghijklmnop"] });
    log.warn({ headers: { "X-OWNERBOT-KEY": "sis-key-0123456789" }, note: "Bearer sk-proj-abcdefghijklmnop" }, "upstream said no");
    log.flush();
    expect(out.text()).not.toMatch(/sis-key-0123456789|sk-proj-abcdefghijklmnop/);
  });

  it("leaves ordinary numbers and text alone", () => {
    const scrub = makeScrubber([]);
    expect(scrub("order 12345 at 10:30, chat -1001234567890")).toBe("order 12345 at 10:30, chat -1001234567890");
  });
});
