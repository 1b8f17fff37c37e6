import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { freePorts, untilAnswer } from "@ownerbot/testkit/ops";
import { declaredQueues } from "./board.ts";

// `make demo` as a person uses it: the real demo script (fake Telegram, every service, ops) on
// this file's database and queue prefix; a real Chromium writes /start in the web chat, logs in to
// bull-board with the credentials the banner printed, sees every queue and opens a completed job.

const ROOT = resolve(import.meta.dirname, "../../..");
let t: TestEnv;
let demo: ChildProcess;
let browser: Browser;
let page: Page;
let profile: string;
const banner = { chat: "", ops: "", user: "", password: "" };
const output: string[] = [];
const outside: string[] = [];

beforeAll(async () => {
  t = await createTestEnv();
  const [tgPort, opsPort] = await freePorts(2);
  demo = spawn(process.execPath, [resolve(ROOT, "scripts/demo.ts")], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      DEMO_DATABASE_URL: t.dbUrl,
      DEMO_QUEUE_PREFIX: t.prefix,
      REDIS_URL: t.redisUrl,
      FAKE_TELEGRAM_PORT: String(tgPort),
      OPS_PORT: String(opsPort),
      METRICS_PORT: "0",
      SCALE: "1000",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  process.once("exit", () => demo.kill("SIGKILL"));
  demo.stderr?.on("data", (b: Buffer) => output.push(b.toString()));
  // The banner is the demo's interface: read the URLs and the generated credentials from it.
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no demo banner within 60 s:\n${output.join("")}`)), 60_000);
    createInterface({ input: demo.stdout! }).on("line", (line) => {
      output.push(`${line}\n`);
      const plain = line.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
      banner.chat ||= /Open the web chat:\s+(\S+)/.exec(plain)?.[1] ?? "";
      const ops = /Queues \(bull-board\):\s+(\S+)\s+user (\S+), password (\S+)/.exec(plain);
      if (ops) Object.assign(banner, { ops: ops[1], user: ops[2], password: ops[3] });
      if (banner.chat && banner.ops && /Ctrl-C stops everything/.test(plain)) {
        clearTimeout(timer);
        ok();
      }
    });
  });
  // The banner comes as the services start; the board answers a moment later.
  await untilAnswer(`${banner.ops}readyz`, (r) => r.status === 200, { timeoutMs: 30_000 });
  profile = mkdtempSync(join(tmpdir(), "ob-board-browser-"));
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    pipe: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      `--user-data-dir=${profile}`,
    ],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  // Nothing the demo serves may reach past this host: such requests are refused and recorded.
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    if (new URL(req.url()).hostname === "127.0.0.1") return void req.continue();
    outside.push(req.url());
    void req.abort();
  });
});

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once("exit", r));
    demo.kill("SIGINT");
    await exited;
  }
  await t?.close();
});

const text = (selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText);

describe("bull-board in a real browser", () => {
  it("asks for credentials, then shows every queue to the demo's login", async () => {
    // Without credentials the board answers 401 with a basic-auth challenge, which the browser
    // (having none to give) ends as ERR_INVALID_AUTH_CREDENTIALS.
    const challenge = page.waitForResponse((r) => r.url() === banner.ops);
    await expect(page.goto(banner.ops)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    const refused = await challenge;
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toMatch(/^Basic realm=/);
    await page.authenticate({ username: banner.user, password: banner.password });
    const shown = await page.goto(banner.ops);
    expect(shown?.status()).toBe(200);
    for (const q of declaredQueues()) await page.waitForSelector(`a[href="/queue/${q.name}"]`);
    const names = await page.$$eval('a[href^="/queue/"]', (as) => [...new Set(as.map((a) => a.getAttribute("href")))]);
    expect(names.sort()).toEqual(
      declaredQueues()
        .map((q) => `/queue/${q.name}`)
        .sort(),
    );
    expect(await page.$eval("body", (b) => b.innerText)).toContain("read-only");
  });

  it("opens the completed job of a /start written in the web chat", { timeout: 90_000 }, async () => {
    const chat = await browser.newPage();
    await chat.goto(banner.chat);
    await chat.type("#input", "/start");
    await chat.keyboard.press("Enter");
    await chat.waitForFunction(() => (document.querySelector("#messages") as HTMLElement).innerText.includes("OwnerBot"), {
      timeout: 30_000,
    });
    await chat.close();

    await page.authenticate({ username: banner.user, password: banner.password });
    await page.goto(`${banner.ops}queue/intent?status=completed`);
    const link = await page.waitForSelector('a[href^="/queue/intent/upd-"]', { timeout: 30_000 });
    const href = await link!.evaluate((a) => a.getAttribute("href"));
    await link!.click();
    await page.waitForFunction((h) => location.pathname + location.search === h, {}, href);
    await page.waitForFunction(() => document.body.innerText.includes("returnValue"));
    const body = await text("body");
    expect(body).toMatch(/upd-\d+/);
    expect(body).toContain("Finished at");
    expect(body).toContain('"done"');
    expect(outside).toEqual([]);
  });
});
