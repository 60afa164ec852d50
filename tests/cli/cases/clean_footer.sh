# 12 documents share a navigation line and a footer whose year varies:
# both go, with the blank lines around them; the articles stay as they
# were. Ids are echoed exactly; url and title are echoed when present.
i=0
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett \
         kilo lima; do
    printf '{"id": "d%02d", "url": "https://example.org/%s", "text": "Accueil | Sport | Culture\\n\\nLe %s du conseil a vot\\u00e9 le budget.\\nSecond paragraphe sur %s.\\n\\n\\u00a9 20%02d Le Quotidien, tous droits r\\u00e9serv\\u00e9s"}\n' \
        $i $w $w $w $((10 + i))
    i=$((i + 1))
done > in.jsonl
printf '{"id": 12, "title": "Sans pied", "text": "Une br\\u00e8ve."}\n' >> in.jsonl
$CALQUE clean -q in.jsonl
