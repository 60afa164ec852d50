printf '%s\n' '{"id": 1, "text": 42}' > in.jsonl
$CALQUE dedup -q in.jsonl
