import { CATEGORIES, getTemplate, offeredIn } from "@ownerbot/domain/templates";
import { TEMPLATES_PER_PAGE } from "@ownerbot/domain/ui";
import type { Sent } from "@ownerbot/testkit/owner-chat";

type Chat = { ask: (text: string) => Promise<Sent>; tap: (on: Sent, label: RegExp, method?: string) => Promise<Sent> };

// Runs a template the way the owner does: /templates → its category → (pages) → its button, then
// types each answer. Returns the bot's reply to the last step (for an action: its preview).

const escape = (s: string): RegExp => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);

/** `partial`: fewer answers than questions on purpose; returns the prompt of the next one. */
export async function runTemplate(chat: Chat, id: string, answers: readonly string[] = [], o: { partial?: boolean } = {}): Promise<Sent> {
  const def = getTemplate(id);
  if (!def) throw new Error(`no template ${id}`);
  const cat = CATEGORIES.find((c) => c.id === def.category);
  if (!cat) throw new Error(`no category ${def.category}`);
  if (o.partial ? answers.length >= def.inputs.length : answers.length !== def.inputs.length)
    throw new Error(`${id} asks ${def.inputs.length} questions, ${answers.length} answers given`);
  const root = await chat.ask("/templates");
  let panel = await chat.tap(root, escape(cat.title), "editMessageText");
  const page = Math.floor(offeredIn(def.category).findIndex((t) => t.id === id) / TEMPLATES_PER_PAGE);
  for (let p = 0; p < page; p++) panel = await chat.tap(panel, /➡️/, "editMessageText");
  let reply = await chat.tap(panel, escape(def.button));
  for (const a of answers) reply = await chat.ask(a);
  return reply;
}
