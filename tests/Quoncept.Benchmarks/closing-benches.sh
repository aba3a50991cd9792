#!/usr/bin/env bash
# The benchmarks the closing notes of issues 9-14 quote, one after another, each under its heading with
# the command that ran it. Run it on a quiet machine (no build, test or helper beside it): every figure
# is a latency or a rate on shared cores.
#   tests/Quoncept.Benchmarks/closing-benches.sh [GROUP ...]    GROUP: sdk runtime universe chat browser peer idle faults
# Without a GROUP it runs them all (about an hour and a half on 2 cores). `sdk` (the before/after of the move onto
# grpc-dotnet and the Dapr SDK) also runs from a checkout of an older commit with this file copied into it. Build first: dotnet build Dapr.sln -c Release
# && dotnet build tests/Quoncept.Benchmarks -c Release && dotnet build tests/Quoncept.Faults -c Release.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bench="dotnet tests/Quoncept.Benchmarks/bin/Release/net10.0/Quoncept.Benchmarks.dll"
cli="dotnet client/Quoncept.Cli/bin/Release/net10.0/quoncept.dll"
faults="dotnet tests/Quoncept.Faults/bin/Release/net10.0/Quoncept.Faults.dll"
known=(sdk runtime universe chat browser peer idle faults)
groups=("$@"); [ ${#groups[@]} -gt 0 ] || groups=("${known[@]}")
for g in "${groups[@]}"; do
  [[ " ${known[*]} " == *" $g "* ]] || { echo "error: unknown group '$g'; known: ${known[*]}" >&2; exit 2; }
done
for f in dapr/Quoncept.Sidecar/bin/Release/net10.0/Quoncept.Sidecar.dll tests/Quoncept.Benchmarks/bin/Release/net10.0/Quoncept.Benchmarks.dll; do
  [ -f "$f" ] || { echo "error: $f is missing; build first (see the head of $0)" >&2; exit 1; }
done

run() { echo; echo "\$ $*   # $(date -u +%H:%M:%S)"; "$@" 2>&1 | grep -v '^\s*$' | tail -n 40; }

# ./run.sh in the background with a fresh .data/ (an existing one is moved aside), until it printed the line wanted.
system_pid=""
start_system() {
  [ -d .data ] && mv .data ".data.before-bench.$(date +%s)"
  setsid ./run.sh "$@" > /tmp/closing-benches-run.log 2>&1 &
  system_pid=$!
  for _ in $(seq 1 240); do
    grep -q '^web: http' /tmp/closing-benches-run.log && return 0
    kill -0 "$system_pid" 2>/dev/null || { echo "run.sh ended:"; tail -20 /tmp/closing-benches-run.log; return 1; }
    sleep 1
  done
  echo "run.sh not ready in 240 s"; tail -20 /tmp/closing-benches-run.log; return 1
}
stop_system() {
  [ -n "$system_pid" ] && { kill -TERM -- "-$system_pid" 2>/dev/null; wait "$system_pid" 2>/dev/null; }
  system_pid=""
  sleep 3
}
trap stop_system EXIT

for g in "${groups[@]}"; do
  echo; echo "=== $g"
  case "$g" in
    sdk) # issue 9: gRPC, the runtime and the whole path on the embedded components
      run $bench grpc
      run $bench actors --seconds 10
      run $bench pubsub --messages 50000
      run tests/Quoncept.Benchmarks/universe-bench.sh --clients 1000 --seconds 20 ;;
    runtime) # issue 10: the runtime on the real servers (the embedded figures are the sdk group's)
      run tests/Quoncept.Benchmarks/profile-bench.sh redis actors --seconds 10
      run tests/Quoncept.Benchmarks/profile-bench.sh postgres actors --seconds 10
      run tests/Quoncept.Benchmarks/profile-bench.sh redis pubsub --messages 50000
      run tests/Quoncept.Benchmarks/profile-bench.sh nats pubsub --messages 50000 ;;
    universe) # issues 10 and 11: the whole path on each profile, then with every request traced (embedded: the sdk group)
      for p in redis nats postgres; do run env PROFILE=$p tests/Quoncept.Benchmarks/universe-bench.sh --clients 1000 --seconds 20; done
      run env TRACE_SAMPLING=1 tests/Quoncept.Benchmarks/universe-bench.sh --clients 1000 --seconds 20 ;;
    chat) # issue 12: world chat to 1,000 listeners
      start_system || continue
      run $cli chat-bench --clients 1000 --lines-per-second 1 --seconds 30
      run $cli chat-bench --clients 1000 --lines-per-second 20 --seconds 30
      stop_system ;;
    browser) # issue 13: 1,000 WebSocket clients chatting in one system, then the same on the gRPC stream
      start_system --gateway-port 5380 --web-port 5388 || continue
      run node tests/node/browser/bench.mjs --web http://127.0.0.1:5388 --grpc 127.0.0.1:5380 --clients 1000 --seconds 20 --chat-rate 20
      stop_system ;;
    peer) # issue 14: Colyseus side by side
      for n in 200 500 1000; do run tests/node/colyseus-peer/peer-bench.sh $n; done
      run tests/node/colyseus-peer/peer-bench.sh 50 20 100 40   # one system carrying 2,000 lines/s
      run $bench fanout ;;  # the floor under the gateway's CPU per delivery: raw TCP, and grpc-dotnet with no logic
    idle) # issue 14: idle connections held by one gateway (as many as the descriptor limit allows, up to 20,000)
      hard=$(ulimit -Hn); n=20000
      [ "$hard" != unlimited ] && [ "$hard" -lt $((n + 1100)) ] && n=$(( (hard - 1100) / 1000 * 1000 ))
      ulimit -n "$hard"
      run tests/Quoncept.Benchmarks/idle-bench.sh $n 20
      run $bench hops ;;  # the floor under the idle fan-out: one exchange into an idle process
    faults) # issue 14: faults, rolling restarts and the fuzzer
      run $faults faults --clients 12 --seconds 120
      run $faults faults --rolling --clients 12
      run $faults faults --rolling --clients 12 --service-replicas 2
      for p in redis nats postgres; do run $faults faults --profile $p --seconds 120; done
      run $faults fuzz --seconds 120 --max-inputs 50000 ;;
  esac
done
