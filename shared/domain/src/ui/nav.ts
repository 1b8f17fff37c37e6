import { ADVICE_TOPICS } from "../advice/topics.ts";
import { getTemplate, isCategory } from "../templates/catalog.ts";
import type { TemplateCategory } from "../templates/types.ts";

// The `to` of a {t:"nav"} button. Plain words are panels; prefixed targets ask the worker to do
// something small and then show a panel. The callback_data is an opaque token either way.
//
//   home | dash | focus:burn | focus:money | focus:stock | orders | prices | products | notify |
//   systems | advisor | tools | upstream | templates | help      a panel (sectionPanel)
//   tpl:cat:<category>:p:<page>                                   a page of a template category
//   tpl:run:<TEMPLATE_ID>                                         start a template (startTemplate)
//   tpl:ps:<TEMPLATE_ID>:<step>:<index>                           a preset answer (feedTemplate)
//   tpl:cancel                                                    drop the pending template input
//   upstream:set:<DEMO|SIS_HTTP|AUTO> | upstream:clear            runtime mode override
//   advisor:preset:<TOPIC>                                        an advisor topic
//   advisor:<brief|check|act|memo>:<TOPIC>                        the advisor's data brief, check, action, memo PDF
//   cmd:<name>                                                    a system command (/systems, …)
//   wizard:ps:<wizard id>:<field>:<value> | wizard:cancel           the parameter wizard's preset / cancel

export const PANELS = [
  "home",
  "dash",
  "focus:burn",
  "focus:money",
  "focus:stock",
  "orders",
  "prices",
  "products",
  "notify",
  "systems",
  "advisor",
  "tools",
  "upstream",
  "templates",
  "help",
] as const;
export type PanelId = (typeof PANELS)[number];

export const UPSTREAM_MODES = ["DEMO", "SIS_HTTP", "AUTO"] as const;
export const ADVISOR_TOPICS = ADVICE_TOPICS;
/** System commands a button may trigger (the worker answers them as if typed). */
export const BUTTON_COMMANDS = ["systems", "sis_check", "shadow_check", "tools", "upstream"] as const;

export type NavTarget =
  | { kind: "panel"; panel: PanelId }
  | { kind: "tpl_cat"; category: TemplateCategory; page: number }
  | { kind: "tpl_run"; templateId: string }
  | { kind: "tpl_preset"; templateId: string; step: number; index: number }
  | { kind: "tpl_cancel" }
  | { kind: "upstream_set"; mode: (typeof UPSTREAM_MODES)[number] }
  | { kind: "upstream_clear" }
  | { kind: "advisor_preset"; topic: (typeof ADVISOR_TOPICS)[number] }
  /** The advisor's buttons: the data brief, «проверить данными», «предложить действие», the memo PDF. */
  | { kind: "advisor_step"; step: "brief" | "refresh" | "check" | "act" | "memo"; topic: (typeof ADVISOR_TOPICS)[number] }
  | { kind: "command"; name: (typeof BUTTON_COMMANDS)[number] }
  /** The parameter wizard (reference `ownerbot:wizard:preset:{v}` / `ownerbot:wizard:cancel`). */
  | { kind: "wizard_preset"; id: string; field: string; value: string }
  | { kind: "wizard_cancel" };

const has = <T extends string>(list: readonly T[], s: string): s is T => (list as readonly string[]).includes(s);
const SMALL_INT = /^\d{1,4}$/;
const WIZARD_PART = /^[a-z0-9_.-]{1,24}$/;

// The reference's callback names still mean the same panels: "ui:dash", "tpl:home", "reports".
const ALIASES: Record<string, string> = { reports: "dash", "tpl:home": "templates" };

/** Decodes a nav target; undefined for anything unknown (a stale or forged action). */
export function parseNavTarget(raw: string): NavTarget | undefined {
  const bare = raw.startsWith("ui:") ? raw.slice(3) : raw;
  const to = ALIASES[bare] ?? bare;
  if (has(PANELS, to)) return { kind: "panel", panel: to };
  const p = to.split(":");
  const [a, b, c, d, e] = p;
  if (a === "tpl") {
    if (b === "cancel" && p.length === 2) return { kind: "tpl_cancel" };
    if (b === "cat" && p.length === 5 && c && isCategory(c) && d === "p" && e && SMALL_INT.test(e)) {
      return { kind: "tpl_cat", category: c, page: Number(e) };
    }
    if (b === "run" && p.length === 3 && c && getTemplate(c)) return { kind: "tpl_run", templateId: c };
    if (b === "ps" && p.length === 5 && c && getTemplate(c) && d && e && SMALL_INT.test(d) && SMALL_INT.test(e)) {
      return { kind: "tpl_preset", templateId: c, step: Number(d), index: Number(e) };
    }
    return undefined;
  }
  if (a === "upstream" && b === "set" && p.length === 3 && c && has(UPSTREAM_MODES, c)) return { kind: "upstream_set", mode: c };
  if (a === "upstream" && b === "clear" && p.length === 2) return { kind: "upstream_clear" };
  if (a === "advisor" && b === "preset" && p.length === 3 && c && has(ADVISOR_TOPICS, c)) return { kind: "advisor_preset", topic: c };
  if (
    a === "advisor" &&
    (b === "brief" || b === "refresh" || b === "check" || b === "act" || b === "memo") &&
    p.length === 3 &&
    c &&
    has(ADVISOR_TOPICS, c)
  )
    return { kind: "advisor_step", step: b, topic: c };
  if (a === "wizard" && b === "cancel" && p.length === 2) return { kind: "wizard_cancel" };
  if (
    a === "wizard" &&
    b === "ps" &&
    p.length === 5 &&
    c &&
    d &&
    e !== undefined &&
    WIZARD_PART.test(c) &&
    WIZARD_PART.test(d) &&
    WIZARD_PART.test(e)
  )
    return { kind: "wizard_preset", id: c, field: d, value: e };
  if (a === "cmd" && p.length === 2 && b && has(BUTTON_COMMANDS, b)) return { kind: "command", name: b };
  return undefined;
}
