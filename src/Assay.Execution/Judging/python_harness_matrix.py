# Python harness, part: execution-matrix rows. Every distinct call of a row is made in one request to the
# worker (prefetch); the row's assertions then run in the judge against those results. Judge inherits MatrixRows.


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


_RAW_CALLS = {}


def _raw_call(raw, tagged):
    """A call column's arguments (a JSON array, the same for every candidate of the problem; in the plain-data
    tags when `tagged`: tuples, sets, ...) as a memo key, the same key as that call written in an assertion."""
    found = _RAW_CALLS.get((raw, tagged))
    if found is None:
        if len(_RAW_CALLS) > 65536:
            _RAW_CALLS.clear()
        args = json.loads(raw)
        found = _RAW_CALLS[(raw, tagged)] = _call_entry(decode(args) if tagged else args, {})
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


class MatrixRows:
    """Judge's methods for execution-matrix rows (see Judge.judge)."""

    def _plan_matrix(self, item, entry):
        """A matrix row's distinct calls in column order: (keys, payload per key, keys per column)."""
        names = (entry, "candidate")
        keys, payloads, by_column, in_tests = [], {}, [], set()
        for column in item["matrix"]:
            if "call" in column:
                found = [_raw_call(column["call"], bool(column.get("tagged")))]
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
            return {"passed": False, "status": "memory" if isinstance(e, MemoryError) else "error", "error": _describe(e)}
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
