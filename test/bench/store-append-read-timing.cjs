/**
 * A timing hook for the service under test/bench/http-profile.ts (issue 12), loaded with
 * HTTP_PROFILE_REQUIRE=test/bench/store-append-read-timing.cjs: wraps the SQLite store's record read
 * (`SELECT value FROM records WHERE key = ?`, told apart inside and outside a transaction), its
 * whole-stream reads and its stream-head query, and appends each one's wall µs (count, mean, p50, p90,
 * p99) to STORE_APPEND_TIMING_OUT (default /tmp/store-append-read-timing.txt) when the service exits.
 * Calls in the first STORE_APPEND_TIMING_SKIP_MS (default 20,000: the warm-up) are not counted.
 */
const { appendFileSync } = require('node:fs');
const Database = require('better-sqlite3');

const out = process.env.STORE_APPEND_TIMING_OUT ?? '/tmp/store-append-read-timing.txt';
const times = { record: [], recordInTransaction: [], stream: [], head: [] };
let counting = false;
setTimeout(
  () => {
    counting = true;
  },
  Number(process.env.STORE_APPEND_TIMING_SKIP_MS ?? 20000),
).unref();

function kindOf(source) {
  if (source === 'SELECT value FROM records WHERE key = ?') return 'record';
  if (/ORDER BY revision (ASC|DESC)$/.test(source)) return 'stream';
  if (/ORDER BY revision DESC LIMIT 1$/.test(source)) return 'head';
  return undefined;
}

const prepare = Database.prototype.prepare;
Database.prototype.prepare = function timedPrepare(source, ...rest) {
  const statement = prepare.call(this, source, ...rest);
  const kind = kindOf(source);
  if (kind === undefined) return statement;
  const method = kind === 'stream' ? 'all' : 'get';
  const run = statement[method].bind(statement);
  statement[method] = (...parameters) => {
    const start = process.hrtime.bigint();
    const result = run(...parameters);
    if (counting) {
      const label =
        kind === 'record' && statement.database.inTransaction ? 'recordInTransaction' : kind;
      times[label].push(Number(process.hrtime.bigint() - start) / 1000);
    }
    return result;
  };
  return statement;
};

let reported = false;
function report() {
  if (reported) return;
  reported = true;
  for (const [kind, values] of Object.entries(times)) {
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    const at = (q) => values[Math.min(values.length - 1, Math.floor(q * values.length))].toFixed(1);
    const mean = (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1);
    appendFileSync(
      out,
      `${process.pid} ${kind} n=${values.length} mean ${mean} p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} us\n`,
    );
  }
}
process.on('exit', report);
