# Assay's Python judge harness. Runs inside the sandbox as two processes: the judge (this file run as the
# sandbox's main program) and a worker (this file with --worker) that it starts.
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
#    "matrix": [{"call": json args} | {"assert": str}] (an execution-matrix row: one outcome per column, a call's
#             value reported as plain data; see Judge._run_matrix), "max_timeouts": int (matrix rows: columns that
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
    # Built-in mappings that are not dict itself but static C types (collections.defaultdict, OrderedDict)
    # compare equal to the dict they hold; their contents are read with dict's own methods.
    if isinstance(value, dict) and not (t.__flags__ & _HEAP_TYPE):
        return {"dict": [[encode(k, d), encode(v, d)] for k, v in dict.items(value)]}
    # Built-in types themselves (`int`, `str`) are arguments in some tests (MBPP 533: remove items of a type).
    if t is type and value.__module__ == "builtins" and getattr(builtins, value.__name__, None) is value:
        return {"type": value.__name__}
    return {"object": "%s.%s" % (t.__module__, t.__qualname__), "repr": repr(value)[:200]}


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


def _module_summary(modules):
    """Name -> (size, sum of value ids) of every module's globals: cheap to take after every candidate; only a
    module whose summary changed is then compared name by name."""
    summary = {}
    for name, module in modules:
        d = getattr(module, "__dict__", None)
        if isinstance(d, dict):
            summary[name] = (len(d), sum(map(id, d.values())))
    return summary


def _interpreter_state():
    return {
        "builtins": (len(builtins.__dict__), sum(map(id, builtins.__dict__.values()))),
        "signals": tuple(signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPROF, signal.SIGALRM)),
        "threads": threading.active_count(),
        "atexit": atexit._ncallbacks(),
        "streams": (id(sys.stdout), id(sys.stderr), id(sys.stdin), id(sys.__stdout__)),
        "hooks": (sys.gettrace(), sys.getprofile(), id(sys.excepthook), sys.getrecursionlimit()),
        "cwd": os.getcwd(),
    }


def _snapshot():
    modules = sorted((k, v) for k, v in sys.modules.items() if v is not None)
    return {
        "state": _interpreter_state(),
        "module_ids": {k: id(v) for k, v in modules},
        "modules": _module_fingerprint(modules),
        "summary": _module_summary(modules),
    }


def _tampered(before):
    after_ids = {k: id(v) for k, v in sys.modules.items() if v is not None}
    for k, v in before["module_ids"].items():
        if after_ids.get(k) != v:
            return "sys.modules[%r] replaced" % k
    now = _interpreter_state()
    for key, value in before["state"].items():
        if now[key] != value:
            return "interpreter state changed: " + key
    summary = before["summary"]
    missing = object()
    for name, names in before["modules"].items():
        module = sys.modules.get(name)
        d = getattr(module, "__dict__", None)
        if not isinstance(d, dict):
            return "module %s removed" % name
        current = (len(d), sum(map(id, d.values())))
        if summary.get(name) == current:
            continue
        for key, ident in names.items():
            value = d.get(key, missing)
            if value is missing or id(value) != ident:
                return "module %s: %s rebound" % (name, key)
        # Only names added (a submodule imported, a warnings registry): the new summary is the baseline's.
        summary[name] = current
    return None


def decode(value):
    """Plain-data JSON from encode() -> Python values (tuples, sets, big ints, nan restored)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "tuple" in value:
            return tuple(decode(v) for v in value["tuple"])
        if "set" in value:
            return set(decode(v) for v in value["set"])
        if "dict" in value:
            return {decode(k): decode(v) for k, v in value["dict"]}
        if "int" in value:
            return int(value["int"]) if len(value["int"]) < 4000 else _big_int(value["int"])
        if "float" in value:
            return float(value["float"])
        if "complex" in value:
            return complex(decode(value["complex"][0]), decode(value["complex"][1]))
        if "bytes" in value:
            return bytes.fromhex(value["bytes"])
        if "type" in value and isinstance(getattr(builtins, str(value["type"]), None), type):
            return getattr(builtins, value["type"])
        if "object" in value:
            return Opaque(value.get("object"), value.get("repr"))
    return value


def _big_int(text):
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return int(text)
    finally:
        sys.set_int_max_str_digits(previous)


class Opaque:
    """A result that is not plain data: equal to nothing but itself."""
    def __init__(self, kind, text):
        self.kind, self.text = kind, text
    def __repr__(self):
        return "<%s %s>" % (self.kind, self.text)


def _describe(exc):
    return ("%s: %s" % (type(exc).__name__, exc))[:500]


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


# ---------------------------------------------------------------------------------------------- worker

class _Requests:
    """The worker's request lines, read straight from the pipe, so that it knows whether more are waiting."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, b""

    def __iter__(self):
        while True:
            while b"\n" not in self.buffer:
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    return
                self.buffer += chunk
            line, _, self.buffer = self.buffer.partition(b"\n")
            yield line

    def waiting(self):
        return b"\n" in self.buffer


