#!/bin/sh
# Golden CLI tests, in the manner of zstd's tests/cli-tests.
#
#   sh tests/cli/run.sh CALQUE GEN [PATTERN]
#
# Each case is tests/cli/cases/NAME.sh, run by sh in a fresh scratch
# directory with $CALQUE (the command), $GEN (the corpus generator) and
# $DATA (tests/cli/data) set. Beside it:
#   NAME.sh.stdout.exact   expected standard output, byte for byte
#   NAME.sh.stderr.glob    each line a shell pattern that stderr, as a
#                          whole, must match in order (one pattern a line
#                          of stderr)
#   NAME.sh.exit           expected exit status (default 0)
# A case that exits 77 is skipped (e.g. ../shared/data is absent).
# Prints one line per case and "cli: N passed, N failed, N skipped".
set -u
calque=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
gen=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
pattern=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
skipped=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/calque-cli.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Does every line of file $1 match, in order, the pattern on the same line
# of file $2?
globs_match() {
    n_out=$(wc -l < "$1")
    n_pat=$(wc -l < "$2")
    [ "$n_out" -eq "$n_pat" ] || return 1
    i=1
    while [ "$i" -le "$n_pat" ]; do
        line=$(sed -n "${i}p" "$1")
        pat=$(sed -n "${i}p" "$2")
        # shellcheck disable=SC2254
        case "$line" in
            $pat) ;;
            *) return 1 ;;
        esac
        i=$((i + 1))
    done
}

for case in "$here"/cases/*.sh; do
    name=$(basename "$case" .sh)
    [ -n "$pattern" ] && case "$name" in *"$pattern"*) ;; *) continue ;; esac
    dir="$scratch/$name"
    mkdir -p "$dir"
    (cd "$dir" && CALQUE="$calque" GEN="$gen" DATA="$here/data" \
        timeout 300 sh "$case" > "$dir/.stdout" 2> "$dir/.stderr" < /dev/null)
    status=$?
    if [ "$status" -eq 77 ]; then
        skipped=$((skipped + 1))
        echo "skip $name"
        continue
    fi
    want=0
    [ -f "$case.exit" ] && want=$(cat "$case.exit")
    why=""
    [ "$status" -eq "$want" ] || why="exit status $status, expected $want"
    if [ -z "$why" ] && [ -f "$case.stdout.exact" ] &&
        ! cmp -s "$dir/.stdout" "$case.stdout.exact"; then
        why="stdout differs:
$(diff "$case.stdout.exact" "$dir/.stdout" | head -20)"
    fi
    if [ -z "$why" ] && [ -f "$case.stderr.glob" ] &&
        ! globs_match "$dir/.stderr" "$case.stderr.glob"; then
        why="stderr does not match:
$(head -20 "$dir/.stderr")"
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name: $why"
    fi
done
echo "cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
