// Preloaded (`--import`) into a benchmarked child: prints its peak resident set size when it exits.
process.on('exit', () => {
  process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