def worker_main():
    replies_fd = os.dup(1)
    requests = _Requests(os.dup(0))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    signal.signal(signal.SIGPROF, _on_timer)
    signal.signal(signal.SIGALRM, _on_timer)
    # logging registers an atexit hook when first imported (requests, urllib3 and others import it), which would
    # make the worker look tampered with and cost a restart; imported up front it is part of the baseline.
    import logging  # noqa: F401
    # random too: it is re-seeded before every program, so a candidate that draws from it behaves the same in
    # every run and whichever candidates ran before it in this worker.
    import random
    baseline = _snapshot()
    # Everything imported so far lives as long as the worker: the collector need not walk it again.
    gc.freeze()
    namespace = None
    load_ok = False
    served = 0
    out = []

    def flush():
        data = "".join(out).encode("utf-8", "replace")
        out.clear()
        while data:
            data = data[os.write(replies_fd, data):]

    def reply(obj, now=False):
        # Replies to requests that came in one write go back in one write, after the last of them.
        out.append(json.dumps(obj) + "\n")
        if now or not requests.waiting():
            flush()

    for line in requests:
        request = json.loads(line)
        op = request["op"]
        started = time.process_time()
        if op == "end":
            # Checked with the streams back in place, as they were when the baseline was taken.
            reason = _tampered(baseline)
            namespace = None
            load_ok = False
            served += 1
            if served % 100 == 0:
                gc.collect()
            if not reason and len(sys.modules) != len(baseline["module_ids"]):
                baseline = _snapshot()
            reply({"ok": True, "tampered": reason, "cpu": time.process_time() - started, "seq": request.get("seq")})
            continue
        sink = Sink()
        sys.stdout = sys.stderr = sink
        sys.stdin = NoInput()
        try:
            if op == "load":
                load_ok = False
                random.seed(0)
                namespace = {"__name__": "__main__", "__builtins__": builtins}
                limit = float(request["limit"])
                try:
                    code = compile(request["program"], "<candidate>", "exec")
                    _arm(limit, limit * 3 + 1)
                    try:
                        exec(code, namespace)
                    finally:
                        _disarm()
                    answer = {"ok": True, "names": [k for k in namespace if not k.startswith("__")]}
                    load_ok = True
                except AssayTimeout:
                    answer = {"ok": False, "status": "timeout", "error": "time limit exceeded while defining the program"}
                except SyntaxError as e:
                    answer = {"ok": False, "status": "syntax_error", "error": _describe(e)}
                except BaseException as e:  # noqa: B036 - a candidate's SystemExit is a failure like any other
                    answer = {"ok": False, "status": "error", "error": _describe(e)}
            elif op == "call":
                budget = float(request["budget"])
                try:
                    function = namespace[request["name"]]
                    if "raw" in request:
                        args, kwargs = json.loads(request["raw"]), {}
                        if request.get("tagged"):
                            args = decode(args)
                    else:
                        args, kwargs = decode(request["args"]), decode(request["kwargs"])
                    _arm(budget, budget * 3 + 1)
                    try:
                        if request.get("method"):
                            function = getattr(function(), request["method"])
                        result = function(*args, **kwargs)
                        if request.get("not_none"):
                            result = result is not None
                    finally:
                        _disarm()
                    answer = {"ok": True, "value": encode(plain(result))}
                except AssayTimeout:
                    answer = {"ok": False, "status": "timeout"}
                except NotPlainData as e:
                    answer = {"ok": False, "status": "failed", "etype": "NotPlainData", "error": _describe(e)}
                except BaseException as e:  # noqa: B036
                    answer = {"ok": False, "status": "error", "etype": type(e).__name__, "error": _describe(e)}
            elif op == "calls":
                # All of an item's calls in one request (one reply line each, as each finishes): a pipe round trip
                # per call costs far more than a HumanEval-sized call itself.
                function = namespace.get(request["name"])
                limits = request["limits"]
                total = float(request.get("total") or 0)
                spent = 0.0
                for index, raw in enumerate(request["calls"]):
                    t0 = time.process_time()
                    try:
                        args = json.loads(raw)
                        if request.get("tagged"):
                            args = decode(args)
                        _arm(limits[index], limits[index] * 3 + 1)
                        try:
                            # A class entry point (LeetCode's Solution): a fresh instance for every call.
                            target = getattr(function(), request["method"]) if request.get("method") else function
                            result = target(*args)
                            if request.get("not_none"):
                                result = result is not None
                        finally:
                            _disarm()
                        part = {"ok": True, "value": encode(plain(result))}
                    except AssayTimeout:
                        part = {"ok": False, "status": "timeout"}
                    except NotPlainData as e:
                        part = {"ok": False, "status": "failed", "error": _describe(e)}
                    except BaseException as e:  # noqa: B036
                        part = {"ok": False, "status": "error", "error": _describe(e)}
                    used = time.process_time() - t0
                    spent += used
                    part.update(index=index, cpu=used, seq=request.get("seq"))
                    reply(part, now=True)
                    if part.get("status") == "timeout" or (not part["ok"] and not request.get("keep_going")) or (total and spent > total):
                        break
                answer = {"ok": True, "done": True}
            elif op == "prefetch":
                # The load's reply goes out first: if a call then hangs or ends the worker, the judge knows the
                # program was defined and recovers call by call, instead of taking it for a failed load.
                if out:
                    flush()
                # An execution-matrix row: every distinct call of a candidate's columns, run in order, the results
                # buffered and written at most every `flush` seconds (a pipe write wakes the judge, and on this
                # kind of machine a wake-up costs more than a HumanEval-sized call). After `max_timeouts` calls
                # timed out the rest are not made. Each call gets the full per-test limit.
                function = namespace.get(request["name"]) if load_ok and namespace else None
                limit = float(request["limit"])
                every = float(request.get("flush", 0.02))
                max_timeouts = int(request.get("max_timeouts") or 0)
                method = request.get("method")
                # CPU time is read (two system calls) only for the calls whose times are added up in a test; the
                # others report their wall-clock time, which is all that is needed of them.
                measured = set(request.get("measure") or ())
                clock = time.perf_counter
                timeouts = 0
                parts = []
                last = wall_armed = time.monotonic()
                wall = limit * 3 + 1
                # Per call only the CPU timer is set; the wall-clock timer, for calls that sleep, is re-armed only
                # once a call's limit has passed since it was last armed, so every call still has between 2 and 3
                # limits (+1 s) of wall time: four system calls per call instead of six. (The CPU timer's remainder
                # is no measure of the time used: the kernel rounds it to its tick.)
                signal.setitimer(signal.ITIMER_REAL, wall)
                try:
                    # Sent together with its program's load: nothing to call when that failed.
                    for index, payload in enumerate(request["calls"] if function is not None else ()):
                        cpu_clock = time.process_time if index in measured else clock
                        t0 = cpu_clock()
                        try:
                            if type(payload) is str:
                                args, kwargs = json.loads(payload), {}
                            else:
                                args, kwargs = decode(payload[0]), decode(payload[1])
                            signal.setitimer(signal.ITIMER_PROF, limit)
                            try:
                                target = getattr(function(), method) if method else function
                                result = target(*args, **kwargs)
                            finally:
                                signal.setitimer(signal.ITIMER_PROF, 0)
                            part = {"ok": True, "value": encode(plain(result))}
                        except AssayTimeout:
                            part = {"ok": False, "status": "timeout"}
                            timeouts += 1
                        except NotPlainData as e:
                            part = {"ok": False, "status": "failed", "etype": "NotPlainData", "error": _describe(e)}
                        except BaseException as e:  # noqa: B036
                            part = {"ok": False, "status": "error", "etype": type(e).__name__, "error": _describe(e)}
                        part["i"] = index
                        part["cpu"] = cpu_clock() - t0
                        parts.append(part)
                        if max_timeouts and timeouts >= max_timeouts:
                            break
                        now = time.monotonic()
                        if now - wall_armed >= limit:
                            signal.setitimer(signal.ITIMER_REAL, wall)
                            wall_armed = now
                        if now - last >= every:
                            reply({"parts": parts, "seq": request.get("seq")}, now=True)
                            parts = []
                            last = now
                finally:
                    _disarm()
                answer = {"ok": True, "done": True, "parts": parts}
            elif op == "inprocess":
                answer = _judge_in_process(request, namespace)
            else:
                answer = {"ok": False, "status": "error", "error": "unknown request"}
        finally:
            sys.stdout, sys.stderr, sys.stdin = sys.__stdout__, sys.__stderr__, sys.__stdin__
        answer["cpu"] = time.process_time() - started
        answer["seq"] = request.get("seq")
        reply(answer)
    os._exit(0)


