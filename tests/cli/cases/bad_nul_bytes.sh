# An escaped NUL is text (a separator); a raw NUL byte is malformed JSON.
printf '{"id": 1, "text": "one\\u0000two"}\n{"id": 2, "text": "one two"}\n' > ok.jsonl
$CALQUE dedup -q ok.jsonl
printf '{"id": 1, "text": "one\000two"}\n' > bad.jsonl
$CALQUE dedup -q bad.jsonl
