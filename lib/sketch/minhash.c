/*
 * minhash.c - MinHash signatures, their Jaccard estimate, and the exact
 * Jaccard of two sorted sets.
 *
 * Permutation i maps a shingle's 32-bit hash x to a_i * x + b_i mod 2^32
 * (a_i odd: a bijection of the 32-bit values). Since x is itself a good
 * hash of the shingle, this is a random permutation of the shingles for
 * each i, and the K permutations cost a multiply, an add and a min each:
 * the inner loop works on 8 lanes at a time (AVX2 when the CPU has it,
 * chosen at load time; SSE2 otherwise). a_i and b_i come from splitmix64
 * seeded by the user's seed, so signatures are the same on every machine.
 */
#include "common/common.h"

struct calque_minhash_s {
    calque__mem mem;
    unsigned perms;  /* K */
    unsigned padded; /* K rounded up to a multiple of 8 */
    uint32_t *a, *b; /* padded coefficients */
};

calque_minhash *calque_createMinhash(unsigned perms, uint64_t seed,
                                     const calque_customMem *cmem)
{
    if (perms == 0 || perms > 4096) return NULL;
    calque__mem const mem = calque__memFrom(cmem);
    calque_minhash *const mh = calque__calloc(&mem, 1, sizeof *mh);
    if (mh == NULL) return NULL;
    mh->mem = mem;
    mh->perms = perms;
    mh->padded = (perms + 7) & ~7u;
    mh->a = calque__malloc(&mem, mh->padded * sizeof(uint32_t) * 2);
    if (mh->a == NULL) {
        calque__free(&mem, mh);
        return NULL;
    }
    mh->b = mh->a + mh->padded;
    uint64_t s = seed;
    for (unsigned i = 0; i < mh->padded; i++) {
        uint64_t const r = calque__mix64(s);
        s += 0x9E3779B97F4A7C15ULL;
        mh->a[i] = (uint32_t)(r >> 32) | 1u;
        mh->b[i] = (uint32_t)r;
    }
    return mh;
}

void calque_freeMinhash(calque_minhash *mh)
{
    if (mh == NULL) return;
    calque__free(&mh->mem, mh->a);
    calque__free(&mh->mem, mh);
}

