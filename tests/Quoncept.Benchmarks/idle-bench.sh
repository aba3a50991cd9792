#!/usr/bin/env bash
# Idle streams: CLIENTS connected, logged-in, idle clients on one gateway, and meanwhile a chat in a
# small system. Starts Quoncept from a fresh state store in a temporary folder on free ports with
# generated users (CLIENTS idle ones spread over s0002..s0600, 10 talkers in s0001: 5 warm up, 5 are measured), then:
#   1. the talkers chat for 3 s (warm-up), the gateway's resident memory is the baseline;
#   2. the idle clients log in (several processes of at most 10,000, each connection from a
#      rotating 127.0.0.x source address) and stay; after 5 s the gateway's memory again:
#      (held - baseline) / CLIENTS = memory per connection;
#   3. the talkers chat for SECONDS s (a line every 200 ms each): fan-out p50/p99/max.
#   tests/Quoncept.Benchmarks/idle-bench.sh CLIENTS [SECONDS=20]
# The gateway needs a descriptor per connection: `ulimit -n` must exceed CLIENTS + 1024.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
clients="${1:-}"; seconds="${2:-20}"
[[ "$clients" =~ ^[0-9]+$ ]] && [ "$clients" -ge 1 ] && [ "$clients" -le 100000 ] || { echo "usage: $0 CLIENTS(1..100000) [SECONDS=20]" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 600 ] || { echo "error: SECONDS must be 1..600, got '$seconds'" >&2; exit 2; }
fds=$(ulimit -n)
if [ "$fds" != unlimited ] && [ "$fds" -lt $((clients + 1024)) ]; then
  echo "error: ulimit -n is $fds; the gateway needs more than CLIENTS + 1024 = $((clients + 1024)) descriptors (raise it as root: ulimit -Hn 65536; ulimit -n 65536)" >&2; exit 2
fi
sidecar="$root/dapr/Quoncept.Sidecar/bin/Release/net10.0/Quoncept.Sidecar.dll"
bench="$root/tests/Quoncept.Benchmarks/bin/Release/net10.0/Quoncept.Benchmarks.dll"
[ -f "$sidecar" ] && [ -f "$bench" ] || { echo "error: build first: dotnet build $root/Dapr.sln -c Release && dotnet build $root/tests/Quoncept.Benchmarks -c Release" >&2; exit 1; }

work="$(mktemp -d -t quoncept-idle-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

mkdir -p "$work/data" "$work/run"
{
  printf 'username\tcharacter_id\n'
  for i in $(seq 1 10); do printf 'talk%05d\tt%05d\n' "$i" "$i"; done
  for i in $(seq 1 "$clients"); do printf 'idle%05d\ti%05d\n' "$i" "$i"; done
} > "$work/data/users.tsv"
{
  printf 'character_id\tname\thome_system_id\n'
  for i in $(seq 1 10); do printf 't%05d\tTalker %05d\ts0001\n' "$i" "$i"; done
  for i in $(seq 1 "$clients"); do printf 'i%05d\tIdle %05d\ts%04d\n' "$i" "$i" $((2 + i % 599)); done
} > "$work/data/characters.tsv"
gport=$(free_port); p1=$(free_port); p2=$(free_port); p3=$(free_port); p4=$(free_port)
sed -e "s#\.\./#$root/#g" -e "s#\./config.yaml#$root/dapr/config.yaml#" \
    -e "s#5101#$p1#g" -e "s#5102#$p2#g" -e "s#5103#$p3#g" -e "s#5104#$p4#g" "$root/dapr/dapr.yaml" > "$work/run/dapr.yaml"
(
  cd "$work/run"
  export Quoncept__Gateway__Port="$gport" Quoncept__Jwt__SigningKey="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
  export Quoncept__Data__Users="$work/data/users.tsv" Quoncept__Data__Characters="$work/data/characters.tsv"
  export Quoncept__Sessions__GracePeriod=00:00:05
  exec dotnet "$sidecar" run -f "$work/run/dapr.yaml"
) > "$work/quoncept.log" 2>&1 &
runtime=$!
pids+=($runtime)
ready=0
for _ in $(seq 1 240); do
  kill -0 "$runtime" 2>/dev/null || break
  if curl -sf "http://127.0.0.1:$p4/healthz/ready" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
[ "$ready" = 1 ] || { tail -50 "$work/quoncept.log" >&2; echo "error: Quoncept was not ready in 120 s" >&2; exit 1; }
gateway_pid=""
for c in $(pgrep -P "$runtime"); do tr '\0' ' ' < "/proc/$c/cmdline" | grep -q 'Quoncept.Gateway.dll' && gateway_pid=$c; done
[ -n "$gateway_pid" ] || { echo "error: no gateway process under the runtime ($runtime)" >&2; exit 1; }
rss() { awk '/^VmRSS/{print $2}' "/proc/$gateway_pid/status"; }
url="http://127.0.0.1:$gport"
run() { dotnet "$bench" idle-streams "$@" --gateway "$url"; }

run talk --prefix talk --first 1 --count 5 --seconds 3 > /dev/null || true
base=$(rss)
echo "gateway (pid $gateway_pid) baseline: $((base / 1024)) MB"
per=10000; started=0; logs=()
while [ "$started" -lt "$clients" ]; do
  n=$(( clients - started < per ? clients - started : per ))
  logs+=("$work/hold-$started.log")
  (exec dotnet "$bench" idle-streams hold --gateway "$url" --prefix idle --first $((started + 1)) --count "$n" --seconds $((seconds + 300))) > "$work/hold-$started.log" 2>&1 &
  pids+=($!)
  started=$((started + n))
done
wait_s=$((60 + clients / 20))
for log in "${logs[@]}"; do
  for _ in $(seq 1 $((wait_s * 2))); do grep -qs '^held' "$log" && break; sleep 0.5; done
  grep '^held' "$log" || { cat "$log" >&2; echo "error: the idle clients were not all in after $wait_s s" >&2; exit 1; }
done
sleep 5
held=$(rss)
echo "gateway with $clients idle clients: $((held / 1024)) MB; above baseline $(( (held - base) * 1024 / clients )) bytes per connection"
# Other talkers than the warm-up's: a character whose stream closed stays online for the grace period.
run talk --prefix talk --first 6 --count 5 --seconds "$seconds"
