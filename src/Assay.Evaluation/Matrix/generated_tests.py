# Examines generated assertions for Assay's execution matrix, inside the sandbox. Nothing is executed: the
# assertions are only compiled and parsed.
#
# stdin: {"entry_points": {task: name}, "tests": [[task, assertion], ...]}
# stdout: one JSON list, per assertion: {"valid": bool, "inputs": [[args, tagged], ...], "call": args|null,
#   "tagged": bool, "expected": plain-data JSON|null}
#   valid  -- CodeT's rule: `try:\n    <assertion>\nexcept:\n    pass` compiles (the assertion's lines indented).
#   inputs -- for each call of the entry point with literal positional arguments only, its arguments (see
#             arguments()); calls with computed arguments are left out.
#   call, tagged, expected -- when the whole assertion is `assert ENTRY(literal args) == literal` (either side,
#             any message): its arguments as above and the literal in the harness's plain-data JSON, so that it can
#             be judged as a call whose returned value is compared with the literal outside the sandbox.
import ast, json, sys


def exact_json(value):
    t = type(value)
    if value is None or t in (bool, int, float, str):
        return True
    if t is list:
        return all(exact_json(v) for v in value)
    if t is dict:
        return all(type(k) is str and exact_json(v) for k, v in value.items())
    return False


def encode(value):
    """The harness's plain-data JSON (python_harness_data.py encode) for a literal, set elements in the same
    order as there, so that equal sets give the same text (a set of strings iterates in hash order)."""
    t = type(value)
    if value is None or t is bool or t is str:
        return value
    if t is int:
        return value if -(1 << 53) < value < (1 << 53) else {"int": str(value)}
    if t is float:
        if value != value:
            return {"float": "nan"}
        if value in (float("inf"), float("-inf")):
            return {"float": "inf" if value > 0 else "-inf"}
        return value
    if t is list:
        return [encode(v) for v in value]
    if t is tuple:
        return {"tuple": [encode(v) for v in value]}
    if t is dict:
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if t is set or t is frozenset:
        return {"set": sorted((encode(v) for v in value), key=lambda x: json.dumps(x, sort_keys=True))}
    if t is complex:
        return {"complex": [encode(value.real), encode(value.imag)]}
    if t is bytes:
        return {"bytes": value.hex()}
    raise ValueError("not a literal")


def arguments(args):
    """(text, tagged) for a call's literal arguments: a plain JSON array when JSON carries them exactly (lists,
    str-keyed dicts, str, int, float, bool, None), which is the form every such input had before tags were
    allowed, so their columns and content keys stay as they were; otherwise the list in the harness's
    plain-data tags (tuples, sets, bytes, big ints, complex numbers, other dict keys), which the harness
    decodes before calling. ValueError for what is neither (a literal_eval result cannot be, but stay safe)."""
    if exact_json(args):
        return json.dumps(args), False
    return json.dumps(encode(args)), True


def call_form(source, entry):
    """(args, tagged, expected JSON) when the assertion is exactly `assert ENTRY(literals) == literal`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assert):
        return None
    test = tree.body[0].test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return None
    for call, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == entry and not call.keywords \
                and not any(isinstance(a, ast.Starred) for a in call.args):
            try:
                text, tagged = arguments([ast.literal_eval(a) for a in call.args])
                encoded = encode(ast.literal_eval(other))
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return None
            return text, tagged, json.dumps(encoded)
    return None


def inputs_of(source, entry):
    found = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == entry and not node.keywords:
            try:
                found_args = list(arguments([ast.literal_eval(a) for a in node.args]))
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            if found_args not in found:
                found.append(found_args)
    return found


def main():
    request = json.loads(sys.stdin.read())
    entries = request["entry_points"]
    answers = []
    for task, assertion in request["tests"]:
        block = "try:\n    " + assertion.replace("\n", "\n    ") + "\nexcept:\n    pass\n"
        try:
            compile(block, "<test>", "exec")
            valid = True
        except Exception:  # noqa: BLE001 - anything compile() refuses makes the assertion invalid, as in CodeT
            valid = False
        form = call_form(assertion, entries[task]) if valid else None
        answers.append({"valid": valid, "inputs": inputs_of(assertion, entries[task]) if valid else [],
                        "call": form[0] if form else None, "tagged": bool(form and form[1]),
                        "expected": form[2] if form else None})
    sys.stdout.write(json.dumps(answers))


main()
