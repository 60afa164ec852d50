/*
 * test_align.c - unit tests of the passage aligner (lib/align/align.c).
 *
 * Documents are made of generated words and cut into tokens by a small
 * tokenizer below (runs of ASCII letters and digits or of non-ASCII
 * bytes, except that each 3-byte CJK character is a token of its own;
 * ASCII case folded), so these tests do not depend on lib/text.
 */
#include "align/align.h"
#include "test.h"

#define MAXTOK 200000

typedef struct {
    char *text;
    size_t len, cap;
    calque_token *tok;
    size_t n;
} doc;

static void docAppend(doc *d, const char *s)
{
    size_t const l = strlen(s);
    if (d->len + l + 2 > d->cap) {
        d->cap = (d->len + l + 2) * 2;
        d->text = realloc(d->text, d->cap);
        ASSERT(d->text != NULL);
    }
    if (d->len) d->text[d->len++] = ' ';
    memcpy(d->text + d->len, s, l);
    d->len += l;
    d->text[d->len] = 0;
}

static uint64_t hashWord(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * 1099511628211ULL;
    }
    return calque__mix64(h);
}

static int isWordByte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

static void docTokenize(doc *d)
{
    free(d->tok);
    d->tok = malloc(sizeof *d->tok * (d->len + 1));
    ASSERT(d->tok != NULL);
    d->n = 0;
    size_t i = 0;
    while (i < d->len) {
        unsigned char const c = (unsigned char)d->text[i];
        if (!isWordByte(c)) {
            i++;
            continue;
        }
        size_t e = i;
        if (c >= 0xE3 && c <= 0xE9) { /* CJK: one character a token */
            e = i + 3;
        } else {
            while (e < d->len && isWordByte((unsigned char)d->text[e]) &&
                   !((unsigned char)d->text[e] >= 0xE3 &&
                     (unsigned char)d->text[e] <= 0xE9))
                e++;
        }
        d->tok[d->n].hash = hashWord(d->text + i, e - i);
        d->tok[d->n].start = (uint32_t)i;
        d->tok[d->n].end = (uint32_t)e;
        d->n++;
        i = e;
    }
}

static void docFree(doc *d)
{
    free(d->text);
    free(d->tok);
    memset(d, 0, sizeof *d);
}

/* A generated word: "w" + letters from a number; vocabulary of 50,000. */
static const char *word(uint64_t *rng)
{
    static char buf[16];
    uint64_t v = test_rand(rng) % 50000;
    int k = 0;
    buf[k++] = 'w';
    do {
        buf[k++] = (char)('a' + v % 26);
        v /= 26;
    } while (v);
    buf[k] = 0;
    return buf;
}

/* Appends @n generated words to @d and to @words (if not NULL). */
static void addWords(doc *d, uint64_t *rng, int n)
{
    for (int i = 0; i < n; i++) docAppend(d, word(rng));
}

static calque__aligner *newAligner(unsigned minWords)
{
    static calque__mem mem;
    mem = calque__memFrom(NULL);
    calque__alignParams p;
    calque__initAlignParams(&p, 5);
    p.minWords = minWords;
    calque__aligner *const al = calque__createAligner(&mem, &p);
    ASSERT(al != NULL);
    return al;
}

static size_t alignDocs(calque__aligner *al, doc *a, doc *b,
                        const calque__passage **ps)
{
    docTokenize(a);
    docTokenize(b);
    size_t n = 0;
    ASSERT_EQ(calque__alignSetA(al, a->tok, a->n), 0);
    ASSERT_EQ(calque__alignPair(al, b->tok, b->n, ps, &n), 0);
    return n;
}

/* Share of the words of each span that the other span also has, as a
 * multiset; the smaller of the two. */
static double spanAgreement(const doc *a, const calque__passage *p,
                            const doc *b)
{
    size_t const na = p->a1 - p->a0, nb = p->b1 - p->b0;
    uint64_t *const x = malloc(na * sizeof *x), *const y =
                                                    malloc(nb * sizeof *y);
    for (size_t i = 0; i < na; i++) x[i] = a->tok[p->a0 + i].hash;
    for (size_t i = 0; i < nb; i++) y[i] = b->tok[p->b0 + i].hash;
    size_t common = 0;
    uint8_t *const taken = calloc(nb + 1, 1);
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (!taken[j] && y[j] == x[i]) {
                taken[j] = 1;
                common++;
                break;
            }
    free(x);
    free(y);
    free(taken);
    return (double)common / (double)(na > nb ? na : nb);
}

TEST(align_ngram_hashes)
{
    doc d = {0};
    docAppend(&d, "a b c d e f g a b c d e");
    docTokenize(&d);
    uint64_t h[16];
    ASSERT_EQ(calque__ngramHashes(d.tok, d.n, 5, h), 8);
    ASSERT_U64_EQ(h[0], h[7]);                 /* "a b c d e" twice */
    ASSERT(h[0] != h[1] && h[1] != h[2]);
    ASSERT_EQ(calque__ngramHashes(d.tok, 4, 5, h), 0);
    ASSERT_EQ(calque__ngramHashes(d.tok, 5, 5, h), 1);
    calque_token t[5];
    memcpy(t, d.tok, sizeof t);
    uint64_t g;
    t[2].hash ^= 1;                            /* one word changed */
    calque__ngramHashes(t, 5, 5, &g);
    ASSERT(g != h[0]);
    /* The hash depends on order. */
    t[2] = d.tok[3];
    t[3] = d.tok[2];
    calque__ngramHashes(t, 5, 5, &g);
    ASSERT(g != h[0]);
    docFree(&d);
}

