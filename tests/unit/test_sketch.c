/*
 * test_sketch.c - MinHash estimates, LSH parameters, Jaccard, sorting,
 * union-find.
 */
#include <math.h>

#include "calque.h"
#include "cluster/unionfind.h"
#include "test.h"

TEST(minhash_deterministic_and_order_independent)
{
    calque_minhash *const mh = calque_createMinhash(128, 42, NULL);
    uint64_t s[300], r[300];
    uint64_t seed = 1;
    for (int i = 0; i < 300; i++) s[i] = test_rand(&seed);
    for (int i = 0; i < 300; i++) r[i] = s[299 - i];
    uint32_t a[128], b[128], c[128];
    calque_minhashSign(mh, s, 300, a);
    calque_minhashSign(mh, r, 300, b);
    ASSERT_MEM_EQ(a, b, sizeof a);
    /* Repeats do not matter either. */
    uint64_t rep[600];
    memcpy(rep, s, sizeof s);
    memcpy(rep + 300, s, sizeof s);
    calque_minhashSign(mh, rep, 600, c);
    ASSERT_MEM_EQ(a, c, sizeof a);
    /* Same seed, same signature; another seed, another one. */
    calque_minhash *const mh2 = calque_createMinhash(128, 42, NULL);
    calque_minhashSign(mh2, s, 300, c);
    ASSERT_MEM_EQ(a, c, sizeof a);
    calque_minhash *const mh3 = calque_createMinhash(128, 43, NULL);
    calque_minhashSign(mh3, s, 300, c);
    ASSERT(memcmp(a, c, sizeof a) != 0);
    calque_freeMinhash(mh);
    calque_freeMinhash(mh2);
    calque_freeMinhash(mh3);
}

TEST(minhash_odd_perms_and_empty)
{
    calque_minhash *const mh = calque_createMinhash(13, 1, NULL);
    uint32_t sig[13];
    calque_minhashSign(mh, NULL, 0, sig);
    for (int i = 0; i < 13; i++) ASSERT_U64_EQ(sig[i], UINT32_MAX);
    ASSERT(calque_createMinhash(0, 1, NULL) == NULL);
    ASSERT(calque_createMinhash(5000, 1, NULL) == NULL);
    calque_freeMinhash(mh);
    calque_freeMinhash(NULL);
}

/* Estimates over many random pairs stay within 3 standard errors of the
 * true Jaccard (sqrt(J(1-J)/K)) in all but a small share of trials, and
 * are unbiased on average. */
TEST(minhash_estimates_within_three_standard_errors)
{
    unsigned const K = 128;
    calque_minhash *const mh = calque_createMinhash(K, 9, NULL);
    uint64_t seed = 12345;
    int outside = 0, trials = 0;
    double biasSum = 0.0;
    static uint64_t a[2600], b[2600];
    uint32_t sa[128], sb[128];
    for (int t = 0; t < 600; t++) {
        size_t const na = 50 + test_rand(&seed) % 1500;
        size_t const shared = test_rand(&seed) % (na + 1);
        size_t const nb = shared + test_rand(&seed) % 1000;
        for (size_t i = 0; i < na; i++) a[i] = test_rand(&seed);
        for (size_t i = 0; i < nb; i++)
            b[i] = i < shared ? a[i] : test_rand(&seed);
        double const j = (double)shared / (double)(na + nb - shared);
        calque_minhashSign(mh, a, na, sa);
        calque_minhashSign(mh, b, nb, sb);
        double const est = calque_minhashEstimate(sa, sb, K);
        double const se = sqrt(j * (1 - j) / K);
        if (fabs(est - j) > 3 * se + 1e-9) outside++;
        biasSum += est - j;
        trials++;
    }
    /* 3 sigma: 0.3% expected outside; allow 1% for discreteness. */
    if (outside > trials / 100)
        TEST_FAIL_("%d of %d estimates outside 3 standard errors", outside,
                   trials);
    ASSERT_NEAR(biasSum / trials, 0.0, 0.01);
    calque_freeMinhash(mh);
}

TEST(minhash_permutations_independent)
{
    /* With J = 0.5 the number of equal positions is Binomial(K, 0.5):
     * its variance over many pairs must match K/4 (correlated
     * permutations would inflate it). */
    unsigned const K = 128;
    calque_minhash *const mh = calque_createMinhash(K, 3, NULL);
    uint64_t seed = 99;
    static uint64_t a[600], b[600];
    uint32_t sa[128], sb[128];
    double sum = 0, sum2 = 0;
    int const trials = 400;
    for (int t = 0; t < trials; t++) {
        for (int i = 0; i < 600; i++) a[i] = test_rand(&seed);
        for (int i = 0; i < 600; i++) b[i] = i < 400 ? a[i] : test_rand(&seed);
        /* |A∩B| = 400, |A∪B| = 800: J = 0.5 */
        calque_minhashSign(mh, a, 600, sa);
        calque_minhashSign(mh, b, 600, sb);
        double const eq = calque_minhashEstimate(sa, sb, K) * K;
        sum += eq;
        sum2 += eq * eq;
    }
    double const mean = sum / trials, var = sum2 / trials - mean * mean;
    ASSERT_NEAR(mean, 64.0, 1.5);
    ASSERT(var > 32.0 * 0.7 && var < 32.0 * 1.4);
    calque_freeMinhash(mh);
}

