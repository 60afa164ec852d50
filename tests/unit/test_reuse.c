/*
 * test_reuse.c - the reuse engine through the public API: passages with
 * byte offsets, accents and quotes that differ, CJK, stock phrases and
 * maxDf, groups, the span-agreement property (also for reprints sharing
 * one paragraph, each with its own edits), identical results for any
 * thread count, bounded work on repetitive and large documents, bad
 * parameters and sources, and a failing allocator.
 *
 * Texts are written here or generated from a seed: paragraphs of
 * sentences of pseudo-words, with reprints that keep, reorder and edit
 * paragraphs and add their own and some page boilerplate.
 */
#include <time.h>

#include "calque.h"
#include "test.h"

typedef struct {
    char **text;
    size_t n, cap;
    int failAt;      /* fetch of this document fails; -1: none */
} corpus;

static int fetch(void *opaque, uint64_t doc, char *dst, size_t len)
{
    corpus *const c = opaque;
    if ((int64_t)doc == c->failAt) return -1;
    if (doc >= c->n || strlen(c->text[doc]) != len) return -1;
    memcpy(dst, c->text[doc], len);
    return 0;
}

static void corpusAdd(corpus *c, char *text)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->text = realloc(c->text, c->cap * sizeof *c->text);
        ASSERT(c->text != NULL);
    }
    c->text[c->n++] = text;
}

static void corpusFree(corpus *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->text[i]);
    free(c->text);
    memset(c, 0, sizeof *c);
}

/* A growable string. */
typedef struct {
    char *s;
    size_t len, cap;
} str;

static void put(str *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ASSERT(b->s != NULL);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void puts_(str *b, const char *s)
{
    put(b, s, strlen(s));
}

static char *take(str *b)
{
    if (b->s == NULL) put(b, "", 0);
    char *const s = b->s;
    memset(b, 0, sizeof *b);
    return s;
}

/* A pseudo-word from a vocabulary of 20,000 (syllables). */
static void putWord(str *b, uint64_t *rng)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "ta",
                                      "vo", "si", "pe", "da", "gu", "ba",
                                      "fi", "zo", "ché", "ré"};
    uint64_t v = test_rand(rng) % 20000;
    do {
        puts_(b, syl[v % 16]);
        v /= 16;
    } while (v);
}

/* A paragraph of 2-4 sentences of 8-20 words. */
static char *paragraph(uint64_t *rng)
{
    str b = {0};
    int const ns = 2 + (int)(test_rand(rng) % 3);
    for (int s = 0; s < ns; s++) {
        int const nw = 8 + (int)(test_rand(rng) % 13);
        for (int w = 0; w < nw; w++) {
            if (s || w) puts_(&b, " ");
            putWord(&b, rng);
            if (w == nw / 2 && test_rand(rng) % 2) puts_(&b, ",");
        }
        puts_(&b, ".");
    }
    return take(&b);
}

/* Copies paragraph @p with about @rate % of its words substituted (a
 * letter appended) or dropped. */
static void putEdited(str *b, const char *p, uint64_t *rng, int rate)
{
    const char *s = p;
    while (*s) {
        const char *e = s;
        while (*e && *e != ' ') e++;
        unsigned const r = (unsigned)(test_rand(rng) % 100);
        if (r < (unsigned)rate && e - s > 2) {
            put(b, s, (size_t)(e - s - 1));
            puts_(b, "x");
            put(b, e - 1, 1);
        } else if (r < (unsigned)rate + 1 && *e) {
            e++; /* drop the word and its space */
            s = e;
            continue;
        } else {
            put(b, s, (size_t)(e - s));
        }
        if (*e) puts_(b, " "), e++;
        s = e;
    }
}

#define BOILERPLATE "Accueil | Actualités | Politique | Économie | Sport | "  \
    "Culture | Abonnez-vous à notre lettre d'information pour recevoir "     \
    "chaque matin l'essentiel de l'actualité | Mentions légales"

static int editRate = 3; /* % of the words of a reprint edited */

/* A generated collection: @nsrc agency articles of 6-10 paragraphs, each
 * with @reprints reprints keeping two thirds of its paragraphs (the
 * second and third kept swapped), editRate % of words edited, own
 * paragraphs and boilerplate added; and @nother unrelated articles.
 * Returns in @srcOf[i] the index of the article document i reprints, or
 * -1. */
static corpus generate(uint64_t seed, int nsrc, int reprints, int nother,
                       int *srcOf)
{
    corpus c = {0};
    c.failAt = -1;
    uint64_t rng = seed;
    for (int s = 0; s < nsrc; s++) {
        int const np = 6 + (int)(test_rand(&rng) % 5);
        char *para[10];
        str art = {0};
        for (int k = 0; k < np; k++) {
            para[k] = paragraph(&rng);
            if (k) puts_(&art, "\n\n");
            puts_(&art, para[k]);
        }
        int const src = (int)c.n;
        if (srcOf) srcOf[c.n] = -1;
        corpusAdd(&c, take(&art));
        for (int r = 0; r < reprints; r++) {
            str b = {0};
            puts_(&b, BOILERPLATE "\n\n");
            int kept[10], nk = 0;
            for (int k = 0; k < np; k++)
                if (test_rand(&rng) % 3 != 0) kept[nk++] = k;
            if (nk > 2) {
                int const t = kept[1];
                kept[1] = kept[2];
                kept[2] = t;
            }
            for (int i = 0; i < nk; i++) {
                if (test_rand(&rng) % 4 == 0) {
                    char *const own = paragraph(&rng);
                    puts_(&b, own);
                    puts_(&b, "\n\n");
                    free(own);
                }
                putEdited(&b, para[kept[i]], &rng, editRate);
                puts_(&b, "\n\n");
            }
            puts_(&b, BOILERPLATE);
            if (srcOf) srcOf[c.n] = src;
            corpusAdd(&c, take(&b));
        }
        for (int k = 0; k < np; k++) free(para[k]);
    }
    for (int o = 0; o < nother; o++) {
        str b = {0};
        puts_(&b, BOILERPLATE "\n\n");
        for (int k = 0; k < 5; k++) {
            char *const p = paragraph(&rng);
            puts_(&b, p);
            puts_(&b, "\n\n");
            free(p);
        }
        if (srcOf) srcOf[c.n] = -1;
        corpusAdd(&c, take(&b));
    }
    return c;
}

