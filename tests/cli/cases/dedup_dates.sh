# --date-field: ISO 8601, RFC 2822 or epoch seconds, written out in UTC
# in every per-record output; unparseable dates are counted.
printf '%s\n' \
  '{"id": 1, "text": "a b c d e f", "published": "Tue, 03 Mar 2026 10:00:00 +0100"}' \
  '{"id": 2, "text": "a b c d e f", "published": 1700000000}' \
  '{"id": 3, "text": "x y", "published": "2026-11-22"}' \
  '{"id": 4, "text": "x y z", "published": "bogus"}' > in.jsonl
$CALQUE dedup --date-field published in.jsonl
$CALQUE reuse -q --emit groups --date-field published in.jsonl
