/**
 * One turn of the event loop: what else the isolate has to do runs first (a request's I/O, another
 * organization's provider call or D1 write that has completed).
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * `work` for each item in order, letting the event loop turn before every `perTurn`-th item. Work
 * that rarely waits for I/O (a batch planned on rows read up front) otherwise runs as one long task,
 * and the requests of the same isolate wait behind it.
 */
export async function inTurns<T>(
  items: T[],
  perTurn: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % perTurn === 0) await yieldToEventLoop();
    await work(item);
  }
}
