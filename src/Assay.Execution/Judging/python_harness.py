# Assay's Python judge harness. Runs inside the sandbox, as the sandbox's main program.
#
# stdin: one JSON header line {"nonce": str, "isolated": bool}, then one JSON item per line:
#   {"id": str, "program": str, "setup": str, "tests": [str], "entry_point": str|null, "time_limit": float,
#    "rebind": bool (also rebind the entry point's own name to the wrapped function),
#    "calls": [json args] (instead of tests: call the entry point with each argument list and report each
#             result as plain data, for Assay to compare outside this process), "call_limits": [float],
#    "total_limit": float}
# For each item: exec(program) in a fresh namespace, exec(setup), bind `candidate` to the entry point wrapped so
# every result is converted to plain data of exact builtin types (a lying __eq__ or an int subclass cannot pass
# an assert), then exec each test snippet; a test passes when it raises nothing. Each exec has a CPU-time
# timer (ITIMER_PROF) and a wall-clock backstop. Results go to the original stdout, tagged with the nonce, only after the item's checks
# ended; the candidate's own prints go to a capped in-memory sink.
#
# Batch mode (isolated=false) runs many candidates in one interpreter. After each one the harness checks that
# the interpreter was left as it was (builtins, sys.modules, signal handlers, threads, atexit, std streams,
# module dictionaries); if not, or if a timer fired, it reports "rerun" and stops, so that Assay re-runs that
# candidate alone in a fresh sandbox, where it cannot affect anyone else. Verdicts are therefore the ones a
# fresh process would give.
import sys, os, json, signal, gc, atexit, threading, builtins, io, time

_real_out = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
_devnull = os.open(os.devnull, os.O_RDWR)
os.dup2(_devnull, 1)
os.dup2(_devnull, 2)
_raw = sys.stdin.buffer.read()
os.dup2(_devnull, 0)
_lines = _raw.decode("utf-8").split("\n")
_header = json.loads(_lines[0])
_nonce = _header["nonce"]
_isolated = bool(_header.get("isolated"))
del _raw


# The builtins as they were before any candidate ran. Test code runs with this copy, so a candidate that
# rebinds builtins.abs (or len, or print) changes what its own code sees, never what the tests see.
_PRISTINE_BUILTINS = dict(builtins.__dict__)


class AssayTimeout(BaseException):
    pass


class NotPlainData(Exception):
    pass


def _on_timer(signum, frame):
    raise AssayTimeout()


signal.signal(signal.SIGPROF, _on_timer)
signal.signal(signal.SIGALRM, _on_timer)

_EXACT = (int, float, str, bool, type(None), bytes, complex)


def _trusted_types():
    found = []
    for module_name, names in (("fractions", ("Fraction",)), ("decimal", ("Decimal",))):
        module = sys.modules.get(module_name)
        if module is not None:
            found.extend(getattr(module, n) for n in names if hasattr(module, n))
    return tuple(found)


_HEAP_TYPE = 1 << 9


