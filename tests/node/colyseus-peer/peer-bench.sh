#!/usr/bin/env bash
# Colyseus 0.16 and Quoncept side by side on this machine, the same scenario for both: N Node
# clients join (one room / one system), then each sends LINES_PER_SECOND chat lines a second for SECONDS s and
# every line goes to all the others. Prints join p50/p99, fan-out p50/p99 and deliveries/s of each,
# and Quoncept's ratios to Colyseus (below 1 = Quoncept faster for latencies; above 1 = more deliveries);
# then each server's CPU per delivery and peak resident memory (Colyseus: its one process; Quoncept: the
# gateway, and all of its processes together), over the whole client run (joins included).
#   tests/node/colyseus-peer/peer-bench.sh N [SECONDS=20] [JOIN_RATE=100] [LINES_PER_SECOND=1]
# STREAM_RPS=R (1..100000) raises the gateway's per-stream request limit (Limits:RequestsPerSecond, default 50;
# its burst becomes 2R) for a scenario that chats faster than that per client, e.g. 10 clients at 200 lines/s.
# METRICS_DIR=DIR saves each Quoncept process's /metrics (Prometheus text) there after the measured run.
# WARMUP=S (0..600, default 0) first runs the same scenario on each side for S s, not measured: a cold
# .NET process spends its first tens of seconds compiling, which the default run measures too.
# Quoncept runs from a fresh state store in a temporary folder, on free ports, with N generated
# users whose characters all live in s0001. Build first (./run.sh builds; or dotnet build Dapr.sln -c Release).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
n="${1:-}"; seconds="${2:-20}"; rate="${3:-100}"; lines="${4:-1}"
[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 2 ] && [ "$n" -le 100000 ] || { echo "usage: $0 N(2..100000) [SECONDS=20] [JOIN_RATE=100]" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 600 ] || { echo "error: SECONDS must be 1..600, got '$seconds'" >&2; exit 2; }
[[ "$rate" =~ ^[0-9]+$ ]] && [ "$rate" -ge 1 ] && [ "$rate" -le 10000 ] || { echo "error: JOIN_RATE must be 1..10000 per second, got '$rate'" >&2; exit 2; }
[[ "$lines" =~ ^[0-9]+$ ]] && [ "$lines" -ge 1 ] && [ "$lines" -le 200 ] || { echo "error: LINES_PER_SECOND must be 1..200 per client, got '$lines'" >&2; exit 2; }
stream_rps="${STREAM_RPS:-}"
[ -z "$stream_rps" ] || { [[ "$stream_rps" =~ ^[0-9]+$ ]] && [ "$stream_rps" -ge 1 ] && [ "$stream_rps" -le 100000 ]; } || { echo "error: STREAM_RPS must be 1..100000 requests per second, got '$stream_rps'" >&2; exit 2; }
warmup="${WARMUP:-0}"
[[ "$warmup" =~ ^[0-9]+$ ]] && [ "$warmup" -le 600 ] || { echo "error: WARMUP must be 0..600 seconds, got '$warmup'" >&2; exit 2; }
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
sidecar="$root/dapr/Quoncept.Sidecar/bin/Release/net10.0/Quoncept.Sidecar.dll"
[ -f "$sidecar" ] || { echo "error: build first: dotnet build $root/Dapr.sln -c Release" >&2; exit 1; }

work="$(mktemp -d -t quoncept-peer-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
limit=$((20 * seconds + 120))
# The unmeasured warm-up run of one side (WARMUP), if asked for.
warm_up() { [ "$warmup" -eq 0 ] && return 0; echo "$1: warming up, $n clients, $warmup s ..." >&2; timeout $((20 * warmup + 120)) node "$here/peer.mjs" "$1" "$2" "$n" "$warmup" "$rate" peer "$lines" >/dev/null || true; }
# CPU time (clock ticks) and peak resident memory (kB) of processes, from /proc.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo "$t"; }
peak_kb() { local k=0 p v; for p in "$@"; do v=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0); k=$((k + ${v:-0})); done; echo "$k"; }

