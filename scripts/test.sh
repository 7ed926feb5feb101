#!/usr/bin/env bash
# Sets up the machine (see setup.sh) and runs Assay's whole test suite against the real sandbox and
# toolchains. Ends with one plain line of totals: "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
# Skipped tests are listed by name with their reason, so a missing toolchain is visible, not silent.
dotnet test "$root/Assay.slnx" -c Release --nologo --logger "console;verbosity=normal" > "$log" 2>&1
status=$?
grep -E "^\s+(Failed|Skipped) |^\s+(Passed|Failed|Skipped): |Total tests|error|Error Message|Assert" "$log" || true
# Each test assembly ends with "Passed: N", "Failed: N", "Skipped: N" lines; add them up.
read -r passed failed skipped < <(awk '
  /^[[:space:]]+Passed: [0-9]+[[:space:]]*$/  {p += $2}
  /^[[:space:]]+Failed: [0-9]+[[:space:]]*$/  {f += $2}
  /^[[:space:]]+Skipped: [0-9]+[[:space:]]*$/ {s += $2}
  END {print p+0, f+0, s+0}' "$log")
rm -f "$log"
if [[ $status != 0 && $failed == 0 ]]; then failed=1; fi   # a crash or build error counts as a failure
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
