#!/usr/bin/env bash
# eval-throughput and matrix-throughput for two builds, back to back in the same hour, printed side by side.
#   ./scripts/realdata/bench-before-after.sh BASELINE_ROOT NEW_ROOT [--out DIR] [--rounds N] [--classic] [--matrix-limit N]
# Each round runs both builds (order alternating: old,new then new,old, ...) so that drift in the machine's load
# hits both alike; the table shows every round and the median. Assay's side only (--skip-baseline), unless
# --classic: then the classic harnesses (bench/baselines, unchanged by issue 10) run once each, from NEW_ROOT's
# bench before the rounds, and both builds' speed-ups are given against that one classic time.
# Run it on a quiet machine; it records `uptime` around every run. Takes ~15 min for 2 rounds (+ ~45 min --classic).
set -euo pipefail
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 2 ]] || usage
old_root="$(cd "$1" && pwd)"; new_root="$(cd "$2" && pwd)"; shift 2
out="" rounds=2 classic=0 matrix_limit=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --classic) classic=1; shift ;;
    --matrix-limit) matrix_limit=(--limit "$2"); shift 2 ;;
    *) usage ;;
  esac
done
[[ -n "$out" ]] || out="/tmp/bench-before-after-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for root in "$old_root" "$new_root"; do
  [[ -f "$root/bench/Assay.Bench/Assay.Bench.csproj" ]] || { echo "$root: no bench/Assay.Bench" >&2; exit 2; }
  echo "building $root/bench/Assay.Bench ($(git -C "$root" log -1 --format='%h %s' 2>/dev/null || echo '?'))" >&2
  dotnet build "$root/bench/Assay.Bench/Assay.Bench.csproj" -c Release -nologo -v q >"$out/build-$(basename "$root").log" 2>&1 \
    || { echo "build failed: $out/build-$(basename "$root").log" >&2; exit 1; }
done

# run LABEL ROOT BENCH FILE [extra args]: one benchmark run, JSON to FILE.json, progress to FILE.log.
run() {
  local label="$1" root="$2" bench="$3" file="$4"; shift 4
  local args=("$bench" --json "$@")
  [[ "$bench" == matrix-throughput ]] && args+=("${matrix_limit[@]}")
  echo "$(date -u +%H:%M:%S) $label $bench ${*} | $(uptime)" | tee -a "$out/runs.log" >&2
  (cd "$root" && dotnet "$root/bench/Assay.Bench/bin/Release/net10.0/assay-bench.dll" "${args[@]}") >"$out/$file.json" 2>"$out/$file.log" \
    || echo "  $label $bench failed (exit $?): $out/$file.log" | tee -a "$out/runs.log" >&2
  printf '{"label": "%s", "root": "%s", "commit": "%s", "uptime_after": "%s"}\n' "$label" "$root" \
    "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')" "$(uptime)" >"$out/$file.meta.json"
}

if [[ $classic == 1 ]]; then
  run new "$new_root" eval-throughput classic-eval
  run new "$new_root" matrix-throughput classic-matrix
fi
for ((r = 1; r <= rounds; r++)); do
  if (( r % 2 )); then order=(old new); else order=(new old); fi
  for bench in eval-throughput matrix-throughput; do
    for label in "${order[@]}"; do
      root="$old_root"; [[ $label == new ]] && root="$new_root"
      run "$label" "$root" "$bench" "${bench%%-*}-$label-r$r" --skip-baseline
    done
  done
done
python3 "$here/bench_table.py" "$out" | tee "$out/table.txt"
