# Every verified pair, exact copies included.
$CALQUE dedup -q --emit pairs "$DATA/small.jsonl"
