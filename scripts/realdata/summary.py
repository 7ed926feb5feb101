"""Figures of a finished part (from its report.json, verdicts.jsonl and meta.json), checked against the part's
expected figures, and the whole output directory's summary (summary.md for people, summary.json for scripts)."""

import json
from pathlib import Path

from parts import PARTS, Part

PERCENT_KEYS = ("pass_at_k", "base_pass_at_k", "ranked_pass_at_k", "random_pass_at_k")


def _load_json(path: Path):
    try:
        text = path.read_text().strip()
        return json.loads(text) if text else None
    except (OSError, json.JSONDecodeError):
        return None


def _percent(figures):
    if not isinstance(figures, dict):
        return None
    return {k: round(v * 100, 2) for k, v in figures.items() if isinstance(v, (int, float))}


def load_verdicts(part_dir: Path) -> list[dict]:
    path = part_dir / "verdicts.jsonl"
    return [json.loads(l) for l in open(path) if l.strip()] if path.exists() else []


def figures(part: Part, part_dir: Path) -> dict | None:
    meta = _load_json(part_dir / "meta.json")
    if not meta:
        return None
    f = {"exit": meta.get("exit_code"), "seconds": meta.get("seconds"), "finished": meta.get("finished"),
         "uptime_before": meta.get("uptime_before"), "uptime_after": meta.get("uptime_after"), "commit": meta.get("commit")}
    report = _load_json(part_dir / "report.json")
    if report is None:
        stderr = (part_dir / "stderr.log").read_text(errors="replace").strip().splitlines() if (part_dir / "stderr.log").exists() else []
        f["message"] = " | ".join(stderr[-3:])
        return f
    for key in ("samples", "passed", "problems", "distinct_programs", "judged_alone", "problems_with_ranked_candidates"):
        if key in report:
            f[key] = report[key]
    for key in PERCENT_KEYS:
        if report.get(key) is not None:
            f[key] = _percent(report[key])
    if isinstance(report.get("status_counts"), dict):
        f["status_counts"] = {k: v for k, v in report["status_counts"].items() if v}
    if isinstance(report.get("cells"), dict):
        f["cells"] = report["cells"]
    if isinstance(report.get("reference_failures"), list):
        f["reference_failures"] = len(report["reference_failures"])
    if part.verb == "eval":
        f["failing"] = sorted({v["task_id"] for v in load_verdicts(part_dir) if not v["passed"]}, key=_task_key)
    if isinstance(report.get("matrix"), dict):
        f["matrix_seconds"] = report["matrix"].get("seconds")
        f["matrix_from_store"] = report["matrix"].get("from_store")
    return f


def _task_key(task_id):
    head, _, tail = str(task_id).rpartition("/")
    return (head, int(tail)) if tail.isdigit() else (str(task_id), -1)


def check(part: Part, f: dict) -> list[str]:
    """Every way the part's figures differ from what docs/ say they should be (empty: all as expected)."""
    e = part.expect
    diffs = []
    want_exit = e.get("exit", 0)
    if e and f.get("exit") != want_exit:
        diffs.append(f"exit {f.get('exit')} (expected {want_exit})" + (f": {f['message']}" if f.get("message") else ""))
    for key in ("samples", "passed"):
        if key in e and f.get(key) != e[key]:
            diffs.append(f"{key} {f.get(key)} (expected {e[key]})")
    for key in PERCENT_KEYS:
        for k, want in e.get(key, {}).items():
            got = (f.get(key) or {}).get(k)
            if got is None or abs(got - want) > 0.005:
                diffs.append(f"{key}@{k} {got} (expected {want})")
    for key in ("status_counts", "cells"):
        for k, want in e.get(key, {}).items():
            got = (f.get(key) or {}).get(k, 0)
            if got != want:
                diffs.append(f"{key}.{k} {got} (expected {want})")
    if "failing" in e and f.get("failing") is not None:
        extra = sorted(set(f["failing"]) - set(e["failing"]), key=_task_key)
        missing = sorted(set(e["failing"]) - set(f["failing"]), key=_task_key)
        if extra:
            diffs.append("failing but expected to pass: " + ", ".join(extra))
        if missing:
            diffs.append("passing but listed as failing in docs: " + ", ".join(missing))
    return diffs


def _fmt_figures(f: dict) -> str:
    bits = []
    if "samples" in f:
        bits.append(f"{f.get('passed')}/{f['samples']} pass")
    for key, label in (("pass_at_k", "pass@"), ("base_pass_at_k", "base pass@"), ("ranked_pass_at_k", "ranked pass@"),
                       ("random_pass_at_k", "random pass@")):
        if f.get(key):
            ks = sorted(f[key], key=int)
            bits.append(label + "/".join(ks) + " " + " / ".join(f"{f[key][k]:.2f}" for k in ks))
    if f.get("status_counts"):
        bits.append("statuses " + ", ".join(f"{k} {v}" for k, v in f["status_counts"].items()))
    if f.get("cells"):
        bits.append("cells " + ", ".join(f"{k} {v}" for k, v in f["cells"].items()))
    if f.get("message"):
        bits.append(f["message"][:200])
    return "; ".join(bits)


def write_summary(out: Path) -> tuple[int, int]:
    """Writes OUT/summary.{md,json} from every part found in OUT; returns (parts found, parts with differences)."""
    rows, found, differing = [], 0, 0
    for part in PARTS:
        f = figures(part, out / part.name)
        if f is None:
            continue
        found += 1
        diffs = check(part, f) if f.get("finished") else ["not finished (interrupted or still running)"]
        differing += bool(diffs)
        rows.append({"part": part.name, "figures": f, "expected": part.expect, "source": part.source, "note": part.note,
                     "differences": diffs, "verdict": "DIFF" if diffs else ("ok" if part.expect else "no reference")})
    (out / "summary.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    lines = [f"# Real-data check: {out}", "",
             "Per-sample verdicts: `PART/verdicts.jsonl` (raw: `PART/results.jsonl` or `PART/ranked.jsonl`, `PART/report.json`).", "",
             "| part | check | exit | seconds | figures | load before → after | differences from docs/ |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        f = r["figures"]
        load = f"{_load(f.get('uptime_before'))} → {_load(f.get('uptime_after'))}"
        lines.append(f"| {r['part']} | {r['verdict']} | {f.get('exit')} | {f.get('seconds')} | {_fmt_figures(f)} | {load} | "
                     + ("; ".join(r["differences"]) or "") + (f" ({r['note']})" if r["note"] else "") + " |")
    commits = sorted({r["figures"].get("commit") or "?" for r in rows})
    lines += ["", f"Commit(s): {', '.join(commits)}. {found} parts, {differing} with differences."]
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    return found, differing


def _load(up):
    if not up or "load average" not in up:
        return "?"
    return up.split("load average:")[1].strip()
