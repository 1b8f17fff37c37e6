import { z } from "zod";

// What the planner may name: the read tools and the allowed action tools, each with its parameters
// taken from its zod schema, so the prompt and the validator can never disagree with the registry.

export type PlannerTool = {
  name: string;
  kind: "read" | "action";
  title: string;
  description: string;
  input: z.ZodType;
  /** `days: integer 1..60; preset: "wow"|"mom"` — at most eight fields, for the prompt. */
  params: string;
};

export type PlannerCatalogue = {
  tools: readonly PlannerTool[];
  get: (name: string) => PlannerTool | undefined;
  /** Action tools the registry has but the planner may not propose (not in LLM_ALLOWED_ACTION_TOOLS). */
  isDisallowedAction: (name: string) => boolean;
};

type Described = { name: string; title: string; description: string; input: z.ZodType };

const MAX_FIELDS = 8;

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join("|");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(typeOf).join("|");
  const t = Array.isArray(s.type) ? s.type.join("|") : (s.type ?? "any");
  if (t === "array" && s.items) return `${typeOf(s.items)}[]`;
  const range = s.minimum !== undefined || s.maximum !== undefined ? ` ${s.minimum ?? ""}..${s.maximum ?? ""}` : "";
  return `${t}${range}`;
}

/** The schema's fields as one short line; a schema JSON Schema cannot express reads as "object". */
export function paramsLine(schema: z.ZodType): string {
  let js: JsonSchema;
  try {
    js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  } catch {
    return "object";
  }
  const props = Object.entries(js.properties ?? {});
  if (props.length === 0) return "{}";
  const required = new Set(js.required ?? []);
  const fields = props.slice(0, MAX_FIELDS).map(([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${typeOf(v)}`);
  return fields.join("; ") + (props.length > MAX_FIELDS ? "; …" : "");
}

export function createCatalogue(o: {
  readTools: readonly Described[];
  actionTools: readonly Described[];
  allowedActions: readonly string[];
}): PlannerCatalogue {
  const allowed = new Set(o.allowedActions);
  const tools: PlannerTool[] = [
    ...o.readTools.map((t) => ({ ...pick(t), kind: "read" as const, params: paramsLine(t.input) })),
    ...o.actionTools.filter((a) => allowed.has(a.name)).map((a) => ({ ...pick(a), kind: "action" as const, params: paramsLine(a.input) })),
  ];
  const byName = new Map(tools.map((t) => [t.name, t]));
  const actions = new Set(o.actionTools.map((a) => a.name));
  return {
    tools,
    get: (name) => byName.get(name),
    isDisallowedAction: (name) => actions.has(name) && !allowed.has(name),
  };
}

const pick = (t: Described): Described => ({ name: t.name, title: t.title, description: t.description, input: t.input });
