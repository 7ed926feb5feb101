#!/usr/bin/env bash
# Sets up the machine (see setup.sh) and runs Assay's whole test suite against the real sandbox and
# toolchains. Ends with one plain line of totals: "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
# Skipped tests are listed by name with their reason, so a missing toolchain is visible, not silent.
# The server's suite runs on its own after the rest: its load tests (a hundred sandboxes at once) would otherwise
# starve the wall-clock backstops of tests running beside it on a 2-core machine.
dotnet test "$root/Assay.slnx" -c Release --nologo --logger "console;verbosity=normal" --filter "FullyQualifiedName!~Assay.Server.Tests" > "$log" 2>&1
status=$?
dotnet test "$root/tests/Assay.Server.Tests/Assay.Server.Tests.csproj" -c Release --nologo --no-build --logger "console;verbosity=normal" >> "$log" 2>&1
server_status=$?
if [[ $status == 0 ]]; then status=$server_status; fi
# Totals, skips and errors; a failed test's whole report (message and stack, up to 60 lines), so a failure on CI
# can be read from its output alone.
awk '
  /^[[:space:]]+Failed [^:]/ {block = 60; print; next}
  block > 0 && /^[[:space:]]+(Passed|Skipped|Failed) [^:]/ {block = 0}
  block > 0 {print; block--; next}
  /^[[:space:]]+Skipped |^[[:space:]]+(Passed|Failed|Skipped): |Total tests|error/ {print}' "$log" || true
# Each test assembly ends with "Passed: N", "Failed: N", "Skipped: N" lines; add them up.
read -r passed failed skipped < <(awk '
  /^[[:space:]]+Passed: [0-9]+[[:space:]]*$/  {p += $2}
  /^[[:space:]]+Failed: [0-9]+[[:space:]]*$/  {f += $2}
  /^[[:space:]]+Skipped: [0-9]+[[:space:]]*$/ {s += $2}
  END {print p+0, f+0, s+0}' "$log")
# ASSAY_TEST_LOG=path keeps the full log (per-test durations) for a look afterwards.
[[ -n ${ASSAY_TEST_LOG:-} ]] && cp "$log" "$ASSAY_TEST_LOG"
rm -f "$log"
if [[ $status != 0 && $failed == 0 ]]; then failed=1; fi   # a crash or build error counts as a failure

# The Python client's tests (unittest) start the `assay serve` just built; their counts join the totals.
pylog="$(mktemp)"
cli_dll="$root/src/Assay.Cli/bin/Release/net10.0/assay.dll"
if command -v python3 > /dev/null && [[ -f "$cli_dll" ]]; then
  (cd "$root/clients/python" && ASSAY_CMD="dotnet $cli_dll" python3 -m unittest discover -s tests -v) > "$pylog" 2>&1
  pystatus=$?
  grep -E "(ERROR|FAIL|skipped)( |:)|^Ran |^OK|^FAILED" "$pylog" || true
  read -r ran pyfailed pyerrors pyskipped < <(awk '
    /^Ran [0-9]+ test/ {r = $2}
    /^(OK|FAILED)/ {
      if (match($0, /failures=[0-9]+/)) f = substr($0, RSTART + 9, RLENGTH - 9)
      if (match($0, /errors=[0-9]+/)) e = substr($0, RSTART + 7, RLENGTH - 7)
      if (match($0, /skipped=[0-9]+/)) s = substr($0, RSTART + 8, RLENGTH - 8)
    }
    END {print r+0, f+0, e+0, s+0}' "$pylog")
  passed=$((passed + ran - pyfailed - pyerrors - pyskipped))
  failed=$((failed + pyfailed + pyerrors))
  skipped=$((skipped + pyskipped))
  if [[ $pystatus != 0 ]]; then
    if [[ $pyfailed == 0 && $pyerrors == 0 ]]; then failed=$((failed + 1)); fi
    status=$pystatus
  fi
else
  echo "python client tests not run: python3 or $cli_dll missing"
  failed=$((failed + 1)); status=1
fi
rm -f "$pylog"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
