# --skip-bad reports each bad record, skips it and counts it.
printf '%s\n' '{"id": "a", "text": "one two three"}' 'not json' \
  '{"id": "b"}' '{"id": "c", "text": "one two three"}' > in.jsonl
$CALQUE dedup --skip-bad in.jsonl
