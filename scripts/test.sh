#!/usr/bin/env bash
# Sets up the machine (see setup.sh) and runs Assay's whole test suite against the real sandbox and
# toolchains. Ends with one plain line of totals: "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
# Skipped tests are listed by name with their reason, so a missing toolchain is visible, not silent.
dotnet test "$root/Assay.slnx" -c Release --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" \
  | grep -E "^\s+(Passed|Failed|Skipped) |^\s*(Failed|Passed)!|error|\[SKIP\]|Skipped " | grep -v "^\s*Passed " || true
status=${PIPESTATUS[0]}
read -r passed failed skipped < <(grep -E "^(Passed|Failed)!" "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [[ $status != 0 && $failed == 0 ]]; then failed=1; fi   # a crash or build error counts as a failure
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
