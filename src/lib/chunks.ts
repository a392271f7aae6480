/** D1 binds at most 100 parameters per statement: IN-lists of ids go 90 at a time. */
export const IN_CHUNK = 90;

/** `xs` in parts of at most `size`. */
export const chunks = <T>(xs: T[], size = IN_CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));
