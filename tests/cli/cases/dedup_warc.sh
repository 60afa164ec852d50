# WARC in, clusters with ids, urls and dates out; --emit unique writes a
# WARC again, which reads back with the copy gone.
page='<html><head><title>Grève</title></head><body><nav><a href="/">Accueil</a> <a href="/politique">Politique</a></nav><article><h1>Grève à la SNCF : le trafic très perturbé jeudi</h1><p>La direction de la SNCF prévoit en moyenne un train sur trois sur les lignes à grande vitesse et deux trains sur cinq sur le réseau Intercités jeudi, au deuxième jour de la grève lancée par plusieurs syndicats de cheminots qui réclament une hausse des salaires.</p><p>Les voyageurs sont invités à reporter leurs déplacements ou à vérifier les horaires sur l application de la compagnie avant de se rendre en gare, a indiqué la direction dans un communiqué publié mercredi soir, en précisant que les billets seraient remboursés sans frais.</p><p>Une nouvelle réunion entre les syndicats et la direction est prévue vendredi matin au ministère des Transports, où le gouvernement espère obtenir un accord avant le long week-end de printemps qui verra des millions de départs en vacances.</p></article><footer>Mentions légales - Contact - Plan du site</footer></body></html>'
record() { # id url date body
    http=$(printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n%s' "$4")
    len=$(printf '%s' "$http" | wc -c)
    printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Target-URI: %s\r\nWARC-Date: %s\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n' "$1" "$2" "$3" "$len" "$http"
}
{
    record 1 https://a.example/greve 2026-03-03T10:00:00Z "$page"
    printf 'WARC/1.0\r\nWARC-Type: request\r\nWARC-Record-ID: <urn:uuid:r>\r\nContent-Length: 0\r\n\r\n\r\n\r\n'
    record 2 https://b.example/greve 2026-03-04T08:30:00Z "$page"
} > in.warc
$CALQUE dedup -q in.warc
$CALQUE dedup -q --emit unique in.warc > out.warc
$CALQUE dedup out.warc
# 600 pages, some of them twice, read ahead by three extraction threads:
# the same bytes out as with one.
i=0
while [ $i -lt 600 ]; do
    n=$((i % 450))
    record "p$i" "https://c.example/$i" 2026-03-05T00:00:00Z "$(printf '%s' "$page" | sed "s/jeudi/jeudi $n/g; s/vendredi/vendredi $((n * 7))/")"
    i=$((i + 1))
done > many.warc
for cmd in dedup clean; do
    $CALQUE $cmd -q -j 1 many.warc > j1.jsonl
    $CALQUE $cmd -q -j 3 many.warc > j3.jsonl
    cmp j1.jsonl j3.jsonl && echo "$cmd -j 1 = -j 3: $(wc -l < j1.jsonl) lines"
done
