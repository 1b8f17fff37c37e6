/** Telegram's limit for one text message, in UTF-16 code units as Telegram counts them. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Splits text into messages of at most `limit` characters, breaking at line ends so a row is never
 * cut in half; a single line longer than the limit (a pasted blob) is cut at the last space, or hard.
 */
export function splitMessage(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (text.length <= limit) return [text];
  const out: string[] = [];
  let cur = "";
  const flush = (): void => {
    if (cur.length > 0) out.push(cur.replace(/\n+$/, ""));
    cur = "";
  };
  for (const line of text.split("\n")) {
    const piece = cur.length === 0 ? line : `\n${line}`;
    if (cur.length + piece.length <= limit) {
      cur += piece;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const cutAt = rest.lastIndexOf(" ", limit);
      let cut = cutAt > limit / 2 ? cutAt : limit;
      // A hard cut never separates a surrogate pair (an emoji would turn into two broken halves).
      const unit = rest.charCodeAt(cut - 1);
      if (cut === limit && unit >= 0xd800 && unit <= 0xdbff) cut -= 1;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, "");
    }
    cur = rest;
  }
  flush();
  return out.filter((m) => m.trim().length > 0);
}

/** Escapes text for Telegram's HTML parse mode (only these three characters are special there). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Cuts a string to `max` characters with an ellipsis, for titles and payload previews: at the last
 * word boundary that keeps at least half of it («Тренч из хлопка…», not «коричнев…»), else hard.
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const room = Math.max(0, max - 1);
  const head = s.slice(0, room);
  const atWord = /[\s,;:]/.test(s.charAt(room)) ? room : head.search(/[\s,;:][^\s,;:]*$/);
  const cut = atWord >= room / 2 ? head.slice(0, atWord).replace(/[\s,;:.-]+$/, "") : head;
  return `${cut}…`;
}
