// What a reply to hostile input must not look like (RELIABILITY.md promises 9 and 10).

/** Telegram's message limit, counted in UTF-16 units as the Bot API counts it. */
export const MESSAGE_LIMIT = 4096;

// Internals that mean a raw error reached the owner. A word the owner typed may be echoed back
// («Не понял «NaN»»), so a marker that occurs in the input itself is not held against the reply.
const MARKERS: { name: string; re: RegExp }[] = [
  { name: "stack trace", re: /\n\s+at [^\n]*[(\s][^\n]*:\d+:\d+\)?/ },
  { name: "error class", re: /\b(?:TypeError|RangeError|SyntaxError|ReferenceError|AggregateError|DatabaseError|ZodError)\b/ },
  { name: "undefined", re: /\bundefined\b/ },
  { name: "null", re: /\bnull\b/ },
  { name: "NaN", re: /\bNaN\b/ },
  { name: "Infinity", re: /\bInfinity\b/ },
  { name: "[object Object]", re: /\[object \w+\]/ },
  {
    name: "raw error code",
    re: /\b(?:BAD_INPUT|VALIDATION_ERROR|NOT_FOUND|NOT_IMPLEMENTED|UNKNOWN_TOOL|UPSTREAM_[A-Z_]+|TELEGRAM_[A-Z_]+|ASR_FAILED|LLM_FAILED|QUEUE_OVERLOADED|LEASE_LOST|ACTION_CONFLICT|CONFIG_MISSING|INTERNAL|ECONN[A-Z]+|ETIMEDOUT|SIS_[A-Z_]+|PROVENANCE_[A-Z_]+)\b/,
  },
  {
    name: "SQL error",
    re: /\b(?:syntax error at or near|violates (?:check|unique|foreign key) constraint|invalid input syntax|relation "[^"]+" does not exist)/i,
  },
  { name: "file path", re: /\/(?:work|home|usr|app)\/[\w./-]+\.(?:ts|js)\b/ },
];

/** Problems with one reply text; empty when it is fine. `secrets` must never appear anywhere. */
export function replyProblems(input: string, reply: string, secrets: readonly string[] = []): string[] {
  const out: string[] = [];
  if (reply.length > MESSAGE_LIMIT) out.push(`longer than ${MESSAGE_LIMIT} (${reply.length})`);
  if (reply.trim() === "") out.push("empty");
  for (const m of MARKERS) if (m.re.test(reply) && !m.re.test(input)) out.push(m.name);
  if (secrets.some((s) => s !== "" && reply.includes(s))) out.push("a secret");
  return out;
}

/** Secrets as they may leak: whole, and the bot token's part after the colon (it shows up inside URLs). */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === "") continue;
    forms.add(s);
    const tail = s.split(":")[1];
    if (tail && tail.length >= 8) forms.add(tail);
  }
  return [...forms];
}
