// Preloaded into every process of a measured CLI job (test/bench/replay.bench.ts, through NODE_OPTIONS
// --require, so the CLI's heap-capped child has it too): at exit, appends one JSON line to
// BENCH_USAGE_FILE with the process's peak RSS, CPU seconds (module loading included) and wall seconds
// since it started. The bench takes the job's figures from these lines (issue 13).
'use strict';
const { appendFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const v8 = require('node:v8');
const { isMainThread } = require('node:worker_threads');

const file = process.env.BENCH_USAGE_FILE;
// Worker threads load the preload too; the process's figures are reported once, by its main thread.
if (file && isMainThread) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    appendFileSync(
      file,
      `${JSON.stringify({
        pid: process.pid,
        argv: process.argv.slice(2).join(' '),
        heapLimitMb: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576),
        code,
        // maxRSS is in kilobytes on Linux.
        peakRssMb: Math.round(usage.maxRSS / 1024),
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
        wallSeconds: performance.now() / 1000,
      })}\n`,
    );
  });
}
