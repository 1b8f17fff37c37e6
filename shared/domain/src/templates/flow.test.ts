import { describe, expect, it } from "vitest";
import { CTX } from "../intent/fixtures.ts";
import { parseNavTarget } from "../ui/nav.ts";
import { TEMPLATES } from "./catalog.ts";
import { feedTemplate, runTemplateWith, startTemplate, type TemplateCancelled, type TemplateState, type TemplateStep } from "./flow.ts";
import { parseAnswer } from "./parsers.ts";
import type { TemplateInput } from "./types.ts";

// The input flow: start, answer (typed or preset), a wrong answer keeps the step and says what
// to type, the last answer runs. The pinned clock is 23.11.2026 13:00 Moscow.

const PARSE = { today: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" };

function asked(step: ReturnType<typeof feedTemplate>): TemplateState {
  if (step.kind !== "ask") throw new Error(`expected ask, got ${JSON.stringify(step)}`);
  return step.state;
}

describe("startTemplate", () => {
  it("runs a template without inputs, resolving @today in the shop's zone", () => {
    expect(startTemplate("RPT_KPI_TODAY", CTX)).toEqual({
      kind: "run",
      templateId: "RPT_KPI_TODAY",
      tool: "kpi_snapshot",
      input: { day: "2026-11-23" },
      action: false,
    });
    const lateEvening = { ...CTX, now: new Date("2026-11-23T23:30:00Z") };
    expect(startTemplate("RPT_KPI_YESTERDAY", lateEvening)).toMatchObject({ input: { day: "2026-11-23" } });
    expect(startTemplate("BIZ_OPS_DASHBOARD_PDF", CTX)).toMatchObject({ input: { format: "pdf", tz: "Europe/Moscow" } });
    expect(startTemplate("RPT_REVENUE_TREND_90D_PNG", CTX)).toMatchObject({ input: { days: 90 }, presentation: "chart" });
    expect(startTemplate("PRC_FX_AUTO", CTX)).toMatchObject({ action: true, tool: "sis_fx_reprice_auto" });
  });

  it("asks the first question with preset buttons and a cancel button", () => {
    const step = startTemplate("PRC_BUMP", CTX);
    expect(step.kind).toBe("ask");
    if (step.kind !== "ask") return;
    expect(step.state).toEqual({ v: 1, id: "PRC_BUMP", step: 0, answers: {} });
    expect(step.reply.text).toMatch(/процент/);
    const actions = (step.reply.buttons ?? []).flat().map((b) => ("action" in b ? b.action : undefined));
    expect(actions).toContainEqual({ t: "nav", to: "tpl:ps:PRC_BUMP:0:0" });
    expect(actions).toContainEqual({ t: "nav", to: "tpl:cancel" });
    for (const a of actions) if (a?.t === "nav") expect(parseNavTarget(a.to), a.to).toBeDefined();
  });

  it("refuses an unknown id with a way back", () => {
    expect(startTemplate("NOPE", CTX).kind).toBe("error");
  });
});

describe("feedTemplate", () => {
  it("DSC_SET_IDS: a bad id, then ids, a bad percent, then a preset, runs with both", () => {
    const s0 = asked(startTemplate("DSC_SET_IDS", CTX));
    const bad = feedTemplate(s0, "12, 1$3", CTX);
    expect(bad.kind).toBe("error");
    if (bad.kind !== "error") return;
    expect(bad.state).toEqual(s0);
    expect(bad.reply.text).toMatch(/через запятую|буквы, цифры/);
    const s1 = asked(feedTemplate(s0, "12, 13 13", CTX));
    expect(s1).toEqual({ v: 1, id: "DSC_SET_IDS", step: 1, answers: { product_ids: ["12", "13"] } });
    const tooMuch = feedTemplate(s1, "200", CTX);
    expect(tooMuch.kind).toBe("error");
    if (tooMuch.kind === "error") expect(tooMuch.reply.text).toMatch(/от 1 до 95/);
    expect(feedTemplate(JSON.parse(JSON.stringify(s1)), { id: "DSC_SET_IDS", step: 1, preset: 1 }, CTX)).toEqual({
      kind: "run",
      templateId: "DSC_SET_IDS",
      tool: "sis_discounts_set",
      input: { product_ids: ["12", "13"], discount_percent: 15 },
      action: true,
    });
  });

  it("PRC_BUMP keeps the percent as the string the tool wants, minus included", () => {
    const s0 = asked(startTemplate("PRC_BUMP", CTX));
    expect(feedTemplate(s0, "−3 %", CTX)).toMatchObject({
      kind: "run",
      input: { bump_percent: "-3", bump_additive: "0", rounding_mode: "CEIL_INT" },
    });
  });

  it("RPT_COMPARE_CUSTOM reads four days, relative words included", () => {
    let s = asked(startTemplate("RPT_COMPARE_CUSTOM", CTX));
    s = asked(feedTemplate(s, "01.11", CTX));
    s = asked(feedTemplate(s, "07.11.2026", CTX));
    s = asked(feedTemplate(s, "2026-11-08", CTX));
    expect(feedTemplate(s, "вчера", CTX)).toMatchObject({
      kind: "run",
      input: { preset: "custom", a_start: "2026-11-01", a_end: "2026-11-07", b_start: "2026-11-08", b_end: "2026-11-22" },
    });
  });

  it("a preset from another step, a stale state and cancel words are handled", () => {
    const s0 = asked(startTemplate("DSC_SET_IDS", CTX));
    expect(feedTemplate(s0, { id: "DSC_SET_IDS", step: 1, preset: 0 }, CTX)).toMatchObject({ kind: "error", state: s0 });
    expect(feedTemplate({ v: 1, id: "DSC_SET_IDS", step: 7, answers: {} }, "12", CTX)).toMatchObject({ kind: "error" });
    expect(feedTemplate("garbage", "12", CTX)).toMatchObject({ kind: "error" });
    expect(feedTemplate(null, "12", CTX)).toMatchObject({ kind: "error" });
    expect(feedTemplate(s0, "отмена", CTX).kind).toBe("cancelled");
  });

  it("state stays small enough for a Redis string", () => {
    let s = asked(startTemplate("NTF_QUIET_DIGEST_RULES_SET", CTX));
    for (const answer of ["8", "10", "60", "7", "да"]) s = asked(feedTemplate(s, answer, CTX));
    expect(JSON.stringify(s).length).toBeLessThan(400);
  });

  it("every preset of every template is accepted by its own parser", () => {
    for (const t of TEMPLATES) {
      t.inputs.forEach((input, i) => {
        (input.presets ?? []).forEach((_, p) => {
          const state: TemplateState = { v: 1, id: t.id, step: i, answers: {} };
          const out = feedTemplate(state, { id: t.id, step: i, preset: p }, CTX);
          expect(out.kind, `${t.id}.${input.key}[${p}]`).not.toBe("error");
        });
      });
    }
  });

  it("runTemplateWith answers up front and asks for what is missing", () => {
    expect(runTemplateWith("PRC_BUMP", { bump_percent: "5" }, CTX)).toMatchObject({ kind: "run", input: { bump_percent: "5" } });
    expect(runTemplateWith("ORD_FLAG", { order_id: "1234" }, CTX)).toMatchObject({
      kind: "ask",
      state: { step: 1, answers: { order_id: "OB-1234" } },
    });
    expect(runTemplateWith("PRC_BUMP", { bump_percent: "0" }, CTX).kind).toBe("error");
  });
});

describe("parsers", () => {
  const input = (parser: TemplateInput["parser"], extra: Partial<TemplateInput> = {}): TemplateInput => ({
    key: "k",
    prompt: "?",
    parser,
    ...extra,
  });

  it.each([
    ["ids", "12, 13;PRD-1  12", ["12", "13", "PRD-1"]],
    ["int", " 50 ", 50],
    ["percent_1_95", "15%", 15],
    ["stock_1_9999", "5 шт", 5],
    ["signed_percent", "минус 2,5", "-2.5"],
    ["json_or_kv", "mode=daily, pct=0.5, on=да, n=3", { mode: "daily", pct: 0.5, on: true, n: 3 }],
    ["json_or_kv", '{"a": 1}', { a: 1 }],
    ["str", "  привет  ", "привет"],
    ["order_id", "#0042", "OB-42"],
    ["day", "15.12", "2025-12-15"],
    ["time_hhmm", "9.5", undefined],
    ["time_hhmm", "9:30", "09:30"],
    ["bool", "Нет", false],
    ["currency", "usd", "USD"],
    ["currency", "@currency", "RUB"],
    ["code", "spring-10", "SPRING-10"],
    ["tz", "@tz", "Europe/Moscow"],
    // Owners type cities, in Russian or not, and IANA names in any case.
    ["tz", "Москва", "Europe/Moscow"],
    ["tz", "екатеринбург", "Asia/Yekaterinburg"],
    ["tz", "г. Новосибирск", "Asia/Novosibirsk"],
    ["tz", "Berlin", "Europe/Berlin"],
    ["tz", "new york", "America/New_York"],
    ["tz", "europe/berlin", "Europe/Berlin"],
    ["tz", "Asia/Almaty", "Asia/Almaty"],
    ["weekday", "понедельник", 0],
    ["weekday", "Пт", 4],
    ["weekday", "sunday", 6],
    ["weekday", "3", 3],
  ] as const)("%s %j", (parser, raw, expected) => {
    const out = parseAnswer(input(parser, { min: 1, max: 200 }), raw, PARSE);
    if (expected === undefined) expect(out.ok).toBe(false);
    else expect(out).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["ids", ""],
    ["int", "12.5"],
    ["int", "999"],
    ["percent_1_95", "0"],
    ["stock_1_9999", "10000"],
    ["signed_percent", "120"],
    ["json_or_kv", "{nope"],
    ["json_or_kv", "just text"],
    ["str", "   "],
    ["order_id", "abc"],
    ["day", "31.02"],
    ["day", "01.01.2027"],
    ["bool", "может быть"],
    ["currency", "рубли"],
    ["code", "a!"],
    ["tz", "Mars/Base"],
    ["tz", "Атлантида"],
    ["weekday", "7"],
  ] as const)("%s rejects %j with a Russian hint", (parser, raw) => {
    const out = parseAnswer(input(parser, { min: 1, max: 200 }), raw, PARSE);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatch(/[а-яё]/i);
  });
});

describe("prompts", () => {
  const labels = (step: TemplateStep | TemplateCancelled): string[] =>
    "reply" in step ? (step.reply.buttons ?? []).flat().map((b) => b.text) : [];

  it("the FX reprice offers each currency once and the latest rate set instead of asking for an id", () => {
    let step: TemplateStep | TemplateCancelled = startTemplate("PRC_FX_REPRICE", CTX);
    expect(step.kind).toBe("ask");
    if (step.kind !== "ask") return;
    step = feedTemplate(step.state, "USD", CTX);
    const second = labels(step);
    expect(second.filter((t) => t === "RUB")).toHaveLength(1);
    if (step.kind !== "ask") throw new Error("expected the second step");
    step = feedTemplate(step.state, "RUB", CTX);
    expect("reply" in step && step.reply.text).not.toMatch(/Id|tpl_rate_set/i);
    expect(labels(step)).toContain("🆕 Последний набор курсов");
  });

  it("the weekly schedule takes a typed weekday and a city, and offers the shop's zone by its city", () => {
    let step: TemplateStep | TemplateCancelled = startTemplate("NTF_WEEKLY_SUBSCRIBE", CTX);
    if (step.kind !== "ask") throw new Error("expected a question");
    step = feedTemplate(step.state, "пн", CTX);
    if (step.kind !== "ask") throw new Error("expected the time");
    step = feedTemplate(step.state, "09:30", CTX);
    expect(labels(step)).toContain("Как у магазина (Москва)");
    expect("reply" in step && step.reply.text).not.toContain("IANA");
    if (step.kind !== "ask") throw new Error("expected the zone");
    expect(feedTemplate(step.state, "Москва", CTX)).toMatchObject({
      kind: "run",
      input: { day_of_week: 0, time_local: "09:30", tz: "Europe/Moscow" },
    });
  });

  it("the FX settings ask in words, not key=value", () => {
    let step: TemplateStep | TemplateCancelled = startTemplate("PRC_FX_SETTINGS", CTX);
    expect("reply" in step && step.reply.text).not.toMatch(/[a-z]+_[a-z]+=|=/);
    if (step.kind !== "ask") throw new Error("expected a question");
    expect(labels(step)).toContain("Каждый день");
    step = feedTemplate(step.state, "Каждый день", CTX);
    if (step.kind !== "ask") throw new Error("expected the threshold");
    expect("reply" in step && step.reply.text).not.toMatch(/=/);
    expect(feedTemplate(step.state, { id: "PRC_FX_SETTINGS", step: 1, preset: 0 }, CTX)).toMatchObject({
      kind: "run",
      input: { updates: { reprice_schedule_mode: "daily", min_rate_delta_percent: 0.5 } },
    });
  });
});