static calque_reuse *runWith(corpus *c, const calque_reuseParams *p)
{
    int err = 0;
    calque_reuse *const r = calque_createReuse(p, NULL, &err);
    ASSERT(r != NULL);
    for (size_t i = 0; i < c->n; i++)
        ASSERT_EQ(calque_reuseAdd(r, c->text[i], strlen(c->text[i])), 0);
    calque_textSource const src = {fetch, c};
    ASSERT_EQ(calque_reuseFinish(r, &src), 0);
    return r;
}

static calque_reuse *run(corpus *c, unsigned threads)
{
    calque_reuseParams p;
    calque_initReuseParams(&p);
    p.threads = threads;
    return runWith(c, &p);
}

/* The normalised words of text[s, e), by the library's tokenizer. */
static size_t wordsOf(calque_tokenizer *tk, const char *text, uint64_t s,
                      uint64_t e, uint64_t **out)
{
    const calque_token *t;
    size_t n;
    ASSERT_EQ(calque_tokenize(tk, text + s, (size_t)(e - s), &t, &n), 0);
    *out = malloc((n + 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) (*out)[i] = t[i].hash;
    return n;
}

static int cmpU64(const void *x, const void *y)
{
    uint64_t const a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Share of the normalised words two spans have in common (as multisets),
 * over the longer span. */
static double spanAgreement(calque_tokenizer *tk, const char *ta,
                            uint64_t as, uint64_t ae, const char *tb,
                            uint64_t bs, uint64_t be)
{
    uint64_t *x, *y;
    size_t const nx = wordsOf(tk, ta, as, ae, &x);
    size_t const ny = wordsOf(tk, tb, bs, be, &y);
    qsort(x, nx, sizeof *x, cmpU64);
    qsort(y, ny, sizeof *y, cmpU64);
    size_t i = 0, j = 0, common = 0;
    while (i < nx && j < ny) {
        if (x[i] == y[j]) common++, i++, j++;
        else if (x[i] < y[j]) i++;
        else j++;
    }
    free(x);
    free(y);
    return (double)common / (double)(nx > ny ? nx : ny);
}

/* Checks every passage of @r: spans inside the texts, on word boundaries,
 * sharing >= 90% of their normalised words (when the identity floor is
 * the default 0.9; @floor otherwise). */
static void checkPassagesAt(calque_reuse *r, corpus *c, double floor)
{
    calque_tokenizer *const tk = calque_createTokenizer(NULL, NULL);
    for (uint64_t k = 0; k < calque_reusePairCount(r); k++) {
        calque_reusePairInfo pi;
        ASSERT_EQ(calque_reusePair(r, k, &pi), 0);
        ASSERT(pi.a < pi.b && pi.passages >= 1);
        const char *const ta = c->text[pi.a], *const tb = c->text[pi.b];
        uint64_t words = 0;
        for (uint64_t q = 0; q < pi.passages; q++) {
            calque_reusePassage ps;
            ASSERT_EQ(calque_reusePassageAt(r, k, q, &ps), 0);
            ASSERT(ps.aStart < ps.aEnd && ps.aEnd <= strlen(ta));
            ASSERT(ps.bStart < ps.bEnd && ps.bEnd <= strlen(tb));
            ASSERT(ps.words >= 20);
            ASSERT(ps.identity >= floor && ps.identity <= 1.0);
            ASSERT(spanAgreement(tk, ta, ps.aStart, ps.aEnd, tb, ps.bStart,
                                 ps.bEnd) >= floor);
            /* Word boundaries: the spans cut no word in two. */
            uint64_t *w;
            size_t const n = wordsOf(tk, ta, ps.aStart, ps.aEnd, &w);
            free(w);
            ASSERT(n >= 1);
            words += ps.words;
        }
        ASSERT_U64_EQ(words, pi.words);
        ASSERT(pi.aCoverage > 0 && pi.aCoverage <= 1.0);
        ASSERT(pi.bCoverage > 0 && pi.bCoverage <= 1.0);
    }
    calque_freeTokenizer(tk);
}

static void checkPassages(calque_reuse *r, corpus *c)
{
    checkPassagesAt(r, c, 0.9);
}

TEST(reuse_finds_the_shared_paragraph)
{
    /* b = own words, then a paragraph of a (with one word changed), then
     * own words; c shares nothing. */
    uint64_t rng = 5;
    char *const p1 = paragraph(&rng), *const p2 = paragraph(&rng);
    char *const p3 = paragraph(&rng), *const own = paragraph(&rng);
    corpus c = {0};
    c.failAt = -1;
    str a = {0}, b = {0};
    puts_(&a, p1);
    puts_(&a, "\n\n");
    puts_(&a, p2);
    puts_(&a, "\n\n");
    puts_(&a, p3);
    puts_(&b, own);
    puts_(&b, " ");
    size_t const bAt = b.len;
    puts_(&b, p2);
    puts_(&b, " Fin de la dépêche.");
    size_t const aAt = strlen(p1) + 2;
    corpusAdd(&c, take(&a));
    corpusAdd(&c, take(&b));
    corpusAdd(&c, paragraph(&rng));
    calque_reuse *const r = run(&c, 1);
    ASSERT_U64_EQ(calque_reusePairCount(r), 1);
    calque_reusePairInfo pi;
    ASSERT_EQ(calque_reusePair(r, 0, &pi), 0);
    ASSERT_U64_EQ(pi.a, 0);
    ASSERT_U64_EQ(pi.b, 1);
    ASSERT_U64_EQ(pi.passages, 1);
    calque_reusePassage ps;
    ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
    /* The spans are the paragraph exactly (its final "." is not a word). */
    ASSERT_U64_EQ(ps.aStart, aAt);
    ASSERT_U64_EQ(ps.aEnd, aAt + strlen(p2) - 1);
    ASSERT_U64_EQ(ps.bStart, bAt);
    ASSERT_U64_EQ(ps.bEnd, bAt + strlen(p2) - 1);
    ASSERT_NEAR(ps.identity, 1.0, 1e-9);
    ASSERT(pi.bCoverage > pi.aCoverage);
    calque_reuseDocInfo di;
    ASSERT_EQ(calque_reuseDoc(r, 1, &di), 0);
    ASSERT_U64_EQ(di.group, ps.words >= 40 ? 0 : 1); /* minGroupWords */
    ASSERT_U64_EQ(di.reusedWords, ps.words);
    ASSERT_EQ(calque_reuseDoc(r, 2, &di), 0);
    ASSERT_U64_EQ(di.group, 2);
    ASSERT_U64_EQ(di.reusedWords, 0);
    ASSERT_EQ(calque_reuseDoc(r, 3, &di), CALQUE_ENOTFOUND);
    ASSERT_EQ(calque_reusePair(r, 1, &pi), CALQUE_ENOTFOUND);
    ASSERT_EQ(calque_reusePassageAt(r, 0, 1, &ps), CALQUE_ENOTFOUND);
    checkPassages(r, &c);
    calque_freeReuse(r);
    corpusFree(&c);
    free(p1);
    free(p2);
    free(p3);
    free(own);
}

TEST(reuse_accents_and_quotes_differ)
{
    /* The same French paragraph with straight and typographic quotes and
     * apostrophes, capitals, accents dropped, non-breaking spaces. */
    corpus c = {0};
    c.failAt = -1;
    corpusAdd(&c, strdup(
        "Le gouvernement a présenté mercredi un projet de loi sur l'énergie. "
        "« Nous voulons accélérer la transition », a déclaré la ministre, "
        "qui a précisé que le texte serait examiné à l'Assemblée nationale "
        "dès le mois prochain, avant un vote prévu à l'été."));
    corpusAdd(&c, strdup(
        "PARIS (AFP) – LE GOUVERNEMENT a presente mercredi un projet de loi "
        "sur l’energie. \"Nous voulons accelerer la transition\", a declare "
        "la ministre, qui a precise que le texte serait examine a "
        "l’Assemblee nationale des le mois prochain,\u00a0avant un vote "
        "prevu a l’ete. Lire aussi notre dossier."));
    calque_reuse *const r = run(&c, 2);
    ASSERT_U64_EQ(calque_reusePairCount(r), 1);
    calque_reusePassage ps;
    ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
    ASSERT_U64_EQ(ps.aStart, 0);
    ASSERT_MEM_EQ(c.text[0] + ps.aEnd - 5, "été", 5);
    ASSERT_MEM_EQ(c.text[1] + ps.bStart, "LE GOUVERNEMENT", 15);
    ASSERT_MEM_EQ(c.text[1] + ps.bEnd - 7, "l’ete", 7);
    ASSERT_NEAR(ps.identity, 1.0, 1e-9);
    checkPassages(r, &c);
    calque_freeReuse(r);
    corpusFree(&c);
}

TEST(reuse_cjk)
{
    /* Chinese without spaces: every ideograph is a word. */
    static const char *const han[] = {"日", "本", "中", "国", "人", "大",
                                      "学", "生", "年", "月", "新", "聞",
                                      "社", "会", "経", "済", "政", "治",
                                      "水", "火", "木", "金", "土", "山"};
    uint64_t rng = 9;
    str s = {0}, a = {0}, b = {0};
    for (int i = 0; i < 60; i++) {
        puts_(&s, han[test_rand(&rng) % 24]);
        if (i % 15 == 14) puts_(&s, "。");
    }
    for (int i = 0; i < 30; i++) puts_(&a, han[test_rand(&rng) % 24]);
    puts_(&a, "。");
    size_t const aAt = a.len;
    puts_(&a, s.s);
    puts_(&b, "新华社北京电：");
    size_t const bAt = b.len;
    puts_(&b, s.s);
    for (int i = 0; i < 30; i++) puts_(&b, han[test_rand(&rng) % 24]);
    corpus c = {0};
    c.failAt = -1;
    corpusAdd(&c, take(&a));
    corpusAdd(&c, take(&b));
    calque_reuse *const r = run(&c, 1);
    ASSERT(calque_reusePairCount(r) == 1);
    calque_reusePassage ps;
    ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
    /* Random ideographs may extend the match by a character or two at
     * either end; the shared 60 are inside. */
    ASSERT(ps.aStart <= aAt && ps.aStart + 6 >= aAt);
    ASSERT(ps.bStart <= bAt && ps.bStart + 6 >= bAt);
    ASSERT(ps.words >= 60);
    ASSERT_EQ(ps.aStart % 3, aAt % 3);
    checkPassages(r, &c);
    calque_freeReuse(r);
    corpusFree(&c);
    free(s.s);
}

TEST(reuse_stock_phrases_and_boilerplate_make_no_pair)
{
    /* Texts 0..14 share a 15-word stock phrase: it seeds candidates but
     * is shorter than minWords. Texts 10..39 share a footer of 60 words or
     * more: with maxDf 20 its n-grams are too frequent to seed. */
    uint64_t rng = 31;
    const char *const stock = "a indiqué le porte-parole du ministère lors "
                              "d'une conférence de presse mardi soir";
    str foot = {0};
    for (int i = 0; i < 4; i++) {
        char *const p = paragraph(&rng);
        puts_(&foot, p);
        puts_(&foot, " ");
        free(p);
    }
    corpus c = {0};
    c.failAt = -1;
    for (int i = 0; i < 40; i++) {
        str b = {0};
        char *const p = paragraph(&rng), *const q = paragraph(&rng);
        puts_(&b, p);
        if (i < 15) {
            puts_(&b, " ");
            puts_(&b, stock);
            puts_(&b, ".");
        }
        puts_(&b, " ");
        puts_(&b, q);
        if (i >= 10) {
            puts_(&b, "\n");
            puts_(&b, foot.s);
        }
        free(p);
        free(q);
        corpusAdd(&c, take(&b));
    }
    calque_reuseParams p;
    calque_initReuseParams(&p);
    p.maxDf = 20;
    calque_reuse *r = runWith(&c, &p);
    calque_reuseStats st;
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0);
    ASSERT_U64_EQ(st.candidatePairs, 15 * 14 / 2); /* the stock phrase */
    ASSERT_U64_EQ(st.alignedPairs, 0); /* one run of 17 words < minWords */
    ASSERT(st.frequentNgrams >= 60 - 4);           /* the footer */
    ASSERT_U64_EQ(st.maxDf, 20);
    calque_freeReuse(r);
    /* As a share: 0.5 of 40 documents = 20, the same result. */
    p.maxDf = 0.5;
    r = runWith(&c, &p);
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(st.maxDf, 20);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0);
    calque_freeReuse(r);
    /* With maxDf 100 the footer pairs the 30 texts; the stock phrase adds
     * no passage. */
    p.maxDf = 100;
    r = runWith(&c, &p);
    ASSERT_U64_EQ(calque_reusePairCount(r), 30 * 29 / 2);
    calque_reusePairInfo pi;
    ASSERT_EQ(calque_reusePair(r, 0, &pi), 0);
    ASSERT_U64_EQ(pi.a, 10);
    ASSERT_U64_EQ(pi.passages, 1);
    calque_reuseDocInfo di;
    ASSERT_EQ(calque_reuseDoc(r, 39, &di), 0);
    ASSERT_U64_EQ(di.group, 10);
    ASSERT_EQ(calque_reuseDoc(r, 9, &di), 0);
    ASSERT_U64_EQ(di.group, 9);
    checkPassages(r, &c);
    calque_freeReuse(r);
    corpusFree(&c);
    free(foot.s);
}

