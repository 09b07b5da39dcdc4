#!/usr/bin/env bash
# cli_deps.sh OBJECT_DIR - the dependency graph of the command-line tool's
# files (scorer/cli/*.c) → a cycle report. File A depends on file B when A's
# object uses a symbol B's object defines (nm: U in A, T/D/B in B). Prints
# each edge with the symbols behind it (-v) and every cycle found; exits 1
# when there is one. OBJECT_DIR is where the build put the objects, e.g.
# build/CMakeFiles/framescore.dir/scorer/cli.
set -u
verbose=0
[ "${1:-}" = -v ] && verbose=1 && shift
dir=${1:?usage: cli_deps.sh [-v] OBJECT_DIR}
command -v nm > /dev/null || { echo "cli_deps: skipped: no nm (binutils)"; exit 77; }
objs=("$dir"/*.o)
[ -e "${objs[0]}" ] || { echo "cli_deps: no objects in $dir" >&2; exit 2; }
for o in "${objs[@]}"; do
  f=${o##*/}
  f=${f%.c.o}
  nm "$o" | awk -v f="$f" '$1 ~ /^[TDBR]$/ { print "def", f, $2 }
                           NF == 3 && $2 ~ /^[TDBR]$/ { print "def", f, $3 }
                           $1 == "U" { print "use", f, $2 }'
done | awk -v verbose=$verbose '
  $1 == "def" { owner[$3] = $2; next }
  { use[NR] = $2 " " $3 }
  END {
    for (i in use) {
      split(use[i], p, " ")
      if ((p[2] in owner) && owner[p[2]] != p[1]) {
        e = p[1] " " owner[p[2]]
        if (!(e in edge)) { edge[e] = p[2]; out[p[1]] = out[p[1]] " " owner[p[2]] }
        else if (index(" " edge[e] " ", " " p[2] " ") == 0) edge[e] = edge[e] " " p[2]
      }
    }
    if (verbose) {
      n = 0
      for (e in edge) list[++n] = e
      # sorted output (insertion sort: a few dozen edges)
      for (i = 2; i <= n; i++) { v = list[i]; for (j = i - 1; j >= 1 && list[j] > v; j--) list[j + 1] = list[j]; list[j + 1] = v }
      for (i = 1; i <= n; i++) { split(list[i], p, " "); print p[1] " -> " p[2] ": " edge[list[i]] }
    }
    # cycles: depth-first search from every file, in name order
    for (f in out) files[++nf] = f
    for (i = 2; i <= nf; i++) { v = files[i]; for (j = i - 1; j >= 1 && files[j] > v; j--) files[j + 1] = files[j]; files[j + 1] = v }
    cycles = 0
    for (i = 1; i <= nf; i++) if (!(files[i] in done)) dfs(files[i], files[i])
    print cycles " cycle" (cycles == 1 ? "" : "s") " between the files"
    exit cycles > 0
  }
  function dfs(f, path,   k, n, t, next_f) {
    state[f] = 1
    n = split(out[f], t, " ")
    for (k = 1; k <= n; k++) {
      next_f = t[k]
      if (state[next_f] == 1) {
        cycles++
        print "cycle: " path " -> " next_f
      } else if (!(next_f in done)) dfs(next_f, path " -> " next_f)
    }
    state[f] = 2
    done[f] = 1
  }'
