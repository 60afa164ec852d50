/*
 * test_dedup.c - the dedup engine through the public API: exact copies,
 * near copies, representatives, pairs, determinism across thread counts,
 * bad parameters, and a failing allocator.
 */
#include "calque.h"
#include "test.h"

typedef struct {
    char **text;
    size_t n;
} corpus;

static int fetch(void *opaque, uint64_t doc, char *dst, size_t len)
{
    corpus *const c = opaque;
    if (doc >= c->n || strlen(c->text[doc]) != len) return -1;
    memcpy(dst, c->text[doc], len);
    return 0;
}

/* A random text of @words words from a vocabulary of 5000. */
static char *randomText(uint64_t *seed, int words)
{
    char *const s = malloc((size_t)words * 12 + 1);
    size_t k = 0;
    for (int i = 0; i < words; i++) {
        uint64_t const w = test_rand(seed) % 5000;
        k += (size_t)sprintf(s + k, "%sw%llu", i ? " " : "",
                             (unsigned long long)w);
    }
    s[k] = 0;
    return s;
}

/* Replaces @edits words of @s by new ones (in place, same length). */
static char *edited(const char *s, uint64_t *seed, int edits)
{
    char *const t = strdup(s);
    size_t const len = strlen(t);
    for (int e = 0; e < edits; e++) {
        size_t at = test_rand(seed) % len;
        while (at < len && t[at] != 'w') at++;
        if (at + 1 < len) t[at + 1] = (char)('0' + test_rand(seed) % 10);
    }
    return t;
}

static calque_dedup *run(corpus *c, unsigned threads, int estimate,
                         int allPairs)
{
    calque_dedupParams p;
    calque_initDedupParams(&p);
    p.threads = threads;
    p.verifyEstimate = estimate;
    p.allPairs = allPairs;
    int err = 0;
    calque_dedup *const d = calque_createDedup(&p, NULL, &err);
    ASSERT(d != NULL);
    for (size_t i = 0; i < c->n; i++)
        ASSERT_EQ(calque_dedupAdd(d, c->text[i], strlen(c->text[i])), 0);
    calque_textSource const src = {fetch, c};
    ASSERT_EQ(calque_dedupFinish(d, &src), 0);
    return d;
}

static corpus makeCorpus(void)
{
    /* 0..9 distinct; 10 = exact copy of 2; 11 = 2 with a few edits;
     * 12 = 11 with case and punctuation changes; 13 empty; 14 empty;
     * 15 = 5 heavily edited (not a near copy). */
    static char *t[16];
    uint64_t seed = 77;
    for (int i = 0; i < 10; i++) t[i] = randomText(&seed, 300);
    t[10] = strdup(t[2]);
    t[11] = edited(t[2], &seed, 2);
    t[12] = strdup(t[11]);
    for (char *p = t[12]; *p; p++)
        if (*p == 'w') *p = 'W';
    t[13] = strdup("");
    t[14] = strdup("  ...  ");
    t[15] = edited(t[5], &seed, 120);
    corpus const c = {t, 16};
    return c;
}