TEST(reuse_generated_reprints)
{
    /* Each reprint pairs with its article (and with its sibling reprint);
     * nothing else pairs; groups are the families; spans agree. The page
     * boilerplate is in 44 documents: maxDf 10 stops it. */
    int srcOf[200];
    corpus c = generate(41, 12, 2, 20, srcOf);
    calque_reuseParams p;
    calque_initReuseParams(&p);
    p.maxDf = 10;
    p.threads = 2;
    calque_reuse *const r = runWith(&c, &p);
    uint64_t found = 0, wrong = 0;
    for (uint64_t k = 0; k < calque_reusePairCount(r); k++) {
        calque_reusePairInfo pi;
        ASSERT_EQ(calque_reusePair(r, k, &pi), 0);
        int const fa = srcOf[pi.a] < 0 ? (int)pi.a : srcOf[pi.a];
        int const fb = srcOf[pi.b] < 0 ? (int)pi.b : srcOf[pi.b];
        if (fa != fb) wrong++;
        else if (srcOf[pi.b] == (int)pi.a) found++;
    }
    ASSERT_U64_EQ(wrong, 0);
    ASSERT_U64_EQ(found, 24);
    for (size_t d = 0; d < c.n; d++) {
        calque_reuseDocInfo di;
        ASSERT_EQ(calque_reuseDoc(r, d, &di), 0);
        uint64_t const want = srcOf[d] < 0 ? d : (uint64_t)srcOf[d];
        ASSERT_U64_EQ(di.group, want);
        ASSERT(di.reusedWords <= di.words);
        if (srcOf[d] >= 0) ASSERT(di.reusedWords > 0);
    }
    calque_reuseStats st;
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(st.groups, 12);
    ASSERT_U64_EQ(st.documents, c.n);
    ASSERT(st.alignedPairs >= st.pairs && st.alignedPairs <= st.candidatePairs);
    ASSERT(st.indexBytes >= 8 * st.postings);
    checkPassages(r, &c);
    calque_freeReuse(r);
    corpusFree(&c);
}

