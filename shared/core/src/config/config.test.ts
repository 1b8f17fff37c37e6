import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.ts";

describe("config", () => {
  it("applies defaults when nothing is set", () => {
    const cfg = loadConfig({});
    expect(cfg.UPSTREAM_MODE).toBe("DEMO");
    expect(cfg.OWNER_IDS).toEqual([]);
    expect(cfg.SHOP_CURRENCY).toBe("RUB");
    expect(cfg.LLM_ALLOWED_ACTION_TOOLS).toEqual(["notify_team", "flag_order"]);
    // resvg drew the bot's charts faster than Chromium (docs/benchmarks.md, "Chart renderer").
    expect(cfg.REPORT_CHART_RENDERER).toBe("resvg");
    expect(loadConfig({ REPORT_CHART_RENDERER: " Chromium " }).REPORT_CHART_RENDERER).toBe("chromium");
  });

  it("keeps finished rows for the documented retention windows by default", () => {
    const cfg = loadConfig({});
    expect([
      cfg.RETENTION_INBOX_DAYS,
      cfg.RETENTION_OUTBOX_DAYS,
      cfg.RETENTION_REPORT_DAYS,
      cfg.RETENTION_AUDIT_DAYS,
      cfg.RETENTION_TOKEN_GRACE_HOURS,
      cfg.RETENTION_BATCH,
      cfg.RETENTION_INTERVAL_SEC,
    ]).toEqual([14, 14, 7, 90, 24, 1000, 600]);
    expect(loadConfig({ RETENTION_INBOX_DAYS: "2" }).RETENTION_INBOX_DAYS).toBe(2);
  });

  it("reads id lists as CSV or JSON", () => {
    expect(loadConfig({ OWNER_IDS: "1, 2,3" }).OWNER_IDS).toEqual([1, 2, 3]);
    expect(loadConfig({ OWNER_IDS: "[4,5]" }).OWNER_IDS).toEqual([4, 5]);
  });

  it.each([
    ["OWNER_IDS", "12,abc", /OWNER_IDS: expected integer ids/],
    ["INBOX_MAX_NEW", "-3", /INBOX_MAX_NEW: expected an integer ≥ 1, got "-3"/],
    ["UPSTREAM_MODE", "LIVE", /UPSTREAM_MODE: expected one of DEMO, SIS_HTTP, AUTO, got "LIVE"/],
    ["OWNER_TZ", "Mars/Base", /OWNER_TZ: expected an IANA time zone/],
    ["ACCESS_DENY_NOTIFY_ONCE", "maybe", /ACCESS_DENY_NOTIFY_ONCE: expected true\/false/],
    ["REDIS_URL", "not a url", /REDIS_URL: expected a URL/],
    ["SHOP_CURRENCY", "rubles", /SHOP_CURRENCY: expected an ISO 4217 code/],
    ["REPORT_CHART_RENDERER", "skia", /REPORT_CHART_RENDERER: expected one of resvg, chromium, got "skia"/],
    // Under 2 days the inbox could forget an update Telegram still re-sends (24 h).
    ["RETENTION_INBOX_DAYS", "1", /RETENTION_INBOX_DAYS: expected an integer between 2 and 3650, got "1"/],
    ["RETENTION_BATCH", "0", /RETENTION_BATCH: expected an integer between 1 and 50000, got "0"/],
    ["RETENTION_AUDIT_DAYS", "forever", /RETENTION_AUDIT_DAYS: expected an integer between 7 and 3650, got "forever"/],
  ])("a bad %s names the variable and what was expected", (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrowError(message);
    try {
      loadConfig({ [key]: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems[0]?.variable).toBe(key);
    }
  });

  it("keeps secrets for the log scrubber", () => {
    const cfg = loadConfig({ BOT_TOKEN: "123:abcdefghij", OPENAI_API_KEY: "sk-secretsecret" });
    expect(cfg.secrets).toEqual(["123:abcdefghij", "sk-secretsecret"]);
  });
});

describe("docs/configuration.md", () => {
  it("documents every variable of the schema", async () => {
    const { readFile } = await import("node:fs/promises");
    const { ENV_KEYS } = await import("./index.ts");
    const doc = await readFile(new URL("../../../../docs/configuration.md", import.meta.url), "utf8");
    const missing = ENV_KEYS.filter((k) => !doc.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
