# The longest member represents its cluster.
$CALQUE dedup -q --keep longest "$DATA/small.jsonl"
