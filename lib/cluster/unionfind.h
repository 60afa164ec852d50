/*
 * unionfind.h - disjoint sets over 0..n-1. The root of a set is always
 * its smallest element, so roots are deterministic whatever the order of
 * the unions. Path halving keeps finds short.
 */
#ifndef CALQUE_UNIONFIND_H
#define CALQUE_UNIONFIND_H

#include "common/common.h"

typedef struct {
    uint32_t *parent;
    size_t n;
} calque__uf;

int calque__ufInit(calque__uf *uf, const calque__mem *mem, size_t n);
void calque__ufFree(calque__uf *uf, const calque__mem *mem);

static inline uint32_t calque__ufFind(calque__uf *uf, uint32_t x)
{
    uint32_t *const p = uf->parent;
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

/* Joins the sets of a and b. @return 1 when they were apart. */
static inline int calque__ufUnion(calque__uf *uf, uint32_t a, uint32_t b)
{
    a = calque__ufFind(uf, a);
    b = calque__ufFind(uf, b);
    if (a == b) return 0;
    if (a < b) uf->parent[b] = a;
    else uf->parent[a] = b;
    return 1;
}

#endif