TEST(align_identical_documents)
{
    uint64_t rng = 11;
    doc a = {0}, b = {0};
    addWords(&a, &rng, 100);
    docAppend(&b, a.text);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 0);
    ASSERT_EQ(ps[0].a1, 100);
    ASSERT_EQ(ps[0].b0, 0);
    ASSERT_EQ(ps[0].b1, 100);
    ASSERT_EQ(ps[0].words, 100);
    ASSERT_EQ(ps[0].matches, 100);
    ASSERT_NEAR(ps[0].identity, 1.0, 1e-12);
    ASSERT_EQ(a.tok[ps[0].a0].start, 0);
    ASSERT_EQ(a.tok[ps[0].a1 - 1].end, a.len);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

TEST(align_survives_edits)
{
    /* 150 shared words with a substituted word, an inserted word, two
     * typos close together and a dropped 6-word clause: one passage. */
    uint64_t rng = 12;
    doc a = {0}, b = {0}, own = {0};
    addWords(&own, &rng, 30);
    docAppend(&a, own.text);
    const char *w[150];
    char store[150][16];
    for (int i = 0; i < 150; i++) {
        strcpy(store[i], word(&rng));
        w[i] = store[i];
    }
    for (int i = 0; i < 150; i++) docAppend(&a, w[i]);
    addWords(&a, &rng, 30);
    addWords(&b, &rng, 25);
    for (int i = 0; i < 150; i++) {
        if (i == 20) docAppend(&b, "changed");
        else if (i == 50) {
            docAppend(&b, w[i]);
            docAppend(&b, "inserted");
        } else if (i == 80 || i == 83) {
            char typo[20];
            snprintf(typo, sizeof typo, "%sx", w[i]);
            docAppend(&b, typo);
        } else if (i >= 110 && i < 116) {
            continue;
        } else docAppend(&b, w[i]);
    }
    addWords(&b, &rng, 25);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 30);
    ASSERT_EQ(ps[0].a1, 180);
    ASSERT_EQ(ps[0].b0, 25);
    ASSERT_EQ(ps[0].b1, 25 + 150 + 1 - 6);
    ASSERT_EQ(ps[0].words, 150);
    ASSERT_EQ(ps[0].matches, 150 - 3 - 6);
    ASSERT(ps[0].identity > 0.9 && ps[0].identity < 1.0);
    ASSERT(spanAgreement(&a, &ps[0], &b) >= 0.9);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
    docFree(&own);
}

TEST(align_reordered_paragraphs)
{
    /* A = P1 P2 P3, B = X P1 P3 P2: three passages, each paragraph. */
    uint64_t rng = 13;
    doc p[3] = {{0}}, a = {0}, b = {0};
    for (int k = 0; k < 3; k++) addWords(&p[k], &rng, 40);
    for (int k = 0; k < 3; k++) docAppend(&a, p[k].text);
    addWords(&b, &rng, 10);
    docAppend(&b, p[0].text);
    docAppend(&b, p[2].text);
    docAppend(&b, p[1].text);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 3);
    uint32_t const wantA[3] = {0, 40, 80}, wantB[3] = {10, 90, 50};
    for (int k = 0; k < 3; k++) {
        ASSERT_EQ(ps[k].a0, wantA[k]);
        ASSERT_EQ(ps[k].a1, wantA[k] + 40);
        ASSERT_EQ(ps[k].b0, wantB[k]);
        ASSERT_EQ(ps[k].b1, wantB[k] + 40);
        ASSERT_EQ(ps[k].matches, 40);
        /* Byte offsets of the spans cut the very paragraph. */
        ASSERT_MEM_EQ(a.text + a.tok[ps[k].a0].start, p[k].text, p[k].len);
        ASSERT_EQ(a.tok[ps[k].a1 - 1].end - a.tok[ps[k].a0].start, p[k].len);
        ASSERT_MEM_EQ(b.text + b.tok[ps[k].b0].start, p[k].text, p[k].len);
    }
    calque__freeAligner(al);
    for (int k = 0; k < 3; k++) docFree(&p[k]);
    docFree(&a);
    docFree(&b);
}

TEST(align_passage_at_start_and_end)
{
    /* The shared words open A and close B. */
    uint64_t rng = 14;
    doc s = {0}, a = {0}, b = {0};
    addWords(&s, &rng, 30);
    docAppend(&a, s.text);
    addWords(&a, &rng, 50);
    addWords(&b, &rng, 50);
    docAppend(&b, s.text);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 0);
    ASSERT_EQ(ps[0].a1, 30);
    ASSERT_EQ(ps[0].b0, 50);
    ASSERT_EQ(ps[0].b1, 80);
    ASSERT_EQ(b.tok[ps[0].b1 - 1].end, b.len);
    ASSERT_EQ(a.tok[0].start, 0);
    calque__freeAligner(al);
    docFree(&s);
    docFree(&a);
    docFree(&b);
}

