import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createOrg, json } from "../helpers/api";

const importCsv = (key: string, csv: string, expect = 200) =>
  json("/api/v1/contacts/import", { key, raw: csv, contentType: "text/csv", expect });

describe("CSV import", () => {
  it("imports known columns, tags and extra attributes; quoted fields, BOM, CRLF and empty lines", async () => {
    const org = await createOrg();
    const csv =
      "\uFEFFemail,first_name,last_name,timezone,tags,company,notes\r\n" +
      'ada@example.com,Ada,"Lovelace, Countess",Europe/London,vip;beta,"Analytical ""Engines""",\r\n' +
      "\r\n" +
      'bob@example.com,Bob,Smith,,lead,Acme,"multi\r\nline note"\r\n' +
      "   \r\n" +
      "carol@example.com,Carol,,America/New_York,,,\r\n";
    const res = await importCsv(org.key, csv);
    expect(res).toEqual({ created: 3, updated: 0, rejected: [] });
    const list = await json("/api/v1/contacts", { key: org.key, expect: 200 });
    const byEmail = Object.fromEntries(list.items.map((c: { email: string }) => [c.email, c]));
    expect(byEmail["ada@example.com"]).toMatchObject({
      first_name: "Ada",
      last_name: "Lovelace, Countess",
      timezone: "Europe/London",
      tags: ["vip", "beta"],
      attributes: { company: 'Analytical "Engines"' },
    });
    expect(byEmail["bob@example.com"].attributes).toEqual({ company: "Acme", notes: "multi\r\nline note" });
    expect(byEmail["carol@example.com"]).toMatchObject({ tags: [], attributes: {}, last_name: null });
  });

  it("rejects bad rows with their line number and reason, importing the good ones", async () => {
    const org = await createOrg();
    const csv = [
      "email,first_name,timezone",
      "good@example.com,Good,", // line 2
      "not-an-email,Bad,", // line 3
      '"multi",line', // line 4: the email cell is "multi" -> invalid
      "GOOD@example.com,Dup,", // line 5: duplicate in file (case-insensitive)
      "tz@example.com,Tz,Mars/Olympus", // line 6
      "", // line 7
      "last@example.com,Last,Asia/Tokyo", // line 8
    ].join("\n");
    const res = await importCsv(org.key, csv);
    expect(res.created).toBe(2);
    expect(res.rejected).toEqual([
      { line: 3, email: "not-an-email", reason: "invalid email" },
      { line: 4, email: "multi", reason: "invalid email" },
      { line: 5, email: "GOOD@example.com", reason: "duplicate email in file" },
      { line: 6, email: "tz@example.com", reason: "bad timezone: Mars/Olympus" },
    ]);
  });

  it("counts lines inside multi-line quoted fields", async () => {
    const org = await createOrg();
    const csv = 'email,notes\na@example.com,"one\ntwo\nthree"\nbroken,x\n';
    const res = await importCsv(org.key, csv);
    expect(res.rejected).toEqual([{ line: 5, email: "broken", reason: "invalid email" }]);
  });

  it("re-importing the same file updates and never duplicates", async () => {
    const org = await createOrg();
    const csv = "email,first_name,plan\nx@example.com,X,free\ny@example.com,Y,free\n";
    expect(await importCsv(org.key, csv)).toMatchObject({ created: 2, updated: 0 });
    const again = await importCsv(
      org.key,
      "email,first_name,plan\nX@example.com,Xavier,pro\ny@example.com,,\n",
    );
    expect(again).toMatchObject({ created: 0, updated: 2, rejected: [] });
    const list = await json("/api/v1/contacts", { key: org.key, expect: 200 });
    expect(list.items).toHaveLength(2);
    const x = list.items.find((c: { email: string }) => c.email.toLowerCase() === "x@example.com");
    expect(x).toMatchObject({ first_name: "Xavier", attributes: { plan: "pro" } });
    const y = list.items.find((c: { email: string }) => c.email === "y@example.com");
    expect(y).toMatchObject({ first_name: "Y", attributes: { plan: "free" } });
  });

  it("imports 10,000 rows in one request", async () => {
    const org = await createOrg();
    const lines = ["email,first_name,tags,segment"];
    for (let i = 0; i < 10_000; i++)
      lines.push(`user${i}@bulk.example.com,User ${i},bulk;t${i % 7},s${i % 3}`);
    const res = await importCsv(org.key, lines.join("\n"));
    expect(res).toEqual({ created: 10_000, updated: 0, rejected: [] });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE organization_id = ?")
      .bind(org.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(10_000);
    const page = await json("/api/v1/contacts?tag=t3&limit=200", { key: org.key, expect: 200 });
    expect(page.items.length).toBe(200);
    expect(page.next_cursor).not.toBeNull();
  });

  it("imports a suppressed address as unsubscribed", async () => {
    const org = await createOrg();
    const c = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "gone@example.com" },
      expect: 201,
    });
    await json(`/api/v1/contacts/${c.id}`, { key: org.key, method: "DELETE", expect: 200 });
    await importCsv(org.key, "email\ngone@example.com\n");
    const list = await json("/api/v1/contacts?email=gone@example.com", { key: org.key, expect: 200 });
    expect(list.items[0].status).toBe("unsubscribed");
  });

  it("answers a file without an email column with a rejection, not a 500", async () => {
    const org = await createOrg();
    const res = await importCsv(org.key, "name\nfoo\n");
    expect(res.created).toBe(0);
    expect(res.rejected[0]).toMatchObject({ line: 1, reason: "the header row has no email column" });
  });
});
