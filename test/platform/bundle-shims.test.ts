import { describe, expect, it } from "vitest";
import * as realZod from "../../node_modules/zod/index.js";
// @ts-expect-error Babel ships no types for its helpers.
import realDefineProperty from "../../node_modules/@babel/runtime-corejs3/helpers/esm/defineProperty.js";
import { defineProperty, trim } from "../../src/lib/shims/babel-runtime";
import * as shimZod from "../../src/lib/shims/zod";

// The Worker bundle swaps these in through wrangler.toml [alias]; they must stay drop-in.
describe("bundle shims", () => {
  it("the zod stand-in exports what zod exports, with English as its only locale", () => {
    const names = (o: object) => Object.keys(o).sort();
    expect(names(shimZod)).toEqual(names(realZod));
    expect(names(shimZod.z)).toEqual(names(realZod.z));
    expect(names(shimZod.z.core)).toEqual(names(realZod.z.core));
    expect(names(shimZod.z.locales)).toEqual(["en"]);
    expect(names(shimZod.z.core.locales)).toEqual(["en"]);
    expect(shimZod.z.locales.en).toBe(realZod.z.locales.en);
    // The same modules underneath: a schema from one is a schema of the other.
    expect(shimZod.z.object).toBe(realZod.z.object);
    const r = shimZod.z.object({ n: shimZod.z.number() }).safeParse({ n: "x" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("Invalid input: expected number, received string");
  });

  it("the Babel helpers behave as the core-js ones mimetext was built with", () => {
    expect(trim("  Jeanne <j@example.com>\t").call("  Jeanne <j@example.com>\t")).toBe(
      "Jeanne <j@example.com>",
    );
    const mine = defineProperty({}, "name", "x");
    const theirs = realDefineProperty({}, "name", "x");
    expect(Object.getOwnPropertyDescriptor(mine, "name")).toEqual(
      Object.getOwnPropertyDescriptor(theirs, "name"),
    );
    class E extends Error {
      constructor() {
        super("m");
        defineProperty(this, "name", "MIMETEXT_X");
      }
    }
    expect(new E().name).toBe("MIMETEXT_X");
  });
});
