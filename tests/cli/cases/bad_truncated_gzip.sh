# Truncated compressed inputs: EX_DATAERR, naming the file.
$GEN dedup --docs 300 --seed 3 --truth /dev/null > big.jsonl 2> /dev/null
gzip -c big.jsonl > full.gz
head -c $(( $(wc -c < full.gz) / 2 )) full.gz > cut.jsonl.gz
$CALQUE dedup -q cut.jsonl.gz > /dev/null
echo "gzip $?"
zstd -q -c big.jsonl > full.zst
head -c $(( $(wc -c < full.zst) / 2 )) full.zst > cut.jsonl.zst
$CALQUE dedup -q cut.jsonl.zst > /dev/null
echo "zstd $?"
