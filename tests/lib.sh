# shellcheck shell=bash
# lib.sh - what the shell tests share, sourced first by each
# (. "$(dirname "$0")/lib.sh"): a temporary folder $T removed on exit, the
# counts pass and fail, and check NAME COMMAND..., which runs COMMAND and
# counts it a pass when it succeeds, a fail (printing "FAIL: NAME") when not.
# Each test ends with its counts and `[ "$fail" -eq 0 ]` as its status.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() { # name, condition-command...
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
