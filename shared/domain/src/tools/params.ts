import { z } from "zod";

// Input building blocks for tool schemas. Values arrive from templates, buttons, an LLM or typed
// text, so numbers and booleans may come as strings ("7", "true"); they are accepted when they
// read unambiguously, and anything else fails validation with the parameter's name.

function toNumber(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim().replace(",", ".");
  return s !== "" && Number.isFinite(Number(s)) ? Number(s) : v;
}

function toBoolean(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim().toLowerCase();
  if (["true", "1", "yes", "да"].includes(s)) return true;
  if (["false", "0", "no", "нет"].includes(s)) return false;
  return v;
}

function toLower(v: unknown): unknown {
  return typeof v === "string" ? v.trim().toLowerCase() : v;
}

export function intParam(min: number, max: number) {
  return z.preprocess(toNumber, z.number().int().min(min).max(max));
}

export function numParam(min: number, max: number) {
  return z.preprocess(toNumber, z.number().min(min).max(max));
}

export function boolParam() {
  return z.preprocess(toBoolean, z.boolean());
}

export function enumParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(toLower, z.enum(values));
}

/** A day as the owner or a template writes it; resolved against the shop's today in the tool. */
export function dayParam() {
  return z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|today|yesterday|сегодня|вчера|@today|@yesterday)$/i, {
      message: "DAY_FORMAT",
    });
}

/** Paging offset for list tools; buttons carry it, people rarely type it. */
export function offsetParam() {
  return intParam(0, 100_000).default(0);
}
