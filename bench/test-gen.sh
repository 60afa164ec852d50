#!/bin/sh
# bench/test-gen.sh - tests of build/gen: usage errors, determinism, the
# planted Jaccards measured back from the text (gen check), that gen check
# catches a tampered corpus, pair precision/recall on hand-computed cases
# (gen eval) and, when a calque binary is given, that calque measures the
# same Jaccard as the generator for every planted pair.
#
#   sh bench/test-gen.sh [GEN [CALQUE]]     (defaults: build/gen, none)
#
# Prints one line per test; exits 1 if any failed. Small corpora only
# (a few seconds in all).
set -u

GEN=${1:-build/gen}
CALQUE=${2:-}
dir=$(mktemp -d "${TMPDIR:-/tmp}/calque-gen.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
fails=0

pass() { echo "ok   $1"; }
fail() { echo "FAIL $1${2:+: $2}"; fails=$((fails + 1)); }
# expect_status NAME STATUS CMD...: the command exits with STATUS.
expect_status() {
    name=$1 want=$2
    shift 2
    "$@" >"$dir/out" 2>"$dir/err"
    got=$?
    if [ "$got" = "$want" ]; then pass "$name"
    else fail "$name" "exit $got, expected $want ($(head -c 200 "$dir/err"))"
    fi
}
# expect NAME DETAIL TEST...: passes when the test command succeeds, else
# fails showing DETAIL.
expect() {
    name=$1 detail=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$detail"; fi
}
# ge X Y: X >= Y, as decimals.
ge() { [ "$(awk -v x="$1" -v y="$2" 'BEGIN { print (x + 0 >= y + 0) }')" = 1 ]; }
# json_field FILE KEY: a number from gen's one-line JSON reports.
json_field() { sed -n "s/.*\"$2\":\([-0-9.]*\).*/\1/p" "$1"; }

[ -x "$GEN" ] || { echo "FAIL no executable $GEN"; exit 1; }

# -- usage ---------------------------------------------------------------
expect_status "help exits 0" 0 "$GEN" --help
expect_status "no mode exits 2" 2 "$GEN"
expect_status "unknown mode exits 2" 2 "$GEN" frobnicate
expect_status "unknown option exits 2" 2 "$GEN" dedup --frob 1
expect_status "bad range exits 2" 2 "$GEN" dedup --jaccard 0.9-0.5
expect_status "too many families exits 2" 2 "$GEN" dedup --docs 10 \
    --families 10 --family-size 2-2
expect_status "decoys above the near range exit 2" 2 "$GEN" dedup \
    --decoys 1 --jaccard 0.8-1 --unrelated-max 0.85
expect_status "eval without truth exits 2" 2 "$GEN" eval

# -- determinism and shape -------------------------------------------------
opts="--docs 1500 --families 80 --family-size 2-6 --jaccard 0.85-1.0 \
--decoys 1 --unrelated-max 0.5"
# shellcheck disable=SC2086
"$GEN" dedup $opts --seed 11 --truth "$dir/t1" >"$dir/c1" 2>"$dir/summary"
# shellcheck disable=SC2086
"$GEN" dedup $opts --seed 11 --truth "$dir/t2" -q >"$dir/c2"
# shellcheck disable=SC2086
"$GEN" dedup $opts --seed 12 --truth "$dir/t3" -q >"$dir/c3"
if cmp -s "$dir/c1" "$dir/c2" && cmp -s "$dir/t1" "$dir/t2"; then
    pass "same seed, same corpus and truth"
else fail "same seed, same corpus and truth"; fi
if cmp -s "$dir/c1" "$dir/c3"; then fail "another seed, another corpus"
else pass "another seed, another corpus"; fi
n=$(wc -l <"$dir/c1")
nt=$(wc -l <"$dir/t1")
expect "1500 records and truth lines" "$n records, $nt truth lines" \
    [ "$n.$nt" = 1500.1500 ]
first=$(head -n 1 "$dir/c1" | cut -c 1-21)
expect "ids like d000000" "$first" [ "$first" = '{"id":"d000000","text' ]
dups=$(cut -f 1 "$dir/t1" | sort | uniq -d | wc -l)
expect "ids unique" "$dups duplicated" [ "$dups" = 0 ]
kinds=$(cut -f 3 "$dir/t1" | sort -u | tr '\n' ' ')
expect "all kinds of documents planted" "$kinds" \
    [ "$kinds" = "base cosmetic decoy exact near single " ]
bases=$(awk -F'\t' '$3 == "base"' "$dir/t1" | wc -l)
decoys=$(awk -F'\t' '$3 == "decoy"' "$dir/t1" | wc -l)
expect "80 families, 80 decoys" "$bases bases, $decoys decoys" \
    [ "$bases.$decoys" = 80.80 ]
# The base of a family comes before its members.
order=$(awk -F'\t' '$2 >= 0 && $3 == "base" { seen[$2] = 1 }
    $2 >= 0 && $3 != "base" && !($2 in seen) { bad++ } END { print bad + 0 }' \
    "$dir/t1")
expect "bases first" "$order members early" [ "$order" = 0 ]
words=$(sed -n 's/.*, \([0-9]*\) words and.*/\1/p' "$dir/summary")
expect "mean length about 400 words" "${words:-?}" \
    [ "${words:-0}" -ge 330 -a "${words:-0}" -le 470 ]

# -- gen check: the Jaccards measured from the text --------------------------
expect_status "check: planted Jaccards hold in the text" 0 "$GEN" check \
    --truth "$dir/t1" --jaccard 0.85-1.0 --unrelated-max 0.5 "$dir/c1"
cp "$dir/out" "$dir/check1"
x=$(json_field "$dir/check1" near_min)
expect "check: near copies >= 0.85" "${x:-none}" ge "${x:-0}" 0.85
x=$(json_field "$dir/check1" single_max)
expect "check: unrelated documents share almost nothing" "${x:-none}" \
    ge 0.05 "${x:-1}"
# Tamper with a near copy: replace its text by its base's text plus a
# sentence; the Jaccard in the text no longer matches the truth.
near=$(awk -F'\t' '$3 == "near" { print $1; exit }' "$dir/t1")
fam=$(awk -F'\t' -v id="$near" '$1 == id { print $2 }' "$dir/t1")
base=$(awk -F'\t' -v f="$fam" '$3 == "base" && $2 == f { print $1 }' "$dir/t1")
btext=$(grep "\"id\":\"$base\"" "$dir/c1" | sed 's/^{"id":"[^"]*",//')
awk -v id="$near" -v t="$btext" 'index($0, "{\"id\":\"" id "\"") == 1 {
    sub(/"}$/, " Extra words were added here to change the text.\"}", t)
    print "{\"id\":\"" id "\"," t; next } { print }' "$dir/c1" >"$dir/tampered"
expect_status "check: catches a tampered copy" 1 "$GEN" check \
    --truth "$dir/t1" "$dir/tampered"
expect_status "check: catches a near copy outside the range" 1 "$GEN" check \
    --truth "$dir/t1" --jaccard 0.95-1.0 "$dir/c1"

# Other ranges, short documents, narrow ranges.
"$GEN" dedup --docs 800 --seed 3 --families 60 --jaccard 0.6-0.65 \
    --words 80-200 --mean-words 120 --decoys 1 --unrelated-max 0.3 \
    --truth "$dir/t4" -q >"$dir/c4"
expect_status "check: range 0.6-0.65 on short documents" 0 "$GEN" check \
    --truth "$dir/t4" --jaccard 0.6-0.65 --unrelated-max 0.3 "$dir/c4"

# -- gen eval: pair counting -------------------------------------------------
printf 'a\tA\nb\tA\nc\tA\nd\t-1\ne\t-1\n' >"$dir/tiny"
printf '%s\n' '{"id":"a","cluster":"a"}' '{"id":"b","cluster":"a"}' \
    '{"id":"c","cluster":"c"}' '{"id":"d","cluster":"c"}' \
    '{"id":"e","cluster":"e"}' >"$dir/pred"
"$GEN" eval --truth "$dir/tiny" "$dir/pred" >"$dir/ev" 2>&1
got="$(json_field "$dir/ev" true_pairs) $(json_field "$dir/ev" predicted_pairs)"
got="$got $(json_field "$dir/ev" true_positives) $(json_field "$dir/ev" f1)"
expect "eval: hand-computed P=1/2 R=1/3" "$got" [ "$got" = "3 2 1 0.400000" ]
printf '%s\n' '{"a":"a","b":"b","jaccard":0.9}' \
    '{"a":"c","b":"d","jaccard":0.85}' | "$GEN" eval --truth "$dir/tiny" \
    >"$dir/ev2" 2>&1
got="$(json_field "$dir/ev2" f1) $(json_field "$dir/ev2" missing)"
expect "eval: pairs input" "$(cat "$dir/ev2")" [ "$got" = "0.400000 1" ]
awk -F'\t' '{ c = $1; if ($2 != "-1") { if (!($2 in r)) r[$2] = $1; c = r[$2] }
    printf "{\"id\": \"%s\", \"cluster\": \"%s\"}\n", $1, c }' "$dir/t1" \
    >"$dir/perfect"
