#!/bin/sh
# Replays the seed corpus and every past finding of each fuzzing harness
# (tests/fuzz/corpus/NAME, tests/fuzz/regress/NAME) once through the
# harness: in a normal or sanitizer build a harness is linked with
# tests/fuzz/replay.c, in the fuzzing build with libFuzzer, which runs files
# given to it once each. A crash, a sanitizer report or a harness's own
# check fails the test. Output is TAP.
set -u
: "${TESTS_SRCDIR:?}" "${TESTS_BUILDDIR:?}" "${FUZZ_TARGETS:?}"
export TZ=UTC LC_ALL=C.UTF-8
unset CERTCON_NOW
export LSAN_OPTIONS="suppressions=$TESTS_SRCDIR/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp="$TESTS_BUILDDIR/tmp/fuzz-replay"
rm -rf "$tmp"
mkdir -p "$tmp"
export TMPDIR="$tmp"
cd "$tmp" # the console writes exports to the working directory

n=0
for t in $FUZZ_TARGETS; do
    n=$((n + 1))
done
echo "1..$n"

i=0
status=0
for t in $FUZZ_TARGETS; do
    i=$((i + 1))
    name=${t##*/}
    set --
    for d in "$TESTS_SRCDIR/fuzz/corpus/$name" "$TESTS_SRCDIR/fuzz/regress/$name"; do
        [ -d "$d" ] || continue
        for f in "$d"/*; do
            [ -f "$f" ] && set -- "$@" "$f"
        done
    done
    if [ $# -eq 0 ]; then
        echo "not ok $i - $name: no seeds in tests/fuzz/corpus/$name"
        status=1
        continue
    fi
    bin="$TESTS_BUILDDIR/fuzz/$name"
    if "$bin" "$@" >"$tmp/$name.log" 2>&1; then
        echo "ok $i - $name: $# inputs replayed"
    else
        echo "not ok $i - $name: a replayed input failed"
        grep -E 'ERROR|runtime error|fuzz:|Running|SUMMARY' "$tmp/$name.log" | tail -20 | sed 's/^/# /'
        status=1
    fi
done
exit $status
