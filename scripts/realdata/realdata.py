"""Entry point of scripts/realdata/check.sh and compare.sh (Python 3 standard library only)."""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compare  # noqa: E402
from parts import PARTS, select  # noqa: E402
from runner import is_done, run_part  # noqa: E402
from summary import write_summary  # noqa: E402

CHECKOUT = Path(__file__).resolve().parents[2]


def check(argv) -> int:
    ap = argparse.ArgumentParser(prog="check.sh", description="Run Assay's real-data checks and write per-sample verdicts and a summary.")
    ap.add_argument("--root", type=Path, default=CHECKOUT, help="checkout whose ./assay is run (default: this script's checkout)")
    ap.add_argument("--out", type=Path, help="output directory (required unless --list or --summary-only)")
    ap.add_argument("--data", type=Path, help="shared data directory (default: ROOT/../shared/data)")
    ap.add_argument("--only", help="comma-separated parts or groups (codet, rank, canonical, python, hex, mxeval, mbxp, examples) or prefixes like 'mbxp-*'")
    ap.add_argument("--skip", help="parts or groups to leave out (same syntax as --only)")
    ap.add_argument("--force", action="store_true", help="re-run parts that already finished in OUT")
    ap.add_argument("-j", "--concurrency", type=int, help="passed to assay as -j (default: assay's own, the number of cores)")
    ap.add_argument("--list", action="store_true", help="list the parts and their expected figures, run nothing")
    ap.add_argument("--summary-only", action="store_true", help="rewrite OUT/summary.{md,json} from what is there, run nothing")
    a = ap.parse_args(argv)
    if a.list:
        for p in PARTS:
            print(f"{p.name:28} {p.verb:5} expect {p.expect or '-'}" + (f"  [{p.note}]" if p.note else ""))
        return 0
    if a.out is None:
        ap.error("--out DIR is required")
    out = a.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not a.summary_only:
        root = a.root.resolve()
        data = (a.data or root.parent / "shared" / "data").resolve()
        if not (root / "assay").exists():
            ap.error(f"{root}/assay not found: --root must be an Assay checkout")
        if not data.is_dir():
            ap.error(f"{data}: no such data directory (--data)")
        skipped = {p.name for p in select(a.skip)} if a.skip else set()
        parts = [p for p in select(a.only) if p.name not in skipped]
        log = open(out / "check.log", "a")

        def say(text):
            print(text, flush=True)
            log.write(text + "\n")
            log.flush()
        say(f"check.sh --root {root} --out {out}: {len(parts)} parts")
        for p in parts:
            if not a.force and is_done(out / p.name):
                say(f"  {p.name}: already finished (--force re-runs it)")
                continue
            run_part(p, root, data, out, a.concurrency, say)
            write_summary(out)
    found, differing = write_summary(out)
    print(f"summary: {out / 'summary.md'} ({found} parts, {differing} differ from docs/)")
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        ap = argparse.ArgumentParser(prog="compare.sh", description="Per-sample diff of two check.sh output directories.")
        ap.add_argument("old", type=Path)
        ap.add_argument("new", type=Path)
        ap.add_argument("--only", help="parts or groups, as for check.sh")
        ap.add_argument("--tests", action="store_true", help="also list samples whose per-test statuses changed with the same verdict")
        ap.add_argument("--max", type=int, default=200, help="changed samples shown per part (0: all; default 200)")
        a = ap.parse_args(sys.argv[2:])
        return compare.main(a.old.resolve(), a.new.resolve(), a.only, a.tests, a.max)
    return check(sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] == "check" else sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
