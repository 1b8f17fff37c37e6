// Secrets leak through error messages and URLs (grammY puts the token in every request URL),
// so scrubbing works on the final text rather than on known fields.

const TOKEN_IN_URL = /bot\d{3,}:[A-Za-z0-9_-]{10,}/g;
const BARE_TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
// An HTTP basic-auth header (the ops service's) carries user:password in base64.
const BASIC = /(Basic\s+)[A-Za-z0-9+/=]{8,}/gi;
const OPENAI_KEY = /\bsk-[A-Za-z0-9_-]{16,}\b/g;

export type Scrubber = (text: string) => string;

export function makeScrubber(secrets: readonly string[] = []): Scrubber {
  const exact = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of exact) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
    return out
      .replace(TOKEN_IN_URL, "bot[REDACTED]")
      .replace(BARE_TOKEN, "[REDACTED]")
      .replace(BEARER, "$1[REDACTED]")
      .replace(BASIC, "$1[REDACTED]")
      .replace(OPENAI_KEY, "[REDACTED]");
  };
}
