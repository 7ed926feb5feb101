"""Diffs two output directories of check.sh: per part, the figures that changed, then every sample (task_id +
completion_id) whose passed flag or status changed, with both errors; for rank parts every problem whose ranking
figures changed. Exit 0: nothing changed; 1: something did; 2: bad usage."""

from pathlib import Path

from parts import PARTS, select
from summary import figures, load_verdicts

IGNORED_FIGURES = {"seconds", "uptime_before", "uptime_after", "commit", "finished", "matrix_seconds", "matrix_from_store"}
RANK_FIELDS = ("passed", "samples", "ranked_pass_at_k", "top_pick", "tied_at_top", "groups", "top_group")


def _key(v):
    return (v["task_id"], v.get("completion_id"))


def _show(v):
    if v is None:
        return "(absent)"
    text = f"passed={v['passed']} status={v.get('status')}"
    if v.get("error"):
        text += f"\n        error: {v['error']}"
    elif v.get("result") and v.get("result") != "passed":
        text += f"\n        result: {v['result']}"
    return text


def _figure_changes(old: dict, new: dict) -> list[str]:
    changes = []
    for key in sorted(set(old) | set(new)):
        if key in IGNORED_FIGURES or old.get(key) == new.get(key):
            continue
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if a.get(k) != b.get(k):
                    changes.append(f"{key}.{k}: {a.get(k)} -> {b.get(k)}")
        elif isinstance(a, list) and isinstance(b, list):
            gone, came = sorted(set(a) - set(b)), sorted(set(b) - set(a))
            changes.append(f"{key}: " + "; ".join(filter(None, [gone and "no longer: " + ", ".join(map(str, gone)),
                                                                 came and "now: " + ", ".join(map(str, came))])))
        else:
            changes.append(f"{key}: {a} -> {b}")
    return changes


def compare_part(part, old_dir: Path, new_dir: Path, show_tests: bool, limit: int, say) -> bool:
    fo, fn = figures(part, old_dir), figures(part, new_dir)
    if fo is None or fn is None:
        say(f"== {part.name}: only in {'NEW' if fo is None else 'OLD'}")
        return True
    changed = False
    header = f"== {part.name}  (old {fo.get('seconds')} s exit {fo.get('exit')}, new {fn.get('seconds')} s exit {fn.get('exit')})"
    lines = [f"  figure {c}" for c in _figure_changes(fo, fn)]
    old = {_key(v): v for v in load_verdicts(old_dir)}
    new = {_key(v): v for v in load_verdicts(new_dir)}
    moved, tests_moved = [], []
    for key in sorted(set(old) | set(new), key=lambda k: (str(k[0]), k[1] if k[1] is not None else -1)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            moved.append((key, a, b))
        elif part.verb == "rank":
            if any(a.get(f) != b.get(f) for f in RANK_FIELDS):
                moved.append((key, a, b))
        elif a["passed"] != b["passed"] or a.get("status") != b.get("status"):
            moved.append((key, a, b))
        elif a.get("tests") != b.get("tests"):
            tests_moved.append((key, a, b))
    if moved:
        kinds = {}
        for _, a, b in moved:
            label = f"{_label(a)} -> {_label(b)}"
            kinds[label] = kinds.get(label, 0) + 1
        lines.append(f"  {len(moved)} {'problems' if part.verb == 'rank' else 'samples'} changed: "
                     + ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
        for i, (key, a, b) in enumerate(moved):
            if limit and i >= limit:
                lines.append(f"    ... {len(moved) - limit} more (--max 0 shows all)")
                break
            name = key[0] if key[1] is None else f"{key[0]} #{key[1]}"
            if part.verb == "rank":
                diff = {f: (a.get(f), b.get(f)) for f in RANK_FIELDS if a and b and a.get(f) != b.get(f)}
                lines.append(f"    {name}: " + ("; ".join(f"{f} {x} -> {y}" for f, (x, y) in diff.items()) if diff else f"{_show(a)} -> {_show(b)}"))
            else:
                lines.append(f"    {name}\n      old: {_show(a)}\n      new: {_show(b)}")
    if tests_moved:
        lines.append(f"  {len(tests_moved)} samples with the same verdict but different per-test statuses"
                     + ("" if show_tests else " (--tests lists them)"))
        if show_tests:
            for key, a, b in tests_moved[: limit or None]:
                lines.append(f"    {key[0]} #{key[1]}: {a.get('tests')} -> {b.get('tests')}")
    changed = bool(lines)
    say(header + ("" if changed else ": no change"))
    for line in lines:
        say(line)
    return changed


def _label(v):
    if v is None:
        return "absent"
    if v.get("status") is None:
        return "ranked"
    return f"{'pass' if v['passed'] else 'fail'}/{v['status']}"


def main(old: Path, new: Path, only: str | None, show_tests: bool, limit: int) -> int:
    for d in (old, new):
        if not d.is_dir():
            print(f"compare.sh: {d}: not a directory")
            return 2
    print(f"OLD {old}\nNEW {new}\n")
    parts = [p for p in select(only) if (old / p.name).exists() or (new / p.name).exists()]
    changed = [p.name for p in parts if compare_part(p, old / p.name, new / p.name, show_tests, limit, print)]
    print(f"\n{len(parts)} parts compared, {len(changed)} changed" + (": " + ", ".join(changed) if changed else ""))
    return 1 if changed else 0


__all__ = ["main", "PARTS"]
