import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { Logger } from "@ownerbot/core/logger";
import { esc } from "./html.ts";

// One headless Chromium per process, started on first use and kept while reports come: a launch
// costs ~0.5 s, a new page a few milliseconds. After `idleMs` without a render it is closed, so an
// idle bot holds no browser (several hundred MB); the next report starts a fresh one. A browser
// that crashes or disconnects is forgotten the same way.

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--font-render-hinting=none",
];

export type ReportBrowser = {
  /** A PNG of the SVG at twice its size (sharp on phones). */
  svgToPng: (svg: string) => Promise<Buffer>;
  /** A PNG of the element matching `selector` (or the whole page) of a self-contained HTML page. */
  htmlToPng: (html: string, selector?: string) => Promise<Buffer>;
  /** An A4 PDF with backgrounds and a footer carrying `footer` and page numbers. */
  htmlToPdf: (html: string, footer?: string) => Promise<Buffer>;
  /** Whether a browser is running (or starting) now. */
  running: () => boolean;
  close: () => Promise<void>;
};

export type BrowserOptions = {
  executablePath: string;
  timeoutMs: number;
  /** Close the browser after this long without a render (REPORT_BROWSER_IDLE_SEC); 0 keeps it. */
  idleMs?: number;
  log?: Logger;
};

export function createReportBrowser(o: BrowserOptions): ReportBrowser {
  let starting: Promise<Browser> | undefined;
  let closed = false;
  let active = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const browser = (): Promise<Browser> => {
    if (closed) return Promise.reject(new Error("report browser is closed"));
    // Over a pipe, not a WebSocket: Chromium exits when the pipe closes, so a worker killed with
    // SIGKILL does not leave its browser running (it would outlive the process forever).
    if (starting) return starting;
    const launch: Promise<Browser> = puppeteer
      .launch({ executablePath: o.executablePath, headless: true, args: CHROMIUM_ARGS, timeout: o.timeoutMs, pipe: true })
      .then((b) => {
        b.on("disconnected", () => {
          if (starting !== launch) return; // closed for idleness, or already replaced
          if (!closed) o.log?.warn("report browser disconnected; the next report starts a new one");
          starting = undefined;
        });
        o.log?.info({ pid: b.process()?.pid }, "report browser started");
        return b;
      })
      .catch((err: unknown) => {
        if (starting === launch) starting = undefined;
        throw err;
      });
    starting = launch;
    return launch;
  };

  /** Closes the browser once no render has run for idleMs; a render that comes later starts a new one. */
  const closeIfIdle = (): void => {
    if (active > 0 || !starting || closed) return;
    const b = starting;
    starting = undefined;
    idle.png = [];
    idle.pdf = [];
    void b
      .then(async (browser) => {
        await browser.close();
        o.log?.info({ idle_sec: Math.round((o.idleMs ?? 0) / 1000) }, "report browser closed after being idle");
      })
      .catch(() => undefined);
  };

  // A page is kept for the next render: opening and closing one cost more of Chromium's time than
  // drawing a chart (bench/reports.ts). One kind per page (a PNG sets a viewport a PDF must not
  // inherit); a page whose render failed is closed, never reused; a new browser starts with none.
  const idle: Record<"png" | "pdf", { browser: Browser; page: Page }[]> = { png: [], pdf: [] };
  const KEEP = 2;
  const withPage = async <T>(kind: "png" | "pdf", work: (page: Page) => Promise<T>): Promise<T> => {
    active++;
    clearTimeout(idleTimer);
    try {
      return await render(kind, work);
    } finally {
      active--;
      if (active === 0 && o.idleMs) idleTimer = setTimeout(closeIfIdle, o.idleMs).unref();
    }
  };
  const render = async <T>(kind: "png" | "pdf", work: (page: Page) => Promise<T>): Promise<T> => {
    const b = await browser();
    let kept = idle[kind].pop();
    while (kept && (kept.browser !== b || kept.page.isClosed())) kept = idle[kind].pop();
    // Its own window: in a shared one only the front tab draws, and a kept page would be behind.
    const page = kept?.page ?? (await b.newPage({ type: "window" }));
    let reusable = false;
    try {
      if (!kept) {
        page.setDefaultTimeout(o.timeoutMs);
        // Documents are built from escaped data and need no scripts or network.
        await page.setJavaScriptEnabled(false);
      }
      const out = await work(page);
      reusable = true;
      return out;
    } finally {
      if (reusable && !closed && b.connected && idle[kind].length < KEEP) idle[kind].push({ browser: b, page });
      else await page.close().catch(() => undefined);
    }
  };

  const htmlToPng = (html: string, selector?: string): Promise<Buffer> =>
    withPage("png", async (page) => {
      await page.setViewport({ width: 1000, height: 700, deviceScaleFactor: 2 });
      await page.setContent(html, { waitUntil: "load" });
      const box = selector ? await (await page.$(selector))?.boundingBox() : null;
      // Fast zlib settings: a chart's PNG is ~1.3× larger (still far under Telegram's 10 MB) and
      // encodes in about half the time, which was most of a chart's render.
      const shot = box
        ? await page.screenshot({ type: "png", clip: box, captureBeyondViewport: true, optimizeForSpeed: true })
        : await page.screenshot({ type: "png", fullPage: true, optimizeForSpeed: true });
      return Buffer.from(shot);
    });

  return {
    htmlToPng,
    svgToPng: (svg) => htmlToPng(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`, "svg"),
    htmlToPdf: (html, footer) =>
      withPage("pdf", async (page) => {
        await page.setContent(html, { waitUntil: "load" });
        const pdf = await page.pdf({
          format: "A4",
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: "<span></span>",
          footerTemplate: footerTemplate(footer),
          margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" },
          timeout: o.timeoutMs,
        });
        return Buffer.from(pdf);
      }),
    running: () => starting !== undefined,
    close: async () => {
      closed = true;
      clearTimeout(idleTimer);
      idle.png = [];
      idle.pdf = [];
      const b = await starting?.catch(() => undefined);
      starting = undefined;
      await b?.close().catch(() => undefined);
    },
  };
}

/** Chromium fills pageNumber/totalPages; the template has its own tiny stylesheet (the page's does not apply). */
function footerTemplate(footer: string | undefined): string {
  const left = footer ? esc(footer) : "";
  return `<div style="font-family:'DejaVu Sans',sans-serif;font-size:7.5px;color:#6b7280;width:100%;padding:0 12mm;display:flex;justify-content:space-between">
<span>${left}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
}
