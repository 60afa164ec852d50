# gzip, zstd and standard input give the same result as the plain file.
set -e
gzip -c "$DATA/small.jsonl" > small.jsonl.gz
zstd -q -c "$DATA/small.jsonl" > small.jsonl.zst
$CALQUE dedup -q "$DATA/small.jsonl" > plain.out
$CALQUE dedup -q small.jsonl.gz > gz.out
$CALQUE dedup -q small.jsonl.zst > zst.out
$CALQUE dedup -q < small.jsonl.gz > stdin.out
$CALQUE dedup -q - < "$DATA/small.jsonl" > dash.out
cmp plain.out gz.out && cmp plain.out zst.out && cmp plain.out stdin.out
cmp plain.out dash.out
# --emit unique gives back the records as read, from the spool too.
$CALQUE dedup -q --emit unique small.jsonl.zst > u1
$CALQUE dedup -q --emit unique "$DATA/small.jsonl" > u2
cmp u1 u2 && echo same
