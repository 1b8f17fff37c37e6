import { describe, expect, it } from "vitest";
import { ownerTools } from "../tools/index.ts";
import { KNOWN_TOOLS, TOOL_TITLES, toolTitle } from "./tool-names.ts";

describe("tool titles", () => {
  it("names all 69 reference tools in Russian, and every registered tool by its own title", () => {
    expect(KNOWN_TOOLS.size).toBe(69);
    expect([...TOOL_TITLES.values()].every((t) => /[а-я]/i.test(t))).toBe(true);
    for (const t of ownerTools) expect(toolTitle(t.name), t.name).toBe(t.title);
  });
});
