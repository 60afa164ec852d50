# Shared paragraphs of an agency story in two reprints: byte offsets into
# the original texts, despite an edited phrase, other quotes, dropped
# accents and reordered paragraphs; the unrelated article pairs with none.
$CALQUE reuse -q "$DATA/reuse.jsonl"
