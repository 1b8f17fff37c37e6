import type { Button, Reply } from "../contract.ts";
import { HOME, labelBudget, labelWidth } from "./keyboard.ts";

// Navigation stays at the bottom of the chat. A menu panel is one message that its own buttons
// edit in place; a result (a report, a reply to a question) is a message of its own. A result's
// buttons carry the next steps and a way home, and the panels they open arrive as new messages
// below it — the owner never scrolls up to the menu, and a result is never replaced by a panel.

const isHome = (b: Button): boolean => "action" in b && b.action.t === "nav" && b.action.to === "home";

/** The same buttons, with every navigation button opening a new message (`fresh`). */
function freshNav(rows: Button[][]): Button[][] {
  return rows.map((row) =>
    row.map((b) => ("action" in b && b.action.t === "nav" && b.action.fresh !== true ? { ...b, action: { ...b.action, fresh: true } } : b)),
  );
}

/** Every reply that is not a panel gets navigation that opens new messages. */
export function settleNavigation(replies: Reply[]): Reply[] {
  return replies.map((r) => (r.panel === true || !r.buttons ? r : { ...r, buttons: freshNav(r.buttons) }));
}

/** A tool's answer ends with a way home next to its own next steps (on the last message, which holds the buttons). */
export function withWayHome(replies: Reply[]): Reply[] {
  const last = replies.at(-1);
  if (!last || last.panel === true) return replies;
  const rows = last.buttons ?? [];
  if (rows.some((row) => row.some(isHome))) return replies;
  const tail = rows.at(-1);
  // Home joins the last row when everything on it still fits a phone; otherwise it gets its own row.
  const joined = tail ? [...tail, HOME] : [];
  const fits =
    tail !== undefined &&
    tail.every((b) => "action" in b && b.action.t !== "noop") &&
    joined.every((b) => labelWidth(b.text) <= labelBudget(joined.length));
  const buttons = fits ? [...rows.slice(0, -1), joined] : [...rows, [HOME]];
  return [...replies.slice(0, -1), { ...last, buttons }];
}
