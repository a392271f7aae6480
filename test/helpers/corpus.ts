/**
 * Bad-input cases generated from the OpenAPI document: for each operation, requests a careless
 * or hostile client would send (wrong types, missing fields, huge strings, deep nesting, invalid
 * UTF-8, wrong content types, bad ids and cursors, control characters).
 */

type Schema = Record<string, any>;
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface Case {
  label: string;
  method: string;
  path: string;
  /** A JSON value (serialized), raw bytes, or nothing. */
  body?: string | Uint8Array;
  contentType?: string;
}

const BAD_IDS = ["does-not-exist", "x'\"<>%00", "..%2F..%2Fadmin", "%E2%80%AE%F0%9F%92%A9", "a".repeat(3000)];
const BAD_QUERIES = [
  "limit=abc",
  "limit=-1",
  "limit=1e12",
  "cursor=%ff%fe",
  "cursor=eyJub3QiOiJhIGN1cnNvciJ9",
  `cursor=${"A".repeat(5000)}`,
  "limit=10&limit=20&cursor=",
];
const HUGE = "x".repeat(200_000);
const CONTROL = "a\u0000b\u0007c\r\nBcc: victim@example.com";

function resolve(doc: OpenApiDoc, s: Schema | undefined, seen = 0): Schema {
  if (!s || seen > 20) return {};
  if (s.$ref) {
    const name = String(s.$ref).split("/").pop() as string;
    return resolve(doc, doc.components?.schemas?.[name], seen + 1);
  }
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Schema) => resolve(doc, x, seen + 1)));
  if (s.anyOf || s.oneOf) {
    const first = (s.anyOf ?? s.oneOf).find((x: Schema) => x.type !== "null") ?? {};
    return resolve(doc, first, seen + 1);
  }
  return s;
}

/** A value of the right shape, as a client would send (the corpus then breaks one thing at a time). */
function sample(doc: OpenApiDoc, raw: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  if (depth > 4) return null;
  switch (type) {
    case "string":
      return s.format === "email" ? "corpus@example.com" : "x";
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
    case undefined: {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
        if ((s.required ?? []).includes(k)) out[k] = sample(doc, v, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/** A value of another type than the property's. */
function wrongType(doc: OpenApiDoc, raw: Schema): unknown[] {
  const s = resolve(doc, raw);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "string":
      return [12345, ["x"], { a: 1 }, HUGE, CONTROL];
    case "integer":
    case "number":
      return ["12", 1e308, -1e308, 1.5, true];
    case "boolean":
      return ["true", 0];
    case "array":
      return [{}, "x", Array.from({ length: 10_000 }, () => "x")];
    default:
      return ["x", [], 7];
  }
}

const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

export function corpus(doc: OpenApiDoc): Case[] {
  const cases: Case[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const M = method.toUpperCase();
      const params = op.parameters ?? [];
      const withIds = (id: string) => template.replace(/\{[^}]+\}/g, id);
      const base = withIds("does-not-exist");
      for (const id of template.includes("{") ? BAD_IDS : [])
        cases.push({ label: `bad id ${id.slice(0, 20)}`, method: M, path: withIds(encodeURI(id)) });
      if (params.some((p) => p.in === "query"))
        for (const q of BAD_QUERIES)
          cases.push({ label: `query ${q.slice(0, 30)}`, method: M, path: `${base}?${q}` });
      const jsonSchema = op.requestBody?.content?.["application/json"]?.schema;
      const otherTypes = Object.keys(op.requestBody?.content ?? {}).filter((t) => t !== "application/json");
      if (!op.requestBody) continue;
      const send = (label: string, body: string | Uint8Array, contentType = "application/json") =>
        cases.push({ label, method: M, path: base, body, contentType });
      if (otherTypes.length) {
        send("CSV body sent as JSON", '{"email":"a@b.co"}');
        send(
          "CSV with invalid UTF-8",
          new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x0a]),
          otherTypes[0],
        );
        send("CSV with control characters", `email,first_name\nx@example.com,${CONTROL}\n`, otherTypes[0]);
        continue;
      }
      if (!jsonSchema) continue;
      const valid = sample(doc, jsonSchema) as Record<string, unknown>;
      send("text/plain body", JSON.stringify(valid), "text/plain");
      send("form body", "a=1&b=2", "application/x-www-form-urlencoded");
      send("malformed JSON", '{"a": ');
      send("empty body", "");
      for (const v of ["null", "[]", '"text"', "12", "true"]) send(`top-level ${v}`, v);
      send("missing every field", "{}");
      send("deep array nesting (2,000)", nested(2000));
      send("deep object nesting (1,100)", deepObject(1100));
      send(
        "invalid UTF-8",
        new Uint8Array([
          ...new TextEncoder().encode('{"name":"'),
          0xc3,
          0x28,
          0xa0,
          0xa1,
          ...new TextEncoder().encode('"}'),
        ]),
      );
      send("lone surrogate", '{"name":"\\udc00x","email":"\\ud800@example.com"}');
      send("prototype keys", '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}');
      const props = (resolve(doc, jsonSchema).properties ?? {}) as Record<string, Schema>;
      for (const [k, schema] of Object.entries(props)) {
        for (const v of wrongType(doc, schema)) {
          const label = `${k} = ${JSON.stringify(v).slice(0, 24)}`;
          send(label, JSON.stringify({ ...valid, [k]: v }));
        }
        send(`${k} deeply nested`, JSON.stringify({ ...valid, [k]: JSON.parse(deepObject(30)) }));
      }
    }
  }
  return cases;
}