/* The hot loop, portable version. */
static void signScalar(const uint32_t *a, const uint32_t *b, unsigned padded,
                       const uint64_t *sh, size_t n, uint32_t *out)
{
    for (unsigned i = 0; i < padded; i++) out[i] = UINT32_MAX;
    for (size_t j = 0; j < n; j++) {
        uint32_t const x = (uint32_t)(sh[j] >> 32);
        for (unsigned i = 0; i < padded; i++) {
            uint32_t const h = a[i] * x + b[i];
            out[i] = h < out[i] ? h : out[i];
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_KERNEL 1

/* The hot loop with AVX2: 32 permutations at a time stay in registers
 * while all the shingles stream past. */
__attribute__((target("avx2"))) static void
signAvx2(const uint32_t *a, const uint32_t *b, unsigned padded,
         const uint64_t *sh, size_t n, uint32_t *out)
{
    unsigned i = 0;
    for (; i + 32 <= padded; i += 32) {
        __m256i const a0 = _mm256_loadu_si256((const __m256i *)(a + i));
        __m256i const a1 = _mm256_loadu_si256((const __m256i *)(a + i + 8));
        __m256i const a2 = _mm256_loadu_si256((const __m256i *)(a + i + 16));
        __m256i const a3 = _mm256_loadu_si256((const __m256i *)(a + i + 24));
        __m256i const b0 = _mm256_loadu_si256((const __m256i *)(b + i));
        __m256i const b1 = _mm256_loadu_si256((const __m256i *)(b + i + 8));
        __m256i const b2 = _mm256_loadu_si256((const __m256i *)(b + i + 16));
        __m256i const b3 = _mm256_loadu_si256((const __m256i *)(b + i + 24));
        __m256i m0 = _mm256_set1_epi32(-1), m1 = m0, m2 = m0, m3 = m0;
        for (size_t j = 0; j < n; j++) {
            __m256i const x = _mm256_set1_epi32((int)(uint32_t)(sh[j] >> 32));
            m0 = _mm256_min_epu32(m0, _mm256_add_epi32(
                                          _mm256_mullo_epi32(a0, x), b0));
            m1 = _mm256_min_epu32(m1, _mm256_add_epi32(
                                          _mm256_mullo_epi32(a1, x), b1));
            m2 = _mm256_min_epu32(m2, _mm256_add_epi32(
                                          _mm256_mullo_epi32(a2, x), b2));
            m3 = _mm256_min_epu32(m3, _mm256_add_epi32(
                                          _mm256_mullo_epi32(a3, x), b3));
        }
        _mm256_storeu_si256((__m256i *)(out + i), m0);
        _mm256_storeu_si256((__m256i *)(out + i + 8), m1);
        _mm256_storeu_si256((__m256i *)(out + i + 16), m2);
        _mm256_storeu_si256((__m256i *)(out + i + 24), m3);
    }
    for (; i < padded; i += 8) {
        __m256i const av = _mm256_loadu_si256((const __m256i *)(a + i));
        __m256i const bv = _mm256_loadu_si256((const __m256i *)(b + i));
        __m256i m = _mm256_set1_epi32(-1);
        for (size_t j = 0; j < n; j++) {
            __m256i const x = _mm256_set1_epi32((int)(uint32_t)(sh[j] >> 32));
            m = _mm256_min_epu32(m, _mm256_add_epi32(
                                        _mm256_mullo_epi32(av, x), bv));
        }
        _mm256_storeu_si256((__m256i *)(out + i), m);
    }
}
#endif

static void signPadded(const uint32_t *a, const uint32_t *b, unsigned padded,
                       const uint64_t *sh, size_t n, uint32_t *out)
{
#ifdef HAVE_AVX2_KERNEL
    if (__builtin_cpu_supports("avx2")) {
        signAvx2(a, b, padded, sh, n, out);
        return;
    }
#endif
    signScalar(a, b, padded, sh, n, out);
}

void calque_minhashSign(const calque_minhash *mh, const uint64_t *shingles,
                        size_t n, uint32_t *sig)
{
    if (mh->padded == mh->perms) {
        signPadded(mh->a, mh->b, mh->padded, shingles, n, sig);
        return;
    }
    uint32_t tmp[4096];
    signPadded(mh->a, mh->b, mh->padded, shingles, n, tmp);
    memcpy(sig, tmp, mh->perms * sizeof *sig);
}

double calque_minhashEstimate(const uint32_t *a, const uint32_t *b,
                              unsigned perms)
{
    if (perms == 0) return 0.0;
    unsigned eq = 0;
    for (unsigned i = 0; i < perms; i++) eq += a[i] == b[i];
    return (double)eq / perms;
}

double calque_jaccardSorted(const uint64_t *a, size_t na, const uint64_t *b,
                            size_t nb)
{
    if (na == 0 && nb == 0) return 1.0;
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        uint64_t const x = a[i], y = b[j];
        inter += x == y;
        i += x <= y;
        j += y <= x;
    }
    return (double)inter / (double)(na + nb - inter);
}

/* Sorts @n random-looking 64-bit values (shingle hashes): one counting
 * pass on the top bits spreads them over about n/2 buckets, then
 * insertion sort finishes each bucket (two values on average). Values
 * that crowd a bucket go to the radix sort instead. */
static void bucketSort(uint64_t *v, uint64_t *tmp, size_t n)
{
    unsigned bits = 1;
    while (bits < 16 && ((size_t)1 << (bits + 1)) <= n) bits++;
    size_t count[(1 << 16) + 1];
    size_t const nb = (size_t)1 << bits;
    memset(count, 0, (nb + 1) * sizeof *count);
    for (size_t i = 0; i < n; i++) count[(v[i] >> (64 - bits)) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        if (count[b] > 64) { /* not spread out: insertion would crawl */
            calque__radixSort64(v, tmp, n);
            return;
        }
    for (size_t b = 0; b < nb; b++) count[b + 1] += count[b];
    for (size_t i = 0; i < n; i++) tmp[count[v[i] >> (64 - bits)]++] = v[i];
    for (size_t i = 1; i < n; i++) {
        uint64_t const x = tmp[i];
        size_t j = i;
        while (j > 0 && tmp[j - 1] > x) {
            tmp[j] = tmp[j - 1];
            j--;
        }
        tmp[j] = x;
    }
    memcpy(v, tmp, n * sizeof *v);
}

size_t calque_sortUnique(uint64_t *v, size_t n, uint64_t *tmp)
{
    if (n < 2) return n;
    if (n <= 1u << 17) bucketSort(v, tmp, n);
    else calque__radixSort64(v, tmp, n);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1]) v[k++] = v[i];
    return k;
}
