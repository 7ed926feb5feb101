#!/usr/bin/env bash
# The end-to-end demo that the README's first quickstart command calls: scores the example samples with
# `assay eval` (Assay's main job), then runs a few single programs through `assay run`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
assay="$here/../assay"
run() {
  local lang="$1" file="$2" input="$3"; shift 3
  printf '\n$ assay run --lang %s --file examples/programs/%s %s\n' "$lang" "$file" "$*"
  "$assay" run --lang "$lang" --file "$here/programs/$file" --stdin <(printf '%s' "$input") "$@"
}
"$assay" toolchains
out="$(mktemp -d)"
printf '\n$ assay eval --problems examples/eval/problems.jsonl --samples examples/eval/samples.jsonl --k 1,2\n'
"$assay" eval --problems "$here/eval/problems.jsonl" --samples "$here/eval/samples.jsonl" --k 1,2 \
  --out "$out/samples_results.jsonl" --store "$out/verdicts.db"
printf '\nPer-sample verdicts (%s):\n' "$out/samples_results.jsonl"
while IFS= read -r line; do
  printf '  %s\n' "$(printf '%s' "$line" | sed -E 's/.*"task_id":"([^"]*)","completion_id":([0-9]+).*"status":"([^"]*)","result":"([^"]{0,70}).*/\1 #\2  \3  \4/')"
done < "$out/samples_results.jsonl"
run python hello.py "world"
run cpp sum.cpp "40 2"
run cpp sum.cpp "1 2"          # second run of the same source: the compile is served from the cache
run java Main.java "20 22"
run javascript fib.js "90"
run python loop_forever.py "" --time-limit 1
run python memory_hog.py "" --memory-limit 128
run python escape.py ""
printf '\n$ assay run --lang python --file examples/programs/hello.py --json\n'
"$assay" run --lang python --file "$here/programs/hello.py" --stdin <(printf 'json') --json
