#!/usr/bin/env bash
# The universe bench as the closing notes measure it: start the whole system on a fresh state
# store (an existing .data/ is moved aside, not deleted), play one warm-up bench with other users (same settings), wait for the warm-up clients'
# grace reminders to fire, then run the measured bench and print, next to its figures, the CPU
# the system's processes used in each phase. Stops the system at the end.
#   tests/Quoncept.Benchmarks/universe-bench.sh [quoncept bench flags...]
#   e.g. ... --clients 1000 --seconds 20                  (defaults: 5 s between actions, 100 logins/s)
#        ... --clients 1000 --seconds 20 --interval-ms 1000   (the stress setting)
# Environment: PORT (gateway port, default 5380); PROFILE=redis|nats|postgres runs the system on that
# components profile (./run.sh --profile; its servers start fresh under .data/profiles/ and their CPU is counted too).
# TRACE_SAMPLING (e.g. 1 = every request traced): the
# runtime's samplingRate and the apps' Quoncept__Tracing__SamplingRate for this run, in copies of
# dapr/config.yaml and dapr/dapr.yaml (dapr/*.bench.yaml, removed at the end); unset = as configured (1 %).
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${PORT:-5380}"
log="$(mktemp -d)"
if [ -n "${TRACE_SAMPLING:-}" ]; then
  [[ "$TRACE_SAMPLING" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || { echo "error: TRACE_SAMPLING must be a number from 0 to 1, got '$TRACE_SAMPLING'" >&2; exit 2; }
  sed -E "s/samplingRate: \"[0-9.]+\"/samplingRate: \"$TRACE_SAMPLING\"/" dapr/config.yaml > dapr/config.bench.yaml
  sed -E "s/(Quoncept__Tracing__SamplingRate: )\"[0-9.]+\"/\1\"$TRACE_SAMPLING\"/; s#configFilePath: ./config.yaml#configFilePath: ./config.bench.yaml#" dapr/dapr.yaml > dapr/dapr.bench.yaml
  grep -q "samplingRate: \"$TRACE_SAMPLING\"" dapr/config.bench.yaml && grep -q "SamplingRate: \"$TRACE_SAMPLING\"" dapr/dapr.bench.yaml \
    || { echo "error: could not set the sampling rate in copies of dapr/config.yaml and dapr/dapr.yaml" >&2; exit 1; }
  export QUONCEPT_RUN_FILE=dapr/dapr.bench.yaml
  echo "tracing: every run at sampling rate $TRACE_SAMPLING (runtime and apps)"
fi
cli="dotnet client/Quoncept.Cli/bin/Release/net10.0/quoncept.dll"

if [ -d .data ]; then
  # The bench needs an empty store; keep the one ./run.sh has been using.
  kept=".data.before-bench-$(date +%Y%m%dT%H%M%S)"
  mv .data "$kept"
  echo "moved the existing .data/ (the local run's state) to $kept"
fi
# A 5 s grace period, so the warm-up's disconnected clients are logged out before measuring.
Quoncept__Sessions__GracePeriod=00:00:05 ./run.sh --gateway-port "$port" ${PROFILE:+--profile "$PROFILE"} > "$log/run.log" 2>&1 &
system=$!
trap 'kill -TERM $system 2>/dev/null || true; wait $system 2>/dev/null || true; rm -f dapr/config.bench.yaml dapr/dapr.bench.yaml' EXIT
for _ in $(seq 1 180); do
  grep -q 'gateway: http' "$log/run.log" && break
  kill -0 $system 2>/dev/null || { cat "$log/run.log" >&2; exit 1; }
  sleep 1
done
grep -q 'gateway: http' "$log/run.log" || { echo "error: the system did not start in 180 s (log: $log/run.log)" >&2; exit 1; }

echo "warm-up bench (users from pilot003000) ..."
# The warm-up meets the cold processes (JIT, empty pools): failures there are reported, not measured; the run goes on.
if ! $cli bench -g "http://127.0.0.1:$port" "$@" --first 3000 > "$log/warm.log" 2>&1; then
  grep -q '^failures:' "$log/warm.log" || { cat "$log/warm.log" >&2; exit 1; }
  echo "warm-up (cold system) had failures; its figures:"; grep -E '^(clients|login round-trip|failures)' "$log/warm.log" | sed 's/^/  warm-up /'
fi
sleep 12

# The profile's servers are found by their data folder (postgres' backends as its children).
servers() { for p in $(pgrep -f "$PWD/.data/profiles/" || true); do echo "$p"; pgrep -P "$p" || true; done; }
cpu() { for p in $(pgrep -f 'Quoncept[.](Sidecar|Sessions|Characters|Systems|Chatlog|Gateway)[.]dll') $(servers); do awk '{print $14+$15}' "/proc/$p/stat"; done | paste -sd+ | bc; }
# GC pauses of each .NET process (its /metrics: the sidecar's metricsPort 9190, each app's appPort), so that a tail
# latency can be told apart from a stop-the-world collection.
gc_ports="sidecar:9190 sessions:5101 characters:5102 systems:5103 gateway:5104 chatlog:5106"
# The apps also count their pauses of 50 ms or more (quoncept.gc.pause.duration; the sidecar has only its total).
gc() { for named in $gc_ports; do curl -s --max-time 2 "http://127.0.0.1:${named#*:}/metrics" \
  | awk -v n="${named%%:*}" '/^dotnet_gc_pause_time_seconds_total/ {p=$NF} /^dotnet_gc_collections_total/ {c+=$NF}
      /^quoncept_gc_pause_duration_seconds_count/ {all+=$NF} /^quoncept_gc_pause_duration_seconds_bucket.*le="0.05"/ {short+=$NF}
      END {printf "%s %s %s %s\n", n, p+0, c+0, all-short}'; done; }
g0=$(gc)
c0=$(cpu); c1=""; c2=""
$cli bench -g "http://127.0.0.1:$port" "$@" > "$log/bench.log" 2>&1 &
bench=$!
while kill -0 $bench 2>/dev/null; do
  [ -z "$c1" ] && grep -q 'logged in;' "$log/bench.log" && c1=$(cpu)
  [ -z "$c2" ] && grep -q 'logging out' "$log/bench.log" && c2=$(cpu)
  sleep 0.1
done
wait $bench || true
c3=$(cpu)
cat "$log/bench.log"
g1=$(gc)
echo "GC during the measured run (pause seconds / collections / pauses >= 50 ms): $(paste -d' ' <(echo "$g0") <(echo "$g1") | awk '{printf "%s%s %.2f s / %d / %s", (NR>1?", ":""), $1, $6-$2, $7-$3, ($1=="sidecar"?"-":$8-$4)}')"
ticks=$(getconf CLK_TCK)
echo "system CPU (sidecar + apps${PROFILE:+ + $PROFILE servers}), seconds: arrivals $(echo "scale=2; (${c1:-$c0}-$c0)/$ticks" | bc) (logins, with the play of those already in), all playing $(echo "scale=2; (${c2:-$c0}-${c1:-$c0})/$ticks" | bc), logout $(echo "scale=2; ($c3-${c2:-$c0})/$ticks" | bc)"
