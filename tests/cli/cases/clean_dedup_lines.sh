# --dedup-lines also removes every line already seen in an earlier
# document (or earlier in the same one), compared normalised; the first
# occurrence stays. --min-chars drops what is left too short.
printf '%s\n' \
  '{"id": "a", "text": "Lire aussi : la r\u00e9forme des retraites\nPremier article.\nPremier article."}' \
  '{"id": "b", "text": "LIRE AUSSI - La reforme des retraites\nDeuxi\u00e8me article, plus long."}' \
  '{"id": "c", "text": "Lire aussi : la r\u00e9forme des retraites"}' > in.jsonl
$CALQUE clean -q in.jsonl
echo --
$CALQUE clean -q --dedup-lines in.jsonl
echo --
$CALQUE clean -q --dedup-lines --min-chars 20 in.jsonl
