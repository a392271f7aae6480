import { AppLayout, type Page } from "../../ui/app/layout";
import { type Ctx, html } from "./session";

/** Unknown ids, and ids of another organization, answer the same 404 page. */
export const notFoundPage = (c: Ctx, p: Page) =>
  html(
    c,
    <AppLayout p={p} title={p.t.common.notFound}>
      <p>{p.t.common.notFoundBody}</p>
      <p>
        <a href="/app">{p.t.nav.dashboard}</a>
      </p>
    </AppLayout>,
    404,
  );