TEST(align_extension_recovers_edges)
{
    /* A typo 3 words after the start and 3 words before the end: no seed
     * covers the outer words, the extension brings them back (3 equal
     * words outweigh one edit). */
    uint64_t rng = 15;
    char w[60][16];
    for (int i = 0; i < 60; i++) strcpy(w[i], word(&rng));
    doc a = {0}, b = {0};
    docAppend(&a, "alpha beta");
    docAppend(&b, "gamma delta epsilon");
    for (int i = 0; i < 60; i++) {
        docAppend(&a, w[i]);
        docAppend(&b, i == 3 || i == 56 ? "typo" : w[i]);
    }
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 2);
    ASSERT_EQ(ps[0].a1, 62);
    ASSERT_EQ(ps[0].b0, 3);
    ASSERT_EQ(ps[0].b1, 63);
    ASSERT_EQ(ps[0].matches, 58);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

TEST(align_short_shared_phrase_is_dropped)
{
    /* A 12-word stock phrase in two unrelated texts makes no passage. */
    uint64_t rng = 16;
    doc s = {0}, a = {0}, b = {0};
    addWords(&s, &rng, 12);
    addWords(&a, &rng, 40);
    docAppend(&a, s.text);
    addWords(&a, &rng, 40);
    addWords(&b, &rng, 10);
    docAppend(&b, s.text);
    addWords(&b, &rng, 60);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 0);
    calque__freeAligner(al);
    /* With minWords 10 the phrase is found. */
    calque__aligner *const al10 = newAligner(10);
    ASSERT_EQ(alignDocs(al10, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 40);
    ASSERT_EQ(ps[0].a1, 52);
    calque__freeAligner(al10);
    docFree(&s);
    docFree(&a);
    docFree(&b);
}

TEST(align_near_neighbours_merge_far_ones_do_not)
{
    /* B inserts 6 words between two shared runs: one passage. B inserts
     * an own 40-word paragraph: two passages. */
    uint64_t rng = 17;
    doc p1 = {0}, p2 = {0}, a = {0}, b = {0}, c = {0};
    addWords(&p1, &rng, 50);
    addWords(&p2, &rng, 50);
    docAppend(&a, p1.text);
    docAppend(&a, p2.text);
    docAppend(&b, p1.text);
    addWords(&b, &rng, 6);
    docAppend(&b, p2.text);
    docAppend(&c, p1.text);
    addWords(&c, &rng, 40);
    docAppend(&c, p2.text);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 0);
    ASSERT_EQ(ps[0].a1, 100);
    ASSERT_EQ(ps[0].b1, 106);
    ASSERT_EQ(ps[0].columns, 106);
    ASSERT_EQ(alignDocs(al, &a, &c, &ps), 2);
    ASSERT_EQ(ps[0].a1, 50);
    ASSERT_EQ(ps[0].b1, 50);
    ASSERT_EQ(ps[1].a0, 50);
    ASSERT_EQ(ps[1].b0, 90);
    calque__freeAligner(al);
    docFree(&p1);
    docFree(&p2);
    docFree(&a);
    docFree(&b);
    docFree(&c);
}

TEST(align_identity_floor_splits)
{
    /* Two 30-word runs around a 12-word clause that only A has: bridging
     * it would give identity 60/72 < 0.9, so the passage is split. */
    uint64_t rng = 18;
    doc p1 = {0}, p2 = {0}, a = {0}, b = {0};
    addWords(&p1, &rng, 30);
    addWords(&p2, &rng, 30);
    docAppend(&a, p1.text);
    addWords(&a, &rng, 12);
    docAppend(&a, p2.text);
    docAppend(&b, p1.text);
    docAppend(&b, p2.text);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 2);
    for (int k = 0; k < 2; k++) {
        ASSERT_NEAR(ps[k].identity, 1.0, 1e-12);
        ASSERT_EQ(ps[k].words, 30);
    }
    ASSERT_EQ(ps[1].a0, 42);
    ASSERT_EQ(ps[1].b0, 30);
    calque__freeAligner(al);
    docFree(&p1);
    docFree(&p2);
    docFree(&a);
    docFree(&b);
}

