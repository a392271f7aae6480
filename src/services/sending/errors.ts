/**
 * A message that cannot be built (header injection, invalid address, template that fails to render).
 * Retrying cannot fix it: the SEND consumer records it as a permanent failure with this reason.
 */
export class ComposeError extends Error {
  override readonly name = "ComposeError";
}
