// Starts a benchmark's child processes side by side; when one fails to start, those that did are
// stopped before the error is passed on.
export interface Started<T> {
  value: T;
  stop(): Promise<void>;
}

type Values<T> = { [K in keyof T]: T[K] extends Promise<Started<infer V>> ? V : never };

export async function startAll<T extends Record<string, Promise<Started<unknown>>>>(
  starting: T,
): Promise<{ values: Values<T>; stop(): Promise<void> }> {
  const names = Object.keys(starting);
  const settled = await Promise.allSettled(Object.values(starting));
  const stops = settled.flatMap((each) => (each.status === 'fulfilled' ? [each.value.stop] : []));
  const stop = async () => {
    await Promise.all(stops.map((each) => each()));
  };
  const failed = settled.find((each) => each.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const values = Object.fromEntries(
    names.map((name, index) => [
      name,
      (settled[index] as PromiseFulfilledResult<Started<unknown>>).value.value,
    ]),
  ) as Values<T>;
  return { values, stop };
}