TEST(align_cjk)
{
    /* 40 CJK characters shared inside different surroundings. */
    static const char *const han[] = {"日", "本", "中", "国", "人", "大",
                                      "学", "生", "年", "月", "新", "聞",
                                      "社", "会", "経", "済", "政", "治"};
    uint64_t rng = 19;
    doc s = {0}, a = {0}, b = {0};
    char buf[256] = {0};
    for (int i = 0; i < 40; i++) {
        strcat(buf, han[test_rand(&rng) % 18]);
        if (i % 10 == 9) {
            docAppend(&s, buf);
            buf[0] = 0;
        }
    }
    docAppend(&a, "Le texte commence ici avec des mots latins.");
    docAppend(&a, s.text);
    docAppend(&a, "fin");
    docAppend(&b, "Another opening:");
    docAppend(&b, s.text);
    docTokenize(&s);
    ASSERT_EQ(s.n, 40);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    size_t const n = alignDocs(al, &a, &b, &ps);
    ASSERT(n >= 1);
    /* Random characters from 18 repeat; the 40 are one passage. */
    ASSERT_EQ(n, 1);
    ASSERT_EQ(ps[0].words, 40);
    uint32_t const as = a.tok[ps[0].a0].start, ae = a.tok[ps[0].a1 - 1].end;
    ASSERT_EQ(ae - as, s.len);
    ASSERT_MEM_EQ(a.text + as, s.text, s.len);
    ASSERT_MEM_EQ(b.text + b.tok[ps[0].b0].start, s.text, s.len);
    calque__freeAligner(al);
    docFree(&s);
    docFree(&a);
    docFree(&b);
}

/* A reprint of @src: paragraphs of 25..60 words kept with probability
 * 2/3, in order except one swap, with 3% of words substituted, 1% dropped
 * and 1% inserted, and own paragraphs added. */
static void makeReprint(const doc *src, uint64_t *rng, doc *out)
{
    size_t i = 0;
    int para = 0;
    while (i < src->n) {
        size_t const plen = 25 + test_rand(rng) % 36;
        int const keep = test_rand(rng) % 3 != 0;
        if (test_rand(rng) % 4 == 0) addWords(out, rng, 20 + para % 30);
        for (size_t k = i; k < i + plen && k < src->n && keep; k++) {
            unsigned const r = (unsigned)(test_rand(rng) % 100);
            char w[64];
            size_t const l = src->tok[k].end - src->tok[k].start;
            memcpy(w, src->text + src->tok[k].start, l);
            w[l] = 0;
            if (r < 3) {
                docAppend(out, word(rng));
            } else if (r < 4) {
                continue;
            } else if (r < 5) {
                docAppend(out, w);
                docAppend(out, word(rng));
            } else {
                docAppend(out, w);
            }
        }
        i += plen;
        para++;
    }
}

TEST(align_span_agreement_property)
{
    /* For every passage of many generated reprints, the two spans share
     * at least 90% of their words; and the reprints are found. */
    uint64_t rng = 20;
    calque__aligner *const al = newAligner(20);
    size_t total = 0;
    for (int trial = 0; trial < 40; trial++) {
        doc a = {0}, b = {0};
        addWords(&a, &rng, 300 + (int)(test_rand(&rng) % 300));
        docTokenize(&a);
        makeReprint(&a, &rng, &b);
        if (b.len == 0) addWords(&b, &rng, 10);
        const calque__passage *ps;
        size_t const n = alignDocs(al, &a, &b, &ps);
        total += n;
        for (size_t k = 0; k < n; k++) {
            ASSERT(ps[k].words >= 20);
            ASSERT(ps[k].identity >= 0.9);
            ASSERT(spanAgreement(&a, &ps[k], &b) >= 0.9);
            ASSERT(ps[k].a1 <= a.n && ps[k].b1 <= b.n);
            ASSERT(ps[k].a0 < ps[k].a1 && ps[k].b0 < ps[k].b1);
        }
        docFree(&a);
        docFree(&b);
    }
    ASSERT(total >= 40);
    calque__freeAligner(al);
}

TEST(align_repetitive_documents_are_bounded)
{
    /* A repeats one 10-word sentence 10,000 times. Against a text holding
     * it 3 times, and against itself, the work stays linear. */
    uint64_t rng = 21;
    doc sent = {0}, a = {0}, b = {0};
    addWords(&sent, &rng, 10);
    for (int i = 0; i < 10000; i++) docAppend(&a, sent.text);
    addWords(&b, &rng, 30);
    for (int i = 0; i < 3; i++) docAppend(&b, sent.text);
    addWords(&b, &rng, 30);
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    size_t n = alignDocs(al, &a, &b, &ps);
    calque__alignWork w;
    calque__alignLastWork(al, &w);
    ASSERT(w.seeds <= 30);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(ps[0].b0, 30);
    ASSERT_EQ(ps[0].b1, 60);
    /* Against itself: one passage over all 100,000 words. */
    doc c = {0};
    docAppend(&c, a.text);
    n = alignDocs(al, &a, &c, &ps);
    calque__alignLastWork(al, &w);
    ASSERT(w.seeds <= a.n);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(ps[0].a1, 100000);
    ASSERT_EQ(ps[0].b1, 100000);
    calque__freeAligner(al);
    docFree(&sent);
    docFree(&a);
    docFree(&b);
    docFree(&c);
}

