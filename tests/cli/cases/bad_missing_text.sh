printf '%s\n' '{"id": 1, "text": "fine"}' '{"id": 2, "body": "no text"}' > in.jsonl
$CALQUE dedup -q in.jsonl
