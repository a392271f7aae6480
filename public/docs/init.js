// /docs: start swagger-ui on the platform's own OpenAPI document (a file, so the page's CSP needs no inline script).
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
