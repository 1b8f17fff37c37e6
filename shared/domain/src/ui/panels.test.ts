import { describe, expect, it } from "vitest";
import type { Button, Reply } from "../contract.ts";
import { KNOWN_TOOLS } from "../intent/tool-names.ts";
import { CATEGORIES, getTemplate, templatesIn } from "../templates/catalog.ts";
import { isOffered, offeredIn } from "../templates/offered.ts";
import { helpReply, homePanel, HELP_EXAMPLES } from "./home.ts";
import { PANELS, parseNavTarget } from "./nav.ts";
import { fitRows, labelBudget, labelWidth } from "./keyboard.ts";
import { sectionPanel } from "./sections.ts";
import { TEMPLATES_PER_PAGE } from "./templates-menu.ts";

const STATUS = { db: true, redis: true, mode: "AUTO", effectiveMode: "DEMO", shopName: "Лавка", queueDepth: 3 };

function categoryPages(): string[] {
  return CATEGORIES.flatMap((c) =>
    Array.from({ length: Math.ceil(templatesIn(c.id).length / TEMPLATES_PER_PAGE) }, (_, p) => `tpl:cat:${c.id}:p:${p}`),
  );
}
const ALL_TARGETS = [...PANELS, ...categoryPages()];

function panel(to: string): Reply {
  const r = sectionPanel(to, STATUS);
  if (!r) throw new Error(`no panel for ${to}`);
  return r;
}
const buttons = (r: Reply): Button[] => (r.buttons ?? []).flat();