TEST(align_given_seeds)
{
    /* calque__alignSeeds: bogus and out-of-range seeds are harmless; true
     * seeds give the passage. */
    uint64_t rng = 22;
    doc s = {0}, a = {0}, b = {0};
    addWords(&s, &rng, 40);
    addWords(&a, &rng, 10);
    docAppend(&a, s.text);
    docAppend(&b, s.text);
    addWords(&b, &rng, 10);
    docTokenize(&a);
    docTokenize(&b);
    calque__aligner *const al = newAligner(20);
    calque__seed seeds[64];
    size_t ns = 0;
    seeds[ns++] = (calque__seed){1, 2};           /* not a match */
    seeds[ns++] = (calque__seed){48, 0};          /* not a match */
    seeds[ns++] = (calque__seed){1000, 3};        /* out of range */
    seeds[ns++] = (calque__seed){(uint32_t)a.n - 2, 0}; /* past the end */
    const calque__passage *ps;
    size_t n = 9;
    ASSERT_EQ(calque__alignSeeds(al, a.tok, a.n, b.tok, b.n, seeds, ns, &ps,
                                 &n), 0);
    ASSERT_EQ(n, 0);
    /* Every 7th true seed, given twice and backwards. */
    for (uint32_t i = 0; i + 5 <= 40; i += 7) {
        seeds[ns++] = (calque__seed){10 + i, i};
        seeds[ns++] = (calque__seed){10 + i, i};
    }
    ASSERT_EQ(calque__alignSeeds(al, a.tok, a.n, b.tok, b.n, seeds, ns, &ps,
                                 &n), 0);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(ps[0].a0, 10);
    ASSERT_EQ(ps[0].a1, 50);
    ASSERT_EQ(ps[0].b0, 0);
    ASSERT_EQ(ps[0].b1, 40);
    ASSERT_EQ(ps[0].matches, 40);
    calque__freeAligner(al);
    docFree(&s);
    docFree(&a);
    docFree(&b);
}

TEST(align_cell_bound_and_state)
{
    /* With maxCells 10, the 1x1 gap of a changed word is aligned but the
     * 5x5 extension after the passage is not: the work is truncated, the
     * passage still found. */
    uint64_t rng = 23;
    calque__mem const mem = calque__memFrom(NULL);
    calque__alignParams p;
    calque__initAlignParams(&p, 5);
    p.maxCells = 10;
    calque__aligner *const al = calque__createAligner(&mem, &p);
    ASSERT(al != NULL);
    const calque__passage *ps;
    size_t n;
    calque_token const t = {1, 0, 1};
    ASSERT_EQ(calque__alignPair(al, &t, 1, &ps, &n), CALQUE_ESTATE);
    char w[60][16];
    for (int i = 0; i < 60; i++) strcpy(w[i], word(&rng));
    doc a = {0}, b = {0};
    for (int i = 0; i < 60; i++) {
        docAppend(&a, w[i]);
        docAppend(&b, i == 30 ? "edit" : w[i]);
    }
    docAppend(&a, "one two three four five");
    docAppend(&b, "six seven eight nine ten");
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    calque__alignWork work;
    calque__alignLastWork(al, &work);
    ASSERT_EQ(work.cells, 1);
    ASSERT_EQ(work.truncated, 1);
    ASSERT_EQ(ps[0].matches, 59);
    ASSERT_EQ(ps[0].a1, 60);
    calque__freeAligner(al);
    /* Invalid parameters. */
    p.maxGap = 0;
    ASSERT(calque__createAligner(&mem, &p) == NULL);
    calque__initAlignParams(&p, 5);
    p.minIdentity = 1.5;
    ASSERT(calque__createAligner(&mem, &p) == NULL);
    calque__freeAligner(NULL);
    docFree(&a);
    docFree(&b);
}

TEST(align_longest_range_with_identity_floor)
{
    /* P1 (30), 3 substituted words, P2 (30), then 6 units of 2
     * substituted + 5 equal words. As a whole 90/105 < 0.9; the longest
     * range at 0.9 is P1 .. the second unit: 77 words, 70 equal. (Cutting
     * at the worst gap would give P1 and P2 apart.) */
    uint64_t rng = 24;
    doc a = {0}, b = {0};
    char w[120][16];
    for (int i = 0; i < 120; i++) strcpy(w[i], word(&rng));
    int k = 0;
    for (int i = 0; i < 30; i++, k++) {
        docAppend(&a, w[k]);
        docAppend(&b, w[k]);
    }
    for (int i = 0; i < 3; i++, k++) {
        docAppend(&a, w[k]);
        docAppend(&b, "sub");
    }
    for (int i = 0; i < 30; i++, k++) {
        docAppend(&a, w[k]);
        docAppend(&b, w[k]);
    }
    for (int u = 0; u < 6; u++)
        for (int i = 0; i < 7; i++, k++) {
            docAppend(&a, w[k]);
            docAppend(&b, i < 2 ? "sub" : w[k]);
        }
    docAppend(&a, "own words of a at the end");
    docAppend(&b, "and here other ones in b");
    calque__aligner *const al = newAligner(20);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 0);
    ASSERT_EQ(ps[0].a1, 77);
    ASSERT_EQ(ps[0].b1, 77);
    ASSERT_EQ(ps[0].matches, 70);
    ASSERT(ps[0].identity >= 0.9);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

/* Appends to @d the words of @spec, a space-separated list where "wN"
 * stands for the shared word w[N], "a"/"b" for a new word of one side and
 * "fN" for N new filler words. */