# --- Colyseus
cport=$(free_port)
node "$here/colyseus-server.mjs" "$cport" > "$work/colyseus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q 'colyseus: ws' "$work/colyseus.log" && break; sleep 0.1; done
grep -q 'colyseus: ws' "$work/colyseus.log" || { cat "$work/colyseus.log" >&2; exit 1; }
warm_up colyseus "ws://127.0.0.1:$cport"
echo "colyseus: $n clients, $seconds s ..." >&2
cticks0=$(ticks "${pids[0]}")
colyseus=$(timeout "$limit" node "$here/peer.mjs" colyseus "ws://127.0.0.1:$cport" "$n" "$seconds" "$rate" peer "$lines" | sed -n 's/^RESULT //p')
cticks=$(( $(ticks "${pids[0]}") - cticks0 )); cpeak=$(peak_kb "${pids[0]}")
kill -TERM "${pids[0]}" 2>/dev/null || true

# --- Quoncept: users peer00001.. with characters p00001.. all at home in s0001 (N measured, up to 20 more for the warm-up)
users=$((n + (n < 20 ? n : 20)))
mkdir -p "$work/data" "$work/run"
{ printf 'username\tcharacter_id\n'; for i in $(seq 1 "$users"); do printf 'peer%05d\tp%05d\n' "$i" "$i"; done; } > "$work/data/users.tsv"
{ printf 'character_id\tname\thome_system_id\n'; for i in $(seq 1 "$users"); do printf 'p%05d\tPeer %05d\ts0001\n' "$i" "$i"; done; } > "$work/data/characters.tsv"
gport=$(free_port); p1=$(free_port); p2=$(free_port); p3=$(free_port); p4=$(free_port)
sed -e "s#\.\./#$root/#g" -e "s#\./config.yaml#$root/dapr/config.yaml#" \
    -e "s#5101#$p1#g" -e "s#5102#$p2#g" -e "s#5103#$p3#g" -e "s#5104#$p4#g" "$root/dapr/dapr.yaml" > "$work/run/dapr.yaml"
(
  cd "$work/run"
  export Quoncept__Gateway__Port="$gport" Quoncept__Jwt__SigningKey="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
  export Quoncept__Data__Users="$work/data/users.tsv" Quoncept__Data__Characters="$work/data/characters.tsv"
  export Quoncept__Sessions__GracePeriod=00:00:05
  if [ -n "$stream_rps" ]; then export Quoncept__Gateway__Limits__RequestsPerSecond="$stream_rps" Quoncept__Gateway__Limits__RequestBurst=$((2 * stream_rps)); fi
  exec dotnet "$sidecar" run -f "$work/run/dapr.yaml"
) > "$work/quoncept.log" 2>&1 &
pids+=($!)
ready=0
for _ in $(seq 1 240); do
  kill -0 "${pids[1]}" 2>/dev/null || break
  if curl -sf "http://127.0.0.1:$p4/healthz/ready" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
[ "$ready" = 1 ] || { tail -50 "$work/quoncept.log" >&2; echo "error: Quoncept was not ready in 120 s" >&2; exit 1; }
warm_up quoncept "127.0.0.1:$gport"
echo "quoncept: $n clients, $seconds s ..." >&2
gateway=$(pgrep -P "${pids[1]}" -f Quoncept.Gateway.dll | head -1)
every=("${pids[1]}" $(pgrep -P "${pids[1]}"))
declare -A pticks; for p in "${every[@]}"; do pticks[$p]=$(ticks "$p"); done
quoncept=$(timeout "$limit" node "$here/peer.mjs" quoncept "127.0.0.1:$gport" "$n" "$seconds" "$rate" peer "$lines" | sed -n 's/^RESULT //p')
# Each Quoncept process's CPU over the client run; the gateway's and the total follow from them.
aticks=0; for p in "${every[@]}"; do pticks[$p]=$(( $(ticks "$p") - ${pticks[$p]} )); aticks=$((aticks + ${pticks[$p]})); done
gticks=${pticks[$gateway]:-0}
# "name seconds" pairs: the runtime, then its apps by dll name.
byprocess=$(for p in "${every[@]}"; do
  name=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -o 'Quoncept[.][A-Za-z]*[.]dll' | head -1 | sed 's/Quoncept[.]//; s/[.]dll//')
  printf '%s %s\n' "${name:-pid$p}" "${pticks[$p]}"
