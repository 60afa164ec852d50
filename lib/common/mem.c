/*
 * mem.c - allocation through the user's calque_customMem hooks, and small
 * helpers built on them.
 */
#include <stdlib.h>
#include <unistd.h>

#include "common/common.h"

static void *defaultAlloc(void *opaque, size_t size)
{
    (void)opaque;
    return malloc(size);
}

static void defaultFree(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

calque__mem calque__memFrom(const calque_customMem *m)
{
    calque__mem r = {defaultAlloc, defaultFree, NULL};
    if (m != NULL && m->alloc != NULL && m->free != NULL) {
        r.alloc = m->alloc;
        r.free = m->free;
        r.opaque = m->opaque;
    }
    return r;
}

void *calque__malloc(const calque__mem *m, size_t size)
{
    return m->alloc(m->opaque, size ? size : 1);
}

void *calque__calloc(const calque__mem *m, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    void *const p = calque__malloc(m, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void calque__free(const calque__mem *m, void *p)
{
    if (p) m->free(m->opaque, p);
}

void *calque__realloc(const calque__mem *m, void *p, size_t old, size_t size)
{
    if (m->alloc == defaultAlloc) return realloc(p, size ? size : 1);
    void *const q = calque__malloc(m, size);
    if (q == NULL) return NULL;
    if (p) {
        memcpy(q, p, CALQUE_MIN(old, size));
        calque__free(m, p);
    }
    return q;
}

int calque__grow(const calque__mem *m, void **buf, size_t *cap, size_t need,
                 size_t elem)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem) return CALQUE_ENOMEM;
        ncap *= 2;
    }
    void *const p = calque__realloc(m, *buf, *cap * elem, ncap * elem);
    if (p == NULL) return CALQUE_ENOMEM;
    *buf = p;
    *cap = ncap;
    return 0;
}

unsigned calque__cpuCount(void)
{
    long const n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* LSD radix sort of @v on bits [8 * first, 64), a byte a pass; passes
 * where every value has the same byte are skipped. */
static void radixSortFrom(uint64_t *v, uint64_t *tmp, size_t n, int first)
{
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = first; b < 8; b++) count[b][(v[i] >> (8 * b)) & 0xFF]++;
    uint64_t *src = v, *dst = tmp;
    for (int b = first; b < 8; b++) {
        if (n == 0 || count[b][(v[0] >> (8 * b)) & 0xFF] == n) continue;
        size_t sum = 0;
        for (int k = 0; k < 256; k++) {
            size_t const c = count[b][k];
            count[b][k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i] >> (8 * b)) & 0xFF]++] = src[i];
        uint64_t *const t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

void calque__radixSort64(uint64_t *v, uint64_t *tmp, size_t n)
{
    radixSortFrom(v, tmp, n, 0);
}

void calque__radixSortHigh32(uint64_t *v, uint64_t *tmp, size_t n)
{
    radixSortFrom(v, tmp, n, 4);
}

void calque__radixSortKV(calque__kv *a, calque__kv *tmp, size_t n)
{
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++) count[b][(a[i].k >> (8 * b)) & 0xFF]++;
    calque__kv *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        if (n == 0 || count[b][(a[0].k >> (8 * b)) & 0xFF] == n) continue;
        size_t sum = 0;
        for (int k = 0; k < 256; k++) {
            size_t const c = count[b][k];
            count[b][k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i].k >> (8 * b)) & 0xFF]++] = src[i];
        calque__kv *const t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}
