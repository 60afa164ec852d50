# Bad options (64, --paraphrase-identity out of [0, 1] among them), a missing id for show (65), malformed JSON (65).
$CALQUE reuse --max-df 1.5 "$DATA/reuse.jsonl" > /dev/null 2>> err; echo "max-df $?"
$CALQUE reuse --a x "$DATA/reuse.jsonl" > /dev/null 2>> err; echo "a $?"
$CALQUE reuse --paraphrase-identity 1.5 "$DATA/reuse.jsonl" > /dev/null \
    2>> err; echo "paraphrase-identity $?"
$CALQUE show "$DATA/reuse.jsonl" --a agence > /dev/null 2>> err; echo "show-b $?"
$CALQUE show "$DATA/reuse.jsonl" --a agence --b nobody 2>> err; echo "show-id $?"
printf '{"id": 1, "text": "x"}\n{"id": 2,\n' > bad.jsonl
$CALQUE reuse -q bad.jsonl 2>> err; echo "json $?"
grep -c "bad.jsonl:2: malformed JSON" err
grep -c "no document with id nobody" err
grep -c -- "--paraphrase-identity: expected a number from 0 to 1, not '1.5'" err