TEST(dedup_clusters_exact_and_near)
{
    corpus c = makeCorpus();
    calque_dedup *const d = run(&c, 1, 0, 0);
    calque_dedupInfo in;
    ASSERT_EQ(calque_dedupResult(d, 2, &in), 0);
    ASSERT_EQ(in.cluster, 2);
    ASSERT_EQ(in.duplicate, 0);
    ASSERT_EQ(calque_dedupResult(d, 10, &in), 0);
    ASSERT_EQ(in.cluster, 2);
    ASSERT_EQ(in.duplicate, 1);
    ASSERT_EQ(in.exact, 1);
    ASSERT_NEAR(in.similarity, 1.0, 0);
    ASSERT_EQ(calque_dedupResult(d, 11, &in), 0);
    ASSERT_EQ(in.cluster, 2);
    ASSERT_EQ(in.exact, 0);
    ASSERT(in.similarity >= 0.8 && in.similarity < 1.0);
    /* 12 differs from 11 only by case: an exact copy of 11, near to 2. */
    ASSERT_EQ(calque_dedupResult(d, 12, &in), 0);
    ASSERT_EQ(in.cluster, 2);
    ASSERT_EQ(in.exact, 0);
    ASSERT(in.similarity >= 0.8 && in.similarity < 1.0);
    /* The two texts without words are exact copies of each other? No:
     * "" and "..." normalise differently. */
    ASSERT_EQ(calque_dedupResult(d, 14, &in), 0);
    ASSERT_EQ(in.duplicate, 0);
    ASSERT_EQ(calque_dedupResult(d, 15, &in), 0);
    ASSERT_EQ(in.duplicate, 0);
    for (uint64_t i = 0; i < 10; i++) {
        ASSERT_EQ(calque_dedupResult(d, i, &in), 0);
        ASSERT_EQ(in.cluster, i);
    }
    calque_dedupStats st;
    calque_dedupGetStats(d, &st);
    ASSERT_EQ(st.documents, 16);
    ASSERT_EQ(st.exactDuplicates, 2); /* 10 and 12 */
    ASSERT_EQ(st.nearDuplicates, 1);  /* 11 */
    ASSERT_EQ(st.clusters, 1);
    ASSERT_EQ(calque_dedupResult(d, 16, &in), CALQUE_ENOTFOUND);
    calque_freeDedup(d);
}

TEST(dedup_pairs_listed)
{
    corpus c = makeCorpus();
    calque_dedup *const d = run(&c, 1, 0, 1);
    uint64_t const np = calque_dedupPairCount(d);
    /* (2,10) exact, (2,11) near, (11,12) exact. */
    ASSERT_EQ(np, 3);
    uint64_t a, b;
    double j;
    ASSERT_EQ(calque_dedupPair(d, 0, &a, &b, &j), 0);
    ASSERT_EQ(a, 2);
    ASSERT_EQ(b, 10);
    ASSERT_NEAR(j, 1.0, 0);
    ASSERT_EQ(calque_dedupPair(d, 1, &a, &b, &j), 0);
    ASSERT_EQ(a, 2);
    ASSERT_EQ(b, 11);
    ASSERT(j >= 0.8 && j < 1.0);
    ASSERT_EQ(calque_dedupPair(d, 2, &a, &b, &j), 0);
    ASSERT_EQ(a, 11);
    ASSERT_EQ(b, 12);
    ASSERT_EQ(calque_dedupPair(d, 3, &a, &b, &j), CALQUE_ENOTFOUND);
    calque_freeDedup(d);
}

TEST(dedup_same_result_for_any_thread_count)
{
    static char *t[600];
    uint64_t seed = 5;
    for (int i = 0; i < 600; i++) {
        if (i >= 20 && i % 3 == 0) t[i] = edited(t[i - 17], &seed, 3);
        else if (i >= 20 && i % 7 == 0) t[i] = strdup(t[i - 11]);
        else t[i] = randomText(&seed, 50 + (int)(test_rand(&seed) % 400));
    }
    corpus c = {t, 600};
    calque_dedup *const d1 = run(&c, 1, 0, 0);
    calque_dedup *const d2 = run(&c, 2, 0, 0);
    calque_dedup *const d4 = run(&c, 4, 0, 0);
    int dups = 0;
    for (uint64_t i = 0; i < 600; i++) {
        calque_dedupInfo x, y, z;
        calque_dedupResult(d1, i, &x);
        calque_dedupResult(d2, i, &y);
        calque_dedupResult(d4, i, &z);
        ASSERT_EQ(x.cluster, y.cluster);
        ASSERT_EQ(x.cluster, z.cluster);
        ASSERT_NEAR(x.similarity, y.similarity, 0);
        ASSERT_NEAR(x.similarity, z.similarity, 0);
        dups += x.duplicate;
    }
    ASSERT(dups > 200);
    calque_freeDedup(d1);
    calque_freeDedup(d2);
    calque_freeDedup(d4);
}