/* The share of the passages of @r whose spans share fewer than 90% of
 * their words; their count into *n. */
static double spanFailures(calque_reuse *r, corpus *c, uint64_t *n)
{
    calque_tokenizer *const tk = calque_createTokenizer(NULL, NULL);
    uint64_t bad = 0;
    *n = 0;
    for (uint64_t k = 0; k < calque_reusePairCount(r); k++) {
        calque_reusePairInfo pi;
        ASSERT_EQ(calque_reusePair(r, k, &pi), 0);
        for (uint64_t q = 0; q < pi.passages; q++, (*n)++) {
            calque_reusePassage ps;
            ASSERT_EQ(calque_reusePassageAt(r, k, q, &ps), 0);
            bad += spanAgreement(tk, c->text[pi.a], ps.aStart, ps.aEnd,
                                 c->text[pi.b], ps.bStart, ps.bEnd) < 0.9;
        }
    }
    calque_freeTokenizer(tk);
    return *n ? (double)bad / (double)*n : 0.0;
}

TEST(reuse_span_property_on_reprints)
{
    /* Reprints with 1% to 5% of their words edited (edits cluster by
     * chance): with the defaults, every passage's two spans share >= 90%
     * of their words, because a pair with a passage at identity 0.9 keeps
     * that floor. A single floor of 0.6 for every pair breaks it. */
    for (int rate = 1; rate <= 5; rate++) {
        editRate = rate;
        corpus c = generate(80 + (uint64_t)rate, 12, 3, 10, NULL);
        calque_reuseParams p;
        calque_initReuseParams(&p);
        p.maxDf = 10;
        calque_reuse *r = runWith(&c, &p);
        uint64_t n;
        ASSERT(spanFailures(r, &c, &n) == 0.0);
        ASSERT(n >= 36 * 3);
        checkPassages(r, &c);
        calque_freeReuse(r);
        if (rate == 5) {
            p.minIdentity = 0.6;
            r = runWith(&c, &p);
            ASSERT(spanFailures(r, &c, &n) > 0.0);
            calque_freeReuse(r);
        }
        corpusFree(&c);
    }
    editRate = 3;
}

/* Appends the 27 words @w as a paragraph, with the words at the
 * positions in @edits (ended by -1) substituted (a letter appended), or
 * for a position 100 + i, two words added after word i. */
static void putParagraph27(str *b, char *const *w, const int *edits)
{
    for (int i = 0; i < 27; i++) {
        if (i) puts_(b, " ");
        puts_(b, w[i]);
        for (const int *e = edits; *e >= 0; e++) {
            if (*e == i) puts_(b, "x");
            if (*e == 100 + i) puts_(b, " plus deux");
        }
    }
    puts_(b, ".");
}

