# An output that cannot be created: EX_CANTCREAT, nothing left behind.
$CALQUE dedup -q -o missing-dir/out.jsonl "$DATA/small.jsonl"
status=$?
ls
exit $status