static void docSpec(doc *d, const char *spec, char w[][16], uint64_t *rng)
{
    char buf[512];
    strcpy(buf, spec);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
        if (t[0] == 'w') docAppend(d, w[atoi(t + 1)]);
        else if (t[0] == 'f') addWords(d, rng, atoi(t + 1));
        else docAppend(d, word(rng));
    }
}

static calque__aligner *newParaAligner(double para)
{
    static calque__mem mem;
    mem = calque__memFrom(NULL);
    calque__alignParams p;
    calque__initAlignParams(&p, 5);
    ASSERT_NEAR(p.minIdentity, 0.9, 1e-12);
    ASSERT_NEAR(p.paraphraseIdentity, 0.6, 1e-12);
    p.paraphraseIdentity = para;
    calque__aligner *const al = calque__createAligner(&mem, &p);
    ASSERT(al != NULL);
    return al;
}

TEST(align_paraphrase_when_no_verbatim_passage)
{
    /* A rewritten sentence (shape of Clough-Stevenson g2pC_taske): runs
     * of 2, 2, 4 and 7 equal words between substituted, inserted and
     * dropped words; only the 7-word run holds 5-gram seeds. No range
     * reaches 0.9, so the paraphrase search runs: its extension goes back
     * through the rewritten words to the first run. 15 equal words of 21
     * columns: identity 0.71, 20 words. */
    uint64_t rng = 30;
    char w[15][16];
    for (int i = 0; i < 15; i++) strcpy(w[i], word(&rng));
    doc a = {0}, b = {0};
    docSpec(&a, "f15 w0 w1 a w2 w3 a w4 w5 w6 w7 a a w8 w9 w10 w11 w12 "
                "w13 w14 f15", w, &rng);
    docSpec(&b, "f15 w0 w1 b w2 w3 b b b w4 w5 w6 w7 b w8 w9 w10 w11 w12 "
                "w13 w14 f15", w, &rng);
    calque__aligner *al = newParaAligner(0.6);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 15);
    ASSERT_EQ(ps[0].a1, 34);
    ASSERT_EQ(ps[0].b0, 15);
    ASSERT_EQ(ps[0].b1, 35);
    ASSERT_EQ(ps[0].words, 20);
    ASSERT_EQ(ps[0].matches, 15);
    ASSERT_EQ(ps[0].columns, 21);
    calque__freeAligner(al);
    /* Paraphrase off, or a floor above 0.71: nothing. */
    al = newParaAligner(1.0);
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 0);
    calque__freeAligner(al);
    al = newParaAligner(0.75);
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 0);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

TEST(align_paraphrase_extension_stops_at_its_best_score)
{
    /* A 17-word copy (one word inserted in b: runs of 9 and 8) is shorter
     * than minWords. Four words rewritten as two after it, then two equal
     * words that happen to end a sentence of both texts: crossing the
     * rewritten words to reach the two lowers the score, so the extension
     * stops at the copy and there is no passage (it used to reach them: 23
     * words at 0.79). Five equal words there pay for the rewritten ones:
     * the passage runs to them. */
    uint64_t rng = 32;
    char w[22][16];
    for (int i = 0; i < 22; i++) strcpy(w[i], word(&rng));
    doc a = {0}, b = {0};
    docSpec(&a, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 "
                "w16 a a a a w17 w18 f15", w, &rng);
    docSpec(&b, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 b w9 w10 w11 w12 w13 w14 "
                "w15 w16 b b w17 w18 f15", w, &rng);
    calque__aligner *al = newParaAligner(0.6);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 0);
    docFree(&a);
    docFree(&b);
    docSpec(&a, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 "
                "w16 a a a a w17 w18 w19 w20 w21 f15", w, &rng);
    docSpec(&b, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 b w9 w10 w11 w12 w13 w14 "
                "w15 w16 b b w17 w18 w19 w20 w21 f15", w, &rng);
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 15);
    ASSERT_EQ(ps[0].a1, 41);
    ASSERT_EQ(ps[0].b1, 40);
    ASSERT_EQ(ps[0].matches, 22);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