def _judge_in_process(request, namespace):
    """The classic way, for tests that need the program's own objects: setup and tests run here."""
    limit = float(request["limit"])
    entry = request.get("entry")
    tests = []
    try:
        test_ns = dict(namespace)
        test_ns["__builtins__"] = dict(_PRISTINE_BUILTINS)
        if request.get("setup"):
            _arm(limit, limit * 3 + 1)
            try:
                exec(_compile_shared(request["setup"], "<tests>"), test_ns)
            finally:
                _disarm()
        if entry:
            original = namespace[entry]
            wrapped = lambda *a, **k: plain(original(*a, **k))  # noqa: E731
            test_ns["candidate"] = wrapped
            if request.get("rebind"):
                test_ns[entry] = wrapped
    except AssayTimeout:
        return {"ok": True, "tests": [{"passed": False, "status": "timeout"}]}
    except BaseException as e:  # noqa: B036
        return {"ok": True, "tests": [{"passed": False, "status": "error", "error": _describe(e)}]}
    for snippet in request.get("tests") or []:
        t0 = time.process_time()
        try:
            _arm(limit, limit * 3 + 1)
            try:
                exec(_compile_shared(snippet, "<test>"), test_ns)
            finally:
                _disarm()
            outcome = {"passed": True}
        except AssayTimeout:
            outcome = {"passed": False, "status": "timeout"}
        except (AssertionError, NotPlainData) as e:
            outcome = {"passed": False, "status": "failed", "error": _describe(e)}
        except BaseException as e:  # noqa: B036
            outcome = {"passed": False, "status": "error", "error": _describe(e)}
        outcome["cpu_ms"] = round((time.process_time() - t0) * 1000, 3)
        tests.append(outcome)
        if outcome.get("status") == "timeout":
            break
    return {"ok": True, "tests": tests}


# ---------------------------------------------------------------------------------------------- judge

class WorkerDied(Exception):
    def __init__(self, how):
        super().__init__(how)
        self.how = how


class WorkerTimeout(Exception):
    pass