def plain(value, depth=0):
    """Converts a result to plain data using the base classes' own methods, never the value's.

    Exact builtin values pass as they are (containers are converted element by element). Instances of static
    built-in types (generators, map, range, ...) pass too: their behaviour is the interpreter's, not the
    candidate's. Subclasses of builtin types are converted to their base type's value, so an int subclass with
    a lying __eq__ compares as the int it really is. Any other object is not plain data and fails the test.
    """
    t = type(value)
    if t in _EXACT:
        return value
    if depth > 200:
        raise NotPlainData("result nested too deeply")
    d = depth + 1
    if t is list:
        return [plain(v, d) for v in list.__iter__(value)]
    if t is tuple:
        return tuple(plain(v, d) for v in tuple.__iter__(value))
    if t is dict:
        return {plain(k, d): plain(v, d) for k, v in dict.items(value)}
    if t is set:
        return set(plain(v, d) for v in set.__iter__(value))
    if t is frozenset:
        return frozenset(plain(v, d) for v in frozenset.__iter__(value))
    if not (t.__flags__ & _HEAP_TYPE):
        return value
    if isinstance(value, bool):
        return bool(int.__int__(value))
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bytes):
        return bytes.__bytes__(value)
    if isinstance(value, complex):
        return complex.__complex__(value)
    if isinstance(value, tuple):
        return tuple(plain(v, d) for v in tuple.__iter__(value))
    if isinstance(value, list):
        return [plain(v, d) for v in list.__iter__(value)]
    if isinstance(value, dict):
        return {plain(k, d): plain(v, d) for k, v in dict.items(value)}
    if isinstance(value, frozenset):
        return frozenset(plain(v, d) for v in frozenset.__iter__(value))
    if isinstance(value, set):
        return set(plain(v, d) for v in set.__iter__(value))
    if t in _trusted_types():
        return value
    raise NotPlainData("result of type %s is not plain data" % t.__qualname__)


def encode(value, depth=0):
    """Plain data -> JSON-compatible tree with tags for what JSON lacks (tuples, sets, big ints, nan)."""
    t = type(value)
    if value is None or t is bool or t is str:
        return value
    if t is int:
        if -(1 << 53) < value < (1 << 53):
            return value
        # Python 3.11 refuses str() of huge ints by default; the candidate's own conversions keep that limit.
        previous = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return {"int": str(value)}
        finally:
            sys.set_int_max_str_digits(previous)
    if t is float:
        if value != value:
            return {"float": "nan"}
        if value in (float("inf"), float("-inf")):
            return {"float": "inf" if value > 0 else "-inf"}
        return value
    if depth > 200:
        raise NotPlainData("result nested too deeply")
    d = depth + 1
    if t is list:
        return [encode(v, d) for v in value]
    if t is tuple:
        return {"tuple": [encode(v, d) for v in value]}
    if t is dict:
        return {"dict": [[encode(k, d), encode(v, d)] for k, v in value.items()]}
    if t is set or t is frozenset:
        items = [encode(v, d) for v in value]
        items.sort(key=lambda x: json.dumps(x, sort_keys=True))
        return {"set": items}
    if t is complex:
        return {"complex": [encode(value.real, d), encode(value.imag, d)]}
    if t is bytes:
        return {"bytes": value.hex()}
    return {"object": "%s.%s" % (t.__module__, t.__qualname__), "repr": repr(value)[:200]}


def wrap(function):
    def candidate(*args, **kwargs):
        return plain(function(*args, **kwargs))
    return candidate


class Sink(io.TextIOBase):
    """Where the candidate's prints go: counted, kept up to a cap, never written anywhere."""
    def __init__(self):
        self.size = 0
    def write(self, s):
        self.size += len(s)
        return len(s)
    def writable(self):
        return True
    def readable(self):
        return False


class NoInput(io.TextIOBase):
    def readable(self):
        return True
    def read(self, *a):
        return ""
    def readline(self, *a):
        return ""


def _module_fingerprint(modules):
    """Name -> id of value for every module's globals. Names added later are not tampering (importing a
    submodule adds one to its package); a name that was there and now is bound to something else is."""
    fingerprint = {}
    for name, module in modules:
        d = getattr(module, "__dict__", None)
        if isinstance(d, dict):
            fingerprint[name] = {k: id(v) for k, v in d.items() if not (k.startswith("__") and k.endswith("__"))}
    return fingerprint


def _snapshot():
    modules = sorted((k, v) for k, v in sys.modules.items() if v is not None)
    return {
        "builtins": (len(builtins.__dict__), sum(map(id, builtins.__dict__.values()))),
        "module_ids": {k: id(v) for k, v in modules},
        "modules": _module_fingerprint(modules),
        "signals": tuple(signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPROF, signal.SIGALRM)),
        "threads": threading.active_count(),
        "atexit": atexit._ncallbacks(),
        "streams": (id(sys.stdout), id(sys.stderr), id(sys.stdin), id(sys.__stdout__)),
        "hooks": (sys.gettrace(), sys.getprofile(), id(sys.excepthook), sys.getrecursionlimit()),
        "cwd": os.getcwd(),
    }


