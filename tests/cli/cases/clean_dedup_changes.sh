# dedup --clean: 12 short articles under one long legal footer are near
# copies of each other until the footer is removed before matching.
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett \
         kilo lima; do
    printf '{"id": "%s", "text": "Depeche %s sur %s.\\n\\nLe Quotidien du Soir est edite par la societe des amis du journal independant, siege social au douze rue des Lilas a Paris, directeur de la publication Jean Martin, commission paritaire numero mille deux cent trente quatre, tous droits de reproduction et de diffusion reserves pour tous pays, y compris la traduction et l adaptation, toute copie meme partielle est interdite sans accord ecrit prealable de la direction du journal"}\n' \
        $w $w $w
done > in.jsonl
$CALQUE dedup -q in.jsonl | head -3
echo --
$CALQUE dedup -q --clean in.jsonl | head -3
echo --
$CALQUE dedup -q --clean --emit pairs in.jsonl | wc -l
