# The kept records, byte for byte as read.
$CALQUE dedup -q --emit unique "$DATA/small.jsonl"
