# Invalid UTF-8 is replaced and counted, not fatal.
printf '{"id": 1, "text": "caf\351 cr\350me"}\n{"id": 2, "text": "caf\303\251 cr\303\250me"}\n' > in.jsonl
$CALQUE dedup in.jsonl
