# A WET file (and the same gzipped): ids are the WARC-Record-IDs, url and
# date come from the WARC headers; the footer of 12 pages goes. An HTML
# page gives its title.
record() { # id url text
    printf 'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-03-%02dT08:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n' \
        "$1" "$2" "$3" "$(printf '%s' "$4" | wc -c)" "$4"
}
i=1
for w in alpha bravo charlie delta echo foxtrot golf hotel india juliett \
         kilo lima; do
    record "$w-$i" "https://news.example/$w" $i "$(printf 'Une nouvelle sur %s.\nMentions l\303\251gales | Contact | \302\251 20%02d' $w $i)"
    i=$((i + 1))
done > pages.wet
gzip -c pages.wet > pages.wet.gz
$CALQUE clean -q pages.wet | head -2
$CALQUE clean -q pages.wet > a.out && $CALQUE clean -q pages.wet.gz > b.out && cmp a.out b.out && echo same
printf '<html><head><title>Le titre</title></head><body><p>%s</p></body></html>\n' \
    'Le conseil municipal de la ville a vote mardi soir le budget de la commune pour l annee prochaine, apres un long debat entre les elus de la majorite et ceux de l opposition, qui ont denonce une hausse des impots locaux.' > page.html
$CALQUE clean -q page.html
