#!/usr/bin/env bash
# Drives every strategy's http server with wrk, with and without 16-deep pipelining, and prints
# requests/s, socket errors and non-2xx responses per strategy. Loopback only; every server it
# starts is stopped by its PID.  Usage: tools/wrk/check-http.sh [seconds] [strategy ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"; shift || true
strategies=("$@")
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
if [ ${#strategies[@]} -eq 0 ]; then
  # every strategy on the class path that can run here, in its declared order
  mapfile -t strategies < <(./asyncbench list --ids)
fi
printf '%-18s %-10s %12s %14s %8s\n' strategy mode requests/s socket-errors non-2xx
for s in "${strategies[@]}"; do
  log=$(mktemp)
  ./asyncbench serve --strategy "$s" --workload http --port 0 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do grep -q "listening on" "$log" && break; sleep 0.1; done
  address=$(grep -o 'listening on [0-9.:]*' "$log" | awk '{print $3}')
  if [ -z "$address" ]; then echo "$s: did not start: $(cat "$log")"; kill "$pid" 2>/dev/null || true; continue; fi
  for mode in plain pipeline16; do
    if [ "$mode" = plain ]; then
      out=$(wrk -c256 -t2 -d"${seconds}s" "http://$address/plaintext")
    else
      out=$(wrk -c256 -t2 -d"${seconds}s" -s tools/wrk/pipeline.lua "http://$address/plaintext" -- 16)
    fi
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    errors=$(echo "$out" | awk '/Socket errors/ {gsub(",","",$0); print $4+$6+$8+$10}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    printf '%-18s %-10s %12s %14s %8s\n' "$s" "$mode" "$rps" "${errors:-0}" "${non2xx:-0}"
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$log"
done