TEST(align_paraphrase_needs_a_reworded_phrase)
{
    /* A 27-word paragraph copied with word edits, as copies are edited (a
     * word changed, added or dropped here and there), has no 20-word range
     * at 0.9: it is no paraphrase either, whatever its identity (the shape
     * of a generated reprint, 24 equal words of 27). Rewording, where one
     * text has two words more than the other in a stretch (a word turned
     * into a phrase, a phrase dropped), is. */
    static const struct {
        const char *b;
        int found;
    } cases[] = {
        /* two words changed, one dropped: 0.89 */
        {"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 b w12 w13 b w15 w16 w17 w18 "
         "w20 w21 w22 w23 w24 w25 w26", 0},
        /* three words changed side by side: 0.89 */
        {"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 b b b w14 w15 w16 w17 w18 w19 "
         "w20 w21 w22 w23 w24 w25 w26", 0},
        /* a word changed and a word added, side by side, twice: 0.86 */
        {"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 b b w12 w13 w14 w15 b b w17 "
         "w18 w19 w20 w21 w22 w23 w24 w25 w26", 0},
        /* one word turned into three, one changed: 0.86 */
        {"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 b b b w12 w13 b w15 w16 w17 "
         "w18 w19 w20 w21 w22 w23 w24 w25 w26", 1},
        /* two words dropped, one changed: 0.89 */
        {"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w13 w14 w15 b w17 w18 w19 w20 "
         "w21 w22 w23 w24 w25 w26", 1},
    };
    uint64_t rng = 34;
    char w[27][16];
    for (int i = 0; i < 27; i++) strcpy(w[i], word(&rng));
    calque__aligner *const al = newParaAligner(0.6);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char sb[400];
        snprintf(sb, sizeof sb, "f15 %s f15", cases[k].b);
        doc a = {0}, b = {0};
        docSpec(&a, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 "
                    "w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 f15",
                w, &rng);
        docSpec(&b, sb, w, &rng);
        const calque__passage *ps;
        ASSERT_EQ(alignDocs(al, &a, &b, &ps), (size_t)cases[k].found);
        if (cases[k].found) {
            ASSERT_EQ(ps[0].a0, 15);
            ASSERT_EQ(ps[0].a1, 42);
            ASSERT(ps[0].identity > 0.85 && ps[0].identity < 0.9);
        }
        docFree(&a);
        docFree(&b);
    }
    calque__freeAligner(al);
}

TEST(align_paraphrase_is_a_local_alignment)
{
    /* Two reprints keep a 5-word byline and a 19-word paragraph (one word
     * changed in b); b has a 9-word sentence of its own between them. Both
     * copies are shorter than minWords. Across the sentence they made a
     * paraphrase of 33 words at 0.70, but its first 14 columns score 5 - 9
     * below zero: no part at either end of a passage may, as in any local
     * alignment, so there is none. With 3 words between them, the byline
     * pays for them: 27 words at 0.85. */
    uint64_t rng = 35;
    char w[24][16];
    for (int i = 0; i < 24; i++) strcpy(w[i], word(&rng));
    for (int between = 9; between >= 3; between -= 6) {
        char sb[400];
        snprintf(sb, sizeof sb, "f15 w0 w1 w2 w3 w4 f%d w5 w6 w7 w8 w9 w10 "
                 "w11 w12 w13 w14 w15 b w17 w18 w19 w20 w21 w22 w23 f15",
                 between);
        doc a = {0}, b = {0};
        docSpec(&a, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 "
                    "w15 w16 w17 w18 w19 w20 w21 w22 w23 f15", w, &rng);
        docSpec(&b, sb, w, &rng);
        calque__aligner *const al = newParaAligner(0.6);
        const calque__passage *ps;
        ASSERT_EQ(alignDocs(al, &a, &b, &ps), between == 3);
        if (between == 3) {
            ASSERT_EQ(ps[0].a0, 15);
            ASSERT_EQ(ps[0].a1, 39);
            ASSERT_EQ(ps[0].words, 27);
            ASSERT_EQ(ps[0].matches, 23);
        }
        calque__freeAligner(al);
        docFree(&a);
        docFree(&b);
    }
}

