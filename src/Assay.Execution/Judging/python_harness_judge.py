# Python harness, part: the judge. Loads each program in the worker and runs its tests (assert snippets, or
# input/output calls whose values Assay compares), the candidate's function reached only through Proxy.


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


class Judge(MatrixRows):
    def __init__(self, isolated, server=None):
        self.isolated = isolated
        self.server = server
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
        self.worker = Worker(self.server)
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
                except MemoryError as e:
                    # The candidate's MemoryError, re-raised by the proxy: the memory limit (see _raised).
                    outcome = {"passed": False, "status": "memory", "error": _describe(e)}
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
            tests.append({"passed": False, "status": "memory" if isinstance(e, MemoryError) else "error", "error": _describe(e)})

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
