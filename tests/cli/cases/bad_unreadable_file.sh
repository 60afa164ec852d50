$CALQUE dedup -q does-not-exist.jsonl
