"""Runs parts with a given build of Assay and writes, per part, OUT/PART/{report.json, results.jsonl or ranked.jsonl,
verdicts.jsonl, stderr.log, meta.json}. A part whose meta.json records a finished run is skipped unless forced,
so an interrupted run resumes at the part it was in."""

import json
import os
import shlex
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

from parts import Part

ERROR_CHARS = 600


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return Path("/proc/loadavg").read_text().strip()


def git_state(root: Path) -> dict:
    def git(*args):
        r = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        return r.stdout.strip() if r.returncode == 0 else None
    status = git("status", "--porcelain", "--untracked-files=no") or ""
    return {"commit": git("rev-parse", "HEAD"), "describe": git("log", "-1", "--format=%h %s"),
            "dirty_files": [l for l in status.splitlines() if l.strip()]}


def command_for(part: Part, root: Path, data: Path, part_dir: Path, out: Path, concurrency: int | None) -> list[str]:
    def fill(a: str) -> str:
        return (a.replace("{data}", str(data)).replace("{root}", str(root)).replace("{out}", str(part_dir))
                .replace("{rank_store}", str(out / "rank-store.db")))
    cmd = [str(root / "assay"), part.verb, *(fill(a) for a in part.args), "--json"]
    if part.verb == "eval":
        cmd += ["--no-store", "--out", str(part_dir / "results.jsonl")]
    else:
        cmd += ["--out", str(part_dir / "ranked.jsonl")]
    if concurrency:
        cmd += ["-j", str(concurrency)]
    return cmd


def is_done(part_dir: Path) -> bool:
    meta = part_dir / "meta.json"
    if not meta.exists():
        return False
    return json.loads(meta.read_text()).get("finished", False)


def run_part(part: Part, root: Path, data: Path, out: Path, concurrency: int | None, log) -> dict:
    part_dir = out / part.name
    part_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("report.json", "results.jsonl", "ranked.jsonl", "verdicts.jsonl", "stderr.log", "meta.json"):
        (part_dir / stale).unlink(missing_ok=True)
    cmd = command_for(part, root, data, part_dir, out, concurrency)
    meta = {"part": part.name, "root": str(root), **git_state(root), "command": shlex.join(cmd),
            "concurrency": concurrency or os.cpu_count(), "cores": os.cpu_count(),
            "started_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"), "uptime_before": uptime(), "finished": False}
    (part_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"[{meta['started_utc']}] {part.name}: {meta['uptime_before']}")
    started = time.monotonic()
    with open(part_dir / "report.json", "w") as stdout, open(part_dir / "stderr.log", "w") as stderr:
        # The part's own directory is the working directory, so any file Assay writes by default lands there.
        code = subprocess.run(cmd, stdout=stdout, stderr=stderr, cwd=part_dir, check=False).returncode
    meta.update({"seconds": round(time.monotonic() - started, 1), "exit_code": code, "uptime_after": uptime(),
                 "ended_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"), "finished": True})
    meta["verdicts"] = write_verdicts(part, part_dir)
    (part_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"  {part.name}: exit {code} in {meta['seconds']} s; {meta['uptime_after']}")
    return meta


def _clip(text):
    if text is None:
        return None
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS] + f"... [{len(text)} chars]"


def write_verdicts(part: Part, part_dir: Path) -> int:
    """One line per sample (eval: task_id, completion_id, passed, status, error, per-test statuses) or per problem
    (rank: passed, ranked pass@k, top pick, the top group), sorted, so that two runs diff line by line."""
    rows = []
    if part.verb == "eval" and (part_dir / "results.jsonl").exists():
        for line in open(part_dir / "results.jsonl"):
            if not line.strip():
                continue
            r = json.loads(line)
            tests = r.get("tests") or []
            rows.append({"task_id": r.get("task_id"), "completion_id": r.get("completion_id"), "passed": r.get("passed"),
                         "status": r.get("status"), "error": _clip(r.get("error")), "result": _clip(r.get("result")),
                         "tests": [t.get("status") for t in tests], "cpu_time_ms": r.get("cpu_time_ms"),
                         "isolated": r.get("isolated")})
    elif part.verb == "rank" and (part_dir / "ranked.jsonl").exists():
        for line in open(part_dir / "ranked.jsonl"):
            if not line.strip():
                continue
            r = json.loads(line)
            groups = r.get("groups") or []
            top = groups[0] if groups else None
            rows.append({"task_id": r.get("task_id"), "completion_id": None, "passed": r.get("passed"),
                         "samples": r.get("samples"), "ranked_pass_at_k": r.get("ranked_pass_at_k"), "top_pick": r.get("top_pick"),
                         "tied_at_top": r.get("tied_at_top"), "groups": len(groups),
                         "top_group": None if top is None else {"score": top.get("score"), "samples": top.get("samples"),
                                                                "correct_samples": top.get("correct_samples")}})
    rows.sort(key=lambda v: (_task_key(v["task_id"]), v["completion_id"] if v["completion_id"] is not None else -1))
    with open(part_dir / "verdicts.jsonl", "w") as f:
        for v in rows:
            f.write(json.dumps(v, ensure_ascii=False) + "\n")
    return len(rows)


def _task_key(task_id):
    """HumanEval/2 before HumanEval/10."""
    text = str(task_id)
    head, _, tail = text.rpartition("/")
    return (head, int(tail)) if tail.isdigit() else (text, -1)
