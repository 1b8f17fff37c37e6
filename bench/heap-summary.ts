// What a V8 heap snapshot holds, by kind and by constructor: `node bench/heap-summary.ts <file>…`.
// bench/soak.ts takes one per service at the end of a run with SOAK_HEAP_SNAPSHOTS=1.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};

export function summarise(file: string, top = 6): string {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const [typeNames] = s.snapshot.meta.node_types;
  const width = fields.length;
  const [iType, iName, iSize] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const byType = new Map<string, number>();
  const byName = new Map<string, number>();
  let total = 0;
  // The largest strings are module sources V8 keeps for lazy compilation: name them by their start.
  const bigStrings: [number, string][] = [];
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = typeNames[s.nodes[i + iType]!] ?? "?";
    const size = s.nodes[i + iSize]!;
    total += size;
    if (type === "string" && size > 250_000)
      bigStrings.push([size, (s.strings[s.nodes[i + iName]!] ?? "").slice(0, 70).replace(/\s+/g, " ")]);
    byType.set(type, (byType.get(type) ?? 0) + size);
    // Compiled code and strings are named by their content; group them by kind instead.
    const name = type === "object" || type === "closure" ? `${type}:${s.strings[s.nodes[i + iName]!]}` : type;
    byName.set(name, (byName.get(name) ?? 0) + size);
  }
  const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
  const list = (m: Map<string, number>, n: number): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `    ${mb(v).padStart(9)}  ${k.slice(0, 90)}`)
      .join("\n");
  const strings = bigStrings
    .sort((a, b) => b[0] - a[0])
    .slice(0, 6)
    .map(([n, t]) => `    ${mb(n).padStart(9)}  ${t}`)
    .join("\n");
  return `${basename(file)}: ${mb(total)} live\n  by kind:\n${list(byType, 6)}\n  largest objects and closures:\n${list(
    new Map([...byName].filter(([k]) => k.startsWith("object:") || k.startsWith("closure:"))),
    top,
  )}\n  largest strings:\n${strings}`;
}

if (import.meta.main) for (const f of process.argv.slice(2)) console.log(summarise(f));
