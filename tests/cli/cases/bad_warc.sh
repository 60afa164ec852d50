# Damaged WARC input: a record cut by the end of the file, a wrong
# Content-Length, a broken gzip member and a binary body. The first three
# are EX_DATAERR naming the file, the record and the byte; with --skip-bad
# they are skipped and counted; a binary body is never a document.
page='<html><body><article><p>La direction de la SNCF prévoit en moyenne un train sur trois sur les lignes à grande vitesse et deux trains sur cinq sur le réseau Intercités jeudi, au deuxième jour de la grève lancée par plusieurs syndicats de cheminots qui réclament une hausse des salaires.</p></article></body></html>'
http=$(printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n%s' "$page")
record() { # id length payload
    printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n' "$1" "$2" "$3"
}
len=$(printf '%s' "$http" | wc -c)
{
    record 1 "$len" "$http"
    printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:2>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: 999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>cut'
} > cut.warc
$CALQUE dedup -q cut.warc
echo "cut $?"
$CALQUE dedup --skip-bad -o out.jsonl cut.warc
echo "cut skip-bad $? $(wc -l < out.jsonl) document"
{ record 1 "$len" "$http"; record 2 40 "$http"; record 3 "$len" "$http"; } > length.warc
$CALQUE dedup -q length.warc
echo "length $?"
{ record 1 "$len" "$http" | gzip -c; record 2 "$len" "$http" | gzip -c | head -c 60; record 3 "$len" "$http" | gzip -c; } > member.warc.gz
$CALQUE dedup -q member.warc.gz
echo "member $?"
bin=$(printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n\211PNG\r\n\032\n\001\002\003\004\005\006\007\010\016\017\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037')
{ record 1 "$len" "$http"; record png "$(printf '%s' "$bin" | wc -c)" "$bin"; } > binary.warc
$CALQUE dedup binary.warc
echo "binary $?"
# The same messages and exit statuses when three threads extract the pages
# while the records are read ahead.
for f in cut.warc length.warc member.warc.gz; do
    $CALQUE dedup -q -j 1 "$f" > /dev/null 2> e1
    s1=$?
    $CALQUE dedup -q -j 3 "$f" > /dev/null 2> e3
    s3=$?
    cmp -s e1 e3 && [ "$s1" = "$s3" ] && echo "$f: -j 1 = -j 3, exit $s1"
done
