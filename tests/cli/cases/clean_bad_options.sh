# Bad options: EX_USAGE with a message.
printf '%s\n' '{"id": 1, "text": "one"}' > in.jsonl
for args in "--boilerplate-min-docs 1" "--boilerplate-min-docs x" \
            "--min-chars -1" "--max-lines 0" "--bogus" "--min-chars"; do
    $CALQUE clean $args in.jsonl > /dev/null 2>> err.txt
    echo "$args: $?"
done
grep -c "Try 'calque clean --help'" err.txt
$CALQUE dedup --clean --boilerplate-min-docs 0 in.jsonl > /dev/null 2>&1
echo "dedup --clean --boilerplate-min-docs 0: $?"
