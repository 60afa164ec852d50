# An empty input is no documents, not an error.
: > empty.jsonl
$CALQUE dedup empty.jsonl
echo "status $?"
