import type { Message } from "./message.ts";
import type { Intent } from "./types.ts";

/**
 * One routing rule. `keys` are 2–4 letter prefixes of the words that can make `run` match; the
 * router only runs rules whose key starts a word of the message. `run` re-checks with its own
 * patterns and returns undefined when the message is not for it.
 */
export type Rule = {
  id: string;
  keys: readonly string[];
  run: (m: Message) => Intent | undefined;
};

/** Rule keys written as one space-separated string, so a rule stays on one line. */
export function keys(list: string): string[] {
  return list.split(" ").filter((k) => k.length > 0);
}
