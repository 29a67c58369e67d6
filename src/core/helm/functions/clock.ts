/**
 * The clock: `now`, `ago`, `date` of a non-time and the certificates' validity read it,
 * nothing else in the port does. Go's time.Now has nanoseconds; the milliseconds of
 * Date.now() are refined with the sub-millisecond part of the monotonic clock.
 */
export function nowUnixNanos(): bigint {
  const fraction = Math.floor((performance.now() % 1) * 1e6);
  return BigInt(Date.now()) * 1_000_000n + BigInt(fraction);
}

export function currentTime(): Date {
  return new Date(Number(nowUnixNanos() / 1_000_000n));
}