describe("section panels", () => {
  it.each(ALL_TARGETS)("%s edits in place and has short rows", (to) => {
    const r = panel(to);
    expect(r.editInPlace).toBe(true);
    expect(r.text).toMatch(/[а-яё]/i);
    for (const row of r.buttons ?? []) {
      expect(row.length).toBeGreaterThanOrEqual(1);
      expect(row.length).toBeLessThanOrEqual(3);
      for (const b of row) expect(b.text.length, b.text).toBeLessThanOrEqual(24);
    }
  });

  it.each(ALL_TARGETS)("%s: no two buttons share a label, and none is cut on a phone once laid out", (to) => {
    const r = panel(to);
    // Compared by their words: «📰 Сейчас» and «🗓 Сейчас» read the same.
    const labels = buttons(r)
      .map((b) => b.text.replace(/[^\p{L}\p{N}:]+/gu, " ").trim())
      .filter((l) => /\p{L}/u.test(l));
    expect(new Set(labels).size, labels.join(" | ")).toBe(labels.length);
    for (const row of fitRows(r.buttons ?? [])) {
      for (const b of row) expect(labelWidth(b.text), b.text).toBeLessThanOrEqual(labelBudget(row.length));
    }
  });

  it.each(ALL_TARGETS)("%s: every button is a known nav target, a reference tool or a no-op", (to) => {
    for (const b of buttons(panel(to))) {
      expect("action" in b).toBe(true);
      if (!("action" in b)) continue;
      const a = b.action;
      if (a.t === "nav") expect(parseNavTarget(a.to), `${to} → ${a.to}`).toBeDefined();
      else if (a.t === "tool") expect(KNOWN_TOOLS.has(a.tool)).toBe(true);
      else expect(a.t).toBe("noop");
      expect(JSON.stringify(a).length, JSON.stringify(a)).toBeLessThanOrEqual(64);
    }
  });

  it.each(ALL_TARGETS.filter((t) => t !== "home"))("%s has a way back home", (to) => {
    expect(buttons(panel(to)).some((b) => "action" in b && b.action.t === "nav" && b.action.to === "home")).toBe(true);
  });

  it("home links every section of reference §2.2", () => {
    const targets = buttons(homePanel(STATUS)).map((b) => ("action" in b && b.action.t === "nav" ? b.action.to : ""));
    for (const to of ["dash", "orders", "prices", "products", "notify", "systems", "templates"]) expect(targets).toContain(to);
  });

  it("the reference's panel contents are there", () => {
    const runs = (to: string): string[] =>
      buttons(panel(to)).flatMap((b) =>
        "action" in b && b.action.t === "nav" && b.action.to.startsWith("tpl:run:") ? [b.action.to.slice(8)] : [],
      );
    expect(runs("dash")).toEqual(
      expect.arrayContaining(["RPT_KPI_YESTERDAY", "RPT_KPI_7D", "RPT_REVENUE_TREND_30D_PNG", "RPT_WEEKLY_PDF", "BIZ_DASHBOARD_DAILY_PNG"]),
    );
    expect(runs("focus:burn")).toEqual(
      expect.arrayContaining(["RPT_STUCK_ORDERS_SUMMARY", "ORD_PAYMENT_ISSUES", "RPT_UNANSWERED_CHATS_SUMMARY", "SYS_LAST_ERRORS"]),
    );
    expect(runs("focus:money")).toEqual(
      expect.arrayContaining(["RPT_KPI_TODAY", "RPT_KPI_YESTERDAY", "RPT_REVENUE_TREND_30D_PNG", "RPT_COMPARE_WOW", "PRC_FX_STATUS"]),
    );
    expect(runs("focus:stock")).toEqual(
      expect.arrayContaining(["PRD_INVENTORY_STATUS", "PRD_LOW_STOCK", "PRD_NO_PHOTO", "PRD_NO_PRICE", "RPT_TOP_PRODUCTS_7D"]),
    );
    expect(runs("orders")).toEqual(expect.arrayContaining(["ORD_STUCK_LIST", "TEAM_UNANSWERED_2H", "ORD_FIND_BY_ID", "ORD_FIND_RECENT"]));
    expect(runs("products")).toEqual(expect.arrayContaining(["PRD_NO_PRICE", "PRD_NO_PHOTO", "PRD_LOW_STOCK", "PRD_INVENTORY_STATUS"]));
    expect(runs("notify")).toEqual(
      expect.arrayContaining([
        "NTF_STATUS",
        "NTF_SEND_DIGEST_NOW",
        "NTF_SEND_WEEKLY_NOW",
        "NTF_DAILY_DIGEST_SUBSCRIBE",
        "NTF_DAILY_DIGEST_UNSUBSCRIBE",
      ]),
    );
    expect(runs("systems")).toEqual(
      expect.arrayContaining([
        "SYS_HEALTH",
        "SYS_AUDIT_RECENT",
        "SYS_LAST_ERRORS",
        "SYS_RETRO_7D",
        "SYS_RETRO_30D",
        "SYS_GAPS_30D",
        "SYS_RETRO_EXPORT_7D",
      ]),
    );
    const upstream = buttons(panel("upstream")).map((b) => ("action" in b && b.action.t === "nav" ? b.action.to : ""));
    expect(upstream).toEqual(expect.arrayContaining(["upstream:set:DEMO", "upstream:set:AUTO", "upstream:set:SIS_HTTP", "upstream:clear"]));
  });

  it("the reference's callback names open the same panels", () => {
    expect(sectionPanel("ui:dash")).toEqual(sectionPanel("dash"));
    expect(sectionPanel("reports")).toEqual(sectionPanel("dash"));
    expect(sectionPanel("ui:focus:burn")).toEqual(sectionPanel("focus:burn"));
    expect(sectionPanel("tpl:home")).toEqual(sectionPanel("templates"));
  });

  it("non-panel targets and garbage have no panel", () => {
    for (const to of [
      "tpl:run:RPT_KPI_TODAY",
      "upstream:clear",
      "cmd:systems",
      "nope",
      "tpl:cat:nope:p:0",
      "tpl:run:NOPE",
      "",
      "home:extra",
    ]) {
      expect(sectionPanel(to), to).toBeUndefined();
    }
  });
});

