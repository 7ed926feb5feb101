#!/usr/bin/env bash
# Per-sample diff of two check.sh output directories: ./scripts/realdata/compare.sh OLD_DIR NEW_DIR [--only PARTS]. See README.md here.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/realdata.py" compare "$@"
