# Python harness, part: plain data. A result crosses from the worker to the judge only as plain data: plain()
# rebuilds it from exact builtin types with the base classes' own methods, encode() turns it into JSON with tags
# for what JSON lacks, decode() turns that back into Python values on the other side.


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
