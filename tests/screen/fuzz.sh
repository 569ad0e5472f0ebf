#!/bin/sh
# Robustness: thousands of random keys (fixed seeds, so a failure can be
# replayed), with screens composed often and the terminal resized now and
# then, including below the minimum. The console must neither crash nor
# trip the sanitizers, and the database must stay readable.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup fuzz

for seed in 1 2 3 4; do
    awk -v seed=$seed 'BEGIN {
        srand(seed)
        n = split("<Enter> <Enter> <Enter> <Tab> <Tab> <S-Tab> <Esc> <BS> <Del> <Space> " \
                  "<Space> <Up> <Down> <Down> <Down> <Left> <Right> <Right> <PgUp> <PgDn> " \
                  "<Home> <End> <F1> <F4> <F5> <F6> <F7> <F8> <F8> <S-F8> <S-F10> <C-u> " \
                  "<C-w> <C-k> <C-a> <C-e> / a W x 1 2y . Web Dom SERVER1", k, " ")
        for (i = 0; i < 3000; i++) {
            print k[int(rand() * n) + 1]
            if (i % 7 == 0)
                print ":dump /dev/null"
            if (rand() < 0.01)
                print ":resize " int(20 + rand() * 120) "x" int(5 + rand() * 45)
        }
    }' >"$T/fuzz-$seed.keys"
    if COLUMNS=80 LINES=24 "$CERTCON" $LAB --script "$T/fuzz-$seed.keys" >"$T/fuzz-$seed.out" 2>&1 &&
        ! grep -q -E 'ERROR|runtime error' "$T/fuzz-$seed.out"; then
        ok "random keys, seed $seed"
    else
        not_ok "random keys, seed $seed"
        sed 's/^/# /' "$T/fuzz-$seed.out" | head -40
    fi
done
check "the database is still readable" sh -c "'$CERTCON' $LAB template list >/dev/null"
check "and the directory too" sh -c "'$CERTCON' $LAB dir list >/dev/null"
screen_done
