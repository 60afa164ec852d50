# The shipped sample (make demo): 12 clusters, as samples/README.md says.
$CALQUE dedup "$DATA/../../../samples/news.jsonl"