TEST(reuse_reprints_sharing_one_edited_paragraph)
{
    /* Agency text c (paragraphs P0-P5 and a 27-word paragraph Q) and four
     * reprints that each keep their own P paragraphs and Q, with their
     * own edits: a with 3 (two words added, two changed: Q at 0.86
     * against c, no 20-word range reaches 0.9, so the verbatim pair (a, c)
     * has P0-P1 only), b with none, e with 1 (two words added), f with 2.
     * Two reprints share Q only, each copy with its own edits: a-b, a-e,
     * a-f, e-f below 0.9 and no verbatim passage, and two added words
     * make them a rewording as the pair sees it, so the paraphrase search
     * finds them. They are copies of c, not paraphrases of one another,
     * and are dropped: e-f because both copies are passages with c, a-b,
     * a-e, a-f because the other copy is one and (a, c) is a verbatim
     * pair. Every passage left keeps spans sharing >= 90% of their words;
     * b, e and f still have Q with c. */
    uint64_t rng = 47;
    char *p[6], *own[12], *q[27];
    for (int k = 0; k < 6; k++) p[k] = paragraph(&rng);
    for (int k = 0; k < 12; k++) own[k] = paragraph(&rng);
    for (int k = 0; k < 27; k++) {
        str w = {0};
        putWord(&w, &rng);
        q[k] = take(&w);
    }
    static const int none[] = {-1}, editsA[] = {108, 13, 18, -1},
                     editsE[] = {107, -1}, editsF[] = {10, 16, -1};
    static const int keptA[] = {0, 1, -1}, keptB[] = {4, 5, -1},
                     keptE[] = {2, -1}, keptF[] = {3, -1};
    const int *const edits[4] = {editsA, none, editsE, editsF};
    const int *const kept[4] = {keptA, keptB, keptE, keptF};
    corpus c = {0};
    c.failAt = -1;
    str b = {0};
    size_t qAt = 0, qEnd = 0; /* Q in c, its last word */
    for (int k = 0; k < 6; k++) {
        puts_(&b, p[k]);
        puts_(&b, "\n\n");
        if (k == 3) {
            qAt = b.len;
            putParagraph27(&b, q, none);
            qEnd = b.len - 1;
            puts_(&b, "\n\n");
        }
    }
    corpusAdd(&c, take(&b)); /* c: document 0, reprints a, b, e, f: 1-4 */
    for (int d = 0; d < 4; d++) {
        puts_(&b, own[3 * d]);
        for (const int *k = kept[d]; *k >= 0; k++) {
            puts_(&b, "\n\n");
            puts_(&b, p[*k]);
        }
        puts_(&b, "\n\n");
        puts_(&b, own[3 * d + 1]);
        puts_(&b, "\n\n");
        putParagraph27(&b, q, edits[d]);
        puts_(&b, "\n\n");
        puts_(&b, own[3 * d + 2]);
        corpusAdd(&c, take(&b));
    }
    calque_reuse *const r = run(&c, 2);
    checkPassages(r, &c);
    int withQ = 0, siblings = 0;
    for (uint64_t k = 0; k < calque_reusePairCount(r); k++) {
        calque_reusePairInfo pi;
        ASSERT_EQ(calque_reusePair(r, k, &pi), 0);
        if ((pi.a == 1 && pi.b > 1) || (pi.a == 3 && pi.b == 4))
            siblings++; /* they share only Q */
        for (uint64_t s = 0; s < pi.passages && pi.a == 0; s++) {
            calque_reusePassage ps;
            ASSERT_EQ(calque_reusePassageAt(r, k, s, &ps), 0);
            if (ps.aStart == qAt && ps.aEnd == qEnd) {
                ASSERT(pi.b >= 2);
                withQ++;
            }
        }
    }
    ASSERT_EQ(siblings, 0);
    ASSERT_EQ(withQ, 3);
    calque_reusePairInfo pi;
    ASSERT_EQ(calque_reusePair(r, 0, &pi), 0); /* (c, a): P0-P1 */
    ASSERT_U64_EQ(pi.a, 0);
    ASSERT_U64_EQ(pi.b, 1);
    calque_freeReuse(r);
    corpusFree(&c);
    for (int k = 0; k < 6; k++) free(p[k]);
    for (int k = 0; k < 12; k++) free(own[k]);
    for (int k = 0; k < 27; k++) free(q[k]);
}

/* Appends a random paragraph(). */
static void putParagraph(str *b, uint64_t *rng)
{
    char *const p = paragraph(rng);
    puts_(b, p);
    free(p);
}

/* @n random words, each before a space. */
static void putWords(str *b, uint64_t *rng, int n)
{
    for (int k = 0; k < n; k++) {
        putWord(b, rng);
        puts_(b, " ");
    }
}

/* Does @r have the pair (@a, @b)? */
static int hasPair(calque_reuse *r, uint64_t a, uint64_t b)
{
    for (uint64_t k = 0; k < calque_reusePairCount(r); k++) {
        calque_reusePairInfo pi;
        ASSERT_EQ(calque_reusePair(r, k, &pi), 0);
        if (pi.a == a && pi.b == b) return 1;
    }
    return 0;
}

TEST(reuse_stock_phrases_side_by_side_make_no_pair)
{
    /* Documents 0 and 1 each have two phrases, X (11 words) and Y (9),
     * a few different words apart (3 in one, 5 in the other): 20 equal
     * words in 25 columns, a paraphrase passage for two texts that share
     * nothing else. With 12
     * more documents holding X alone and 12 holding Y alone (each phrase
     * is stock, though in fewer than maxDf documents), X and Y are common
     * phrases that stand side by side by chance: no pair. Without those
     * documents nothing tells the two phrases from one rewritten text and
     * the pair is found; with documents holding X and Y together, copies
     * of one text, it is found too. */
    for (int extra = 0; extra < 3; extra++) {
        uint64_t rng = 53;
        str x = {0}, y = {0}, b = {0};
        putWords(&x, &rng, 11);
        putWords(&y, &rng, 9);
        corpus c = {0};
        c.failAt = -1;
        for (int d = 0; d < 2; d++) {
            putParagraph(&b, &rng);
            puts_(&b, "\n\n");
            puts_(&b, x.s);
            putWords(&b, &rng, 3 + 2 * d);
            puts_(&b, ". ");
            puts_(&b, y.s);
            putWords(&b, &rng, 6);
            puts_(&b, "\n\n");
            putParagraph(&b, &rng);
            corpusAdd(&c, take(&b));
        }
        for (int d = 0; extra > 0 && d < 24; d++) {
            putParagraph(&b, &rng);
            puts_(&b, " ");
            if (extra == 2 || d % 2 == 0) puts_(&b, x.s);
            putWords(&b, &rng, 5);
            if (extra == 2 || d % 2 == 1) puts_(&b, y.s);
            putWords(&b, &rng, 5);
            corpusAdd(&c, take(&b));
        }
        calque_reuse *const r = run(&c, 2);
        ASSERT_EQ(hasPair(r, 0, 1), extra != 1);
        checkPassagesAt(r, &c, 0.6);
        calque_freeReuse(r);
        corpusFree(&c);
        free(x.s);
        free(y.s);
    }
}

