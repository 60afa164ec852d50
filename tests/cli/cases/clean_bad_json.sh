# Malformed JSON: FILE:LINE and EX_DATAERR; no output file is left, an
# old one is untouched.
printf '%s\n' '{"id": 1, "text": "fine"}' '{"id": 2, "text": "broken' > in.jsonl
echo old > out.jsonl
$CALQUE clean -o out.jsonl in.jsonl
status=$?
cat out.jsonl; ls
exit $status
