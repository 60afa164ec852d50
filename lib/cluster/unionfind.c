/*
 * unionfind.c - allocation of the disjoint sets of unionfind.h.
 */
#include "cluster/unionfind.h"

int calque__ufInit(calque__uf *uf, const calque__mem *mem, size_t n)
{
    uf->n = n;
    uf->parent = calque__malloc(mem, (n ? n : 1) * sizeof *uf->parent);
    if (uf->parent == NULL) return CALQUE_ENOMEM;
    for (size_t i = 0; i < n; i++) uf->parent[i] = (uint32_t)i;
    return 0;
}

void calque__ufFree(calque__uf *uf, const calque__mem *mem)
{
    calque__free(mem, uf->parent);
    uf->parent = NULL;
}
