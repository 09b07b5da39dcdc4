#!/usr/bin/env bash
# options_doc_test.sh BIN SRCDIR - every option of the option table
# (scorer/cli/common.c) is documented where a user looks for it:
#   - each command's --help names every option the command accepts (which
#     options it accepts is asked of the binary: an option that does not
#     apply is a usage error naming it);
#   - the man page (doc/framescore.1) names every option of the table, and
#     names no option the table does not have (a stale one);
#   - every --help names only options of the table.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
MAN=$SRC/doc/framescore.1

table=$(grep -o '{{"[a-z][a-z-]*"' "$SRC/scorer/cli/common.c" | tr -d '{"' | sort -u)
check "the option table is read" test "$(echo "$table" | wc -l)" -gt 50
declare -A is_opt # bash lookups: this test runs the binary some 700 times
for o in $table; do is_opt[$o]=1; done
in_table() { [ -n "${is_opt[$1]:-}" ]; }

cmds=$("$BIN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
check "commands listed" test -n "$cmds"
cd "$T" || exit 1
for c in $cmds; do
  "$BIN" "$c" --help >"$T/help" 2>&1 </dev/null
  # the options the help names: --name, and -o for --output, -h for --help
  named=$( { grep -o -- '--[a-z][a-z-]*' "$T/help" | sed 's/^--//'
             grep -q -- '-o FILE' "$T/help" && echo output
             grep -q -- '-h, --help' "$T/help" && echo help; } | sort -u)
  declare -A in_help=()
  stale=""
  for o in $named; do
    in_help[$o]=1
    in_table "$o" || stale="$stale --$o"
  done
  check "$c --help names only options of the table${stale:+ (not in it:$stale)}" \
    test -z "$stale"
  [ "$c" = lexicon ] && continue # lexicon check reads its own few options
  missing=""
  for o in $table; do
    [ -n "${in_help[$o]:-}" ] && continue
    # a value for an option that takes one, then unknown options: the
    # command stops at a usage error either way, never reading input
    msg=$("$BIN" "$c" "--$o" --no-such-option --no-such-option \
      --no-such-option </dev/null 2>&1 >/dev/null)
    [[ $msg == *"option '--$o' does not apply to '$c'"* ]] ||
      missing="$missing --$o"
  done
  check "$c --help names every option $c accepts${missing:+ (missing:$missing)}" \
    test -z "$missing"
done

# the man page writes --name as \-\-name
man_opts=$(grep -o '\\-\\-[a-z][a-z\\-]*[a-z]' "$MAN" | sed 's/\\//g; s/^--//' | sort -u)
declare -A in_man=()
for o in $man_opts; do in_man[$o]=1; done
undocumented=""
for o in $table; do
  [ -n "${in_man[$o]:-}" ] || undocumented="$undocumented --$o"
done
check "the man page names every option${undocumented:+ (missing:$undocumented)}" \
  test -z "$undocumented"
stale=""
for o in $man_opts; do
  case $o in version | cflags | libs) continue ;; esac # framescore --version; pkg-config
  in_table "$o" || stale="$stale --$o"
done
check "the man page names only options of the table${stale:+ (not in it:$stale)}" \
  test -z "$stale"

echo "options_doc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
