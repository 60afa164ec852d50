# Malformed JSON: FILE:LINE and EX_DATAERR; no output file is left.
printf '%s\n' '{"id": 1, "text": "fine"}' '{"id": 2, "text": "broken' > in.jsonl
echo old > out.jsonl
$CALQUE dedup -o out.jsonl in.jsonl
status=$?
cat out.jsonl; ls
exit $status
