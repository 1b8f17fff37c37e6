import { describe, expect, it } from "vitest";
import { startService } from "@ownerbot/testkit/services";

// Start-up of the report worker as a real process: a chart renderer that cannot work stops it
// with exit code 2 and a message naming the variable, before it takes any report.

describe("worker-report start-up", () => {
  it("exits 2 naming REPORT_FONT_DIR when resvg's fonts are not there", async () => {
    const svc = startService("worker-report", { REPORT_CHART_RENDERER: "resvg", REPORT_FONT_DIR: "/nonexistent/fonts" });
    expect(await svc.exited).toBe(2);
    expect(svc.output()).toContain("REPORT_FONT_DIR=/nonexistent/fonts lacks DejaVuSans.ttf, DejaVuSans-Bold.ttf");
  }, 30_000);

  it("exits 2 naming REPORT_CHART_RENDERER when it is neither resvg nor chromium", async () => {
    const svc = startService("worker-report", { REPORT_CHART_RENDERER: "canvas" });
    expect(await svc.exited).toBe(2);
    expect(svc.output()).toContain('REPORT_CHART_RENDERER: expected one of resvg, chromium, got "canvas"');
  }, 30_000);
});
