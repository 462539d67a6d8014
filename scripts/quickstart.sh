#!/usr/bin/env bash
# Quick start: build, fetch the embedded ClickHouse (chDB) once, seed a little demo traffic, then run the one-process
# host on http://127.0.0.1:8080 with the traffic simulator feeding it. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required (https://dot.net)"; exit 1; }
echo "==> fetching the embedded ClickHouse engine (chDB), once"
export CHDB_LIB_PATH=$(scripts/setup-chdb.sh | tail -1)
echo "==> building"
dotnet build -c Release -v quiet -nologo -clp:ErrorsOnly src/Analytics.Host/Analytics.Host.csproj -o artifacts/host
dotnet build -c Release -v quiet -nologo -clp:ErrorsOnly src/Analytics.Cli/Analytics.Cli.csproj -o artifacts/cli

host() { exec dotnet artifacts/host/Analytics.Host.dll "$@"; }
wait_up() { for _ in $(seq 1 300); do curl -sf "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "host did not start on $1"; return 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Phase 1: seed the store on a private port so the dashboard and stats have data the moment :8080 answers.
if [ ! -f .data/seeded ]; then
  echo "==> seeding demo traffic (first run only)"
  host --urls http://127.0.0.1:18080 > .data-seed.log 2>&1 & seed=$!; pids+=($seed)
  mkdir -p .data; wait_up http://127.0.0.1:18080
  dotnet artifacts/cli/analytics.dll simulate --url http://127.0.0.1:18080 --events 6000 --seed 7 --truth .data/seed-truth.json --wait-visible
  kill "$seed"; wait "$seed" 2>/dev/null || true; pids=()
  touch .data/seeded; rm -f .data-seed.log
fi

# Phase 2: the host on :8080 and a gentle stream of simulated shoppers.
host & main=$!; pids+=($main)
wait_up http://127.0.0.1:8080
dotnet artifacts/cli/analytics.dll simulate --url http://127.0.0.1:8080 --forever --rate 20 --seed $RANDOM --quiet & pids+=($!)
key_file="$root/.data/dev-api-key.txt"
echo "Stats, e.g.: curl -H \"Authorization: Bearer \$(cat $key_file 2>/dev/null)\" 'http://127.0.0.1:8080/v1/stats/pages?site=demo'"
wait "$main"
