# With --boilerplate-min-docs 20, a footer found in 12 documents is kept:
# every text comes out unchanged. With 12 it goes.
i=0
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett \
         kilo lima; do
    printf '{"id": %d, "text": "Nouvelle %s.\\n\\u00a9 20%02d Le Quotidien"}\n' \
        $i $w $((10 + i))
    i=$((i + 1))
done > in.jsonl
$CALQUE clean -q --boilerplate-min-docs 20 in.jsonl | head -2
$CALQUE clean -q --boilerplate-min-docs 12 in.jsonl | head -2
$CALQUE clean -q --boilerplate-min-docs 13 in.jsonl | head -1
