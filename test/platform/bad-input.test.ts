import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, json, type TestOrg } from "../helpers/api";

let org: TestOrg;
beforeAll(async () => {
  org = await createOrg("Bad Input Ltd");
});

describe("bad input", () => {
  it("malformed JSON -> 400", async () => {
    const res = await json("/api/v1/contacts", { key: org.key, raw: '{"email": "a@b.co",', expect: 400 });
    expect(res.error.code).toBe("MALFORMED_JSON");
  });

  it("wrong content type -> 415", async () => {
    const res = await json("/api/v1/contacts", {
      key: org.key,
      raw: "email=a@b.co",
      contentType: "application/x-www-form-urlencoded",
      expect: 415,
    });
    expect(res.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    await json("/api/v1/contacts/import", {
      key: org.key,
      raw: '{"email":"a@b.co"}',
      contentType: "application/json",
      expect: 415,
    });
    await json("/api/v1/contacts", {
      key: org.key,
      raw: '{"email":"a@b.co"}',
      contentType: null,
      expect: 415,
    });
  });

  it("a JSON body over 1 MB -> 413, a CSV over 10 MB -> 413", async () => {
    const big = JSON.stringify({ email: "big@example.com", attributes: { blob: "x".repeat(1024 * 1024) } });
    expect((await json("/api/v1/contacts", { key: org.key, raw: big, expect: 413 })).error.code).toBe(
      "PAYLOAD_TOO_LARGE",
    );
    const csv = `email,notes\n${"a@example.com,".concat("y".repeat(10 * 1024 * 1024))}\n`;
    await json("/api/v1/contacts/import", { key: org.key, raw: csv, contentType: "text/csv", expect: 413 });
    // Under the CSV limit the file is read; a 2 MB cell is one row over the 32 KB attributes limit.
    const one = await json("/api/v1/contacts/import", {
      key: org.key,
      raw: `email,notes\nok@example.com,${"z".repeat(2 * 1024 * 1024)}\n`,
      contentType: "text/csv",
      expect: 200,
    });
    expect(one.created).toBe(0);
    expect(one.rejected[0].reason).toBe("attributes: must be at most 32 KB as JSON");
    const rows = Array.from({ length: 20_000 }, (_, i) => `row${i}@example.com,${"z".repeat(100)}`);
    const ok = await json("/api/v1/contacts/import", {
      key: org.key,
      raw: `email,notes\n${rows.join("\n")}\n`,
      contentType: "text/csv",
      expect: 200,
    });
    expect(ok.created).toBe(20_000);
  });

  it("invalid email or timezone -> 422 naming the field", async () => {
    const bad = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "not an email" },
      expect: 422,
    });
    expect(bad.error.code).toBe("VALIDATION_ERROR");
    expect(bad.error.details[0].field).toBe("email");
    const tz = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "tz@example.com", timezone: "Europe/Atlantis" },
      expect: 422,
    });
    expect(tz.error.details[0].field).toBe("timezone");
    const missing = await json("/api/v1/contacts", { key: org.key, body: {}, expect: 422 });
    expect(missing.error.details[0].field).toBe("email");
    const user = await json("/api/v1/users", {
      key: org.key,
      body: { name: "U", email: "u@example.com", timezone: "Nowhere/Land" },
      expect: 422,
    });
    expect(user.error.details[0].field).toBe("timezone");
  });

  it("a missing, malformed or revoked key -> 401", async () => {
    expect((await json("/api/v1/contacts", { expect: 401 })).error.code).toBe("UNAUTHORIZED");
    await json("/api/v1/contacts", { key: "em_live_doesnotexist", expect: 401 });
    expect((await call("/api/v1/contacts", { headers: { Authorization: "Basic abc" } })).status).toBe(401);
  });

  it("CR/LF in header-bound fields -> 422", async () => {
    const name = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "crlf@example.com", first_name: "Eve\r\nBcc: all@example.com" },
      expect: 422,
    });
    expect(name.error.details[0].field).toBe("first_name");
    const subject = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "t", subject: "Hi\nBcc: x@example.com", html: "<p/>" },
      expect: 422,
    });
    expect(subject.error.details[0].field).toBe("subject");
    await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "a@example.com\r\nBcc: b@example.com" },
      expect: 422,
    });
    await json("/api/v1/users", {
      key: org.key,
      body: { name: "Team\rMate", email: "t@example.com" },
      expect: 422,
    });
  });

  it("stores SQL metacharacters and unicode verbatim in every string field", async () => {
    const nasty = [
      `Robert'); DROP TABLE contacts;--`,
      `"%_\\' OR 1=1 --`,
      "Zoë Ångström 山田 🚀 مرحبا",
      "\u202Eevil\u202C",
    ];
    for (const [i, s] of nasty.entries()) {
      const contact = await json("/api/v1/contacts", {
        key: org.key,
        body: {
          email: `nasty${i}@example.com`,
          first_name: s,
          last_name: s,
          phone: s.slice(0, 50),
          tags: [s],
          attributes: { [s]: s },
        },
        expect: 201,
      });
      const back = await json(`/api/v1/contacts/${contact.id}`, { key: org.key, expect: 200 });
      expect(back).toMatchObject({
        first_name: s,
        last_name: s,
        phone: s.slice(0, 50),
        tags: [s],
        attributes: { [s]: s },
      });
      const byTag = await json(`/api/v1/contacts?tag=${encodeURIComponent(s)}`, {
        key: org.key,
        expect: 200,
      });
      expect(byTag.items.map((c: { id: string }) => c.id)).toContain(contact.id);
      const tpl = await json("/api/v1/templates", {
        key: org.key,
        body: { name: s, subject: s, html: `<p>${s}</p>`, text: s },
        expect: 201,
      });
      expect(await json(`/api/v1/templates/${tpl.id}`, { key: org.key, expect: 200 })).toMatchObject({
        name: s,
        subject: s,
        text: s,
      });
      const user = await json("/api/v1/users", {
        key: org.key,
        body: { name: s, email: `u${i}@example.com` },
        expect: 201,
      });
      expect(user.name).toBe(s);
    }
  });

  it("no input produces a 500 on any API route", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json", {
      expect: 200,
    });
    const bodies = [
      "null",
      "[]",
      '"text"',
      "12",
      "{}",
      '{"email": 5, "name": [], "status": {}}',
      `{"a":${"[".repeat(500)}${"]".repeat(500)}}`,
      '{"limit": -1, "__proto__": {"x": 1}}',
    ];
    const failures: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      if (!template.startsWith("/api/v1/")) continue;
      const path = template.replace(/\{[^}]+\}/g, "x'\"%00");
      for (const method of Object.keys(ops)) {
        const key = template.startsWith("/api/v1/admin/") ? undefined : org.key;
        const tries = method === "get" || method === "delete" ? [undefined] : bodies;
        for (const raw of tries) {
          const res = await call(`${path}?limit=abc&cursor=%ff&status=zzz`, {
            method: method.toUpperCase(),
            key,
            raw,
          });
          if (res.status >= 500)
            failures.push(
              `${method.toUpperCase()} ${template} ${raw ?? ""} -> ${res.status} ${await res.text()}`,
            );
          else await res.body?.cancel();
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
