#!/usr/bin/env bash
# Per-sample verdicts and content keys of real stdin/stdout problems, judged by a base revision and by this working
# tree (or a second revision), compared (issue 10: the stdout comparison moved from the sandbox layer into the stdio
# mode's Decide).
#   scripts/stdio-parity/run.sh BASE_REV [HEAD_REV|.] [PROBLEMS.jsonl]
# Exit 0 when every verdict (status, message, counts, each test's outcome) and every content key is the same.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
base=${1:?usage: run.sh BASE_REV [HEAD_REV|.] [PROBLEMS.jsonl]}
head=${2:-.}
problems=${3:-$root/../shared/data/competitive/mapcoder_apps_selected150.jsonl}
work=$(mktemp -d /tmp/stdio-parity.XXXXXX)
cleanup() {
    git -C "$root" worktree remove --force "$work/base" 2>/dev/null || true
    git -C "$root" worktree remove --force "$work/head" 2>/dev/null || true
}
trap cleanup EXIT

# A revision is built in a worktree of its own, with this tool copied in (the tool is newer than the base).
checkout() {
    git -C "$root" worktree add --detach --quiet "$work/$1" "$2"
    mkdir -p "$work/$1/scripts/stdio-parity"
    cp "$root"/scripts/stdio-parity/*.cs "$root"/scripts/stdio-parity/*.csproj "$work/$1/scripts/stdio-parity/"
    echo "$work/$1"
}
dotnet build "$(checkout base "$base")/scripts/stdio-parity" -c Release -o "$work/base-bin" 2>&1 | tail -2
source_tree=$root
if [ "$head" != . ]; then source_tree=$(checkout head "$head"); fi
dotnet build "$source_tree/scripts/stdio-parity" -c Release -o "$work/head-bin" 2>&1 | tail -2

# Both at once: the limits are CPU time, so sharing the machine does not change a verdict.
"$work/base-bin/stdio-parity" dump "$problems" "$work/before.jsonl" 2> "$work/before.log" &
before=$!
"$work/head-bin/stdio-parity" dump "$problems" "$work/after.jsonl" 2> "$work/after.log"
wait "$before"
tail -n 3 "$work/before.log" "$work/after.log"
echo "verdicts: $work/before.jsonl $work/after.jsonl"
"$work/head-bin/stdio-parity" compare "$work/before.jsonl" "$work/after.jsonl"
