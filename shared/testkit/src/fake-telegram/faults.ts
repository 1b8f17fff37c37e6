import type { FaultKind, FaultSpec } from "./types.ts";

const KINDS: readonly FaultKind[] = ["429", "5xx", "401", "slow", "hang", "conflict", "stall"];

export interface ActiveFault {
  kind: FaultKind;
  method: string;
  retryAfter: number;
  delayMs: number;
  remaining: number;
  probability: number;
}

/** Checks a fault description from tests or the control API; throws a readable Error. */
export function parseFault(input: unknown): ActiveFault {
  if (typeof input !== "object" || input === null) throw new Error("fault must be an object");
  const spec = input as Partial<Record<keyof FaultSpec, unknown>>;
  const kind = String(spec.kind) as FaultKind;
  if (!KINDS.includes(kind)) throw new Error(`fault kind must be one of ${KINDS.join(", ")}`);
  const num = (v: unknown, name: string, fallback: number, min: number, max = Infinity): number => {
    if (v === undefined || v === null) return fallback;
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > max) {
      throw new Error(`fault ${name} must be a number in ${min}..${max}`);
    }
    return n;
  };
  if (spec.method !== undefined && typeof spec.method !== "string") throw new Error("fault method must be a string");
  const method = spec.method ?? "*";
  return {
    kind,
    // A conflict only means something to getUpdates.
    method: kind === "conflict" && method === "*" ? "getupdates" : method.toLowerCase(),
    retryAfter: Math.round(num(spec.retryAfter, "retryAfter", 1, 0)),
    delayMs: num(spec.delayMs, "delayMs", 1000, 0),
    remaining: Math.floor(num(spec.count, "count", Infinity, 1)),
    probability: num(spec.probability, "probability", 1, 0, 1),
  };
}

/** Injected failures, matched in the order they were set. */
export class Faults {
  #active: ActiveFault[] = [];

  add(spec: unknown): ActiveFault {
    const fault = parseFault(spec);
    this.#active.push(fault);
    return fault;
  }

  clear(): void {
    this.#active = [];
  }

  list(): ActiveFault[] {
    return this.#active.map((f) => ({ ...f }));
  }

  /**
   * The fault that hits this call, if any; uses up one of its count. `*` never
   * matches file downloads, which only fail when `file` is named explicitly.
   */
  take(method: string): ActiveFault | undefined {
    const name = method.toLowerCase();
    for (let i = 0; i < this.#active.length; i++) {
      const f = this.#active[i];
      if (!f) continue;
      const matches = f.method === name || (f.method === "*" && name !== "file" && !name.startsWith("file:"));
      if (!matches) continue;
      if (f.probability < 1 && Math.random() >= f.probability) continue;
      f.remaining--;
      if (f.remaining <= 0) this.#active.splice(i, 1);
      return f;
    }
    return undefined;
  }
}

export const BAD_GATEWAY_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";