TEST(dedup_estimate_needs_no_source)
{
    corpus c = makeCorpus();
    calque_dedupParams p;
    calque_initDedupParams(&p);
    p.verifyEstimate = 1;
    p.threads = 2;
    int err;
    calque_dedup *const d = calque_createDedup(&p, NULL, &err);
    for (size_t i = 0; i < c.n; i++)
        ASSERT_EQ(calque_dedupAdd(d, c.text[i], strlen(c.text[i])), 0);
    ASSERT_EQ(calque_dedupFinish(d, NULL), 0);
    calque_dedupInfo in;
    calque_dedupResult(d, 11, &in);
    ASSERT_EQ(in.cluster, 2);
    ASSERT_EQ(calque_dedupFinish(d, NULL), CALQUE_ESTATE);
    ASSERT_EQ(calque_dedupAdd(d, "x", 1), CALQUE_ESTATE);
    calque_freeDedup(d);
}

TEST(dedup_keep_longest)
{
    static char *t[3];
    uint64_t seed = 8;
    t[0] = randomText(&seed, 300);
    size_t const n = strlen(t[0]);
    t[1] = malloc(n + 20);
    sprintf(t[1], "%s extra words", t[0]);
    t[2] = randomText(&seed, 100);
    corpus c = {t, 3};
    calque_dedupParams p;
    calque_initDedupParams(&p);
    p.keepLongest = 1;
    int err;
    calque_dedup *const d = calque_createDedup(&p, NULL, &err);
    for (int i = 0; i < 3; i++) calque_dedupAdd(d, t[i], strlen(t[i]));
    calque_textSource const src = {fetch, &c};
    ASSERT_EQ(calque_dedupFinish(d, &src), 0);
    calque_dedupInfo in;
    calque_dedupResult(d, 0, &in);
    ASSERT_EQ(in.cluster, 1);
    ASSERT_EQ(in.duplicate, 1);
    calque_dedupResult(d, 1, &in);
    ASSERT_EQ(in.duplicate, 0);
    calque_freeDedup(d);
}

TEST(dedup_bad_parameters_and_source)
{
    calque_dedupParams p;
    int err = 0;
    calque_initDedupParams(&p);
    p.threshold = 0;
    ASSERT(calque_createDedup(&p, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_initDedupParams(&p);
    p.bands = 20;
    p.rows = 10;
    ASSERT(calque_createDedup(&p, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_initDedupParams(&p);
    p.ngram = 0;
    ASSERT(calque_createDedup(&p, NULL, &err) == NULL);
    /* A source that fails gives CALQUE_ESOURCE. */
    corpus c = makeCorpus();
    corpus broken = {c.text, 0};
    calque_initDedupParams(&p);
    calque_dedup *const d = calque_createDedup(&p, NULL, &err);
    for (size_t i = 0; i < c.n; i++)
        calque_dedupAdd(d, c.text[i], strlen(c.text[i]));
    calque_textSource const src = {fetch, &broken};
    ASSERT_EQ(calque_dedupFinish(d, &src), CALQUE_ESOURCE);
    ASSERT_EQ(calque_dedupFinish(d, NULL), CALQUE_ESTATE);
    calque_freeDedup(d);
    calque_freeDedup(NULL);
}

/* An allocator that fails after a budget of calls. */
static long budget;
static void *failingAlloc(void *opaque, size_t n)
{
    (void)opaque;
    return budget-- > 0 ? malloc(n) : NULL;
}
static void plainFree(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

TEST(dedup_out_of_memory_is_an_error)
{
    corpus c = makeCorpus();
    calque_customMem const mem = {failingAlloc, plainFree, NULL};
    int sawOk = 0;
    for (long b = 0; b < 400; b += 7) {
        budget = b;
        calque_dedupParams p;
        calque_initDedupParams(&p);
        p.threads = 1;
        int err = 0;
        calque_dedup *const d = calque_createDedup(&p, &mem, &err);
        if (d == NULL) {
            ASSERT_EQ(err, CALQUE_ENOMEM);
            continue;
        }
        int e = 0;
        for (size_t i = 0; i < c.n && e == 0; i++)
            e = calque_dedupAdd(d, c.text[i], strlen(c.text[i]));
        calque_textSource const src = {fetch, &c};
        if (e == 0) e = calque_dedupFinish(d, &src);
        ASSERT(e == 0 || e == CALQUE_ENOMEM);
        sawOk |= e == 0;
        calque_freeDedup(d);
    }
    ASSERT(sawOk);
}
