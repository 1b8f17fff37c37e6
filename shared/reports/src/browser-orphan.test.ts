import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

// A report worker killed with SIGKILL cannot close its Chromium. The browser must notice its
// parent is gone and exit by itself, or every crash leaves a whole Chromium (~0.5 GB) running.
// Found by the soak (bench/soak.ts), which SIGKILLs worker-report at random.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const BROWSER_TS = resolve(import.meta.dirname, "browser.ts");

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

describe("report browser", () => {
  it("exits when the process that launched it is SIGKILLed", async () => {
    const child = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { createReportBrowser } from ${JSON.stringify(BROWSER_TS)};
         const log = { info: (o) => console.log(JSON.stringify(o)), warn: () => {} };
         const b = createReportBrowser({ executablePath: ${JSON.stringify(CHROMIUM)}, timeoutMs: 30000, log });
         await b.svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
         console.log(JSON.stringify({ ready: true }));
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    const pid = await new Promise<number>((res, rej) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        const started = /"pid":(\d+)/.exec(out);
        if (started && out.includes('"ready":true')) res(Number(started[1]));
      });
      child.on("exit", () => rej(new Error(`child exited early: ${out}`)));
    });
    expect(running(pid)).toBe(true);
    child.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const left = running(pid);
    if (left) process.kill(pid, "SIGKILL");
    expect(left, "Chromium outlived its SIGKILLed parent").toBe(false);
  }, 40_000);
});
