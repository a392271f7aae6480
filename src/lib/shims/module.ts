/**
 * Stand-in for Node's `module` in the Worker bundle (wrangler.toml [alias]). email-reply-parser
 * calls `createRequire(import.meta.url)` to look for the optional native `re2` package; a bundled
 * Worker has no `import.meta.url`, so Node's own createRequire throws at start-up. Here `require`
 * finds nothing and the library uses JavaScript's RegExp, as it does wherever re2 is absent.
 */
export function createRequire(_from?: string) {
  return (id: string): never => {
    throw new Error(`${id} cannot be required in a Worker`);
  };
}
export default { createRequire };