TEST(lsh_optimal_parameters)
{
    unsigned b, r;
    ASSERT_EQ(calque_lshOptimal(0.8, 128, 0.5, 0.5, &b, &r), 0);
    ASSERT(b * r <= 128);
    /* The S-curve's steep part sits near the threshold. */
    double const mid = pow(1.0 / b, 1.0 / r);
    ASSERT(mid > 0.6 && mid < 0.85);
    /* It must beat nearby choices on the weighted error. */
    unsigned b5, r5;
    ASSERT_EQ(calque_lshOptimal(0.5, 128, 0.5, 0.5, &b5, &r5), 0);
    ASSERT(pow(1.0 / b5, 1.0 / r5) < mid);
    /* Weighting false negatives more gives more bands (or fewer rows). */
    unsigned bn, rn;
    ASSERT_EQ(calque_lshOptimal(0.8, 128, 0.1, 0.9, &bn, &rn), 0);
    ASSERT(pow(1.0 / bn, 1.0 / rn) <= mid);
    ASSERT_EQ(calque_lshOptimal(0.0, 128, 0.5, 0.5, &b, &r), CALQUE_EPARAM);
    ASSERT_EQ(calque_lshOptimal(0.8, 0, 0.5, 0.5, &b, &r), CALQUE_EPARAM);
}

TEST(jaccard_sorted_and_sort_unique)
{
    uint64_t a[] = {5, 1, 3, 3, 9, 7};
    uint64_t tmp[6];
    size_t const na = calque_sortUnique(a, 6, tmp);
    ASSERT_EQ(na, 5);
    uint64_t const want[] = {1, 3, 5, 7, 9};
    ASSERT_MEM_EQ(a, want, sizeof want);
    uint64_t b[] = {3, 4, 5};
    ASSERT_NEAR(calque_jaccardSorted(a, na, b, 3), 2.0 / 6.0, 1e-12);
    ASSERT_NEAR(calque_jaccardSorted(a, 0, b, 0), 1.0, 0);
    ASSERT_NEAR(calque_jaccardSorted(a, na, b, 0), 0.0, 0);
    /* The radix path, with many values. */
    static uint64_t big[5000], t2[5000];
    uint64_t seed = 5;
    for (int i = 0; i < 5000; i++) big[i] = test_rand(&seed) % 3000;
    size_t const m = calque_sortUnique(big, 5000, t2);
    for (size_t i = 1; i < m; i++) ASSERT(big[i - 1] < big[i]);
    ASSERT(m > 2000 && m <= 3000);
    /* Spread-out values (the bucket path), with repeats. */
    for (int i = 0; i < 5000; i++)
        big[i] = i % 5 == 4 ? big[i - 3] : test_rand(&seed);
    uint64_t sum = 0;
    for (int i = 0; i < 5000; i++) sum += i % 5 == 4 ? 0 : big[i];
    size_t const u = calque_sortUnique(big, 5000, t2);
    ASSERT_EQ(u, 4000);
    uint64_t sum2 = 0;
    for (size_t i = 0; i < u; i++) {
        sum2 += big[i];
        if (i) ASSERT(big[i - 1] < big[i]);
    }
    ASSERT_U64_EQ(sum, sum2);
}

TEST(unionfind_roots_are_smallest)
{
    calque__uf uf;
    calque_customMem const none = {0};
    calque__mem mem = calque__memFrom(&none);
    ASSERT_EQ(calque__ufInit(&uf, &mem, 10), 0);
    ASSERT_EQ(calque__ufUnion(&uf, 7, 3), 1);
    ASSERT_EQ(calque__ufUnion(&uf, 9, 7), 1);
    ASSERT_EQ(calque__ufUnion(&uf, 3, 9), 0);
    ASSERT_EQ(calque__ufFind(&uf, 9), 3);
    ASSERT_EQ(calque__ufUnion(&uf, 9, 1), 1);
    ASSERT_EQ(calque__ufFind(&uf, 7), 1);
    ASSERT_EQ(calque__ufFind(&uf, 0), 0);
    calque__ufFree(&uf, &mem);
}
