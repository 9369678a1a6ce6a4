#!/usr/bin/env bash
# The test command: architecture, formatting and lint checks, then the whole vitest suite, then one plain closing line
# ("N passed, N failed") that CI can read whatever reporter vitest uses.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .docq
# Tests own their Redis: test/helpers/redis.ts starts a private redis-server per file when REDIS_URL is
# unset, so the crash and restart tests can kill theirs and no test sees another's connections.
unset REDIS_URL
npx --no-install depcruise core embedded-mongo --config .dependency-cruiser.cjs --output-type err || exit 1
# The house style is part of the test: formatting and lint fail the run like a failing test.
npx --no-install prettier --check . || { echo "prettier: run npx prettier --write ." >&2; exit 1; }
npx --no-install eslint . || exit 1
npx --no-install vitest run --reporter=default --reporter=json --outputFile=.docq/test-results.json "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".docq/test-results.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  if (r.numTotalTests === 0) process.exit(1);
' || status=1
exit $status
