"""The classic way to build CodeT's execution matrix, rebuilt as a baseline for Assay's matrix benchmark.

As CodeT's own evaluator (execution.py, check_correctness_with_test_cases) does it: for every distinct
candidate, a fresh forked process with a multiprocessing Manager list runs the program, then each generated
test in the program's globals under a wall-clock alarm, with the usual "reliability guard" (not a sandbox);
a process pool runs one such job per core. To build the very matrix Assay builds, the per-test limit and the
allowance of timeouts per candidate (after which the remaining tests are not run) are Assay's.

The program itself is defined under its own, longer limit (--load-timeout, default max(1 s, --timeout)), as
Assay does: CodeT ran it inside the whole-program budget, and `import numpy` alone takes more than 0.1 s.

Usage: classic_matrix.py PLAN.jsonl OUT.jsonl [--timeout 0.1] [--load-timeout S] [--max-timeouts 3] [--workers N]
PLAN: one line per problem {"task_id", "programs": [...], "tests": [...]}.
OUT: one line per candidate {"task_id", "row", "cells": "pfet..."} (p pass, f fail, e error, t timeout; a
shorter string means the rest were not run); prints a JSON summary.
"""
import argparse
import contextlib
import faulthandler
import io
import json
import multiprocessing
import os
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed


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


def _on_alarm(signum, frame):
    raise Timeout()


def _child(program, tests, timeout, load_timeout, max_timeouts, results):
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        import shutil
        rmtree, rmdir, chdir = shutil.rmtree, os.rmdir, os.chdir
        _guard()
        sink = io.StringIO()
        signal.signal(signal.SIGALRM, _on_alarm)
        cells = []
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            namespace = {}
            loaded = True
            try:
                signal.setitimer(signal.ITIMER_REAL, load_timeout)
                exec(program, namespace)
            except Timeout:
                loaded = False
                cells = ["t"] * len(tests)
            except BaseException:  # noqa: B036 - the candidate's failure of any kind
                loaded = False
                cells = ["e"] * len(tests)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            timeouts = 0
            for test in tests if loaded else []:
                try:
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                    exec(test, namespace)
                    cells.append("p")
                except Timeout:
                    cells.append("t")
                    timeouts += 1
                except AssertionError:
                    cells.append("f")
                except BaseException:  # noqa: B036
                    cells.append("e")
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if timeouts >= max_timeouts:
                    break
        results.append("".join(cells))
        shutil.rmtree, os.rmdir, os.chdir = rmtree, rmdir, chdir
        os.chdir("/")


def check(key, program, tests, timeout, load_timeout, max_timeouts):
    manager = multiprocessing.Manager()
    results = manager.list()
    process = multiprocessing.Process(target=_child, args=(program, tests, timeout, load_timeout, max_timeouts, results))
    process.start()
    # CodeT's whole-program backstop: the per-test limit for every test that may time out, and the load's.
    process.join(timeout * min(len(tests), max_timeouts) + load_timeout + 1 + 0.05 * len(tests))
    if process.is_alive():
        process.kill()
    outcome = results[0] if results else None
    manager.shutdown()
    return key, outcome


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plan")
    parser.add_argument("out")
    parser.add_argument("--timeout", type=float, default=0.1)
    parser.add_argument("--load-timeout", type=float, default=None)
    parser.add_argument("--max-timeouts", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()

    problems = [json.loads(line) for line in open(args.plan) if line.strip()]
    load_timeout = args.load_timeout if args.load_timeout is not None else max(1.0, args.timeout)
    started = time.time()
    outcomes = {}
    killed = 0
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(check, (p["task_id"], row), program, p["tests"], args.timeout, load_timeout, args.max_timeouts)
                   for p in problems for row, program in enumerate(p["programs"])]
        for future in as_completed(futures):
            key, outcome = future.result()
            if outcome is None:
                killed += 1
                outcome = ""
            outcomes[key] = outcome
    elapsed = time.time() - started
    with open(args.out, "w") as out:
        for (task_id, row), cells in sorted(outcomes.items()):
            out.write(json.dumps({"task_id": task_id, "row": row, "cells": cells}) + "\n")
    print(json.dumps({"candidates": len(outcomes), "cells": sum(len(c) for c in outcomes.values()),
                      "killed": killed, "seconds": round(elapsed, 3)}))


if __name__ == "__main__":
    main()
