#!/usr/bin/env bash
# examples.sh - sets up, builds and runs the main job on the bundled example
# corpus: a report ranking each article by loaded language in its own voice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/framescore report --manifest examples/manifest.csv "$@"