TEST(align_paraphrase_never_crosses_an_added_sentence)
{
    /* Two 15-word paragraphs of a, copied in b with a 9-word sentence of
     * b's own between them: each copy is shorter than minWords. Without
     * sentence starts the paraphrase search joins them across the added
     * words (39 words at 0.77); with them, the 9 words are a sentence b
     * adds whole and the passage stops there: nothing. When the added
     * words end inside a sentence (no sentence start after them), they
     * may be a rewording and the passage stands. */
    uint64_t rng = 36;
    char w[30][16];
    for (int i = 0; i < 30; i++) strcpy(w[i], word(&rng));
    doc a = {0}, b = {0};
    docSpec(&a, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 "
                "w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 f15",
            w, &rng);
    docSpec(&b, "f15 w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 f9 "
                "w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 "
                "f15", w, &rng);
    docTokenize(&a);
    docTokenize(&b);
    ASSERT_EQ(a.n, 60);
    ASSERT_EQ(b.n, 69);
    uint8_t ba[60] = {0}, bb[69] = {0};
    ba[0] = ba[15] = ba[30] = ba[45] = 1; /* a: its paragraphs */
    bb[0] = bb[15] = bb[30] = bb[39] = bb[54] = 1; /* b: 30-38 its own */
    calque__aligner *const al = newParaAligner(0.6);
    const calque__passage *ps;
    size_t n;
    ASSERT_EQ(calque__alignSetA(al, a.tok, a.n), 0);
    for (int k = 0; k < 3; k++) {
        if (k == 1) bb[39] = 0; /* the added words end inside a sentence */
        calque__alignSetBreaks(al, k == 2 ? NULL : ba, k == 2 ? NULL : bb);
        ASSERT_EQ(calque__alignPair(al, b.tok, b.n, &ps, &n), 0);
        ASSERT_EQ(n, k == 0 ? 0 : 1);
        if (n) {
            ASSERT_EQ(ps[0].a0, 15);
            ASSERT_EQ(ps[0].a1, 45);
            ASSERT_EQ(ps[0].b1, 54);
            ASSERT_EQ(ps[0].words, 39);
        }
    }
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

TEST(align_paraphrase_needs_runs_and_solid_ends)
{
    /* A 12-word phrase both texts hold (a stock phrase), with one equal
     * word 4 words before it and one 4 words after: 14 equal words of 20
     * columns would pass the floor 0.6, but a paraphrase must hold two
     * runs of 3 equal words and start and end on 2 equal words. */
    uint64_t rng = 31;
    char w[14][16];
    for (int i = 0; i < 14; i++) strcpy(w[i], word(&rng));
    doc a = {0}, b = {0};
    docSpec(&a, "f20 w0 a a a w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 a a a "
                "w13 f20", w, &rng);
    docSpec(&b, "f20 w0 b b w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 b b "
                "w13 f20", w, &rng);
    calque__aligner *const al = newParaAligner(0.6);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 0);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

TEST(align_paraphrase_only_without_verbatim_passage)
{
    /* Q is rewritten in B (every sixth word replaced, one of them by
     * three words: identity 0.81). With a verbatim paragraph P beside it,
     * the pair is a reprint: only P is a passage and every passage keeps
     * the 0.9 floor. Without P, Q is found as paraphrase. */
    uint64_t rng = 32;
    char w[90][16];
    for (int i = 0; i < 90; i++) strcpy(w[i], word(&rng));
    char qa[600] = "", qb[600] = "", pw[400] = "";
    for (int i = 0; i < 60; i++) {
        char t[16];
        snprintf(t, sizeof t, " w%d", i);
        strcat(qa, t);
        strcat(qb, i == 29 ? " b b b" : i % 6 == 5 ? " b" : t);
    }
    for (int i = 60; i < 90; i++) {
        char t[16];
        snprintf(t, sizeof t, " w%d", i);
        strcat(pw, t);
    }
    char sa[1200], sb[1200];
    snprintf(sa, sizeof sa, "f10 %s f10 %s f10", pw, qa);
    snprintf(sb, sizeof sb, "f10 %s f10 %s f10", pw, qb);
    doc a = {0}, b = {0};
    docSpec(&a, sa, w, &rng);
    docSpec(&b, sb, w, &rng);
    calque__aligner *const al = newParaAligner(0.6);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 10);
    ASSERT_EQ(ps[0].a1, 40);
    ASSERT_NEAR(ps[0].identity, 1.0, 1e-12);
    docFree(&a);
    docFree(&b);
    snprintf(sa, sizeof sa, "f10 %s f10", qa);
    snprintf(sb, sizeof sb, "f10 %s f10", qb);
    docSpec(&a, sa, w, &rng);
    docSpec(&b, sb, w, &rng);
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 10);
    ASSERT(ps[0].a1 >= 69 && ps[0].a1 <= 70);
    ASSERT(ps[0].identity > 0.75 && ps[0].identity < 0.9);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
}

/* Seed filter of the test below: the n-grams listed in @opaque. */
static const uint64_t *filtered;
static size_t nfiltered;
static int skipListed(const void *opaque, uint64_t h)
{
    (void)opaque;
    for (size_t i = 0; i < nfiltered; i++)
        if (filtered[i] == h) return 1;
    return 0;
}

TEST(align_paraphrase_ignores_filtered_ngrams)
{
    /* A site's menu line (10 words, w0..w9) then the same date (4 words)
     * in both pages, 3 words of one page where the other has 1, 3 equal
     * words: 17 equal words of 20 columns, a paraphrase of identity 0.85
     * when nothing is filtered. When the
     * menu's n-grams are filtered (more frequent than maxDf), its words
     * are no evidence and there is no passage. */
    uint64_t rng = 33;
    char w[17][16];
    for (int i = 0; i < 17; i++) strcpy(w[i], word(&rng));
    const char *const shared = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 "
                               "w13";
    char sa[300], sb[300];
    snprintf(sa, sizeof sa, "f12 %s a a a w14 w15 w16 f12", shared);
    snprintf(sb, sizeof sb, "f12 %s b w14 w15 w16 f12", shared);
    doc a = {0}, b = {0}, menu = {0};
    docSpec(&a, sa, w, &rng);
    docSpec(&b, sb, w, &rng);
    docSpec(&menu, "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", w, &rng);
    docTokenize(&menu);
    uint64_t h[8];
    nfiltered = calque__ngramHashes(menu.tok, menu.n, 5, h);
    ASSERT_EQ(nfiltered, 6);
    filtered = h;
    calque__aligner *const al = newParaAligner(0.6);
    const calque__passage *ps;
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 1);
    ASSERT_EQ(ps[0].a0, 12);
    ASSERT_EQ(ps[0].matches, 17);
    calque__alignSetFilter(al, skipListed, NULL);
    ASSERT_EQ(alignDocs(al, &a, &b, &ps), 0);
    calque__freeAligner(al);
    docFree(&a);
    docFree(&b);
    docFree(&menu);
}
