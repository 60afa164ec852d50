# The default output: one line per record, in input order.
$CALQUE dedup -q "$DATA/small.jsonl"