expect_status "eval: the truth itself scores F1 = 1" 0 "$GEN" eval \
    --truth "$dir/t1" --min-f1 1 "$dir/perfect"
awk -F'\t' '{ printf "{\"id\": \"%s\", \"cluster\": \"%s\"}\n", $1, $1 }' \
    "$dir/t1" >"$dir/alone"
expect_status "eval: all singletons fail --min-f1" 1 "$GEN" eval \
    --truth "$dir/t1" --min-f1 0.5 "$dir/alone"
got="$(json_field "$dir/out" precision) $(json_field "$dir/out" recall)"
expect "eval: all singletons: P = 1, R = 0" "$(cat "$dir/out")" \
    [ "$got" = "1.000000 0.000000" ]
expect_status "eval: malformed output exits 1" 1 "$GEN" eval \
    --truth "$dir/tiny" "$dir/tiny"

# -- gen reuse: reprints and their passages -----------------------------------
expect_status "reuse: too many groups exits 2" 2 "$GEN" reuse --docs 10 \
    --groups 5 --reprints 2-2
ropts="--docs 600 --groups 30 --reprints 2-5 --keep 0.3-0.9 --edits 0.01-0.05"
# shellcheck disable=SC2086
"$GEN" reuse $ropts --seed 5 --truth "$dir/rt" --passages "$dir/rp" \
    >"$dir/rc" 2>/dev/null