class Worker:
    """The candidate's process, spoken to over two pipes."""

    def __init__(self):
        import subprocess
        # A fixed hash seed: the order of a set of strings is then the same in every run, so a candidate that
        # depends on it gets the same verdict every time (the environment is given whole, so honouring it is safe).
        flags = ["-s", "-P"] if sys.version_info >= (3, 11) else ["-s"]
        environment = {"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                       "HOME": os.environ.get("HOME", "/tmp"), "LANG": os.environ.get("LANG", "C.UTF-8")}
        self.process = subprocess.Popen([sys.executable] + flags + [os.path.abspath(__file__), "--worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        close_fds=True, env=environment)
        self.buffer = b""
        self.seq = 0

    def ask(self, request, wall):
        return self.receive(wall, self.send(request))

    def send(self, request):
        return self.send_many([request])[-1]

    def send_many(self, requests):
        """Sends requests in one write (on this kind of machine a pipe write that wakes the other process costs
        more than a HumanEval-sized call); returns their sequence numbers. Every request carries one, and a
        reply to an earlier or abandoned request is skipped by receive()."""
        seqs, lines = [], []
        for request in requests:
            self.seq += 1
            request["seq"] = self.seq
            seqs.append(self.seq)
            lines.append(json.dumps(request))
        try:
            self.process.stdin.write(("\n".join(lines) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._how())
        return seqs

    def receive(self, wall, seq=None):
        """The next reply line to request `seq` (default: the last one sent)."""
        target = self.seq if seq is None else seq
        deadline = time.monotonic() + wall
        fd = self.process.stdout.fileno()
        while True:
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WorkerTimeout()
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise WorkerDied(self._how())
                self.buffer += chunk
            line, _, self.buffer = self.buffer.partition(b"\n")
            answer = json.loads(line)
            if answer.get("seq") == target:
                return answer

    def _how(self):
        try:
            code = self.process.wait(timeout=2)
        except Exception:  # noqa: BLE001
            self.kill()
            return "did not exit"
        return ("signal %d" % -code) if code < 0 else ("exit code %d" % code)

    def kill(self):
        try:
            self.process.kill()
            self.process.wait(timeout=2)
        except Exception:  # noqa: BLE001
            pass


class Proxy:
    """Stands for the candidate's function in the judge: calls go to the worker, results come back as data."""

    def __init__(self, judge, name):
        self._judge, self._name = judge, name

    def __call__(self, *args, **kwargs):
        try:
            encoded_args = encode(plain(list(args)))
            encoded_kwargs = encode(plain(dict(kwargs)))
        except NotPlainData:
            raise NeedsInProcess()
        return self._judge.call(self._name, {"args": encoded_args, "kwargs": encoded_kwargs})


class LoadFailed(Exception):
    """The program could not be defined again in a fresh worker."""


class CandidateDied(Exception):
    """A call of a matrix row's assertion ended the worker (its answer is in `part`)."""
    def __init__(self, part):
        super().__init__(part.get("error"))
        self.part = part


class MemoProxy:
    """The candidate's function in a matrix row's assertion: answers from the calls made in advance, in the
    test's own CPU budget (the calls' times add up, as they would in one process); other calls go live."""

    def __init__(self, judge, name, item, limit):
        self._judge, self._name, self._item, self._limit = judge, name, item, limit

    def __call__(self, *args, **kwargs):
        judge = self._judge
        try:
            key, payload = _call_entry(list(args), dict(kwargs))
        except NotPlainData:
            raise NeedsInProcess()
        part = (judge.memo or {}).get(key)
        if part is None:
            part = judge._live_call(self._item, self._name, self._limit, payload)
        judge.test_used += part.get("cpu", 0)
        if part.get("status") == "timeout" or judge.test_used > judge.test_limit:
            raise AssayTimeout()
        if part.get("status") in ("died", "memory"):
            raise CandidateDied(part)
        return Judge.result_of(part)


def _call_entry(args, kwargs):
    """A call's memo key and its payload for the worker: the arguments in the plain-data tags, or, when they are
    plain JSON already (no tuples, sets, dicts, big ints), as JSON text, which the worker reads at C speed."""
    payload = (encode(plain(list(args))), encode(plain(dict(kwargs))))
    key = json.dumps(payload, separators=(",", ":"))
    if not kwargs:
        text = json.dumps(payload[0], separators=(",", ":"))
        if "{" not in text:
            return key, text
    return key, payload


def _call_outcome(answer):
    """A call's answer from the worker as a test outcome: its value (compared by Assay), or why it has none."""
    if answer.get("ok"):
        outcome = {"passed": True, "output": answer["value"]}
    else:
        outcome = {"passed": False, "status": answer.get("status", "error")}
        if answer.get("error"):
            outcome["error"] = answer["error"]
    outcome["cpu_ms"] = round(answer.get("cpu", 0) * 1000, 3)
    return outcome


def _load_limit(item, limit):
    """CPU time for defining the program (imports included): its own limit when the item gives one."""
    return float(item.get("load_limit") or limit)


_RAW_CALLS = {}


def _raw_call(raw):
    """A call column's arguments (a JSON array, the same for every candidate of the problem) as a memo key."""
    found = _RAW_CALLS.get(raw)
    if found is None:
        if len(_RAW_CALLS) > 65536:
            _RAW_CALLS.clear()
        found = _RAW_CALLS[raw] = _call_entry(json.loads(raw), {})
    return found


_LITERAL_CALLS = {}


def _literal_calls(source, names):
    """The calls of the entry point in a test whose arguments are all literals, in source order, distinct: they
    can be made before the test runs. Cached per test (every candidate of a problem has the same tests)."""
    cache_key = (source, names)
    found = _LITERAL_CALLS.get(cache_key)
    if found is not None:
        return found
    import ast
    found = []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        tree = None
    if tree is not None:
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
                 and not any(isinstance(a, ast.Starred) for a in n.args) and all(k.arg is not None for k in n.keywords)]
        nodes.sort(key=lambda n: (n.lineno, n.col_offset))
        seen = set()
        for node in nodes:
            try:
                args = [ast.literal_eval(a) for a in node.args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                key, payload = _call_entry(args, kwargs)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError, NotPlainData):
                continue
            if key not in seen:
                seen.add(key)
                found.append((key, payload))
    if len(_LITERAL_CALLS) > 4096:
        _LITERAL_CALLS.clear()
    _LITERAL_CALLS[cache_key] = found
    return found


class Judge:
    def __init__(self, isolated):
        self.isolated = isolated
        self.worker = None
        self.memo = None
        self.loaded = False
        self.program_names = set()
        self.end_pending = False
        self.prefetch_seq = None
        self.unused = False
        self.test_used = 0.0
        self.test_limit = 1.0

    def fresh_worker(self):
        if self.worker is not None:
            self.worker.kill()
        self.worker = Worker()
        self.loaded = False
        self.unused = True

    def call(self, name, payload):
        budget = max(self.test_limit - self.test_used, 0.001)
        request = {"op": "call", "name": name, "budget": budget}
        request.update(payload)
        answer = self.ask(request, budget * 3 + 2)
        self.test_used += answer.get("cpu", 0)
        return self.result_of(answer)

    @staticmethod
    def result_of(answer):
        """A worker's answer to a call as the call's outcome in the test: its value, or its exception re-raised."""
        if answer.get("ok"):
            return decode(answer["value"])
        if answer.get("status") == "timeout":
            raise AssayTimeout()
        etype = answer.get("etype")
        if etype == "NotPlainData":
            raise NotPlainData((answer.get("error") or "").removeprefix("NotPlainData: "))
        kind = getattr(builtins, etype, None) if etype else None
        message = answer.get("error") or ""
        if etype and message.startswith(etype + ": "):
            message = message[len(etype) + 2:]
        if isinstance(kind, type) and issubclass(kind, Exception):
            raise kind(message)
        raise RuntimeError(answer.get("error"))

    def ask(self, request, wall):
        try:
            return self.worker.ask(request, wall)
        except WorkerTimeout:
            self.worker.kill()
            self.worker = None
            raise AssayTimeout()

    def judge(self, item):
        limit = float(item.get("time_limit") or 1.0)
        entry = item.get("entry_point")
        started = time.process_time()
        worker_cpu = 0.0
        tests = []
        record = {"id": item["id"]}
        plan = self._plan_matrix(item, entry) if item.get("matrix") is not None else None
        try:
            loaded = self._start(item, limit, entry, plan)
            worker_cpu += loaded.get("cpu", 0)
            self.loaded = bool(loaded.get("ok"))
            self.program_names = set(loaded.get("names") or ())
            if not loaded.get("ok"):
                record.update(status=loaded["status"], error=loaded.get("error"))
            elif entry and entry not in loaded["names"]:
                record.update(status="error", error="NameError: entry point %r is not defined" % entry)
            elif plan is not None:
                worker_cpu += self._run_matrix(item, entry, limit, tests, record, plan)
            elif item.get("calls") is not None:
                worker_cpu += self._run_calls(item, entry, limit, tests)
            else:
                self._run_tests(item, entry, limit, loaded["names"], tests)
        except AssayTimeout:
            if plan is not None and not tests:
                record.update(status="timeout", error="time limit exceeded while defining the program")
            else:
                tests.append({"passed": False, "status": "timeout"})
        except WorkerDied as died:
            status = "memory" if died.how == "signal 9" else "died"
            error = "the program ended before its tests finished (%s)" % died.how
            if plan is not None and not tests:
                record.update(status=status, error=error)
            else:
                tests.append({"passed": False, "status": status, "error": error})
            self.worker = None
        # A matrix row's timeouts happened in calls the worker timed itself and survived; elsewhere a timeout may
        # have left the worker mid-request.
        if item.get("matrix") is None and any(t.get("status") == "timeout" for t in tests) and self.worker is not None:
            self.worker.kill()
            self.worker = None
        if "status" not in record and item.get("matrix") is not None:
            # A row's cells are its result: the item itself went fine.
            record["status"] = "passed"
        if "status" not in record:
            failed = [t for t in tests if not t["passed"]]
            record["status"] = failed[0]["status"] if failed else "passed"
            if failed and failed[0].get("error"):
                record["error"] = failed[0]["error"]
            elif item.get("calls") is not None and not failed and len(tests) < len(item["calls"]):
                record.update(status="timeout", error="the item's total time budget was used up")
        record["tests"] = tests
        record["cpu_ms"] = round((time.process_time() - started + worker_cpu) * 1000, 3)
        if self.worker is not None and self.isolated:
            self.worker.kill()
            self.worker = None
        # The check that the candidate left the interpreter as it was goes with the next candidate's requests.
        self.end_pending = self.worker is not None
        return record

    def _start(self, item, limit, entry, plan):
        """Loads the program in the worker, checking first (in the same write) that the previous candidate left
        the worker untouched, and for a matrix row sends its calls right behind the load."""
        while True:
            if self.worker is None or (self.isolated and not self.unused):
                self.fresh_worker()
                self.end_pending = False
            self.unused = False
            requests = [{"op": "end"}] if self.end_pending else []
            requests.append({"op": "load", "program": item["program"], "limit": _load_limit(item, limit)})
            if plan is not None and plan[0]:
                requests.append(self._prefetch_request(item, entry, limit, plan[0], plan[1], plan[3],
                                                       int(item.get("max_timeouts") or 0), False))
            ended = self.end_pending
            self.end_pending = False
            seqs = self.worker.send_many(requests)
            if ended:
                try:
                    done = self.worker.receive(10, seqs[0])
                except (WorkerDied, WorkerTimeout):
                    done = {"tampered": "no answer"}
                if done.get("tampered"):
                    self.worker.kill()
                    self.worker = None
                    continue
            self.prefetch_seq = seqs[-1] if plan is not None and plan[0] else None
            try:
                return self.worker.receive(_load_limit(item, limit) * 3 + 2, seqs[1 if ended else 0])
            except WorkerTimeout:
                self.worker.kill()
                self.worker = None
                raise AssayTimeout()

    def _plan_matrix(self, item, entry):
        """A matrix row's distinct calls in column order: (keys, payload per key, keys per column)."""
        names = (entry, "candidate")
        keys, payloads, by_column, in_tests = [], {}, [], set()
        for column in item["matrix"]:
            if "call" in column:
                found = [_raw_call(column["call"])]
            else:
                found = _literal_calls(column["assert"], names)
                in_tests.update(key for key, _ in found)
            by_column.append([key for key, _ in found])
            for key, payload in found:
                if key not in payloads:
                    payloads[key] = payload
                    keys.append(key)
        return keys, payloads, by_column, in_tests

    def _prefetch_request(self, item, entry, limit, keys, payloads, in_tests, max_timeouts, careful):
        request = {"op": "prefetch", "name": entry, "limit": limit, "calls": [payloads[k] for k in keys],
                   "measure": [i for i, k in enumerate(keys) if k in in_tests], "max_timeouts": max_timeouts,
                   "flush": 0 if careful else 0.02}
        if item.get("method"):
            request["method"] = item["method"]
        return request

    def _run_matrix(self, item, entry, limit, tests, record, plan):
        """An execution-matrix row: each column is a call (`{"call": json args}`, its value reported for Assay to
        compare) or an assertion (`{"assert": source}`). Every distinct call with literal arguments -- the call
        columns' and those inside the assertions -- is made in one request to the worker (see _prefetch); then
        each column is decided here in order, assertions run against those results (a call not made in advance
        still goes to the worker). After `max_timeouts` columns timed out the rest are not run."""
        columns = item["matrix"]
        max_timeouts = int(item.get("max_timeouts") or 0)
        keys, payloads, by_column, in_tests = plan
        memo, worker_cpu = self._prefetch(item, entry, limit, keys, payloads, in_tests, max_timeouts)
        self.memo = memo
        timeouts = 0
        try:
            for index, column in enumerate(columns):
                if "call" in column:
                    key = by_column[index][0]
                    outcome = _call_outcome(memo.get(key) or self._live_call(item, entry, limit, payloads[key]))
                else:
                    t0 = time.process_time()
                    outcome = self._run_assertion(item, entry, limit, column["assert"])
                    outcome["cpu_ms"] = round((time.process_time() - t0 + self.test_used) * 1000, 3)
                tests.append(outcome)
                if outcome.get("status") in ("timeout", "died", "memory"):
                    timeouts += 1
                    if max_timeouts and timeouts >= max_timeouts:
                        if len(tests) < len(columns):
                            record["stopped"] = "timeouts"
                        break
        finally:
            self.memo = None
        return worker_cpu

    def _run_assertion(self, item, entry, limit, source):
        test_ns = {"__name__": "__main__", "__builtins__": dict(_PRISTINE_BUILTINS)}
        proxy = MemoProxy(self, entry, item, limit)
        test_ns["candidate"] = proxy
        test_ns[entry] = proxy
        try:
            self._run_one(source, "<test>", test_ns, limit)
            return {"passed": True}
        except AssayTimeout:
            return {"passed": False, "status": "timeout"}
        except CandidateDied as died:
            return {"passed": False, "status": died.part.get("status", "died"), "error": died.part.get("error")}
        except (AssertionError, NotPlainData) as e:
            return {"passed": False, "status": "failed", "error": _describe(e)}
        except NeedsInProcess:
            pass
        except NameError as e:
            if getattr(e, "name", None) not in self.program_names:
                return {"passed": False, "status": "error", "error": _describe(e)}
        except WorkerDied as died:
            return self._worker_died(died)
        except Exception as e:  # noqa: BLE001 - the candidate's exception, re-raised by the proxy
            return {"passed": False, "status": "error", "error": _describe(e)}
        # Arguments that are not data, or the test uses the program's own names: judged inside the worker.
        try:
            self._ensure_loaded(item, limit)
            answer = self.ask({"op": "inprocess", "setup": "", "tests": [source], "entry": entry, "rebind": True, "limit": limit},
                              limit * 6 + 2)
        except LoadFailed:
            return {"passed": False, "status": "error", "error": "the program could not be defined again"}
        except AssayTimeout:
            self.loaded = False
            return {"passed": False, "status": "timeout"}
        except WorkerDied as died:
            return self._worker_died(died)
        self.in_process = True
        found = answer.get("tests") or [{"passed": False, "status": "error", "error": "no outcome"}]
        return found[0]

    def _worker_died(self, died):
        """An assertion's outcome when the worker died under it: signal 9 is the sandbox's memory limit."""
        self.worker = None
        self.loaded = False
        return {"passed": False, "status": "memory" if died.how == "signal 9" else "died",
                "error": "the program ended before its tests finished (%s)" % died.how}

    def _prefetch(self, item, entry, limit, keys, payloads, in_tests, max_timeouts):
        """Makes the calls in one request; returns the worker's answer per call key, and the worker's CPU time.
        Replies come in buffered chunks, so when the worker hangs in a call (a loop that swallows the timer's
        exception, a C call that ignores signals) or dies, the calls after the last chunk are made again one
        reply at a time, which tells exactly which call it was; that call counts as timed out (or died) and the
        rest continue in a fresh worker."""
        memo = {}
        cpu = 0.0
        pending = list(keys)
        careful = False
        timeouts = 0
        seq, self.prefetch_seq = self.prefetch_seq, None
        while pending and not (max_timeouts and timeouts >= max_timeouts):
            try:
                if seq is None:
                    if self.worker is None:
                        self.fresh_worker()
                        try:
                            if not self._load(item, limit):
                                break
                        except AssayTimeout:
                            break
                    seq = self.worker.send(self._prefetch_request(item, entry, limit, pending, payloads, in_tests,
                                                                  (max_timeouts - timeouts) if max_timeouts else 0, careful))
                while True:
                    answer = self.worker.receive(limit * 3 + 1.5, seq)
                    for part in answer.get("parts", []):
                        memo[pending[part["i"]]] = part
                        cpu += part.get("cpu", 0)
                        if part.get("status") == "timeout":
                            timeouts += 1
                    if answer.get("done"):
                        break
                pending = []
            except (WorkerTimeout, WorkerDied) as fault:
                hung = isinstance(fault, WorkerTimeout)
                how = None if hung else fault.how
                if hung:
                    # The worker spun for the whole wait; its CPU time is lost with it, so count the wait.
                    cpu += limit * 3 + 1.5
                if self.worker is not None:
                    self.worker.kill()
                self.worker = None
                self.loaded = False
                rest = [k for k in pending if k not in memo]
                if careful and rest:
                    if hung:
                        memo[rest[0]] = {"ok": False, "status": "timeout", "cpu": limit}
                    else:
                        memo[rest[0]] = {"ok": False, "status": "memory" if how == "signal 9" else "died",
                                         "error": "the program ended before its tests finished (%s)" % how}
                    timeouts += 1
                    rest = rest[1:]
                careful = not careful
                pending = rest
            seq = None
        return memo, cpu

    def _load(self, item, limit):
        load_limit = _load_limit(item, limit)
        loaded = self.ask({"op": "load", "program": item["program"], "limit": load_limit}, load_limit * 3 + 2)
        self.loaded = bool(loaded.get("ok"))
        return self.loaded

    def _ensure_loaded(self, item, limit):
        if self.worker is None:
            self.fresh_worker()
            self.loaded = False
        if not self.loaded and not self._load(item, limit):
            raise LoadFailed()

    def _live_call(self, item, entry, limit, payload):
        """A call that was not made in advance (the worker stopped early, or the test computes its arguments)."""
        try:
            self._ensure_loaded(item, limit)
            if type(payload) is str:
                payload = (json.loads(payload), {"dict": []})
            request = {"op": "call", "name": entry, "budget": limit, "args": payload[0], "kwargs": payload[1]}
            if item.get("method"):
                request["method"] = item["method"]
            return self.ask(request, limit * 3 + 2)
        except AssayTimeout:
            self.loaded = False
            return {"ok": False, "status": "timeout", "cpu": limit}
        except LoadFailed:
            return {"ok": False, "status": "error", "error": "the program could not be defined again"}
        except WorkerDied as died:
            self.worker = None
            self.loaded = False
            return {"ok": False, "status": "memory" if died.how == "signal 9" else "died",
                    "error": "the program ended before its tests finished (%s)" % died.how}

    def _run_calls(self, item, entry, limit, tests):
        limits = item.get("call_limits") or []
        calls = item["calls"]
        per_call = [float(limits[i]) if i < len(limits) else limit for i in range(len(calls))]
        spent = 0.0
        request = {"op": "calls", "name": entry, "calls": calls, "limits": per_call,
                   "total": float(item.get("total_limit") or 0), "keep_going": bool(item.get("keep_going"))}
        for key, flag in (("tagged", "tagged_calls"), ("method", "method"), ("not_none", "not_none")):
            if item.get(flag):
                request[key] = item[flag]
        self.worker.send(request)
        while True:
            # The wall-clock backstop restarts with every call that reports.
            wall = per_call[len(tests)] * 3 + 2 if len(tests) < len(per_call) else 10
            try:
                answer = self.worker.receive(wall)
            except WorkerTimeout:
                self.worker.kill()
                self.worker = None
                raise AssayTimeout()
            if answer.get("done"):
                break
            spent += answer.get("cpu", 0)
            tests.append(_call_outcome(answer))
        return spent

    def _run_tests(self, item, entry, limit, names, tests):
        test_ns = {"__name__": "__main__", "__builtins__": dict(_PRISTINE_BUILTINS)}
        if entry:
            test_ns["candidate"] = Proxy(self, entry)
            if item.get("rebind"):
                test_ns[entry] = Proxy(self, entry)
        program_names = set(names)
        try:
            if item.get("setup"):
                self._run_one(item["setup"], "<tests>", test_ns, limit)
            for snippet in item.get("tests") or []:
                t0 = time.process_time()
                try:
                    self._run_one(snippet, "<test>", test_ns, limit)
                    outcome = {"passed": True}
                except AssayTimeout:
                    outcome = {"passed": False, "status": "timeout"}
                except (AssertionError, NotPlainData) as e:
                    outcome = {"passed": False, "status": "failed", "error": _describe(e)}
                except NameError as e:
                    if getattr(e, "name", None) in program_names:
                        raise NeedsInProcess()
                    outcome = {"passed": False, "status": "error", "error": _describe(e)}
                except (NeedsInProcess, WorkerDied):
                    # A dead worker (signal 9: the memory limit) ends the item; `run` reports how it died.
                    raise
                except Exception as e:  # noqa: BLE001 - the candidate's exception, re-raised by the proxy
                    outcome = {"passed": False, "status": "error", "error": _describe(e)}
                # The test code's own time here plus the candidate's time in the worker.
                outcome["cpu_ms"] = round((time.process_time() - t0 + self.test_used) * 1000, 3)
                tests.append(outcome)
                if outcome.get("status") == "timeout":
                    break
        except NeedsInProcess:
            tests.clear()
            answer = self.ask({"op": "inprocess", "setup": item.get("setup"), "tests": item.get("tests"), "entry": entry,
                               "rebind": item.get("rebind"), "limit": limit},
                              limit * 3 * (len(item.get("tests") or []) + 1) + 2)
            tests.extend(answer.get("tests", []))
            self.in_process = True
        except NameError as e:
            if getattr(e, "name", None) in program_names:
                tests.clear()
                answer = self.ask({"op": "inprocess", "setup": item.get("setup"), "tests": item.get("tests"), "entry": entry,
                                   "rebind": item.get("rebind"), "limit": limit},
                                  limit * 3 * (len(item.get("tests") or []) + 1) + 2)
                tests.extend(answer.get("tests", []))
                self.in_process = True
            else:
                tests.append({"passed": False, "status": "error", "error": _describe(e)})
        except AssayTimeout:
            tests.append({"passed": False, "status": "timeout"})
        except WorkerDied:
            raise
        except Exception as e:  # noqa: BLE001 - setup code failing on the candidate's account
            tests.append({"passed": False, "status": "error", "error": _describe(e)})

    def _run_one(self, source, name, namespace, limit):
        self.test_used = 0.0
        self.test_limit = limit
        # The test code itself is trusted; its own CPU time counts too, with the same backstop.
        t0 = time.process_time()
        signal.setitimer(signal.ITIMER_REAL, limit * 3 + 1)
        try:
            exec(_compile_shared(source, name), namespace)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if time.process_time() - t0 + self.test_used > limit * 3 + 1:
            raise AssayTimeout()


def judge_main():
    results = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
    devnull = os.open(os.devnull, os.O_RDWR)
    # The worker starts while the items are read: an interpreter start is the costliest step of a small batch.
    early = Worker()
    raw = sys.stdin.buffer.read()
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    lines = raw.decode("utf-8").split("\n")
    header = json.loads(lines[0])
    nonce = header["nonce"]
    signal.signal(signal.SIGALRM, _on_timer)
    judge = Judge(bool(header.get("isolated")))
    judge.worker, judge.unused = early, True
    count = 0
    flushed = time.monotonic()
    for line in lines[1:]:
        if not line.strip():
            continue
        item = json.loads(line)
        judge.in_process = False
        try:
            record = judge.judge(item)
        except Exception as e:  # noqa: BLE001 - a fault of the harness itself, reported as such
            import traceback
            record = {"id": item["id"], "status": "harness_error", "error": _describe(e),
                      "traceback": traceback.format_exc()[-2000:]}
            if judge.worker is not None:
                judge.worker.kill()
                judge.worker = None
        if judge.in_process:
            record["in_process"] = True
        record["nonce"] = nonce
        results.write(json.dumps(record, separators=(",", ":")) + "\n")
        # Written out now and then rather than per record (each write wakes the supervisor); records still
        # buffered when the sandbox is stopped are judged again, alone.
        if time.monotonic() - flushed >= 0.05:
            results.flush()
            flushed = time.monotonic()
        count += 1
    if judge.worker is not None:
        judge.worker.kill()
    results.write(json.dumps({"done": count, "nonce": nonce}) + "\n")
    results.flush()
    os._exit(0)


# The builtins as they were before any candidate ran: test code always runs with a copy of these.
_PRISTINE_BUILTINS = dict(builtins.__dict__)

if len(sys.argv) > 1 and sys.argv[1] == "--worker":
    worker_main()
else:
    judge_main()
