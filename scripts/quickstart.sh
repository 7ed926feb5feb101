#!/usr/bin/env bash
# Sets up the machine (see setup.sh) and runs Assay's main job end to end on the example set it ships.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
exec "$root/examples/run-examples.sh"
