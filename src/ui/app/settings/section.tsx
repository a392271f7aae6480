import { Csrf, usePage } from "../layout";

export const Section = (props: { action: string; title: string; children: unknown; button?: string }) => (
  <section class="card">
    <h2>{props.title}</h2>
    <form method="post" action={props.action}>
      <Csrf />
      {props.children as never}
      <p>
        <button type="submit">{props.button ?? usePage().t.common.save}</button>
      </p>
    </form>
  </section>
);