describe("templates menu", () => {
  it("the root lists the categories that have something this bot can do", () => {
    const targets = buttons(panel("templates")).flatMap((b) => ("action" in b && b.action.t === "nav" ? [b.action.to] : []));
    const offered = CATEGORIES.filter((c) => offeredIn(c.id).length > 0);
    expect(targets.filter((t) => t.startsWith("tpl:cat:"))).toEqual(offered.map((c) => `tpl:cat:${c.id}:p:0`));
  });

  it("pages of 8 reach every offered template exactly once, in catalogue order", () => {
    for (const c of CATEGORIES) {
      const seen: string[] = [];
      for (let p = 0; p * TEMPLATES_PER_PAGE < offeredIn(c.id).length; p++) {
        const r = panel(`tpl:cat:${c.id}:p:${p}`);
        const runs = buttons(r).flatMap((b) =>
          "action" in b && b.action.t === "nav" && b.action.to.startsWith("tpl:run:") ? [b.action.to.slice(8)] : [],
        );
        expect(runs.length).toBeLessThanOrEqual(TEMPLATES_PER_PAGE);
        seen.push(...runs);
      }
      expect(seen).toEqual(offeredIn(c.id).map((t) => t.id));
    }
  });

  it("no panel or menu offers a template whose tool this bot does not run", () => {
    for (const to of ALL_TARGETS) {
      for (const b of buttons(panel(to))) {
        if (!("action" in b) || b.action.t !== "nav" || !b.action.to.startsWith("tpl:run:")) continue;
        const def = getTemplate(b.action.to.slice(8));
        expect(def && isOffered(def), `${to}: ${b.text}`).toBe(true);
      }
    }
    // Looks are publications: offered since the action tools run (preview → confirm → commit).
    const counted = buttons(panel("templates")).map((b) => b.text);
    expect(counted.join(" ")).toMatch(/Луки/);
  });

  it("the reports category pages forward and back, and a page past the end shows the last page", () => {
    const first = buttons(panel("tpl:cat:reports:p:0")).map((b) => ("action" in b && b.action.t === "nav" ? b.action.to : ""));
    expect(first).toContain("tpl:cat:reports:p:1");
    const last = panel("tpl:cat:reports:p:2");
    expect(last.text).toContain("3 из 3");
    expect(panel("tpl:cat:reports:p:99").text).toContain("3 из 3");
  });
});

describe("keyboard layout", () => {
  const b = (text: string): Button => ({ text, action: { t: "noop" } });
  it("splits a row whose labels would be cut, keeping the order; short rows stay", () => {
    const long = [b("📈 График 30 дн"), b("⚖️ Неделя к неделе")];
    expect(fitRows([long]).map((r) => r.map((x) => x.text))).toEqual([["📈 График 30 дн"], ["⚖️ Неделя к неделе"]]);
    const short = [b("Неделя"), b("Месяц"), b("📈 Тренд")];
    expect(fitRows([short])).toEqual([short]);
    expect(fitRows([[b("🩺 Здоровье"), b("🧯 Ошибки"), b("🗂 Журнал")]]).map((r) => r.length)).toEqual([3]);
    const three = [b("🩺 Здоровье бота"), b("🧯 Ошибки"), b("🗂 Журнал")];
    expect(fitRows([three]).map((r) => r.length)).toEqual([2, 1]);
    expect(labelWidth("⚖️ Неделя к неделе")).toBe(18);
  });
});

describe("home and help", () => {
  it("home shows the status the worker gathered", () => {
    const r = homePanel({ ...STATUS, db: false, override: "DEMO" });
    expect(r.text).toContain("Лавка");
    expect(r.text).toContain("❌");
    expect(r.text).toMatch(/вручную/);
    expect(r.text).toContain("3");
    expect(homePanel({ db: true, redis: true, mode: "AUTO", effectiveMode: "DEMO" }).text).toMatch(/настроено/);
  });

  it("home escapes nothing dangerous from the shop name", () => {
    expect(homePanel({ ...STATUS, shopName: "<b>Shop & Co</b>" }).text).not.toMatch(/[<>&]/);
  });

  it("home, help and the templates menu promise only what works: voice and actions, no advisor", () => {
    const home = homePanel(STATUS);
    expect(buttons(home).map((b) => b.text)).not.toContain("🧠 Советник");
    expect(buttons(panel("dash")).some((b) => "action" in b && b.action.t === "nav" && b.action.to === "advisor")).toBe(false);
    const help = helpReply().text;
    expect(help).toMatch(/текстом или голосом/);
    expect(help).toMatch(/Действия — всегда с предпросмотром и подтверждением/);
    expect(help).toMatch(/снизь цены на 3%/);
    // The advisor panel lists its topics; every topic button opens a playbook.
    expect(panel("advisor").text).toMatch(/Советы — гипотезы/);
    expect(
      buttons(panel("advisor")).filter((b) => "action" in b && b.action.t === "nav" && b.action.to.startsWith("advisor:preset:")),
    ).toHaveLength(6);
  });

  it("help has at least 8 example phrases", () => {
    expect(HELP_EXAMPLES.length).toBeGreaterThanOrEqual(8);
    const r = helpReply();
    expect(r.text.split("\n").filter((l) => l.startsWith("• ")).length).toBeGreaterThanOrEqual(8);
  });
});