TEST(reuse_paraphrase_stops_at_an_added_sentence)
{
    /* b copies two 15-word sentences of a with a 9-word sentence of its
     * own between them, a paragraph of its own: each copy is shorter than
     * minWords and together they are no passage (the paraphrase search
     * stops at a sentence one text adds whole; the sentence starts come
     * from the text: a full stop or a line break before a word). When b's
     * words stand inside the sentence instead (no full stop around them),
     * they may be a rewording: the pair is found (39 words at 0.77). */
    for (int inside = 0; inside < 2; inside++) {
        uint64_t rng = 59;
        str x = {0}, y = {0}, own = {0}, b = {0};
        putWords(&x, &rng, 15);
        putWords(&y, &rng, 15);
        putWords(&own, &rng, 9);
        corpus c = {0};
        c.failAt = -1;
        putParagraph(&b, &rng);
        puts_(&b, "\n\n");
        puts_(&b, x.s);
        puts_(&b, ". ");
        puts_(&b, y.s);
        puts_(&b, ".\n\n");
        putParagraph(&b, &rng);
        corpusAdd(&c, take(&b));
        putParagraph(&b, &rng);
        puts_(&b, "\n\n");
        puts_(&b, x.s);
        puts_(&b, inside ? ", " : ".\n\n");
        puts_(&b, own.s);
        puts_(&b, inside ? ", " : ".\n\n");
        puts_(&b, y.s);
        puts_(&b, ".\n\n");
        putParagraph(&b, &rng);
        corpusAdd(&c, take(&b));
        calque_reuse *const r = run(&c, 1);
        ASSERT_U64_EQ(calque_reusePairCount(r), (uint64_t)inside);
        if (inside) {
            calque_reusePassage ps;
            ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
            ASSERT_EQ(ps.words, 39);
            ASSERT(ps.identity > 0.75 && ps.identity < 0.8);
        }
        calque_freeReuse(r);
        corpusFree(&c);
        free(x.s);
        free(y.s);
        free(own.s);
    }
}

TEST(reuse_site_header_and_stock_phrase_make_no_pair)
{
    /* Two pages of one site (its 9-word header is on 8 pages, more than
     * maxDf = 5) with the same weekday and day in their date lines, then a
     * stock phrase found in 8 documents: 22 words at 0.95 ("16 September"
     * and "16 November"), three shared n-grams that seed a match, all
     * held by the two pages only. But only 4 of the 22 words (the date
     * line) are not boilerplate: less than an n-gram of their own, no
     * passage. One more shared word in the date line makes 5: a passage. */
    for (int more = 0; more < 2; more++) {
        uint64_t rng = 57;
        str h = {0}, st = {0}, b = {0};
        putWords(&h, &rng, 9);
        putWords(&st, &rng, 8);
        static const char *const day[] = {"monday", "wednesday", "friday"};
        corpus c = {0};
        c.failAt = -1;
        for (int d = 0; d < 2; d++) {
            puts_(&b, h.s);
            puts_(&b, "published tuesday 16 ");
            puts_(&b, d ? "november " : "september ");
            puts_(&b, more ? "2024 paris\n" : "2024\n");
            puts_(&b, st.s);
            putParagraph(&b, &rng);
            corpusAdd(&c, take(&b));
        }
        for (int d = 0; d < 6; d++) { /* the site's other pages */
            puts_(&b, h.s);
            puts_(&b, "published ");
            puts_(&b, day[d % 3]);
            puts_(&b, " 3 march 2024\n");
            putParagraph(&b, &rng);
            corpusAdd(&c, take(&b));
        }
        for (int d = 0; d < 6; d++) { /* other documents with the phrase */
            putParagraph(&b, &rng);
            puts_(&b, "\n");
            putWords(&b, &rng, 2);
            puts_(&b, st.s);
            putWords(&b, &rng, 6);
            corpusAdd(&c, take(&b));
        }
        calque_reuseParams p;
        calque_initReuseParams(&p);
        p.maxDf = 5;
        calque_reuse *const r = runWith(&c, &p);
        ASSERT_EQ(hasPair(r, 0, 1), more);
        ASSERT_U64_EQ(calque_reusePairCount(r), (uint64_t)more);
        calque_freeReuse(r);
        corpusFree(&c);
        free(h.s);
        free(st.s);
    }
}

/* Every result of @r, flattened, for comparisons. */
static size_t dump(calque_reuse *r, size_t n, double *out, size_t cap)
{
    size_t k = 0;
#define OUT(x)                                                                \
    do {                                                                      \
        ASSERT(k < cap);                                                      \
        out[k++] = (double)(x);                                               \
    } while (0)
    for (uint64_t p = 0; p < calque_reusePairCount(r); p++) {
        calque_reusePairInfo pi;
        ASSERT_EQ(calque_reusePair(r, p, &pi), 0);
        OUT(pi.a);
        OUT(pi.b);
        OUT(pi.aCoverage);
        OUT(pi.bCoverage);
        OUT(pi.passages);
        OUT(pi.words);
        for (uint64_t q = 0; q < pi.passages; q++) {
            calque_reusePassage ps;
            ASSERT_EQ(calque_reusePassageAt(r, p, q, &ps), 0);
            OUT(ps.aStart);
            OUT(ps.aEnd);
            OUT(ps.bStart);
            OUT(ps.bEnd);
            OUT(ps.words);
            OUT(ps.identity);
        }
    }
    for (size_t d = 0; d < n; d++) {
        calque_reuseDocInfo di;
        ASSERT_EQ(calque_reuseDoc(r, d, &di), 0);
        OUT(di.group);
        OUT(di.words);
        OUT(di.reusedWords);
    }
#undef OUT
    return k;
}

TEST(reuse_same_result_for_any_thread_count)
{
    corpus c = generate(43, 10, 3, 30, NULL);
    size_t const cap = 1 << 16;
    double *const x = malloc(cap * sizeof *x), *const y =
                                                   malloc(cap * sizeof *y);
    calque_reuse *r = run(&c, 1);
    size_t const nx = dump(r, c.n, x, cap);
    calque_freeReuse(r);
    ASSERT(nx > 3 * c.n + 100);
    for (unsigned t = 2; t <= 4; t++) {
        r = run(&c, t);
        size_t const ny = dump(r, c.n, y, cap);
        calque_freeReuse(r);
        ASSERT_EQ(nx, ny);
        ASSERT(memcmp(x, y, nx * sizeof *x) == 0);
    }
    free(x);
    free(y);
    corpusFree(&c);
}

