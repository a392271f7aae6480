/** Text put into HTML the Worker writes by hand (emails, form snippets, the preview frame). */
export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string,
  );

/**
 * The SEND pipeline renders literal content with Liquid. Text that must stay literal (user titles,
 * a sign-in link): a zero-width space after the "{" of "{{" and "{%" keeps Liquid from reading it.
 */
export const liquidLiteral = (s: string) => s.replace(/\{(?=[{%])/g, "{\u200b");
