/**
 * The process's resident set size, sampled every few milliseconds (`memoryUsage.rss()` alone: the
 * full `memoryUsage()` walks the V8 heap, which would cost the run measured). The kernel's own peak
 * is `process.resourceUsage().maxRSS`, reported beside it.
 */
export function rssSampler(intervalMs = 20) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), intervalMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    /** The kernel's peak RSS of this process, in bytes. */
    maxRss: () => process.resourceUsage().maxRSS * 1024,
    stop: () => clearInterval(timer),
  };
}
