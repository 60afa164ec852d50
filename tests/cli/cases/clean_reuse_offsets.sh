# reuse --clean: the navigation lines of 12 pages do not make passages,
# and the passage the two articles share keeps its offsets in the
# ORIGINAL texts (the same as without --clean); show prints it there.
nav='Accueil | International | Politique | Economie | Societe | Culture | Sport | Sciences | Idees | Podcasts | Videos | Newsletters | Annonces | Jeux | Services | Abonnement | Le journal du jour | Mon compte | Aide | Contact'
shared='le gouvernement a presente mercredi un projet de loi sur la reforme du systeme de sante qui prevoit la creation de nouvelles maisons medicales dans les zones rurales ainsi que le recrutement de plusieurs milliers de soignants supplementaires'
i=0
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett \
         kilo lima; do
    if [ $i -lt 2 ]; then body="Selon $w, $shared."; else body="Rien sur $w ici."; fi
    pad=$(printf '%*s' $((i * 3)) '')
    printf '{"id": "%s", "text": "%s%s\\n\\nTitre %s\\n\\n%s"}\n' \
        $w "$pad" "$nav" $w "$body"
    i=$((i + 1))
done > in.jsonl
$CALQUE reuse -q in.jsonl | wc -l
$CALQUE reuse -q in.jsonl | grep '"a": "alpha", "b": "bravo"'
$CALQUE reuse -q --clean in.jsonl
$CALQUE show --clean in.jsonl --a alpha --b bravo
