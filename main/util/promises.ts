/**
 * Like Promise.all, but a failure is thrown only once every promise has settled, so nothing the
 * caller started is still running when it reports the error (the first failure in argument order).
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(
  ...promises: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
