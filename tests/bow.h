/*
 * bow.h - bag-of-words precision and recall of an extracted text against
 * the expected one, shared by tests/unit/test_html.c and bench/htmlbench.c
 * (header only: static functions).
 *
 * A word: a run of ASCII letters and digits and non-ASCII characters other
 * than Latin-1 symbols (U+0080-U+00BF) and general punctuation (U+2000-
 * U+206F), lower-cased (ASCII and Latin-1 capitals).
 */
#ifndef CALQUE_TESTS_BOW_H
#define CALQUE_TESTS_BOW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint64_t *keys;
    long *count[2];
    size_t cap, n;
} bag;

static uint64_t bagHash(const uint8_t *w, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ w[i]) * 1099511628211ULL;
    return h | 1;
}

static void bagAdd(bag *b, uint64_t key, int side)
{
    if (b->n * 2 >= b->cap) {
        bag nb = {0};
        nb.cap = b->cap ? b->cap * 2 : 1024;
        nb.keys = calloc(nb.cap, sizeof *nb.keys);
        nb.count[0] = calloc(nb.cap, sizeof(long));
        nb.count[1] = calloc(nb.cap, sizeof(long));
        if (!nb.keys || !nb.count[0] || !nb.count[1]) {
            fprintf(stderr, "bow.h: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < b->cap; i++) {
            if (!b->keys[i]) continue;
            size_t j = b->keys[i] & (nb.cap - 1);
            while (nb.keys[j]) j = (j + 1) & (nb.cap - 1);
            nb.keys[j] = b->keys[i];
            nb.count[0][j] = b->count[0][i];
            nb.count[1][j] = b->count[1][i];
            nb.n++;
        }
        free(b->keys);
        free(b->count[0]);
        free(b->count[1]);
        *b = nb;
    }
    size_t j = key & (b->cap - 1);
    while (b->keys[j] && b->keys[j] != key) j = (j + 1) & (b->cap - 1);
    if (!b->keys[j]) {
        b->keys[j] = key;
        b->n++;
    }
    b->count[side][j]++;
}

/* Adds the words of @s (NUL terminated) to side @side; @return how many.
 * A word is a run of ASCII letters and digits and non-ASCII characters
 * but Latin-1 symbols and general punctuation, lower-cased. */
static long bagWords(bag *b, const char *s, int side)
{
    const uint8_t *p = (const uint8_t *)s;
    uint8_t w[256];
    size_t wl = 0;
    long words = 0;
    for (;;) {
        uint8_t const c = *p;
        size_t k = 1;
        int isWord = 0;
        if (c) {
            if (c < 0x80) {
                isWord = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z');
            } else {
                while ((p[k] & 0xC0) == 0x80) k++;
                isWord = !(c == 0xC2 ||
                           (c == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)));
            }
        }
        if (isWord) {
            for (size_t j = 0; j < k && wl < sizeof w; j++) {
                uint8_t ch = p[j];
                if (k == 1 && ch >= 'A' && ch <= 'Z') ch += 32;
                if (k == 2 && j == 1 && p[0] == 0xC3 && ch >= 0x80 &&
                    ch <= 0x9E && ch != 0x97)
                    ch += 0x20;
                w[wl++] = ch;
            }
        } else if (wl) {
            bagAdd(b, bagHash(w, wl), side);
            words++;
            wl = 0;
        }
        if (!c) break;
        p += k;
    }
    return words;
}

static void precisionRecall(const char *want, const char *got, double *prec,
                            double *rec)
{
    bag b = {0};
    long const nw = bagWords(&b, want, 0), ng = bagWords(&b, got, 1);
    long common = 0;
    for (size_t i = 0; i < b.cap; i++)
        common += b.count[0][i] < b.count[1][i] ? b.count[0][i]
                                                : b.count[1][i];
    *prec = ng ? (double)common / (double)ng : (nw ? 0.0 : 1.0);
    *rec = nw ? (double)common / (double)nw : 1.0;
    free(b.keys);
    free(b.count[0]);
    free(b.count[1]);
}

#endif
