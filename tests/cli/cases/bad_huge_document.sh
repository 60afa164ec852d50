# A 100 MB document is processed (memory grows with it, not beyond).
{ printf '{"id": "big", "text": "'; head -c 100000000 /dev/zero | tr '\0' 'a' | fold -w 9 | tr '\n' ' '; printf '"}\n{"id": "small", "text": "a b c"}\n'; } > huge.jsonl
$CALQUE dedup -q huge.jsonl
