# Python harness, part: the worker process. Runs candidate code and nothing else, answering the judge's
# requests (load, call, calls, prefetch, inprocess, end) one JSON line each over its pipes.


class _Requests:
    """The worker's request lines, read straight from the pipe, so that it knows whether more are waiting."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, b""

    def __iter__(self):
        while True:
            if b"\n" not in self.buffer:
                # Only each new chunk is searched, and the chunks are joined once: appending each pipe read (64 KB)
                # to the buffer and searching all of it again was quadratic in a program's size (30 MB: seconds,
                # spent inside the load's time limit).
                parts = [self.buffer]
                while True:
                    chunk = os.read(self.fd, 1 << 20)
                    if not chunk:
                        return
                    parts.append(chunk)
                    if b"\n" in chunk:
                        break
                self.buffer = b"".join(parts)
            line, _, self.buffer = self.buffer.partition(b"\n")
            yield line

    def waiting(self):
        return b"\n" in self.buffer


def _worker_setup():
    """What every worker does before its first request: the same in a new interpreter and in the fork server
    (whose forks start from it)."""
    signal.signal(signal.SIGPROF, _on_timer)
    signal.signal(signal.SIGALRM, _on_timer)
    # logging registers an atexit hook when first imported (requests, urllib3 and others import it), which would
    # make the worker look tampered with and cost a restart; imported up front it is part of the baseline.
    import logging  # noqa: F401
    # random too: it is re-seeded before every program, so a candidate that draws from it behaves the same in
    # every run and whichever candidates ran before it in this worker.
    import random  # noqa: F401
    global _DICT_STAMP
    _DICT_STAMP = _dict_stamp_reader()


def _detach_streams():
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def worker_main():
    """A worker started as a new interpreter: requests on stdin, replies on stdout."""
    requests_fd, replies_fd = os.dup(0), os.dup(1)
    _detach_streams()
    _worker_setup()
    _serve(requests_fd, replies_fd)


def fork_server_main():
    """The fork server (see ForkServer): set up as a worker, then forks one on each request from the judge, whose
    socket is its stdin. A fork's request and reply pipes come with the request."""
    import socket
    sock = socket.socket(fileno=os.dup(0))
    _detach_streams()
    _worker_setup()
    # What every fork shares and nothing changes: the collector need not walk it in any of them.
    gc.freeze()
    pending = b""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 256, 2)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)
        pending += message
        while b"\n" in pending:
            line, _, pending = pending.partition(b"\n")
            words = line.split()
            if words[:1] == [b"fork"] and len(fds) == 2:
                pid = os.fork()
                if pid == 0:
                    sock.close()
                    _serve(fds[0], fds[1])
                for fd in fds:
                    os.close(fd)
                fds = []
                sock.sendall(b"%d\n" % pid)
            elif words[:1] == [b"wait"] and len(words) == 2:
                try:
                    _, status = os.waitpid(int(words[1]), 0)
                    sock.sendall(b"%d\n" % os.waitstatus_to_exitcode(status))
                except (ChildProcessError, ValueError):
                    sock.sendall(b"?\n")
            else:
                os._exit(0)


def _serve(requests_fd, replies_fd):
    """The worker's request loop; never returns."""
    # When the sandbox runs out of memory the kernel's OOM killer must take the candidate's process, never the
    # judge (or the fork server), which then reports memory_limit and starts a fresh worker for the next candidate.
    try:
        with open("/proc/self/oom_score_adj", "w") as adj:
            adj.write("1000")
    except OSError:
        pass
    import random
    requests = _Requests(requests_fd)
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
                baseline = _snapshot(baseline)
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
                    answer = _raised(e)
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
                    answer = _raised(e)
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
                        part = _raised(e)
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
                            part = _raised(e)
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
        return {"ok": True, "tests": [{"passed": False, "status": _raised(e)["status"], "error": _describe(e)}]}
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
            outcome = {"passed": False, "status": _raised(e)["status"], "error": _describe(e)}
        outcome["cpu_ms"] = round((time.process_time() - t0) * 1000, 3)
        tests.append(outcome)
        if outcome.get("status") == "timeout":
            break
    return {"ok": True, "tests": tests}
