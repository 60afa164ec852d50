/*
 * align.h - internal API of the passage aligner (lib/align/align.c).
 *
 * The aligner finds the passages two tokenised documents share. It works
 * at word level on calque_token arrays (two words match iff their hashes
 * are equal) in five steps:
 *
 *   1. seeds: positions (i, j) where the word n-gram starting at word i of
 *      A equals the one starting at word j of B;
 *   2. anchors: seeds that follow each other on one diagonal (j - i) form
 *      runs of identical words;
 *   3. chains: anchors are chained co-linearly (both positions increasing)
 *      across gaps of at most maxGap words, so an edited, inserted or
 *      dropped word or clause does not break a passage; a reordered
 *      paragraph cannot chain with its neighbours and is its own passage;
 *      near chains in the same order are merged;
 *   4. passages: the gaps inside a chain are aligned exactly (edit
 *      distance), both ends are extended by a small gapped alignment, the
 *      passage is split at its worst gap until its identity (equal words
 *      over alignment columns) reaches minIdentity and no gap inside has
 *      splitGap unequal words or more, and passages shorter than minWords
 *      are dropped;
 *   5. paraphrase: a pair with no passage at minIdentity is searched again
 *      at the lower paraphraseIdentity, with extensions that run through
 *      rewritten words; such a passage needs two runs of 3 equal words or
 *      more, starts and ends on 2 equal words, is a local alignment (no
 *      part at either end scores below zero), below minIdentity holds a
 *      stretch of unequal words where one text has two words more than
 *      the other (rewording, not word edits), never runs across a
 *      sentence one text adds whole (when sentence starts are given), and
 *      the words of filtered n-grams do not count as equal in it.
 *
 * The work per pair is bounded: seeds per n-gram (repeats are matched by
 * rank), seeds per pair, predecessors per anchor and dynamic-programming
 * cells per pair.
 *
 * One aligner is scratch memory for one thread; it is reused across pairs.
 */
#ifndef CALQUE_ALIGN_H
#define CALQUE_ALIGN_H

#include "common/common.h"

typedef struct {
    unsigned ngram;      /* words per seed n-gram, default 5 */
    unsigned minWords;   /* shorter passages are dropped, default 20 */
    unsigned maxGap;     /* longest gap bridged in a passage, in words of
                            either document, default 3 * ngram */
    double minIdentity;  /* a passage is the longest range of a chain with
                            identity >= this, default 0.9 */
    double paraphraseIdentity; /* when a pair has no passage at
                            minIdentity, the floor of a second search
                            whose extensions run through rewritten
                            words, default 0.6; >= minIdentity: none */
    unsigned splitGap;   /* a passage is always split at a gap with this
                            many unequal columns or more (an inserted or
                            dropped sentence), default 10 */
    unsigned maxRepeat;  /* an n-gram found oa times in A and ob times in
                            B seeds every combination when oa * ob is at
                            most this (default 16), else the k-th
                            occurrences in A and B are paired */
    size_t maxSeeds;     /* seeds kept per pair, default 2^20 */
    size_t maxCells;     /* DP cells per pair, default 2^24 */
} calque__alignParams;

/* Fills @p with the defaults for @ngram (0: 5) words per n-gram. */
void calque__initAlignParams(calque__alignParams *p, unsigned ngram);

/* A seed: the n-gram at word i of A equals the n-gram at word j of B. */
typedef struct {
    uint32_t i, j;
} calque__seed;

/* A passage in token positions: words [a0, a1) of A match [b0, b1) of B. */
typedef struct {
    uint32_t a0, a1, b0, b1;
    uint32_t words;    /* max(a1 - a0, b1 - b0) */
    uint32_t matches;  /* aligned pairs of equal words */
    uint32_t columns;  /* alignment columns: equal and substituted word
                          pairs plus words on one side only */
    double identity;   /* matches / columns */
} calque__passage;

typedef struct calque__aligner_s calque__aligner;

/* @return an aligner using @mem (which must outlive it), or NULL when out
 * of memory or when @p is invalid (ngram 0, maxGap 0, minIdentity
 * outside [0, 1]). */
calque__aligner *calque__createAligner(const calque__mem *mem,
                                       const calque__alignParams *p);
void calque__freeAligner(calque__aligner *al);

/* Writes the hashes of the word @ngram-grams of @t (n tokens) into @out,
 * which has room for n - ngram + 1 values, and returns how many it wrote:
 * 0 when n < ngram. Each hash depends on the token hashes in order only;
 * calque__alignPair() seeds with this same function. */
size_t calque__ngramHashes(const calque_token *t, size_t n, unsigned ngram,
                           uint64_t *out);

/* Sets document A: indexes its n-grams for calque__alignPair(). @a must
 * stay valid until the last calque__alignPair() call for it.
 * @return 0, CALQUE_ENOMEM or CALQUE_EPARAM (na >= 2^31). */
int calque__alignSetA(calque__aligner *al, const calque_token *a, size_t na);

/* Sets a filter of seeds: from the next calque__alignSetA() on, an n-gram
 * of A whose hash makes skip(opaque, hash) return nonzero is not indexed,
 * so it never seeds a match (it may still be aligned inside a passage).
 * @skip NULL removes the filter. */
void calque__alignSetFilter(calque__aligner *al,
                            int (*skip)(const void *opaque, uint64_t hash),
                            const void *opaque);

/* Turns the paraphrase search (step 5) off (@on 0) or back on for the
 * next pairs; it is on after calque__createAligner() when
 * paraphraseIdentity < minIdentity. */
void calque__alignSetParaphrase(calque__aligner *al, int on);

/* Sentence starts of the next calque__alignPair(): @a[i] (@b[j]) is
 * nonzero when a sentence starts at word i of A (j of B), i.e. a sentence
 * end or a line break stands in the text before it (word 0 included).
 * The paraphrase search then never runs a passage across a sentence that
 * one text adds whole (the other has no word there). The arrays must stay
 * valid through the call; NULL (the default) for unknown. */
void calque__alignSetBreaks(calque__aligner *al, const uint8_t *a,
                            const uint8_t *b);

/* Aligns document B against the A of calque__alignSetA(): seeds are the
 * n-grams the two share. On success *out points to *count passages owned
 * by @al (valid until its next call), sorted by (a0, b0, a1, b1).
 * @return 0, CALQUE_ENOMEM, CALQUE_EPARAM or CALQUE_ESTATE (no A). */
int calque__alignPair(calque__aligner *al, const calque_token *b, size_t nb,
                      const calque__passage **out, size_t *count);

/* The same from caller-given seeds, in any order, with no paraphrase
 * search; repeats, seeds whose n-gram would run past the end of a
 * document and seeds whose two n-grams differ are ignored. @return as
 * calque__alignPair(). */
int calque__alignSeeds(calque__aligner *al, const calque_token *a, size_t na,
                       const calque_token *b, size_t nb,
                       const calque__seed *seeds, size_t nseeds,
                       const calque__passage **out, size_t *count);

/* Work of the last call: seeds used, DP cells filled, and 1 when a bound
 * (maxSeeds or maxCells) cut the work short. */
typedef struct {
    size_t seeds;
    size_t anchors;
    size_t cells;
    int truncated;
} calque__alignWork;
void calque__alignLastWork(const calque__aligner *al, calque__alignWork *w);

#endif /* CALQUE_ALIGN_H */