done | awk -v hz="$(getconf CLK_TCK)" '{printf "%s%s %.1f s", (NR > 1 ? ", " : ""), $1, $2 / hz}')
gpeak=$(peak_kb "$gateway"); apeak=$(peak_kb "${every[@]}")
if [ -n "${METRICS_DIR:-}" ]; then
  mkdir -p "$METRICS_DIR"
  for app in sessions:$p1 characters:$p2 systems:$p3 gateway:$p4 chatlog:5106 runtime:9190; do
    curl -sf "http://127.0.0.1:${app#*:}/metrics" > "$METRICS_DIR/${app%%:*}.prom" || echo "warning: no /metrics from ${app%%:*}" >&2
  done
fi

BYPROCESS="$byprocess" node - "$colyseus" "$quoncept" "$(getconf CLK_TCK)" "$cticks" "$cpeak" "$gticks" "$gpeak" "$aticks" "$apeak" <<'JS'
const [c, q] = process.argv.slice(2, 4).map((s) => (s ? JSON.parse(s) : null));
const [hz, cTicks, cPeak, gTicks, gPeak, aTicks, aPeak] = process.argv.slice(4).map(Number);
const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const row = (r) => r ? `${r.kind.padEnd(9)} | ${f(r.joinP50)} / ${f(r.joinP99)} ms | ${f(r.fanoutP50)} / ${f(r.fanoutP99)} ms | ${f(r.deliveriesPerSecond, 0)} | ${r.delivered}/${r.expected} | ${r.joined}/${r.n} | ${r.errors}` : 'n/a (run failed)';
console.log(`N = ${(c ?? q)?.n}, ${(c ?? q)?.linesPerSecond} line/s each for ${(c ?? q)?.seconds} s`);
console.log('side      | join p50 / p99 | fan-out p50 / p99 | deliveries/s | delivered/expected | joined | errors');
console.log(row(c));
console.log(row(q));
if (c && q) {
  console.log(`ratios quoncept/colyseus: join p99 ${f(q.joinP99 / c.joinP99, 2)}, fan-out p99 ${f(q.fanoutP99 / c.fanoutP99, 2)}, deliveries/s ${f(q.deliveriesPerSecond / c.deliveriesPerSecond, 2)}`);
}
const perDelivery = (ticks, r) => (r?.delivered ? f(ticks / hz * 1e6 / r.delivered, 1) : 'n/a');
const mb = (kb) => f(kb / 1024, 0);
console.log(`lines said per second: colyseus ${f(c?.linesPerSecondSaid, 0)}, quoncept ${f(q?.linesPerSecondSaid, 0)}`);
console.log(`server CPU per delivery (whole client run, joins included): colyseus ${perDelivery(cTicks, c)} µs; quoncept gateway ${perDelivery(gTicks, q)} µs, all Quoncept processes ${perDelivery(aTicks, q)} µs`);
if (q) console.log(`quoncept fan-out split at the system actor's turn (occurred_at, ms clock): send to turn p50 / p99 ${f(q.toTurnP50)} / ${f(q.toTurnP99)} ms, turn to receipt ${f(q.afterTurnP50)} / ${f(q.afterTurnP99)} ms`);
console.log(`client process (all N clients of a side in one Node process, chat phase): event-loop delay p50 / p99 colyseus ${f(c?.loopDelayP50)} / ${f(c?.loopDelayP99)} ms, quoncept ${f(q?.loopDelayP50)} / ${f(q?.loopDelayP99)} ms; CPU per delivery colyseus ${f(c?.clientCpuMicrosPerDelivery)} µs, quoncept ${f(q?.clientCpuMicrosPerDelivery)} µs; GC pauses (total / longest) colyseus ${f(c?.gcMs, 0)} / ${f(c?.gcMaxMs)} ms, quoncept ${f(q?.gcMs, 0)} / ${f(q?.gcMaxMs)} ms`);
console.log(`quoncept CPU by process (client run): ${process.env.BYPROCESS}`);
console.log(`peak resident memory: colyseus ${mb(cPeak)} MB; quoncept gateway ${mb(gPeak)} MB, all Quoncept processes ${mb(aPeak)} MB`);
for (const r of [c, q]) if (r?.firstErrors?.length) console.log(`${r.kind} first errors: ${r.firstErrors.join(' | ')}`);
if (!c || !q) process.exit(1);
JS
