$CALQUE reuse -q --emit groups "$DATA/reuse.jsonl"
