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


def _values_stamp(d):
    """A dict's size and the sum of its values' identities: changes when a value is rebound (the fallback stamp)."""
    return (len(d), sum(map(id, d.values())))


_values_stamp.all = lambda dicts: list(map(_values_stamp, dicts))
# Whether the stamp changes with every change to a dict (then an unchanged sys.modules needs no closer look).
_values_stamp.exact = False


def _dict_stamp_reader():
    """How the worker tells, after each candidate, which module dicts changed. CPython stamps every dict with a
    version tag that changes whenever the dict does (PEP 509, `ma_version_tag`, right after the object header and
    `ma_used`): reading it is one memory read per module, where summing every module's value identities cost
    ~0.75 ms per candidate once candidates had imported numpy and the like (28% of the harness's CPU time on
    CodeT's HumanEval samples). The tag is used only if it behaves so on this interpreter, checked here; otherwise
    (another layout, a later CPython that dropped the tag) the identities are summed as before. A stamp that
    moves without a rebinding costs one module's names compared; one that stayed on a rebinding would miss it,
    hence the check. A candidate able to forge the tag (ctypes) could rewrite a function in place anyway."""
    try:
        import ctypes
        read = ctypes.c_uint64.from_address
        offset = object.__basicsize__ + ctypes.sizeof(ctypes.c_ssize_t)

        def stamp(d):
            return read(id(d) + offset).value

        import operator
        value = operator.attrgetter("value")

        def stamp_all(dicts):
            # One pass in C over every module: no Python-level call per module.
            return list(map(value, map(read, map(offset.__add__, map(id, dicts)))))

        stamp.all = stamp_all
        stamp.exact = True

        probe, other, kept = {"a": 1, "b": 2}, {}, object()
        seen = [stamp(probe)]
        other["x"] = 1          # another dict changing leaves this one's stamp alone
        seen.append(stamp(probe))
        probe["a"] = kept       # a value rebound
        seen.append(stamp(probe))
        probe["a"] = kept       # the same value again: no change
        seen.append(stamp(probe))
        del probe["b"]          # a name removed
        seen.append(stamp(probe))
        if (seen[0] == seen[1] and seen[2] == seen[3] and len({seen[1], seen[2], seen[4]}) == 3 and seen[2] != 0
                and stamp_all([probe, other]) == [seen[4], stamp(other)]):
            return stamp
    except Exception:  # noqa: BLE001 - no ctypes, or not CPython: the fallback
        pass
    return _values_stamp


def _module_fingerprint(modules, known=None):
    """Name -> id of value for every module's globals (a module already in `known`, the same object, keeps its
    entry: only modules imported since are read). Names added later are not tampering (importing a submodule
    adds one to its package); a name that was there and now is bound to something else is."""
    fingerprint = {}
    old = known or {}
    for name, module in modules:
        entry = old.get(name)
        if entry is not None and entry[0] is module:
            fingerprint[name] = entry
            continue
        d = getattr(module, "__dict__", None)
        if isinstance(d, dict):
            fingerprint[name] = (module, {k: id(v) for k, v in d.items() if not (k.startswith("__") and k.endswith("__"))})
    return fingerprint


def _interpreter_state():
    return {
        "builtins": _DICT_STAMP(builtins.__dict__),
        "signals": tuple(signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPROF, signal.SIGALRM)),
        "threads": threading.active_count(),
        "atexit": atexit._ncallbacks(),
        "streams": (id(sys.stdout), id(sys.stderr), id(sys.stdin), id(sys.__stdout__)),
        "hooks": (sys.gettrace(), sys.getprofile(), id(sys.excepthook), sys.getrecursionlimit()),
        "cwd": os.getcwd(),
    }


def _snapshot(previous=None):
    """The interpreter as it is now. Given the previous snapshot (taken before a candidate that left it untouched
    but imported modules), only the modules imported since are read name by name."""
    modules = sorted((k, v) for k, v in sys.modules.items() if v is not None)
    fingerprint = _module_fingerprint(modules, previous["modules"] if previous else None)
    dicts = [module.__dict__ for module, _ in fingerprint.values()]
    return {
        "state": _interpreter_state(),
        "sys.modules": _DICT_STAMP(sys.modules),
        "module_ids": {k: id(v) for k, v in modules},
        "modules": fingerprint,
        "order": list(fingerprint),
        "dicts": dicts,
        "stamps": _DICT_STAMP.all(dicts),
    }


def _tampered(before):
    stamp = _DICT_STAMP
    if not (stamp.exact and stamp(sys.modules) == before["sys.modules"]):
        after_ids = {k: id(v) for k, v in sys.modules.items() if v is not None}
        for k, v in before["module_ids"].items():
            if after_ids.get(k) != v:
                return "sys.modules[%r] replaced" % k
    now = _interpreter_state()
    for key, value in before["state"].items():
        if now[key] != value:
            return "interpreter state changed: " + key
    stamps = before["stamps"]
    current = stamp.all(before["dicts"])
    if current == stamps:
        return None
    missing = object()
    for index, (old, new) in enumerate(zip(stamps, current)):
        if old == new:
            continue
        name = before["order"][index]
        d = before["dicts"][index]
        for key, ident in before["modules"][name][1].items():
            value = d.get(key, missing)
            if value is missing or id(value) != ident:
                return "module %s: %s rebound" % (name, key)
        # Only names added (a submodule imported, a warnings registry): the new stamp is the baseline's.
        stamps[index] = new
    return None


# How module dicts are stamped; the worker picks the cheapest reader that works at its start (worker_main).
_DICT_STAMP = _values_stamp
