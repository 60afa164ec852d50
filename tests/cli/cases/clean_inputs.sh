# Plain, gzip, zstd, standard input and -o give the same output; a
# directory of text files is read too (ids are the paths).
set -e
i=0
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett; do
    printf '{"id": %d, "text": "Menu principal\\nTexte %s.\\nPied de page %d"}\n' \
        $i $w $i
    i=$((i + 1))
done > in.jsonl
gzip -c in.jsonl > in.jsonl.gz
zstd -q -c in.jsonl > in.jsonl.zst
$CALQUE clean -q in.jsonl > plain.out
$CALQUE clean -q in.jsonl.gz > gz.out
$CALQUE clean -q in.jsonl.zst > zst.out
$CALQUE clean -q < in.jsonl.gz > stdin.out
$CALQUE clean -q -o file.out in.jsonl
cmp plain.out gz.out && cmp plain.out zst.out && cmp plain.out stdin.out
cmp plain.out file.out
head -2 plain.out
mkdir corpus
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett; do
    printf 'Menu principal\n\nPage %s, with its own words.\n' $w > corpus/$w.txt
done
$CALQUE clean -q --format text corpus | head -2
