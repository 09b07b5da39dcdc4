#!/usr/bin/env bash
# install_test.sh CMAKE BUILDDIR SRCDIR [CC] - `cmake --install` into a
# temporary prefix, then the installed binary run from elsewhere with no
# environment: it finds its own lexicons and model; --help for every command;
# the man page, bash completion, headers, library and pkg-config file work.
# CC (default cc) builds the programs that use the library: the build's
# compiler, whose sanitizer runtime an instrumented library needs.
set -u
CMAKE=$1
BUILD=$(cd "$2" && pwd)
SRC=$(cd "$3" && pwd)
CC=${4:-cc}
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
P=$T/prefix

"$CMAKE" --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1
rc=$?
check "cmake --install exits 0" test $rc -eq 0
[ $rc -eq 0 ] || cat "$T/install.log"
BIN=$P/bin/framescore
LIBA=$(find "$P" -name libframescore.a | head -n 1)
PC=$(find "$P" -name framescore.pc | head -n 1)
check "binary installed" test -x "$BIN"
check "library installed" test -n "$LIBA"
for h in framescore.h framescore_version.h compare.h terms.h stats.h; do
  check "header $h installed" test -f "$P/include/framescore/$h"
done
check "default lexicons installed" test -f "$P/share/framescore/lexicons/en/loaded.tsv"
if [ -d "$SRC/models" ]; then
  check "models installed" test -f "$P/share/framescore/models/default.model"
fi
check "man page installed" test -f "$P/share/man/man1/framescore.1"
check "bash completion installed" test -f "$P/share/bash-completion/completions/framescore"
check "license installed" grep -q "GNU GENERAL PUBLIC LICENSE" "$P/share/doc/framescore/LICENSE"
check "license in the man page" grep -q "GPL" "$P/share/man/man1/framescore.1"
# every C source and header of the tree names its license (SPDX)
missing=$(cd "$SRC" && find scorer tests bench -name '*.c' -o -name '*.h' -o -name '*.h.in' |
  while read -r f; do head -1 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' || echo "$f"; done)
check "SPDX line in every C file${missing:+ (missing: $missing)}" test -z "$missing"
check "pkg-config file installed" test -n "$PC"

# the installed binary, run from another folder with a clean environment
mkdir -p "$T/elsewhere"
printf 'The regime raved about zorblaxian saboteurs, officials claimed.\n' >"$T/elsewhere/a.txt"
run() { (cd "$T/elsewhere" && env -u FRAMESCORE_LEXICONS -u FRAMESCORE_MODELS "$BIN" "$@"); }
run --version >"$T/out" 2>&1
check "--version" grep -q '^framescore [0-9]' "$T/out"
run report "$SRC/examples/corpus/capital_tribune/02.txt" >"$T/out" 2>"$T/err"
rc=$?
check "installed report exits 0" test $rc -eq 0
[ $rc -eq 0 ] || cat "$T/err"
check "installed report finds lexicons" grep -q 'attribution.pejorative' "$T/out"
# a word only the installed lexicon knows proves which folder was used
printf 'zorblaxian\tloaded.installcheck\t1\n' >>"$P/share/framescore/lexicons/en/loaded.tsv"
run report --format csv a.txt >"$T/out" 2>"$T/err"
check "installed lexicons are the ones used" grep -q 'loaded.installcheck,1,' "$T/out"
run compare --format html -o page.html a.txt 2>"$T/err"
check "installed compare --format html" grep -q '</html>' "$T/elsewhere/page.html"

# --help for every command listed by framescore --help
cmds=$(run --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
check "commands listed" test -n "$cmds"
for c in $cmds; do
  run "$c" --help >"$T/out" 2>&1
  rc=$?
  check "$c --help exits 0" test $rc -eq 0
  check "$c --help shows usage" grep -q "Usage: framescore $c" "$T/out"
done

# the man page renders without warnings
if command -v groff >/dev/null 2>&1; then
  groff -man -Tutf8 -ww -z "$P/share/man/man1/framescore.1" 2>"$T/err"
  check "man page: groff without warnings" test ! -s "$T/err"
fi
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man -l "$P/share/man/man1/framescore.1" >"$T/out" 2>/dev/null
  check "man page renders" grep -q 'LIWC dictionaries' "$T/out"
fi

# bash completion: commands, options from --help, option values
comp() { # words... (the last is completed)
  bash -c 'source "$1"; shift; PATH="$0:$PATH"; COMP_WORDS=("$@");
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _framescore; echo "${COMPREPLY[*]}"' \
    "$P/bin" "$P/share/bash-completion/completions/framescore" "$@"
}
check "completion: commands" test "$(comp framescore rep)" = report
check "completion: options" test "$(comp framescore report --wid)" = --wide
check "completion: values" test "$(comp framescore compare --format h)" = html

# a program built against the installed library with pkg-config
if command -v pkg-config >/dev/null 2>&1 && command -v "$CC" >/dev/null 2>&1; then
  cat >"$T/use.c" <<'EOF'
#include <framescore/compare.h>
#include <framescore/framescore.h>
#include <framescore/terms.h>
#include <string.h>
int main(int argc, char **argv) {
  if (strcmp(fs_version(), FS_VERSION))
    return 1;
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  if (!lex || fs_lexicon_load(lex, argv[1], &err) != FS_OK)
    return 1;
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  const char *t = "Officials claimed the regime raved.";
  fs_doc *d = fs_doc_analyze(ctx, t, 35, &err);
  size_t n = 0;
  fs_doc_matches(d, &n);
  printf("%zu matches\n", n);
  fs_doc_free(d);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  return argc > 1 && n > 0 ? 0 : 1;
}
EOF
  export PKG_CONFIG_PATH
  PKG_CONFIG_PATH=$(dirname "$PC")
  "$CC" -std=c11 -o "$T/use" "$T/use.c" $(pkg-config --cflags --libs framescore) 2>"$T/err"
  rc=$?
  check "compiles and links with pkg-config" test $rc -eq 0
  [ $rc -eq 0 ] || cat "$T/err"
  "$T/use" "$P/share/framescore/lexicons/en" >"$T/out" 2>&1
  check "the program runs" grep -q ' matches' "$T/out"
  check "pkg-config: headers as <framescore/...>, not on the path themselves" \
    test -z "$(pkg-config --cflags framescore | grep -o 'include/framescore')"
  printf '#include <stats.h>\nint main(void) { return 0; }\n' >"$T/generic.c"
  "$CC" -std=c11 -fsyntax-only $(pkg-config --cflags framescore) "$T/generic.c" 2>/dev/null
  check "pkg-config: <stats.h> is not framescore's" test $? -ne 0
  # what the program says is the library's fs_version()
  printf '#include <framescore/framescore.h>\nint main(void) { puts(fs_version()); return 0; }\n' >"$T/ver.c"
  "$CC" -std=c11 -o "$T/ver" "$T/ver.c" $(pkg-config --cflags --libs framescore) 2>"$T/err"
  check "fs_version() is the binary's version" test "$("$T/ver")" = \
    "$("$BIN" --version | awk '{ print $2 }')"
  check "pkg-config version" test "$(pkg-config --modversion framescore)" = \
    "$("$BIN" --version | awk '{ print $2 }')"
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
