import { afterAll, describe, expect, it } from "vitest";
import { createReportBrowser } from "./browser.ts";

// No Chromium resident while the bot is idle: the browser closes after an idle spell and the
// next report starts a new one.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#36c"/></svg>';
const logged: string[] = [];
const log = { info: (_o: unknown, msg: string) => logged.push(msg), warn: (_o: unknown, msg?: string) => logged.push(String(msg)) };
const browser = createReportBrowser({ executablePath: CHROMIUM, timeoutMs: 30_000, idleMs: 400, log: log as never });
afterAll(() => browser.close());

const until = async (ok: () => boolean, ms: number): Promise<void> => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("report browser on demand", () => {
  it("starts on the first render, closes after the idle time, and starts again for the next", async () => {
    expect(browser.running()).toBe(false);
    const png = await browser.svgToPng(SVG);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(browser.running()).toBe(true);
    await until(() => !browser.running(), 5_000);
    await until(() => logged.includes("report browser closed after being idle"), 5_000);
    const again = await browser.svgToPng(SVG);
    expect(again.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(logged.filter((m) => m === "report browser started")).toHaveLength(2);
  }, 60_000);

  it("stays up while renders keep coming within the idle time", async () => {
    for (let i = 0; i < 5; i++) {
      await browser.svgToPng(SVG);
      await new Promise((r) => setTimeout(r, 100));
      expect(browser.running()).toBe(true);
    }
  }, 60_000);
});
