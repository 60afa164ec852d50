printf '{"id": 1, "text": "one two"}\n{"id": 2, "text": "one two"}' > in.jsonl
$CALQUE dedup -q in.jsonl
