#!/usr/bin/env bash
# Long lease chaos run: the integration test LeaseChaos (3 real agents with raft on loopback,
# each trial kills -9 or SIGSTOPs a random node, waits until the survivors agree on a holder,
# then restores the node) with 500 trials instead of make test's 50, and the lease-history
# checker over every node's DATA_DIR/lease-history.ndjson at the end. Prints one table:
# trials, violations (must be 0) and the median failover when the lb-leader holder was hit
# (fault to every survivor reporting the new holder, polled every 100 ms).
# Usage: lease_chaos.sh [BUILD_DIR] [TRIALS] [SEED]   (defaults: build, 500, 20261125)
set -euo pipefail
BUILD=$(realpath "${1:-build}")
TRIALS=${2:-${LEASE_CHAOS_TRIALS:-500}}
SEED=${3:-${LEASE_CHAOS_SEED:-20261125}}
TESTS="$BUILD/tests/integration/integration_tests"
[[ -x $TESTS ]] || { echo "lease_chaos: $TESTS not built (cmake --build $BUILD --target integration_tests)" >&2; exit 1; }
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
status=0
LEASE_CHAOS_TRIALS=$TRIALS LEASE_CHAOS_SEED=$SEED "$TESTS" --gtest_filter='LeaseChaos.*' >"$OUT" 2>&1 || status=$?
line=$(grep -m1 '^lease chaos:' "$OUT" || true)
if [[ -z $line ]]; then
  tail -40 "$OUT" >&2
  echo "lease_chaos: the run did not finish (exit $status)" >&2
  exit 1
fi
field() { sed -E "s/.* $1 ([0-9.]+).*/\\1/" <<<"$line"; }
printf '%-36s %s\n' "lease chaos (3 agents, seed $SEED)" "value"
printf '%-36s %s\n' "trials" "$(field trials)"
printf '%-36s %s\n' "acting intervals checked" "$(field intervals)"
printf '%-36s %s\n' "violations" "$(field violations)"
printf '%-36s %s\n' "holder failovers" "$(field failovers)"
printf '%-36s %s s\n' "median failover (all survivors)" "$(field 'failover')"
exit "$status"
