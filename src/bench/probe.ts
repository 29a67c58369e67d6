/**
 * Polls each URL given (the replicas' /healthz) every 50 ms until its standard input
 * closes, then prints the slowest answer in milliseconds. A process of its own: timed from
 * the bench's process, the probe would count the time the fake GitHub holds that event loop.
 */
const urls = process.argv.slice(2);
let slowestMs = 0;
let probing = true;
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => (probing = false));

await Promise.all(
  urls.map(async (url) => {
    while (probing) {
      const sent = performance.now();
      const up = await fetch(url).then((response) => response.ok, () => false);
      if (up) slowestMs = Math.max(slowestMs, performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }),
);
process.stdout.write(`${JSON.stringify({ slowestMs })}\n`);
