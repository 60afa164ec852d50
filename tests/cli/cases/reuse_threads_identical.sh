# Output is byte-identical for every thread count.
set -e
$GEN dedup --docs 2000 --seed 5 --families 300 --jaccard 0.3-0.9 \
    --unrelated-max 0.2 --truth /dev/null > corpus.jsonl 2> /dev/null
$CALQUE reuse -q -j 1 corpus.jsonl > j1
$CALQUE reuse -q -j 2 corpus.jsonl > j2
$CALQUE reuse -q -j 3 --emit groups corpus.jsonl > g3
$CALQUE reuse -q -j 1 --emit groups corpus.jsonl > g1
cmp j1 j2 && cmp g1 g3
[ "$(wc -l < j1)" -gt 100 ] && echo ok
