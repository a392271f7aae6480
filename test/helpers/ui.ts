import { call, createOrg, type TestOrg } from "./api";

/** A browser's view of the web UI: its cookies, the page it last read, the CSRF token on it. */
export class Browser {
  cookies = new Map<string, string>();
  last = "";

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      const value = rest.join("=");
      if (!name) continue;
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}) {
    const res = await call(path, {
      headers: { cookie: this.cookieHeader(), ...headers },
      redirect: "manual",
    });
    this.remember(res);
    this.last = await res.clone().text();
    return res;
  }

  /** The _csrf of the last page read. */
  csrf() {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.last);
    if (!m?.[1]) throw new Error("no CSRF token on the last page");
    return m[1];
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    opts: { csrf?: string | null; headers?: Record<string, string> } = {},
  ) {
    const body = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf() : opts.csrf;
    if (token !== null) body.set("_csrf", token);
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await call(path, {
      method: "POST",
      raw: body.toString(),
      contentType: "application/x-www-form-urlencoded",
      headers: { cookie: this.cookieHeader(), ...opts.headers },
      redirect: "manual",
    });
    this.remember(res);
    this.last = await res.clone().text();
    return res;
  }
}

/** A browser signed in with the organization's API key. */
export async function signedIn(org?: TestOrg): Promise<{ browser: Browser; org: TestOrg }> {
  const o = org ?? (await createOrg());
  const browser = new Browser();
  await browser.get("/app/login");
  const res = await browser.post("/app/login/key", { api_key: o.key });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${browser.last.slice(0, 300)}`);
  await browser.get("/app");
  return { browser, org: o };
}
