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
#    "not_none": bool (report only whether each result is not None: results that are not data, re.Match)}
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

def worker_main():
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    signal.signal(signal.SIGPROF, _on_timer)
    signal.signal(signal.SIGALRM, _on_timer)
    baseline = _snapshot()
    namespace = None
    served = 0

    def reply(obj):
        replies.write(json.dumps(obj) + "\n")
        replies.flush()

    for line in requests:
        request = json.loads(line)
        op = request["op"]
        started = time.process_time()
        if op == "end":
            # Checked with the streams back in place, as they were when the baseline was taken.
            reason = _tampered(baseline)
            namespace = None
            served += 1
            if served % 25 == 0:
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
                    reply(part)
                    if part.get("status") == "timeout" or (not part["ok"] and not request.get("keep_going")) or (total and spent > total):
                        break
                answer = {"ok": True, "done": True}
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
        self.process = subprocess.Popen([sys.executable, "-I", os.path.abspath(__file__), "--worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        close_fds=True)
        self.buffer = b""
        self.seq = 0

    def ask(self, request, wall):
        self.send(request)
        return self.receive(wall)

    def send(self, request):
        # Every request carries a sequence number; a late reply to an abandoned request is skipped.
        self.seq += 1
        request["seq"] = self.seq
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._how())

    def receive(self, wall):
        """The next reply line to the current request."""
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
            if answer.get("seq") == self.seq:
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


class Judge:
    def __init__(self, isolated):
        self.isolated = isolated
        self.worker = None
        self.test_used = 0.0
        self.test_limit = 1.0

    def fresh_worker(self):
        if self.worker is not None:
            self.worker.kill()
        self.worker = Worker()

    def call(self, name, payload):
        budget = max(self.test_limit - self.test_used, 0.001)
        request = {"op": "call", "name": name, "budget": budget}
        request.update(payload)
        answer = self.ask(request, budget * 3 + 2)
        self.test_used += answer.get("cpu", 0)
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
        if self.worker is None or self.isolated:
            self.fresh_worker()
        try:
            loaded = self.ask({"op": "load", "program": item["program"], "limit": limit}, limit * 3 + 2)
            worker_cpu += loaded.get("cpu", 0)
            if not loaded.get("ok"):
                record.update(status=loaded["status"], error=loaded.get("error"))
            elif entry and entry not in loaded["names"]:
                record.update(status="error", error="NameError: entry point %r is not defined" % entry)
            elif item.get("calls") is not None:
                worker_cpu += self._run_calls(item, entry, limit, tests)
            else:
                self._run_tests(item, entry, limit, loaded["names"], tests)
        except AssayTimeout:
            tests.append({"passed": False, "status": "timeout"})
        except WorkerDied as died:
            status = "memory" if died.how == "signal 9" else "died"
            tests.append({"passed": False, "status": status,
                          "error": "the program ended before its tests finished (%s)" % died.how})
            self.worker = None
        if any(t.get("status") == "timeout" for t in tests) and self.worker is not None:
            self.worker.kill()
            self.worker = None
        if "status" not in record:
            failed = [t for t in tests if not t["passed"]]
            record["status"] = failed[0]["status"] if failed else "passed"
            if failed and failed[0].get("error"):
                record["error"] = failed[0]["error"]
            elif item.get("calls") is not None and not failed and len(tests) < len(item["calls"]):
                record.update(status="timeout", error="the item's total time budget was used up")
        record["tests"] = tests
        record["cpu_ms"] = round((time.process_time() - started + worker_cpu) * 1000, 3)
        if self.worker is not None:
            try:
                done = self.worker.ask({"op": "end"}, 10)
                if done.get("tampered") or self.isolated:
                    self.worker.kill()
                    self.worker = None
            except (WorkerDied, WorkerTimeout):
                self.worker = None
        return record

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
            used = answer.get("cpu", 0)
            spent += used
            if answer.get("ok"):
                outcome = {"passed": True, "output": answer["value"]}
            else:
                outcome = {"passed": False, "status": answer.get("status", "error")}
                if answer.get("error"):
                    outcome["error"] = answer["error"]
            outcome["cpu_ms"] = round(used * 1000, 3)
            tests.append(outcome)
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
                except NeedsInProcess:
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
    raw = sys.stdin.buffer.read()
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    lines = raw.decode("utf-8").split("\n")
    header = json.loads(lines[0])
    nonce = header["nonce"]
    signal.signal(signal.SIGALRM, _on_timer)
    judge = Judge(bool(header.get("isolated")))
    count = 0
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
        results.write(json.dumps(record) + "\n")
        results.flush()
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
