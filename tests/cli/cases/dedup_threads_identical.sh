# Output is byte-identical for every thread count.
set -e
$GEN dedup --docs 3000 --seed 11 --truth truth.tsv > corpus.jsonl
$CALQUE dedup -q -j 1 corpus.jsonl > j1
$CALQUE dedup -q -j 2 corpus.jsonl > j2
$CALQUE dedup -q -j 4 corpus.jsonl > j4
cmp j1 j2 && cmp j1 j4
$CALQUE dedup -q -j 1 --emit pairs corpus.jsonl > p1
$CALQUE dedup -q -j 4 --emit pairs corpus.jsonl > p4
cmp p1 p4
# and there are duplicates to find
grep -c '"duplicate": true' j1 | awk '{ if ($1 > 100) print "ok" }'
