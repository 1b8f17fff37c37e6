import { badRequest } from "./api-error.ts";
import type { TgEntity } from "./types.ts";

const TAG_TYPES: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
  a: "text_link",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
  span: "spoiler",
};

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface Open {
  tag: string;
  type: string;
  offset: number;
  url?: string;
  language?: string;
}

/**
 * parse_mode=HTML the way Telegram does it: the tags it knows become entities,
 * anything else (including a bare `<`) is a 400. Bots that forget to escape user
 * text hit exactly this in production, so the fake refuses it too.
 */
export function parseHtml(input: string): {
  text: string;
  entities: TgEntity[];
} {
  const fail = (what: string, at: number): never => {
    throw badRequest(`can't parse entities: ${what} at byte offset ${Buffer.byteLength(input.slice(0, at))}`);
  };
  const stack: Open[] = [];
  const entities: TgEntity[] = [];
  let text = "";
  let i = 0;
  const special = /[<&]/g;
  while (i < input.length) {
    special.lastIndex = i;
    const hit = special.exec(input);
    const next = hit ? hit.index : input.length;
    text += input.slice(i, next);
    i = next;
    if (!hit) break;
    if (hit[0] === "&") {
      const m = /^&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,4});/i.exec(input.slice(i, i + 12));
      const body = m?.[1];
      const decoded =
        body === undefined
          ? undefined
          : body.startsWith("#")
            ? safeCodePoint(body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : Number(body.slice(1)))
            : NAMED[body.toLowerCase()];
      if (m && decoded !== undefined) {
        text += decoded;
        i += m[0].length;
      } else {
        text += "&";
        i += 1;
      }
      continue;
    }
    const end = input.indexOf(">", i);
    if (end < 0) fail("Can't find end of the tag", i);
    const raw = input.slice(i + 1, end);
    if (raw.startsWith("/")) {
      const name = raw.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) fail(`Unexpected end tag "${name}"`, i);
      else if (name !== open.tag) fail(`Unmatched end tag, expected "</${open.tag}>", found "</${name}>"`, i);
      else closeTag(open, stack, entities, text.length);
    } else {
      const m = /^([a-zA-Z][\w-]*)([\s\S]*)$/.exec(raw);
      const name = m?.[1]?.toLowerCase() ?? "";
      const type = TAG_TYPES[name];
      const attrs = attributes(m?.[2] ?? "");
      if (!type || (name === "span" && attrs.get("class") !== "tg-spoiler")) {
        fail(`Unsupported start tag "${name}"`, i);
      }
      const open: Open = { tag: name, type: type ?? "", offset: text.length };
      if (name === "a") open.url = attrs.get("href") ?? "";
      if (name === "blockquote" && attrs.has("expandable")) open.type = "expandable_blockquote";
      const lang = /^language-(.+)$/.exec(attrs.get("class") ?? "")?.[1];
      if (name === "code" && lang) open.language = lang;
      stack.push(open);
    }
    i = end + 1;
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function closeTag(open: Open, stack: Open[], entities: TgEntity[], end: number): void {
  const parent = stack.at(-1);
  // <pre><code class="language-x"> is one pre entity with a language, not two entities.
  if (open.tag === "code" && parent?.tag === "pre") {
    if (open.language) parent.language = open.language;
    return;
  }
  if (end <= open.offset) return;
  const e: TgEntity = {
    type: open.type,
    offset: open.offset,
    length: end - open.offset,
  };
  if (open.url !== undefined) e.url = open.url;
  if (open.language !== undefined) e.language = open.language;
  entities.push(e);
}

function attributes(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(/([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out.set((m[1] ?? "").toLowerCase(), decodeAttr(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return out;
}

function decodeAttr(v: string): string {
  return v.replace(/&(lt|gt|amp|quot);/g, (_, n: string) => NAMED[n] ?? "");
}

function safeCodePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}
