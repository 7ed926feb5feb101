# Examines generated assertions for Assay's execution matrix, inside the sandbox. Nothing is executed: the
# assertions are only compiled and parsed.
#
# stdin: {"entry_points": {task: name}, "tests": [[task, assertion], ...]}
# stdout: one JSON list, per assertion: {"valid": bool, "inputs": [json-args, ...]}
#   valid  -- CodeT's rule: `try:\n    <assertion>\nexcept:\n    pass` compiles (the assertion's lines indented).
#   inputs -- for each call of the entry point with literal positional arguments only: the arguments as a JSON
#             array, when JSON carries them exactly (lists, str-keyed dicts, str, int, float, bool, None);
#             calls with tuples, sets or computed arguments are left out.
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


def inputs_of(source, entry):
    found = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == entry and not node.keywords:
            try:
                args = [ast.literal_eval(a) for a in node.args]
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            if exact_json(args):
                text = json.dumps(args)
                if text not in found:
                    found.append(text)
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
        answers.append({"valid": valid, "inputs": inputs_of(assertion, entries[task]) if valid else []})
    sys.stdout.write(json.dumps(answers))


main()
