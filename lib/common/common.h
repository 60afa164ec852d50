/*
 * common.h - internal helpers shared by every part of the library:
 * allocation through calque_customMem, error-return macros, growable
 * arrays and a bump arena for per-document scratch.
 *
 * Internal symbols that are not static carry the calque__ prefix.
 */
#ifndef CALQUE_COMMON_H
#define CALQUE_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calque.h"

/* ---- Memory ----------------------------------------------------------- */
typedef struct {
    void *(*alloc)(void *opaque, size_t size);
    void (*free)(void *opaque, void *ptr);
    void *opaque;
} calque__mem;

/* Resolves a user's (possibly NULL) calque_customMem into a usable one. */
calque__mem calque__memFrom(const calque_customMem *m);
void *calque__malloc(const calque__mem *m, size_t size);
void *calque__calloc(const calque__mem *m, size_t n, size_t size);
void calque__free(const calque__mem *m, void *p);
/* realloc in terms of alloc/free; @old is the old size in bytes. */
void *calque__realloc(const calque__mem *m, void *p, size_t old, size_t size);

/* Grows *buf (of *cap elements of @elem bytes) to hold at least @need
 * elements, doubling. @return 0 or CALQUE_ENOMEM (buffer unchanged). */
int calque__grow(const calque__mem *m, void **buf, size_t *cap, size_t need,
                 size_t elem);
#define CALQUE_GROW(m, bufp, capp, need)                                      \
    calque__grow((m), (void **)(bufp), (capp), (need), sizeof(**(bufp)))

/* ---- Errors ----------------------------------------------------------- */
#define RETURN_ERROR_IF(cond, code)                                           \
    do {                                                                      \
        if (cond) return (code);                                              \
    } while (0)
#define FORWARD_IF_ERROR(expr)                                                \
    do {                                                                      \
        int const err_ = (expr);                                              \
        if (err_ < 0) return err_;                                            \
    } while (0)

/* ---- Small utilities -------------------------------------------------- */
#define CALQUE_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CALQUE_MAX(a, b) ((a) > (b) ? (a) : (b))

/* splitmix64: a good 64-bit mixer, used to derive seeds. */
static inline uint64_t calque__mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* Number of online processors, at least 1. */
unsigned calque__cpuCount(void);

/* Sorts 64-bit keys (LSD radix sort, stable); @tmp has room for n. */
void calque__radixSort64(uint64_t *v, uint64_t *tmp, size_t n);

/* Sorts 64-bit values by their upper 32 bits only (LSD radix, 4 passes,
 * stable); @tmp has room for n. Used for (32-bit key << 32 | index). */
void calque__radixSortHigh32(uint64_t *v, uint64_t *tmp, size_t n);

/* A key and a value, sorted by key (stable: equal keys keep their order). */
typedef struct {
    uint64_t k, v;
} calque__kv;
void calque__radixSortKV(calque__kv *a, calque__kv *tmp, size_t n);

#endif /* CALQUE_COMMON_H */
