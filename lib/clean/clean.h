/*
 * clean.h - internal interfaces of corpus-level boilerplate removal
 * (lib/clean).
 *
 * The work is split in three files:
 *
 *   lines.c   splits a text into lines and hashes each line's normalised
 *             form (case folded, accents and punctuation removed, digits
 *             mapped to 0, whitespace collapsed), CCNet style; also a
 *             small per-document set of 64-bit hashes;
 *   counts.c  the public calque_lineCounts: an open-addressing table of
 *             (hash, documents, first document) over a whole collection;
 *   clean.c   the public calque_cleaner: drops the lines of one text that
 *             the counts call boilerplate or repeats.
 */
#ifndef CALQUE_CLEAN_H
#define CALQUE_CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* ---- Lines (lines.c) -------------------------------------------------- */

/* What a line holds once normalised. */
enum {
    CALQUE__LINE_BLANK = 0, /* whitespace only (or nothing) */
    CALQUE__LINE_DECOR,     /* punctuation and symbols only: "----", "|" */
    CALQUE__LINE_CONTENT    /* at least one letter or digit */
};

/* One line of a text: bytes [start, end) without the newline; next is
 * where the following line starts (end + 1, or end for the last line). */
typedef struct {
    size_t start, end, next;
    uint64_t hash; /* hash of the normalised form, never 0; 0 unless the
                      line is CONTENT */
    int kind;      /* CALQUE__LINE_* */
} calque__line;

#define CALQUE__LINE_CACHE 512 /* cached code points, a power of two */

/* A normalised code point: up to 14 bytes, where ' ' separates words. */
typedef struct {
    int32_t cp;    /* the code point, -1 when the entry is empty */
    uint8_t len;   /* bytes in out */
    uint8_t kind;  /* bit 0: has a letter or digit; bit 1: has punctuation */
    char out[14];
} calque__cpMap;

/* Scratch of the line scanner: one per thread. */
typedef struct {
    calque__mem mem;
    calque__line *line; /* lines of the last text */
    size_t nlines, lineCap;
    calque__cpMap cache[CALQUE__LINE_CACHE];
} calque__lines;

void calque__initLines(calque__lines *s, const calque__mem *mem);
void calque__freeLines(calque__lines *s);

/* Splits @text (@len bytes, need not be NUL terminated) at '\n' and fills
 * s->line with its lines, their kinds and hashes. A text that ends with
 * '\n' has no empty line after it; an empty text has no line.
 * Invalid UTF-8 reads as U+FFFD (a symbol).
 * @return 0 or CALQUE_ENOMEM. */
int calque__scanLines(calque__lines *s, const char *text, size_t len);

/* The hash of one line (the bytes given are one line, newlines included
 * are whitespace), as calque__scanLines() computes it; 0 when the line is
 * not CONTENT. @cache may be NULL (slower on non-ASCII text). */
uint64_t calque__lineHash(calque__cpMap *cache, const char *text,
                          size_t len);

/* A set of non-zero 64-bit hashes, cleared per document. */
typedef struct {
    uint64_t *slot; /* 0: empty */
    size_t cap;     /* slots in use, a power of two */
    size_t alloc;   /* slots allocated */
} calque__hashSet;

/* Empties @s and makes room for @n hashes. @return 0 or CALQUE_ENOMEM. */
int calque__hashSetReset(calque__hashSet *s, const calque__mem *mem,
                         size_t n);
/* Adds @h (non-zero). @return 1 when it was new, 0 when already there.
 * The set must have been reset for at least as many hashes as added. */
int calque__hashSetAdd(calque__hashSet *s, uint64_t h);
void calque__hashSetFree(calque__hashSet *s, const calque__mem *mem);

/* ---- Counts (counts.c) ------------------------------------------------ */

/* Looks @hash up. @return 1 with *docs and *first (UINT32_MAX when first
 * documents are not tracked) set, or 0 when the line was never counted. */
int calque__lineCountsFind(const calque_lineCounts *lc, uint64_t hash,
                           uint32_t *docs, uint32_t *first);
/* @return 1 when @lc keeps the first document of each line. */
int calque__lineCountsTracksFirst(const calque_lineCounts *lc);

#endif /* CALQUE_CLEAN_H */