TEST(reuse_min_identity_finds_paraphrase)
{
    /* b rewrites every sixth word of a 90-word passage of a, one of them
     * as four words: identity about 0.81. No 20-word range reaches the
     * floor 0.9, so the pair is paraphrase and its passage is found at the
     * paraphrase floor 0.6 (the default); not when that floor is off
     * (>= minIdentity); and with minIdentity 0.6 as an ordinary passage. */
    uint64_t rng = 45;
    str a = {0}, b = {0};
    puts_(&a, "Début propre au premier texte.");
    puts_(&b, "Un autre début, tout à fait différent.");
    for (int i = 0; i < 90; i++) {
        str w = {0};
        putWord(&w, &rng);
        puts_(&a, " ");
        puts_(&a, w.s);
        puts_(&b, " ");
        puts_(&b, i == 47 ? "mis à la place" : i % 6 == 5 ? "remplacé" : w.s);
        free(w.s);
    }
    corpus c = {0};
    c.failAt = -1;
    corpusAdd(&c, take(&a));
    corpusAdd(&c, take(&b));
    calque_reuseParams p;
    calque_initReuseParams(&p);
    ASSERT_NEAR(p.minIdentity, 0.9, 1e-12);
    ASSERT_NEAR(p.paraphraseIdentity, 0.6, 1e-12);
    for (int run = 0; run < 3; run++) {
        p.paraphraseIdentity = run == 1 ? 1.0 : 0.6;
        p.minIdentity = run == 2 ? 0.6 : 0.9;
        calque_reuse *const r = runWith(&c, &p);
        if (run == 1) {
            ASSERT_U64_EQ(calque_reusePairCount(r), 0);
            calque_freeReuse(r);
            continue;
        }
        ASSERT_U64_EQ(calque_reusePairCount(r), 1);
        calque_reusePassage ps;
        ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
        ASSERT(ps.words >= 85);
        ASSERT(ps.identity > 0.75 && ps.identity < 0.9);
        checkPassagesAt(r, &c, 0.6);
        calque_freeReuse(r);
    }
    p.minIdentity = 1.5;
    int err = 0;
    ASSERT(calque_createReuse(&p, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    p.minIdentity = 0.9;
    p.paraphraseIdentity = -0.1;
    ASSERT(calque_createReuse(&p, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    corpusFree(&c);
}

TEST(reuse_one_shared_run_is_not_aligned)
{
    /* A and B share two 10-word phrases, far apart; C holds the first
     * one only. All three pairs are candidates; (A, B) has two runs of
     * seeds and is aligned (no passage: each run is short); a pair whose
     * shared n-grams make one run shorter than minWords is not aligned. */
    uint64_t rng = 47;
    str ph[2] = {{0}, {0}};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 10; i++) {
            if (i) puts_(&ph[k], " ");
            putWord(&ph[k], &rng);
        }
    corpus c = {0};
    c.failAt = -1;
    for (int d = 0; d < 3; d++) {
        str b = {0};
        for (int k = 0; k < 2; k++) {
            char *const p = paragraph(&rng);
            puts_(&b, p);
            free(p);
            if (k == 0 || d < 2) {
                puts_(&b, " ");
                puts_(&b, ph[k].s);
                puts_(&b, ". ");
            }
        }
        corpusAdd(&c, take(&b));
    }
    calque_reuse *const r = run(&c, 1);
    calque_reuseStats st;
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(st.candidatePairs, 3);
    ASSERT_U64_EQ(st.alignedPairs, 1);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0);
    calque_freeReuse(r);
    corpusFree(&c);
    free(ph[0].s);
    free(ph[1].s);
}

TEST(reuse_periodic_text_is_aligned)
{
    /* An 8-word sentence 4 times in a row, in two texts: 32 shared words,
     * but only 8 distinct 5-grams, whose first occurrences make one
     * 12-word run. The index knows they repeat, so the pair is aligned. */
    uint64_t rng = 48;
    str sent = {0};
    for (int i = 0; i < 8; i++) {
        if (i) puts_(&sent, " ");
        putWord(&sent, &rng);
    }
    corpus c = {0};
    c.failAt = -1;
    for (int d = 0; d < 2; d++) {
        str b = {0};
        char *const p = paragraph(&rng), *const q = paragraph(&rng);
        puts_(&b, p);
        for (int k = 0; k < 4; k++) {
            puts_(&b, " ");
            puts_(&b, sent.s);
        }
        puts_(&b, ". ");
        puts_(&b, q);
        free(p);
        free(q);
        corpusAdd(&c, take(&b));
    }
    calque_reuse *const r = run(&c, 1);
    calque_reuseStats st;
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(st.alignedPairs, 1);
    ASSERT_U64_EQ(calque_reusePairCount(r), 1);
    calque_reusePassage ps;
    ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
    ASSERT_U64_EQ(ps.words, 32);
    checkPassages(r, &c);
    calque_freeReuse(r);
    corpusFree(&c);
    free(sent.s);
}

TEST(reuse_min_seeds)
{
    /* Two texts sharing exactly one 7-word sequence: 3 shared 5-grams.
     * minSeeds 3 makes them a candidate, 4 does not. */
    corpus c = {0};
    c.failAt = -1;
    corpusAdd(&c, strdup("un deux trois quatre cinq six sept huit neuf dix "
                         "alpha beta gamma delta epsilon zeta eta"));
    corpusAdd(&c, strdup("onze douze alpha beta gamma delta epsilon zeta "
                         "eta treize quatorze"));
    calque_reuseParams p;
    calque_initReuseParams(&p);
    calque_reuseStats st;
    calque_reuse *r = runWith(&c, &p);
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(st.candidatePairs, 1);
    ASSERT_U64_EQ(st.sharedNgrams, 3);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0); /* 7 < minWords */
    calque_freeReuse(r);
    p.minSeeds = 4;
    r = runWith(&c, &p);
    calque_reuseGetStats(r, &st);
    ASSERT_U64_EQ(st.candidatePairs, 0);
    calque_freeReuse(r);
    p.minSeeds = 3;
    p.minWords = 7;
    r = runWith(&c, &p);
    ASSERT_U64_EQ(calque_reusePairCount(r), 1);
    calque_reusePassage ps;
    ASSERT_EQ(calque_reusePassageAt(r, 0, 0, &ps), 0);
    ASSERT_U64_EQ(ps.words, 7);
    ASSERT_MEM_EQ(c.text[1] + ps.bStart, "alpha", 5);
    ASSERT_U64_EQ(ps.bEnd - ps.bStart, strlen("alpha beta gamma delta "
                                              "epsilon zeta eta"));
    calque_freeReuse(r);
    corpusFree(&c);
}

TEST(reuse_repetitive_and_large_documents_are_bounded)
{
    /* One sentence 10,000 times; a 1 MB article; copies of both; small
     * texts quoting them. Must stay fast and find the copies. */
    uint64_t rng = 51;
    corpus c = {0};
    c.failAt = -1;
    char *const sent = paragraph(&rng);
    str rep = {0}, big = {0};
    for (int i = 0; i < 10000; i++) {
        puts_(&rep, sent);
        puts_(&rep, " ");
    }
    while (big.len < (1u << 20)) {
        char *const p = paragraph(&rng);
        puts_(&big, p);
        puts_(&big, "\n\n");
        free(p);
    }
    corpusAdd(&c, strdup(rep.s));
    corpusAdd(&c, take(&rep));
    corpusAdd(&c, strdup(big.s));
    corpusAdd(&c, take(&big));
    str q = {0};
    puts_(&q, "Il a dit : ");
    puts_(&q, sent);
    puts_(&q, " Puis il est parti.");
    corpusAdd(&c, take(&q));
    clock_t const t0 = clock();
    calque_reuse *const r = run(&c, 2);
    double const secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ASSERT(secs < 30.0);
    /* 0-1 identical, 2-3 identical, 0-4 and 1-4 (the sentence, if it has
     * 20 words or more) */
    calque_reusePairInfo pi;
    ASSERT(calque_reusePairCount(r) >= 2);
    ASSERT_EQ(calque_reusePair(r, 0, &pi), 0);
    ASSERT_U64_EQ(pi.a, 0);
    ASSERT_U64_EQ(pi.b, 1);
    ASSERT_NEAR(pi.aCoverage, 1.0, 1e-9);
    ASSERT_NEAR(pi.bCoverage, 1.0, 1e-9);
    int sawBig = 0;
    for (uint64_t k = 0; k < calque_reusePairCount(r); k++) {
        ASSERT_EQ(calque_reusePair(r, k, &pi), 0);
        if (pi.a == 2 && pi.b == 3) {
            sawBig = 1;
            ASSERT_NEAR(pi.aCoverage, 1.0, 1e-9);
            ASSERT_U64_EQ(pi.passages, 1);
        }
        ASSERT(!(pi.a < 2 && pi.b >= 2 && pi.b <= 3));
    }
    ASSERT(sawBig);
    calque_freeReuse(r);
    corpusFree(&c);
    free(sent);
}

TEST(reuse_empty_and_short_documents)
{
    corpus c = {0};
    c.failAt = -1;
    corpusAdd(&c, strdup(""));
    corpusAdd(&c, strdup("deux mots"));
    corpusAdd(&c, strdup("  ...  "));
    calque_reuse *r = run(&c, 1);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0);
    calque_reuseDocInfo di;
    ASSERT_EQ(calque_reuseDoc(r, 1, &di), 0);
    ASSERT_U64_EQ(di.words, 2);
    ASSERT_U64_EQ(di.group, 1);
    calque_freeReuse(r);
    corpusFree(&c);
    /* No document at all. */
    r = run(&c, 2);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0);
    calque_freeReuse(r);
}