def _tampered(before):
    after_ids = {k: id(v) for k, v in sys.modules.items() if v is not None}
    for k, v in before["module_ids"].items():
        if after_ids.get(k) != v:
            return "sys.modules[%r] replaced" % k
    checks = ("builtins", "signals", "threads", "atexit", "hooks", "cwd")
    now = _snapshot()
    for key in checks:
        if now[key] != before[key]:
            return "interpreter state changed: " + key
    if now["streams"] != before["streams"]:
        return "interpreter state changed: streams"
    missing = object()
    for name, names in before["modules"].items():
        module = sys.modules.get(name)
        d = getattr(module, "__dict__", None)
        if not isinstance(d, dict):
            return "module %s removed" % name
        for key, ident in names.items():
            value = d.get(key, missing)
            if value is missing or id(value) != ident:
                return "module %s: %s rebound" % (name, key)
    return None


def _tampered_modules(before):
    missing = object()
    for name, names in before["modules"].items():
        module = sys.modules.get(name)
        d = getattr(module, "__dict__", None)
        if name == "builtins" or not isinstance(d, dict):
            continue
        for key, ident in names.items():
            value = d.get(key, missing)
            if value is missing or id(value) != ident:
                return "module %s: %s rebound" % (name, key)
    return None


def _run_limited(code, namespace, limit):
    # The limit is CPU time (fair on a busy machine); a wall-clock backstop at 3x + 1 s stops programs that
    # sleep or block without using the CPU.
    signal.setitimer(signal.ITIMER_PROF, limit)
    signal.setitimer(signal.ITIMER_REAL, limit * 3 + 1)
    try:
        exec(code, namespace)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)


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


def _describe(exc):
    text = "%s: %s" % (type(exc).__name__, exc)
    return text[:500]


def _emit(record):
    record["nonce"] = _nonce
    _real_out.write(json.dumps(record) + "\n")
    _real_out.flush()


