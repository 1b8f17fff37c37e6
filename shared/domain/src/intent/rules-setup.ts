import { tool } from "./builders.ts";
import type { Message } from "./message.ts";
import { keys, type Rule } from "./rule.ts";
import { rx, toInt } from "./text.ts";
import type { Intent } from "./types.ts";

// Phrases for the actions the reference reached only by buttons: a reprice by a named currency,
// the FX reprice schedule, the onboarding presets and test run — and pause_campaign, which is
// answered honestly (no campaigns are connected) instead of silently doing nothing.

const CURRENCY: readonly [RegExp, string][] = [
  [rx("\\bдоллар\\p{L}*|\\busd\\b"), "USD"],
  [rx("\\bевро\\b|\\beur\\b"), "EUR"],
  [rx("\\bюан\\p{L}*|\\bcny\\b"), "CNY"],
];
const REPRICE_BY = rx("\\b(?:пересчитай|пересчитать|обнови|переведи)\\p{L}*\\s+цен\\p{L}*\\s+(?:по\\s+курсу|из)");

function reprice(m: Message): Intent | undefined {
  if (!m.has(REPRICE_BY)) return undefined;
  const cur = CURRENCY.find(([re]) => m.has(re))?.[1];
  if (!cur) return undefined;
  return tool("sis_fx_reprice", { rate_set_id: "latest", input_currency: cur, shop_currency: m.ctx.shop.currency });
}

const SCHEDULE = rx("\\b(?:пересчитыва\\p{L}*|пересчёт\\p{L}*|пересчет\\p{L}*|репрайс\\p{L}*)\\s+(?:цен\\p{L}*\\s+)?(?:по\\s+курсу\\s+)?");
const DAILY = rx("\\bкажд\\p{L}*\\s+день|\\bежедневно|\\bраз\\s+в\\s+день|\\bdaily\\b");
const EVERY_H = rx("\\bкажды\\p{L}*\\s+({NUM})\\s*(?:час\\p{L}*|ч\\b)|\\bраз\\s+в\\s+({NUM})\\s*(?:час\\p{L}*|ч\\b)");
const MANUAL = rx("\\bвручную|\\bтолько\\s+по\\s+команде|\\bmanual");

function schedule(m: Message): Intent | undefined {
  if (!m.has(SCHEDULE)) return undefined;
  if (m.has(DAILY)) return tool("sis_fx_settings_update", { updates: { reprice_schedule_mode: "daily" } });
  const h = EVERY_H.exec(m.norm);
  const hours = h ? toInt(h[1] ?? h[2] ?? "") : undefined;
  if (hours !== undefined)
    return tool("sis_fx_settings_update", { updates: { reprice_schedule_mode: "interval", reprice_schedule_interval_hours: hours } });
  if (m.has(MANUAL)) return tool("sis_fx_settings_update", { updates: { reprice_schedule_mode: "manual" } });
  return undefined;
}

const PRESET = rx(
  "\\b(?:примени|включи|поставь|выбери)\\p{L}*\\s+(минимальн|стандартн|обычн|максимальн|агрессивн)\\p{L}*\\s+(?:набор\\p{L}*\\s+)?(?:настро\\p{L}*|уведомлен\\p{L}*)",
);
const PRESET_OF: Record<string, string> = {
  минимальн: "minimal",
  стандартн: "standard",
  обычн: "standard",
  максимальн: "aggressive",
  агрессивн: "aggressive",
};
const TEST_RUN = rx("\\bтест[-\\s]?прогон\\p{L}*|\\bпроверь\\s+настройк\\p{L}*\\s+бота|\\btest\\s+run\\b");

function onboarding(m: Message): Intent | undefined {
  const p = PRESET.exec(m.norm);
  if (p?.[1]) return tool("onboard_apply_preset", { preset: PRESET_OF[p[1]] ?? "standard", tz: m.ctx.shop.timeZone });
  if (m.has(TEST_RUN)) return tool("onboard_test_run", { send_digest_now: true });
  return undefined;
}

const CAMPAIGN = rx("\\bкампани\\p{L}*|\\bрекламу?\\b|\\bcampaigns?\\b|\\bads\\b");
const PAUSE = rx("\\bпауз\\p{L}*|\\bостанови\\p{L}*|\\bвыключи\\p{L}*|\\bприостанови\\p{L}*|\\bpause\\b|\\bstop\\b");

export const SETUP_RULES: Rule[] = [
  { id: "fx_reprice_by", keys: keys("пере обно доля usd евро eur юан cny"), run: reprice },
  { id: "fx_schedule", keys: keys("пере репр"), run: schedule },
  { id: "onboarding", keys: keys("прим вклю пост выбе тест пров"), run: onboarding },
  {
    id: "campaign",
    keys: keys("камп рекл camp ads"),
    run: (m) => (m.has(CAMPAIGN) && m.has(PAUSE) ? tool("pause_campaign", {}) : undefined),
  },
];
