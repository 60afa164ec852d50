# Bad options: EX_USAGE with a message.
for args in "--threshold 1.5" "--perms 0" "--emit nothing" "--bogus" \
            "--bands 20 --rows 10" "--ngram" "-j x"; do
    $CALQUE dedup $args "$DATA/small.jsonl" > /dev/null 2>> err.txt
    echo "$args: $?"
done
grep -c "Try 'calque dedup --help'" err.txt
