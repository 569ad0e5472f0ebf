# Only ca/store touches SQLite: no other source file of the program (core,
# console or command line) calls sqlite3_* or includes <sqlite3.h>, so a
# store on another database engine can stand beside it without changing the
# modules; nor does any of them write SQL only SQLite speaks (PRAGMA,
# INSERT OR IGNORE/REPLACE, sqlite_* tables): the upsert the modules use is
# the standard ON CONFLICT form. Unit tests and benchmarks may still open
# the file with SQLite.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
TOP=$(cd "$TESTS_SRCDIR/.." && pwd)
plan 5

# the check looks where the sources are (a wrong directory must not pass)
n=$(ls "$TOP"/ca/*.c | wc -l)
ok $([ "$n" -gt 20 ] && echo 0 || echo 1) "the core's sources are found ($n files)"
ok $(grep -q 'sqlite3_step' "$TOP/ca/store.c" && echo 0 || echo 1) \
    "ca/store.c is where SQLite is called"

offenders=$(grep -l 'sqlite3_' "$TOP"/ca/*.c "$TOP"/src/*.c "$TOP"/ui/*.c | grep -v '/ca/store\.c$' |
    sed "s|^$TOP/||")
is "$offenders" "" "no source file but ca/store.c calls sqlite3_*"

headers=$(grep -l 'sqlite3' "$TOP"/ca/*.h "$TOP"/src/*.h "$TOP"/ui/*.h | sed "s|^$TOP/||")
is "$headers" "" "no header includes or names SQLite (store.h hides it)"

dialect=$(grep -nE 'PRAGMA|INSERT OR (IGNORE|REPLACE)|REPLACE INTO|sqlite_(master|schema|sequence)' \
    "$TOP"/ca/*.c "$TOP"/src/*.c "$TOP"/ui/*.c | grep -v '/ca/store\.c:' | sed "s|^$TOP/||")
is "$dialect" "" "no source file but ca/store.c writes SQL only SQLite speaks"
