import { type Ctx, pageOf, render } from "./session";

/** Unknown ids, and ids of another organization, answer the same 404 page. */
export const notFoundPage = async (c: Ctx) => {
  const p = await pageOf(c);
  return render(
    c,
    p.t.common.notFound,
    <>
      <p>{p.t.common.notFoundBody}</p>
      <p>
        <a href="/app">{p.t.nav.dashboard}</a>
      </p>
    </>,
    404,
  );
};
