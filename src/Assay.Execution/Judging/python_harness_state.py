# Python harness, part: the worker's interpreter state. Where a candidate's prints and reads go, and the
# snapshot of the interpreter (builtins, modules, signal handlers, threads, atexit, streams) that is compared
# after every candidate, so that one that tampered with the worker is not followed by another in it.


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
