// The soak's two drivers: the mixed traffic (owner questions, /start, button taps, charts and PDFs,
// hostile strings, strangers) and the fault injector (RELIABILITY.md's matrix, one fault at a time).
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { FakeSis } from "@ownerbot/testkit/fake-sis";
import type { FaultProxy } from "@ownerbot/testkit/fault-proxy";
import type { ServiceName } from "@ownerbot/testkit/services";
import { HOSTILE_TEXTS } from "@ownerbot/testkit/hostile";
import { REFERENCE_READ_TOOLS } from "@ownerbot/domain/read-catalogue";
import { CAPABILITY_PROBES, SIS_ACTIONS_PREFIX } from "@ownerbot/domain/sis";
import { sleep } from "./lib.ts";

export const OWNER = 1001;
export const STRANGERS = [3001, 3002, 3003] as const;

// The notification setters would switch off the scheduler's digest and alerts mid-run; the rest of
// the catalogue (reads, digest/weekly "send now", the status) is what an owner asks all day.
const QUESTIONS = REFERENCE_READ_TOOLS.filter((t) => !t.tool.startsWith("ntf_") || /status|send_/.test(t.tool)).map((t) => t.phrase);

export type Traffic = {
  /** update_id → when it was pushed (owner texts and commands only: the ones promise 2 answers). */
  ownerTexts: Map<number, number>;
  counts: Record<string, number>;
};

type Markup = { inline_keyboard?: { text: string; callback_data?: string }[][] };

/** Buttons the bot has shown the owner so far: callback_data and the message it sits under. */
function ownerButtons(tg: FakeTelegram, fromSeq: number): { data: string; messageId: number }[] {
  const out: { data: string; messageId: number }[] = [];
  for (const c of tg.calls(fromSeq)) {
    if (!c.ok || (c.method !== "sendMessage" && c.method !== "editMessageText") || Number(c.params.chat_id) !== OWNER) continue;
    const kb = (c.params.reply_markup as Markup | undefined)?.inline_keyboard?.flat() ?? [];
    const messageId = (c.result as { message_id?: number } | undefined)?.message_id;
    if (messageId === undefined) continue;
    for (const b of kb) if (b.callback_data) out.push({ data: b.callback_data, messageId });
  }
  return out;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Pushes one update every 1/rate s until `stopAt`; returns what it pushed. */
export async function driveTraffic(tg: FakeTelegram, rnd: () => number, o: { rate: number; stopAt: number }): Promise<Traffic> {
  const t: Traffic = { ownerTexts: new Map(), counts: {} };
  const count = (k: string): void => void (t.counts[k] = (t.counts[k] ?? 0) + 1);
  const owner = (text: string, kind: string): void => {
    t.ownerTexts.set(tg.pushText(OWNER, text).update_id, Date.now());
    count(kind);
  };
  // Only recent buttons: a tap on a week-old keyboard is legal but not what a phone does.
  let buttons: { data: string; messageId: number }[] = [];
  let scannedTo = 0;
  const gap = 1000 / o.rate;
  const t0 = Date.now();
  for (let i = 0; Date.now() < o.stopAt; i++) {
    const wait = t0 + i * gap - Date.now();
    if (wait > 0) await sleep(wait);
    if (i % 20 === 0) {
      buttons = [...buttons, ...ownerButtons(tg, scannedTo)].slice(-200);
      scannedTo = tg.lastSeq();
    }
    const r = rnd();
    if (r < 0.5) owner(pick(rnd, QUESTIONS), "question");
    else if (r < 0.6) owner("/start", "start");
    else if (r < 0.78 && buttons.length > 0) {
      const b = pick(rnd, buttons);
      tg.pushCallback(OWNER, b.data, { messageId: b.messageId });
      count("tap");
    } else if (r < 0.82) owner("/trend 14", "chart");
    else if (r < 0.84) owner("/weekly_pdf", "pdf");
    else if (r < 0.9) owner(pick(rnd, HOSTILE_TEXTS).text, "hostile");
    else {
      const who = pick(rnd, STRANGERS);
      if (rnd() < 0.3 && buttons.length > 0) {
        tg.pushCallback(who, pick(rnd, buttons).data, { chatId: who });
        count("stranger_tap");
      } else {
        tg.pushText(who, rnd() < 0.5 ? "/start" : pick(rnd, QUESTIONS));
        count("stranger_text");
      }
    }
  }
  return t;
}

export type FaultWindow = { kind: string; detail: string; start: number; end: number };

export type FaultTargets = { tg: FakeTelegram; sis: FakeSis; pg: FaultProxy; redis: FaultProxy };

const SERVICES: readonly ServiceName[] = ["ingress", "worker-intent", "sender", "worker-report", "scheduler"];
// A kill has five targets, so it is drawn twice as often as the other faults.
const KINDS = ["kill", "kill", "postgres_cut", "redis_cut", "tg_429", "tg_502", "tg_slow_updates", "sis_stall"] as const;
const SIS_ROUTES = CAPABILITY_PROBES.map((p) => `${p.method} ${SIS_ACTIONS_PREFIX}${p.endpoint}`);

/** One fault from the matrix, held for a few seconds and then cleared; returns its window. */
async function injectOne(f: FaultTargets, rnd: () => number, restart: (name: ServiceName) => Promise<void>): Promise<FaultWindow> {
  const kind = pick(rnd, KINDS);
  const hold = 5000 + Math.floor(rnd() * 5000);
  const start = Date.now();
  let detail = `${(hold / 1000).toFixed(1)} s`;
  switch (kind) {
    case "kill": {
      const name = pick(rnd, SERVICES);
      detail = name;
      await restart(name);
      break;
    }
    case "postgres_cut":
    case "redis_cut": {
      const p = kind === "postgres_cut" ? f.pg : f.redis;
      p.cut();
      await sleep(hold);
      p.restore();
      break;
    }
    case "tg_429":
      f.tg.setFault({ kind: "429", method: "*", retryAfter: 1 + Math.floor(rnd() * 2), probability: 0.5 });
      await sleep(hold);
      f.tg.clearFaults();
      break;
    case "tg_502":
      f.tg.setFault({ kind: "5xx", method: "*", probability: 0.4 });
      await sleep(hold);
      f.tg.clearFaults();
      break;
    case "tg_slow_updates":
      f.tg.setFault({ kind: "slow", method: "getUpdates", delayMs: 3000 });
      await sleep(hold);
      f.tg.clearFaults();
      break;
    case "sis_stall":
      for (const r of SIS_ROUTES) f.sis.fault(r, { stallMs: 60_000 });
      await sleep(hold);
      for (const r of SIS_ROUTES) f.sis.fault(r, null);
      break;
  }
  return { kind, detail, start, end: Date.now() };
}

/** Injects a fault every 20–40 s until `stopAt`, logging each with its time. */
export async function driveFaults(
  f: FaultTargets,
  rnd: () => number,
  o: { stopAt: number; t0: number; restart: (name: ServiceName) => Promise<void> },
): Promise<FaultWindow[]> {
  const windows: FaultWindow[] = [];
  for (;;) {
    const gap = 20_000 + Math.floor(rnd() * 20_000);
    if (Date.now() + gap >= o.stopAt) break;
    await sleep(gap);
    const w = await injectOne(f, rnd, o.restart);
    windows.push(w);
    const at = ((w.start - o.t0) / 1000).toFixed(1);
    console.log(`  fault at +${at} s: ${w.kind} (${w.detail}), cleared after ${((w.end - w.start) / 1000).toFixed(1)} s`);
  }
  return windows;
}
