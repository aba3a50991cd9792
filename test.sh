#!/usr/bin/env bash
# Installs whatever the tests need that is missing, builds, runs every test, and ends with
# one line "N passed, N failed[, N skipped]". Safe to run again: installed things are skipped.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the real-peer tests use (a real grpcio peer, real servers, a real Prometheus scraping the universe, a real browser).
APT_PACKAGES=(python3-grpcio python3-protobuf redis-server nats-server postgresql prometheus chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# npm test folders: every tests/node/*/package-lock.json (install scripts stay blocked).
for lock in tests/node/*/package-lock.json; do
  [ -e "$lock" ] || continue
  d=$(dirname "$lock")
  [ -d "$d/node_modules" ] || (cd "$d" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null) || { echo "npm ci failed in $d"; echo "0 passed, 1 failed"; exit 1; }
done

echo "== build"
if ! dotnet build Dapr.sln -c Release -v q -nologo 2>&1 | tail -n 30; then :; fi
if [ "${PIPESTATUS[0]}" != 0 ]; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi
# The page the gateway serves to browsers: its npm packages and the protobuf code generated from protos/.
client/web/prepare.sh || { echo "client/web/prepare.sh failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0
log=$(mktemp)
echo "== dotnet test"
dotnet test Dapr.sln -c Release --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# The universe's end-to-end scenarios again on each real-server profile (components/NAME, servers started by the fixture).
for profile in redis nats postgres; do
  echo "== end-to-end on profile $profile"
  QUONCEPT_E2E_PROFILE=$profile dotnet test tests/Quoncept.Universe.Tests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~EndToEnd.UniverseTests" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
# VSTest prints one summary line per test assembly:
#   "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 1 s - X.dll (net10.0)"
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(grep -E '^(Passed|Failed)! +- Failed:' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/')
# A test host that crashed prints no summary line; never let that pass as green.
if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then echo "dotnet test exited $rc without a failed test: counting it as a failure"; failed=$((failed + 1)); fi
rm -f "$log"

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" = 0 ]
