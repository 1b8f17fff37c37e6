import { describe, expect, it } from "vitest";
import { CTX } from "./intent/fixtures.ts";
import { routeText } from "./intent/route.ts";
import { REFERENCE_READ_TOOLS } from "./read-catalogue.ts";
import { getTemplate, TEMPLATES } from "./templates/catalog.ts";
import { ownerTools } from "./tools/index.ts";

// Every read tool of the reference (52) is registered in the owner's bot, has a button (a template),
// and is routed from an owner's phrase. The e2e twin (services/worker-intent) runs each phrase
// through the pipeline.

const registered = new Set(ownerTools.map((t) => t.name));

describe("the reference's read tools", () => {
  it("are 52 distinct tools, as the reference counts them", () => {
    expect(new Set(REFERENCE_READ_TOOLS.map((r) => r.tool)).size).toBe(52);
  });

  it.each(REFERENCE_READ_TOOLS)("$tool is registered, has a template and is routed from «$phrase»", ({ tool, phrase }) => {
    expect(registered.has(tool)).toBe(true);
    expect(TEMPLATES.some((t) => t.tool === tool)).toBe(true);
    const intent = routeText(phrase, CTX);
    if (intent.kind === "nav") {
      const id = /^tpl:run:(.+)$/.exec(intent.to)?.[1];
      expect(id && getTemplate(id)?.tool).toBe(tool);
    } else {
      expect(intent).toMatchObject({ kind: "tool", tool });
    }
  });
});
