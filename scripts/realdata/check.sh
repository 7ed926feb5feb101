#!/usr/bin/env bash
# Real-data checks (opt-in, slow): ./scripts/realdata/check.sh [--root DIR] --out DIR [--only PARTS] [-j N]. See README.md here.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/realdata.py" check "$@"
