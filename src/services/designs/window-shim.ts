// mjml-browser's bundle starts with `(window, ...)`: in a Worker the global object stands in for it.
(globalThis as { window?: unknown }).window ??= globalThis;
