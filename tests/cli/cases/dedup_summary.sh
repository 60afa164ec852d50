# The one-line summary on stderr; -v says the LSH choice.
$CALQUE dedup -v "$DATA/small.jsonl" > /dev/null
