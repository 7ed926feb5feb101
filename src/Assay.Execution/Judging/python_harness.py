# Assay's Python judge harness. Runs inside the sandbox as the judge (this program run as the sandbox's main
# program) and a worker (the same program) that runs the candidates: forked, for each fresh worker, from a fork
# server (the same program with --fork-server, started before the judge reads its input), or started as a new
# interpreter (--worker) where that is not possible.
#
# The harness is written as several files by concern, joined in a fixed order into the one program the sandbox
# runs (PythonJudge.HarnessParts): this file (protocol, imports, what every part uses), then
# python_harness_data.py (plain data and its encoding), _state.py (the worker's interpreter state and tamper
# check), _worker.py (the worker process), _channel.py (the judge's end of the worker's pipes), _matrix.py
# (execution-matrix rows), _judge.py (the judge) and _main.py (entry points). The parts share one namespace.
#
# The worker runs candidate code and nothing else; the judge runs the tests. A test calls `candidate(...)`
# (or the entry point by name): the call is sent to the worker, the candidate's function runs there, and its
# result comes back as plain data (exact builtin types, rebuilt by the judge), so neither a lying __eq__ nor
# an int subclass reaches the test's comparisons, and nothing the candidate does -- exiting early, atexit
# hooks, printing, patching builtins or modules, reading the judge's memory -- can touch the test code or the
# verdict: the worker has no access to the judge's memory or to the results channel.
#
# stdin of the judge: a JSON header {"nonce": str, "isolated": bool}, then one JSON item per line:
#   {"id": str, "program": str, "setup": str, "tests": [str], "entry_point": str|null, "time_limit": float,
#    "rebind": bool (tests call the entry point by its own name),
#    "calls": [json args] (input/output tests: call the entry point with each argument list and report each
#             result as plain data, for Assay to compare outside the sandbox), "call_limits": [float],
#    "total_limit": float, "keep_going": bool (calls: go on after a call that raised; execution matrices),
#    "tagged_calls": bool (call arguments use the plain-data tags: tuples, sets, ...),
#    "method": str|null (the entry point is a class: call a fresh instance's method, LeetCode's Solution),
#    "not_none": bool (report only whether each result is not None: results that are not data, re.Match),
#    "matrix": [{"call": json args, "tagged": bool} | {"assert": str}] (an execution-matrix row: one outcome per
#             column, a call's value reported as plain data, its arguments in the plain-data tags when "tagged";
#             see Judge._run_matrix), "max_timeouts": int (matrix rows: columns that
#             may time out before the rest are not run), "load_limit": float (CPU time for defining the program)}
# stdout of the judge: one JSON record per item, tagged with the nonce, then {"done": n}.
#
# Time: each test (or call) has a CPU-time limit enforced in the worker (ITIMER_PROF) and a wall-clock
# backstop in the judge (3x + 1 s), after which the worker is killed and replaced. In batch mode
# (isolated=false) one worker serves many candidates in turn; after each, the worker checks that the
# interpreter was left as it was (builtins, modules, signal handlers, threads, atexit, streams) and is
# replaced if not, so no candidate affects the next one.
#
# Tests that need more of the program than its entry point (MBPP setup code building the program's own
# classes) or pass non-data arguments (functions) cannot cross the process boundary; such an item is judged
# inside the worker instead, as classic harnesses do, and its record says "in_process": true.
import sys, os, json, signal, gc, atexit, threading, builtins, io, time, select


class AssayTimeout(BaseException):
    pass


class NotPlainData(Exception):
    pass


class NeedsInProcess(Exception):
    pass


def _on_timer(signum, frame):
    raise AssayTimeout()


def _describe(exc):
    return ("%s: %s" % (type(exc).__name__, exc))[:500]


def _raised(exc):
    """A candidate's exception as a failed answer. A MemoryError is the memory limit's verdict, as the OOM killer's
    signal 9 is: the allocation was refused, by the sandbox's limit or by the kernel (a request larger than the
    machine), and which of the two refuses is the host's accident, not the program's."""
    status = "memory" if isinstance(exc, MemoryError) else "error"
    return {"ok": False, "status": status, "etype": type(exc).__name__, "error": _describe(exc)}


_compiled = {}


def _compile_shared(source, name):
    """Test code is the same for every candidate of a problem: compile it once per batch."""
    key = (source, name)
    code = _compiled.get(key)
    if code is None:
        if len(_compiled) > 256:
            _compiled.clear()
        code = _compiled[key] = compile(source, name, "exec")
    return code


def _arm(cpu, wall):
    signal.setitimer(signal.ITIMER_PROF, max(cpu, 0.001))
    signal.setitimer(signal.ITIMER_REAL, max(wall, 0.001))


def _disarm():
    signal.setitimer(signal.ITIMER_PROF, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
