import { jsxRenderer } from "hono/jsx-renderer";
import { AppLayout } from "./layout";

/** Every /app page is drawn inside AppLayout, set once here; a page renders with c.render(body, { title }). */
export const appRenderer = jsxRenderer(
  ({ children, title }) => <AppLayout title={title}>{children}</AppLayout>,
  {
    docType: true,
  },
);
