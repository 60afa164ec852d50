# Other id and text fields; ids echoed exactly, escapes and all.
printf '%s\n' '{"doc": "a\"1", "body": "one two three four five six"}' \
  '{"doc": 1.5e3, "body": "one two three four five six"}' \
  '{"body": "seven eight"}' > in.jsonl
$CALQUE dedup -q --id-field doc --text-field body in.jsonl
