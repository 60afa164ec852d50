# Not a terminal: passages between [[ and ]].
$CALQUE show "$DATA/reuse.jsonl" --a agence --b site-b