TEST(reuse_bad_parameters_state_and_source)
{
    int err = 0;
    calque_reuseParams p;
    calque_initReuseParams(&p);
    p.ngram = 0;
    ASSERT(calque_createReuse(&p, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_initReuseParams(&p);
    p.maxDf = 0;
    ASSERT(calque_createReuse(&p, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_initReuseParams(&p);
    p.minSeeds = 0;
    ASSERT(calque_createReuse(&p, NULL, &err) == NULL);
    calque_freeReuse(NULL);

    corpus c = generate(61, 2, 1, 2, NULL);
    calque_reuse *r = calque_createReuse(NULL, NULL, &err);
    ASSERT(r != NULL);
    calque_reusePairInfo pi;
    calque_reuseDocInfo di;
    ASSERT_EQ(calque_reusePair(r, 0, &pi), CALQUE_ESTATE);
    ASSERT_EQ(calque_reuseDoc(r, 0, &di), CALQUE_ESTATE);
    for (size_t i = 0; i < c.n; i++)
        ASSERT_EQ(calque_reuseAdd(r, c.text[i], strlen(c.text[i])), 0);
    c.failAt = 1; /* the reprint cannot be fetched */
    calque_textSource const src = {fetch, &c};
    ASSERT_EQ(calque_reuseFinish(r, &src), CALQUE_ESOURCE);
    ASSERT_EQ(calque_reuseFinish(r, &src), CALQUE_ESTATE);
    ASSERT_EQ(calque_reuseAdd(r, "x", 1), CALQUE_ESTATE);
    ASSERT_U64_EQ(calque_reusePairCount(r), 0);
    ASSERT_EQ(calque_reusePair(r, 0, &pi), CALQUE_ESTATE);
    calque_freeReuse(r);
    /* A NULL source. */
    r = calque_createReuse(NULL, NULL, &err);
    ASSERT_EQ(calque_reuseFinish(r, NULL), CALQUE_EPARAM);
    calque_freeReuse(r);
    corpusFree(&c);
}

static long budget;

static void *failingAlloc(void *opaque, size_t size)
{
    (void)opaque;
    if (__atomic_sub_fetch(&budget, 1, __ATOMIC_RELAXED) < 0) return NULL;
    return malloc(size);
}

static void plainFree(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

TEST(reuse_out_of_memory_is_an_error)
{
    corpus c = generate(71, 3, 2, 3, NULL);
    calque_customMem const mem = {failingAlloc, plainFree, NULL};
    int sawOk = 0;
    for (long b = 0; b < 6000; b += 23) {
        budget = b;
        calque_reuseParams p;
        calque_initReuseParams(&p);
        p.threads = 1 + (unsigned)(b % 2);
        int err = 0;
        calque_reuse *const r = calque_createReuse(&p, &mem, &err);
        if (r == NULL) {
            ASSERT(err == CALQUE_ENOMEM || err == CALQUE_ETHREAD);
            continue;
        }
        int e = 0;
        for (size_t i = 0; i < c.n && e == 0; i++)
            e = calque_reuseAdd(r, c.text[i], strlen(c.text[i]));
        calque_textSource const src = {fetch, &c};
        if (e == 0) e = calque_reuseFinish(r, &src);
        ASSERT(e == 0 || e == CALQUE_ENOMEM);
        if (e == 0) ASSERT(calque_reusePairCount(r) > 0);
        sawOk |= e == 0;
        calque_freeReuse(r);
    }
    ASSERT(sawOk);
    corpusFree(&c);
}
