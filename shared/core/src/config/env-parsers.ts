import { z } from "zod";

// Env values arrive as strings; these helpers give one clear message per kind of mistake.

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off", ""]);

export const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const v = raw.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      ctx.addIssue({ code: "custom", message: `expected true/false (or 1/0, yes/no, on/off), got "${raw}"` });
      return z.NEVER;
    });

export const num = (fallback: number, opts: { min?: number; max?: number; int?: boolean } = {}) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return fallback;
      const n = Number(raw.trim());
      const kind = opts.int ? "an integer" : "a number";
      const range =
        opts.min !== undefined && opts.max !== undefined
          ? ` between ${opts.min} and ${opts.max}`
          : opts.min !== undefined
            ? ` ≥ ${opts.min}`
            : opts.max !== undefined
              ? ` ≤ ${opts.max}`
              : "";
      const bad =
        !Number.isFinite(n) ||
        (opts.int === true && !Number.isInteger(n)) ||
        (opts.min !== undefined && n < opts.min) ||
        (opts.max !== undefined && n > opts.max);
      if (bad) {
        ctx.addIssue({ code: "custom", message: `expected ${kind}${range}, got "${raw}"` });
        return z.NEVER;
      }
      return n;
    });

export const str = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw) => (raw === undefined ? fallback : raw.trim()));

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], upper = true) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): T[number] => {
      if (raw === undefined || raw.trim() === "") return fallback;
      const v = upper ? raw.trim().toUpperCase() : raw.trim().toLowerCase();
      const hit = values.find((x) => (upper ? x.toUpperCase() : x.toLowerCase()) === v);
      if (hit === undefined) {
        ctx.addIssue({ code: "custom", message: `expected one of ${values.join(", ")}, got "${raw}"` });
        return z.NEVER;
      }
      return hit;
    });

/** A list of integer ids given as CSV ("1, 2") or a JSON array ("[1,2]"). */
export const idList = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number[] => {
      if (raw === undefined || raw.trim() === "") return [];
      const text = raw.trim();
      let parts: unknown[];
      if (text.startsWith("[")) {
        try {
          const parsed: unknown = JSON.parse(text);
          parts = Array.isArray(parsed) ? parsed : [parsed];
        } catch {
          ctx.addIssue({ code: "custom", message: `expected a JSON array of ids, got "${raw}"` });
          return z.NEVER;
        }
      } else {
        parts = text
          .split(",")
          .map((p) => p.trim())
          .filter((p) => p !== "");
      }
      const ids = parts.map((p) => Number(p));
      if (ids.some((n) => !Number.isSafeInteger(n))) {
        ctx.addIssue({ code: "custom", message: `expected integer ids separated by commas (e.g. 123,456), got "${raw}"` });
        return z.NEVER;
      }
      return ids;
    });

export const wordList = (fallback: string[]) =>
  z
    .string()
    .optional()
    .transform((raw): string[] => {
      if (raw === undefined) return fallback;
      const text = raw.trim();
      if (text.startsWith("[")) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (Array.isArray(parsed)) return parsed.map(String);
        } catch {
          /* fall through to CSV */
        }
      }
      return text
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "");
    });

export const url = (fallback: string, opts: { optional?: boolean } = {}) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const v = raw === undefined ? fallback : raw.trim();
      if (v === "" && opts.optional === true) return "";
      try {
        const u = new URL(v);
        return u.toString().replace(/\/$/, "");
      } catch {
        ctx.addIssue({ code: "custom", message: `expected a URL like http://host:port, got "${raw ?? ""}"` });
        return z.NEVER;
      }
    });

export const timeZone = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const v = raw === undefined || raw.trim() === "" ? fallback : raw.trim();
      try {
        new Intl.DateTimeFormat("en", { timeZone: v });
        return v;
      } catch {
        ctx.addIssue({ code: "custom", message: `expected an IANA time zone such as Europe/Moscow, got "${raw}"` });
        return z.NEVER;
      }
    });