def judge(item):
    """Returns (record, rerun_reason)."""
    limit = float(item.get("time_limit") or 1.0)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    sink = Sink()
    sys.stdout = sys.stderr = sink
    sys.stdin = NoInput()
    tests = []
    status = "passed"
    error = None
    timed_out = False
    started = time.process_time()
    try:
        try:
            code = compile(item["program"], "<candidate>", "exec")
            _run_limited(code, namespace, limit)
            # The tests see the program's names but their own, untouched builtins.
            program_namespace = namespace
            namespace = dict(program_namespace)
            namespace["__builtins__"] = dict(_PRISTINE_BUILTINS)
            entry = item.get("entry_point")
            if entry and entry not in program_namespace:
                raise NameError("entry point %r is not defined" % entry)
            if item.get("setup"):
                _run_limited(_compile_shared(item["setup"], "<tests>"), namespace, limit)
            if entry:
                namespace["candidate"] = wrap(program_namespace[entry])
                if item.get("rebind"):
                    namespace[entry] = namespace["candidate"]
        except AssayTimeout:
            timed_out = True
            status, error = "timeout", "time limit exceeded while defining the program"
        except SyntaxError as e:
            status, error = "syntax_error", _describe(e)
        except BaseException as e:  # noqa: B036 - a candidate's SystemExit is a failure like any other
            status, error = "error", _describe(e)
        calls = item.get("calls")
        if status == "passed" and calls is not None:
            function = program_namespace.get(entry) if entry else None
            limits = item.get("call_limits") or []
            budget = float(item.get("total_limit") or 0)
            spent = 0.0
            for index, call in enumerate(calls):
                t0 = time.process_time()
                call_limit = float(limits[index]) if index < len(limits) else limit
                try:
                    args = json.loads(call)
                    signal.setitimer(signal.ITIMER_PROF, call_limit)
                    signal.setitimer(signal.ITIMER_REAL, call_limit * 3 + 1)
                    try:
                        result = function(*args)
                    finally:
                        signal.setitimer(signal.ITIMER_PROF, 0)
                        signal.setitimer(signal.ITIMER_REAL, 0)
                    outcome = {"passed": True, "output": encode(plain(result))}
                except AssayTimeout:
                    timed_out = True
                    outcome = {"passed": False, "status": "timeout"}
                except NotPlainData as e:
                    outcome = {"passed": False, "status": "failed", "error": _describe(e)}
                except BaseException as e:  # noqa: B036
                    outcome = {"passed": False, "status": "error", "error": _describe(e)}
                used = time.process_time() - t0
                spent += used
                outcome["cpu_ms"] = round(used * 1000, 3)
                tests.append(outcome)
                # Outputs are compared by Assay, outside this process; the first call that does not return
                # (or the whole item's budget) ends the item, as EvalPlus's fast check does.
                if not outcome["passed"] or (budget and spent > budget):
                    break
            failed = [t for t in tests if not t["passed"]]
            if failed:
                status = "timeout" if timed_out else failed[0]["status"]
                error = failed[0].get("error")
            elif budget and spent > budget and len(tests) < len(calls):
                status, error = "timeout", "the item's total time budget was used up"
        elif status == "passed":
            for snippet in item.get("tests") or []:
                t0 = time.process_time()
                outcome = {"passed": True}
                try:
                    _run_limited(_compile_shared(snippet, "<test>"), namespace, limit)
                except AssayTimeout:
                    timed_out = True
                    outcome = {"passed": False, "status": "timeout"}
                except AssertionError as e:
                    outcome = {"passed": False, "status": "failed", "error": _describe(e)}
                except NotPlainData as e:
                    outcome = {"passed": False, "status": "failed", "error": _describe(e)}
                except BaseException as e:  # noqa: B036
                    outcome = {"passed": False, "status": "error", "error": _describe(e)}
                outcome["cpu_ms"] = round((time.process_time() - t0) * 1000, 3)
                tests.append(outcome)
                if timed_out:
                    break
            failed = [t for t in tests if not t["passed"]]
            if failed:
                status = "timeout" if timed_out else failed[0]["status"]
                error = failed[0].get("error")
    finally:
        sys.stdout, sys.stderr, sys.stdin = sys.__stdout__, sys.__stderr__, sys.__stdin__
    record = {"id": item["id"], "status": status, "tests": tests,
              "cpu_ms": round((time.process_time() - started) * 1000, 3), "output_chars": sink.size}
    if error:
        record["error"] = error
    return record, ("timer fired" if timed_out else None)


def main():
    items = [json.loads(line) for line in _lines[1:] if line.strip()]
    baseline = _snapshot()
    judged = 0
    for item in items:
        record, rerun = judge(item)
        if _isolated:
            # Alone in its interpreter, a candidate can only affect its own tests, and only through shared
            # modules (builtins the tests use are their own copy): rebinding a module's names fails it.
            reason = _tampered_modules(baseline)
            if reason and record["status"] == "passed":
                record["status"] = "error"
                record["error"] = "changed the interpreter's shared state during its tests: " + reason
        else:
            reason = rerun or _tampered(baseline)
            if reason:
                _emit({"id": item["id"], "status": "rerun", "reason": reason})
                _real_out.flush()
                os._exit(0)
            if len(sys.modules) != len(baseline["module_ids"]):
                # Modules the candidate imported stay loaded for the next one: watch them from now on.
                baseline = _snapshot()
        _emit(record)
        del record
        judged += 1
        if judged % 25 == 0:
            gc.collect()
    _emit({"done": len(items)})
    _real_out.flush()
    os._exit(0)


main()
