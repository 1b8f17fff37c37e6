import type { z } from "zod";

// Zod issues → one Russian sentence per parameter that says what is allowed and what came in,
// e.g. "Параметр days: допустимо от 1 до 60, получено 90".

type AnySchema = z.ZodType & { def?: Record<string, unknown> };

/** Peels defaults, optionals and preprocess pipes off a field to reach the schema with the limits. */
function core(schema: AnySchema | undefined): AnySchema | undefined {
  let s = schema;
  for (let i = 0; i < 10 && s?.def; i++) {
    const d = s.def;
    if (d.type === "default" || d.type === "optional" || d.type === "nullable" || d.type === "prefault") {
      s = d.innerType as AnySchema;
    } else if (d.type === "pipe") {
      s = d.out as AnySchema;
    } else break;
  }
  return s;
}

function fieldSchema(root: AnySchema, path: PropertyKey[]): AnySchema | undefined {
  let s: AnySchema | undefined = core(root);
  for (const key of path) {
    const shape = (s as unknown as { shape?: Record<string, AnySchema> } | undefined)?.shape;
    s = core(shape?.[String(key)]);
  }
  return s;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[String(key)];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return "ничего";
  if (typeof v === "string") return `«${v.length > 40 ? `${v.slice(0, 39)}…` : v}»`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return (JSON.stringify(v) ?? typeof v).slice(0, 40);
}

const fmtNum = (n: number): string => String(n).replace(".", ",");

function describeIssue(issue: z.core.$ZodIssue, root: AnySchema, raw: unknown): string {
  const field = fieldSchema(root, issue.path);
  const value = valueAt(raw, issue.path);
  const got = `получено ${show(value)}`;
  const lim = field as unknown as {
    minValue?: number | null;
    maxValue?: number | null;
    minLength?: number | null;
    maxLength?: number | null;
  };
  switch (issue.code) {
    case "too_big":
    case "too_small": {
      if (issue.origin === "string") {
        if (issue.code === "too_small" && issue.minimum === 1) return "не может быть пустым";
        const min = lim.minLength ?? 0;
        return lim.maxLength != null ? `длина от ${min} до ${lim.maxLength} символов, ${got}` : `длина не меньше ${min} символов, ${got}`;
      }
      if (issue.origin === "array") {
        return issue.code === "too_small"
          ? `нужно хотя бы ${fmtNum(Number(issue.minimum))}`
          : `не больше ${fmtNum(Number(issue.maximum))} значений`;
      }
      if (lim.minValue != null && lim.maxValue != null) {
        return `допустимо от ${fmtNum(lim.minValue)} до ${fmtNum(lim.maxValue)}, ${got}`;
      }
      return issue.code === "too_big"
        ? `допустимо не больше ${fmtNum(Number(issue.maximum))}, ${got}`
        : `допустимо не меньше ${fmtNum(Number(issue.minimum))}, ${got}`;
    }
    case "invalid_value":
      return `допустимо: ${issue.values.map(String).join(", ")}; ${got}`;
    case "invalid_type": {
      if (value === undefined) return "обязателен";
      const expected: Record<string, string> = {
        int: "целое число",
        number: "число",
        string: "строка",
        boolean: "да/нет (true/false)",
        array: "список",
        object: "объект",
      };
      const range = lim.minValue != null && lim.maxValue != null ? ` от ${fmtNum(lim.minValue)} до ${fmtNum(lim.maxValue)}` : "";
      const want = issue.expected === "number" && (field as unknown as { isInt?: boolean })?.isInt ? "int" : issue.expected;
      return `ожидается ${expected[want] ?? want}${range}, ${got}`;
    }
    case "invalid_format":
      if (issue.message === "DAY_FORMAT") return `ожидается дата ГГГГ-ММ-ДД, ДД.ММ.ГГГГ, «сегодня» или «вчера», ${got}`;
      return `неверный формат, ${got}`;
    default:
      return issue.message;
  }
}

/** "Параметр days: допустимо от 1 до 60, получено 90" (several parameters joined with "; "). */
export function validationMessage(error: z.ZodError, schema: z.ZodType, raw: unknown): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    if (seen.has(key)) continue;
    seen.add(key);
    const text = describeIssue(issue, schema as AnySchema, raw);
    parts.push(key ? `Параметр ${key}: ${text}` : text);
    if (parts.length >= 3) break;
  }
  return parts.join("; ");
}