# shellcheck disable=SC2086
"$GEN" reuse $ropts --seed 5 -q --truth "$dir/rt2" --passages "$dir/rp2" \
    >"$dir/rc2"
expect "reuse: same seed, same corpus" "" \
    cmp -s "$dir/rc" "$dir/rc2"
expect "reuse: same truth" "" cmp -s "$dir/rt" "$dir/rt2"
expect "reuse: same passages" "" cmp -s "$dir/rp" "$dir/rp2"
roles=$(cut -f 3 "$dir/rt" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')
agencies=$(grep -c agency "$dir/rt")
expect "reuse: 30 agency articles and their reprints" "$roles" \
    [ "$agencies" = 30 -a "$(wc -l <"$dir/rp")" -ge 60 ]
expect_status "reuse: passages hold in the text" 0 "$GEN" check \
    --truth "$dir/rt" --passages "$dir/rp" "$dir/rc"
x=$(json_field "$dir/out" overlap_mean)
expect "reuse: passages keep >= 90% of their words" "${x:-none}" \
    ge "${x:-0}" 0.9
# A range moved by one byte no longer starts on a word.
awk 'NR == 1 { sub(/\[\[[0-9]+/, "&1") } { print }' "$dir/rp" >"$dir/rp-bad"
expect_status "reuse: check catches a shifted range" 1 "$GEN" check \
    --truth "$dir/rt" --passages "$dir/rp-bad" "$dir/rc"
# A passage pointing into the wrong agency article.
other=$(awk -F'\t' '$3 == "agency" { a = $1 } END { print a }' "$dir/rt")
awk -v o="$other" 'NR == 1 { sub(/"source":"[^"]*"/, "\"source\":\"" o "\"") }
    { print }' "$dir/rp" >"$dir/rp-bad2"
expect_status "reuse: check catches a wrong source" 1 "$GEN" check \
    --truth "$dir/rt" --passages "$dir/rp-bad2" "$dir/rc"

# -- gen spans: the span property of calque reuse pairs -----------------------
printf '%s\n' '{"id":"x","text":"One two three four five six seven eight nine ten."}' \
    '{"id":"y","text":"one two three four five six seven eight nine zzz"}' \
    '{"id":"z","text":"one two three four five six seven eight yyy zzz"}' \
    >"$dir/sc"
pair() { # a b a_end b_end a_start
    printf '{"a": "%s", "b": "%s", "a_coverage": 1, "b_coverage": 1, "passages": [{"a_start": %s, "a_end": %s, "b_start": 0, "b_end": %s, "words": 10, "identity": 0.9}]}\n' \
        "$1" "$2" "${5:-0}" "$3" "$4"
}
{ pair x y 48 48; pair y z 39 39; } >"$dir/sp"
expect_status "spans: 9 of 10 words shared is 90%" 0 "$GEN" spans \
    --pairs "$dir/sp" "$dir/sc"
pair x z 48 47 >"$dir/sp2"
expect_status "spans: 8 of 10 is below" 1 "$GEN" spans --pairs "$dir/sp2" \
    "$dir/sc"
expect "spans: reports the least share" "$(cat "$dir/out")" \
    grep -q '"below":1,"min_share":0.8000,"bad":0' "$dir/out"
expect_status "spans: 8 of 10 passes --min 0.8" 0 "$GEN" spans --min 0.8 \
    --pairs "$dir/sp2" "$dir/sc"
{ pair x y 48 48 1; pair x y 47 48; } >"$dir/sp3"
expect_status "spans: ranges off words are bad" 1 "$GEN" spans \
    --pairs "$dir/sp3" "$dir/sc"
expect "spans: counts them as bad" "$(cat "$dir/out")" \
    grep -q '"passages":2,"below":0,"min_share":1.0000,"bad":2' "$dir/out"
pair x w 48 48 >"$dir/sp4"
expect_status "spans: an unknown document is bad" 1 "$GEN" spans \
    --pairs "$dir/sp4" "$dir/sc"
{ pair x y 48 48; echo '{"a": "x", "b":'; } >"$dir/sp5"
expect_status "spans: a malformed line is bad" 1 "$GEN" spans \
    --pairs "$dir/sp5" "$dir/sc"
expect "spans: counts it as bad" "$(cat "$dir/out")" \
    grep -q '"pairs":1,"passages":1,"below":0,"min_share":0.9000,"bad":1' \
    "$dir/out"
expect_status "spans: no --pairs exits 2" 2 "$GEN" spans "$dir/sc"

# -- calque measures the Jaccards the generator planted ------------------------
if [ -n "$CALQUE" ]; then
    "$CALQUE" dedup -q -f jsonl --emit pairs -t 0.3 "$dir/c1" >"$dir/pairs" 2>"$dir/err"
    res=$(sed 's/^{"a": *"\([^"]*\)", *"b": *"\([^"]*\)", *"jaccard": *\([0-9.]*\).*/\1 \2 \3/' \
        "$dir/pairs" | awk -F'\t' 'NR == FNR {
            fam[$1] = $2; kind[$1] = $3; src[$1] = $4; j[$1] = $5
            if ($3 == "base") base[$4] = $1; next }
        { split($0, p, " "); a = p[1]; b = p[2]
          m = kind[a] == "base" ? b : a; o = m == a ? b : a
          if (src[m] != "" && src[m] != "-1" && base[src[m]] == o) {
              d = p[3] - j[m]; if (d < 0) d = -d
              n++; if (d > 0.0002) bad++ } }
        END { print n + 0, bad + 0 }' "$dir/t1" -)
    npairs=${res% *} ndiff=${res#* }
    expect "calque finds the planted Jaccards ($npairs pairs)" \
        "$ndiff differ" [ "$npairs" -gt 100 -a "$ndiff" = 0 ]
fi

echo "$fails failed"
[ "$fails" = 0 ]
