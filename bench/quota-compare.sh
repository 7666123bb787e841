#!/usr/bin/env bash
# npm run bench:quota-compare — this checkout's bench:quota against another built checkout's, run
# by turns (one service replica), so both see the same drift of the host's speed: BENCH_PAIRS (6)
# pairs of runs of BENCH_ROUNDS (1) measured rounds after a short warm-up. Prints each run, then
# per build the mean reservations/s and service CPU ms per request, the pairs won and the median
# ratio of the pairs. Build both first (node tools/build.mjs in each).
#   BENCH_COMPARE=/path/to/other/checkout npm run bench:quota-compare
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
other="${BENCH_COMPARE:?set BENCH_COMPARE to another checkout of this repository, built}"
pairs="${BENCH_PAIRS:-6}"
for dir in "$here" "$other"; do
  [[ -f "$dir/dist/bench/quota.bench.js" ]] || { echo "no dist/bench/quota.bench.js in $dir: build it first" >&2; exit 1; }
done

one_run() {
  (cd "$1" && BENCH_REPLICAS=1 BENCH_ROUNDS="${BENCH_ROUNDS:-1}" BENCH_WARMUP="${BENCH_WARMUP:-3000}" \
    node dist/bench/quota.bench.js) >"$2" 2>&1 || { cat "$2" >&2; exit 1; }
  local rate cpu
  rate=$(grep -oE 'median [0-9]+' "$2" | grep -oE '[0-9]+')
  cpu=$(grep -m1 -oE 'service [0-9.]+' "$2" | grep -oE '[0-9.]+')
  echo "$rate $cpu"
}

log=$(mktemp)
results=$(mktemp)
trap 'rm -f "$log" "$results"' EXIT
echo "quota compare: this checkout ($here) vs $other, $pairs pairs, one replica"
for pair in $(seq 1 "$pairs"); do
  read -r this_rate this_cpu < <(one_run "$here" "$log")
  read -r that_rate that_cpu < <(one_run "$other" "$log")
  echo "  pair $pair: this $this_rate/s (service $this_cpu ms/req), other $that_rate/s (service $that_cpu ms/req)"
  echo "$this_rate $this_cpu $that_rate $that_cpu" >>"$results"
done
awk '{ rate += $1; cpu += $2; orate += $3; ocpu += $4; if ($1 > $3) won++ }
  END {
    printf "  this:  mean %.0f reservations/s, service %.3f ms per request\n", rate / NR, cpu / NR
    printf "  other: mean %.0f reservations/s, service %.3f ms per request\n", orate / NR, ocpu / NR
    printf "  this won %d of %d pairs; ", won, NR
  }' "$results"
awk '{ printf "%.4f\n", $1 / $3 }' "$results" | sort -n |
  awk '{ r[NR] = $1 } END { printf "median ratio this/other %.2f\n", NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
