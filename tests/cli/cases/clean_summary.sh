# The one-line summary on stderr.
i=0
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett \
         kilo lima; do
    printf '{"id": %d, "text": "Menu\\nTexte %s.\\nMenu\\n\\u00a9 %d"}\n' $i $w $i
    i=$((i + 1))
done > in.jsonl
$CALQUE clean --dedup-lines in.jsonl > /dev/null
