import { readFileSync } from "node:fs";
const s = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const f = s.snapshot.meta.node_fields; const w = f.length; const types = s.snapshot.meta.node_types[0];
const it = f.indexOf("type"), iname = f.indexOf("name"), isz = f.indexOf("self_size");
for (let i = 0; i < s.nodes.length; i += w) {
  if (types[s.nodes[i + it]] !== "string" || s.nodes[i + isz] < 1000000) continue;
  const str: string = s.strings[s.nodes[i + iname]] ?? "";
  const m = /amaro|swc|wasm|esbuild|grammy|bullmq/i.exec(str);
  console.log(s.nodes[i + isz], str.length, m?.[0], str.slice(str.length / 2, str.length / 2 + 80).replace(/\s+/g, " "));
}
