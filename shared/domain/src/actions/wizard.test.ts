import { describe, expect, it } from "vitest";
import { feedWizard, isWizardState, startWizard, wizardMissing, type WizardState, type WizardStep } from "./wizard.ts";
import {
  isWizardCancel,
  parseCouponPercent,
  parseHours,
  parseIds,
  parseMessage,
  parseOrderId,
  parseSignedPercent,
} from "./wizard-parsers.ts";

const C = { now: new Date("2026-11-23T10:00:00Z"), timeZone: "Europe/Moscow" };
const value = <T>(p: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!p.ok) throw new Error(p.error);
  return p.value;
};

describe("wizard parsers", () => {
  it("percent: «5», «5%», «5 процентов», «минус 5», «−2,5 %»", () => {
    expect(value(parseCouponPercent("5"))).toBe(5);
    expect(value(parseCouponPercent("10%"))).toBe(10);
    expect(value(parseCouponPercent("15 процентов"))).toBe(15);
    expect(value(parseCouponPercent("минус 20"))).toBe(20);
    expect(value(parseSignedPercent("минус 5"))).toBe("-5");
    expect(value(parseSignedPercent("−2,5 %"))).toBe("-2.5");
    expect(value(parseSignedPercent("5", -1))).toBe("-5");
    expect(value(parseSignedPercent("+5", -1))).toBe("5");
    expect(value(parseSignedPercent("на 3%"))).toBe("3");
  });

  it("percent: out of range or not a number says what to type", () => {
    expect(parseCouponPercent("200")).toEqual({ ok: false, error: expect.stringContaining("от 1 до 95") as string });
    expect(parseCouponPercent("2,5").ok).toBe(false);
    expect(parseCouponPercent("много").ok).toBe(false);
    expect(parseSignedPercent("0").ok).toBe(false);
  });

  it("hours: «сутки» = 24, «2 дня» = 48, «48 ч», «неделя», «без срока»", () => {
    expect(value(parseHours("сутки"))).toBe(24);
    expect(value(parseHours("на сутки"))).toBe(24);
    expect(value(parseHours("2 дня"))).toBe(48);
    expect(value(parseHours("три дня"))).toBe(72);
    expect(value(parseHours("48"))).toBe(48);
    expect(value(parseHours("48 ч"))).toBe(48);
    expect(value(parseHours("12 часов"))).toBe(12);
    expect(value(parseHours("неделя"))).toBe(168);
    expect(value(parseHours("без срока"))).toBeNull();
    expect(parseHours("завтра").ok).toBe(false);
    expect(parseHours("0").ok).toBe(false);
    expect(parseHours("9999 дней").ok).toBe(false);
  });

  it("ids, order id, message, cancel words", () => {
    expect(value(parseIds("12, 13 14 и prd-15, 12"))).toEqual(["12", "13", "14", "PRD-15"]);
    expect(parseIds("12, ?!").ok).toBe(false);
    expect(value(parseOrderId("1234"))).toBe("OB-1234");
    expect(value(parseOrderId("OB-77"))).toBe("OB-77");
    expect(value(parseOrderId("заказ №5"))).toBe("OB-5");
    expect(parseOrderId("вчерашний").ok).toBe(false);
    expect(value(parseMessage("  склад пуст  "))).toBe("склад пуст");
    expect(parseMessage("   ").ok).toBe(false);
    expect(parseMessage("x".repeat(1001)).ok).toBe(false);
    for (const w of ["отмена", "Отмена!", "cancel", "стоп", "СТОП"]) expect(isWizardCancel(w), w).toBe(true);
    expect(isWizardCancel("отмена купона завтра")).toBe(false);
  });
});

function asked(step: WizardStep | undefined): WizardState {
  if (!step || (step.kind !== "ask" && step.kind !== "error")) throw new Error(`not asking: ${step?.kind}`);
  return step.state;
}

describe("wizard flow", () => {
  it("knows what each action misses", () => {
    expect(wizardMissing("create_coupon", {})).toEqual(["percent_off", "hours"]);
    expect(wizardMissing("create_coupon", { code: "X1Y", active: false })).toEqual([]);
    expect(wizardMissing("create_coupon", { percent_off: 10, ends_at: "2026-11-24T10:00:00Z" })).toEqual([]);
    expect(wizardMissing("sis_prices_bump", {})).toEqual(["bump_percent"]);
    expect(wizardMissing("notify_team", { message: "hi" })).toEqual([]);
    expect(wizardMissing("kpi_snapshot", {})).toEqual([]);
  });

  it("a coupon: percent preset, then «сутки», then the completed payload with a code", () => {
    const first = startWizard("create_coupon", {}, "abc1");
    const s1 = asked(first);
    const labels = first?.kind === "ask" ? first.reply.buttons!.flat().map((b) => b.text) : [];
    expect(labels).toEqual(["−5 %", "−10 %", "−15 %", "−20 %", "✖ Отмена"]);
    const s2 = asked(feedWizard(s1, { preset: { id: "abc1", field: "percent_off", value: "10" } }, C));
    expect(s2.missing).toEqual(["hours"]);
    const done = feedWizard(s2, { text: "сутки" }, C);
    expect(done).toEqual({
      kind: "done",
      tool: "create_coupon",
      input: { code: "SALE10-2311", percent_off: 10, ends_at: "2026-11-24T10:00:00.000Z" },
      fields: ["percent_off", "hours"],
    });
  });

  it("bad input re-asks the same field with the error; the state is kept", () => {
    const s = asked(startWizard("sis_prices_bump", {}, "w1", { sign: -1 }));
    const bad = feedWizard(s, { text: "побольше" }, C);
    expect(bad.kind).toBe("error");
    expect(asked(bad)).toEqual(s);
    expect(bad.kind === "error" && bad.reply.text).toContain("не процент");
    expect(feedWizard(s, { text: "5" }, C)).toMatchObject({ kind: "done", input: { bump_percent: "-5" } });
  });

  it("a preset of another wizard is refused; «стоп» cancels", () => {
    const s = asked(startWizard("create_coupon", {}, "new1"));
    expect(feedWizard(s, { preset: { id: "old1", field: "percent_off", value: "10" } }, C).kind).toBe("error");
    expect(feedWizard(s, { text: "стоп" }, C).kind).toBe("cancelled");
    expect(isWizardState(JSON.parse(JSON.stringify(s)))).toBe(true);
    expect(isWizardState({ v: 1, id: "x" })).toBe(false);
  });
});
