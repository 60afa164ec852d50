/*
 * align.c - seed-and-extend alignment of the passages two documents share.
 *
 * How (see align.h for the contract):
 *
 *   seeds    The n-grams of A are kept in an open-addressing table that
 *            maps each distinct n-gram hash to the ascending list of its
 *            positions. Each n-gram of B looks its hash up there. An
 *            n-gram found oa times in A and ob times in B seeds all
 *            oa * ob combinations when that product is small, and
 *            otherwise only pairs its k-th occurrence in A with its k-th
 *            in B, so a text repeating one sentence 10,000 times gives
 *            linear, not quadratic, work.
 *   anchors  Seeds are sorted by (diagonal j - i, i); consecutive seeds on
 *            one diagonal make an anchor: a run of identical words.
 *   chains   Anchors sorted by position in A are chained by dynamic
 *            programming over the PRED_WINDOW previous anchors: a
 *            predecessor must start before in both documents, leave gaps
 *            of at most maxGap words in each, and the chain score is
 *            words gained minus the larger gap. Chains are read from the
 *            best end back to the first anchor already used (as minimap2
 *            does), and chains that follow each other in both documents
 *            across small gaps are merged.
 *   passages The gap between two anchors of a chain is aligned globally
 *            (match +1, mismatch and indel -1) to count equal words; each
 *            end is extended by a gapped prefix alignment (match +1,
 *            mismatch and indel -1, X-drop, a band of EXT_BAND around the
 *            diagonal) within maxGap words, which recovers words before
 *            the first and after the last seed. The chain is cut at every
 *            gap with splitGap unequal columns or more (an inserted or
 *            dropped sentence rather than edits); in each piece the
 *            longest range whose identity is at least minIdentity is a
 *            passage, and the rest is searched again; what is shorter
 *            than minWords is dropped.
 *   paraphrase When a pair has no passage at minIdentity (a verbatim copy
 *            with small edits would have one), its chains are searched
 *            again at paraphraseIdentity: each end is extended by the path
 *            to the equal pair of best score, the farthest of a tie,
 *            under a small X-drop (PARA_XDROP, a band of PARA_BAND), cut
 *            into runs of equal words and the gaps between them, so that a
 *            passage can run through rewritten words to equal words that
 *            pay for them; a passage must then hold two runs of
 *            PARA_RUN_WORDS equal words (one may be the seed run) and
 *            start and end on PARA_END_WORDS equal words, and the words of
 *            n-grams the seed filter rejects (boilerplate, stock phrases)
 *            never count as equal. One run of words (a quote, a stock
 *            phrase, a site's menu) and a few stray equal words around it
 *            are no paraphrase. A passage of the search is a local
 *            alignment (no part at either end scores below zero: a short
 *            copy and a sentence added after it do not join a passage),
 *            and below minIdentity it rewords a phrase (rewords()): word
 *            edits, the way copies are edited, are held to minIdentity
 *            as in any other pair. Nor does it run across a sentence one
 *            text adds whole (a reprint's own paragraph between two
 *            copied ones), when the caller gives sentence starts.
 *
 * The alignment of a gap or of an extension is bounded by maxGap^2 cells;
 * past maxCells per pair, gaps are counted as unaligned and ends are not
 * extended, and the work is reported as truncated.
 */
#include <assert.h>
#include <stdlib.h>

#include "align/align.h"

#define PRED_WINDOW 64  /* previous anchors tried as predecessor */
#define OPEN_CHAINS 8   /* earlier chains a chain may be appended to */
#define SEGMENT_BLOCKS 1024 /* longest-range search up to this many blocks */
#define EXT_MISMATCH 1  /* extension: penalty of a mismatch or an indel */
#define EXT_XDROP 8     /* extension stops this far below its best score */
#define EXT_BAND 4      /* extension: largest |words of A - words of B| */
#define PARA_BAND 8     /* paraphrase extension: the same */
#define PARA_XDROP 4    /* paraphrase extension: X-drop */
#define PARA_RUNS 2     /* paraphrase: runs of equal words a passage holds, */
#define PARA_RUN_WORDS 3 /* each of at least this many words, */
#define PARA_END_WORDS 2 /* and equal words at either end; below */
#define PARA_REWORD 2   /* minIdentity, a stretch of unequal words where
                           one text has this many more than the other */
#define NGRAM_MUL 0x9E3779B97F4A7C15ULL
#define DP_NEG (INT32_MIN / 4)

/* Words [i0, i0 + len) of A equal words [j0, j0 + len) of B. */
typedef struct {
    uint32_t i0, j0, len;
} anchor;

enum { BLOCK_GAP, BLOCK_ANCHOR, BLOCK_EXT };

/* A piece of a passage: [a0, a1) of A aligned with [b0, b1) of B. */
typedef struct {
    uint32_t a0, a1, b0, b1;
    uint32_t matches, columns;
    int kind;          /* BLOCK_* */
} block;

/* The n-grams of one document, grouped by hash. */
typedef struct {
    uint64_t *hash;   /* hash of the n-gram at each position */
    uint32_t *slotOf; /* table slot of each position */
    uint32_t *pos;    /* positions grouped by slot, ascending in a slot */
    size_t n, nCap;   /* n-grams; capacity of the three arrays above */
    uint64_t *key;    /* n-gram hash of each slot */
    uint32_t *cnt;    /* occurrences of each slot, 0 for an empty slot */
    uint32_t *off;    /* first index in pos of each slot */
    uint32_t *fill;   /* scratch per slot */
    size_t cap, slotCap; /* slots in use (a power of 2); allocated */
} ngramTable;

/* Range [first, first + count) of the links array. */
typedef struct {
    size_t first, count;
} chain;

struct calque__aligner_s {
    calque__mem mem;
    calque__alignParams p;
    const calque_token *a; /* document A of calque__alignSetA() */
    size_t na;
    int hasA;
    int (*skip)(const void *opaque, uint64_t hash); /* seed filter */
    const void *skipOpaque;
    size_t curNa;          /* words of the A being aligned */
    size_t curNb;          /* ... and of the B */
    const uint8_t *brkA;   /* calque__alignSetBreaks(): sentence starts */
    const uint8_t *brkB;   /* in A and B, or NULL */
    calque_token *aPara;   /* A with its boilerplate words (in an n-gram */
    size_t aParaCap;       /* the filter rejects) made unequal to all */
    int aParaState;        /* 0: not made, 1: made, 2: A has none */
    int paraOff;           /* calque__alignSetParaphrase(al, 0) */
    ngramTable ta, tb;
    uint64_t *keys, *tmp;  /* seeds as (diagonal << 32 | i); sort scratch */
    size_t keysCap, tmpCap, nkeys;
    anchor *anc;
    size_t ancCap;
    int64_t *best;         /* chain DP per anchor: score, predecessor and */
    int32_t *pred;         /* words trimmed off the anchor's start */
    uint32_t *trim;
    uint8_t *used;
    size_t dpCap;
    anchor *links, *links2; /* anchors of the chains, trimmed */
    size_t linksCap, links2Cap;
    chain *chains, *chains2;
    size_t chainsCap, chains2Cap;
    int32_t *chainNext;    /* merging chains: the chain appended, words */
    uint32_t *chainTrim;   /* trimmed off its first anchor, chains in */
    uint32_t *chainIdx;    /* order of start, 1 for a chain that starts */
    uint8_t *chainHead;    /* a merged chain */
    size_t chainAuxCap;
    block *blocks;
    size_t blocksCap, nblocks;
    uint64_t *prefix;      /* prefix sums over blocks: matches, columns, */
    size_t prefixCap;      /* anchors */
    size_t *stack;
    size_t stackCap;
    size_t *local;         /* paraphrase: per block boundary, the next one
                              below it and the last one above it in score */
    size_t localCap;
    int32_t *row;          /* four DP rows of (2 maxGap + 1) cells */
    uint8_t *dir;          /* paraphrase extension: the move into each
                              cell, (maxGap + 1) x (2 PARA_BAND + 1) */
    uint32_t *path;        /* its equal cells, 2 x (maxGap + 1) */
    uint8_t *gapDir;       /* rewords(): the moves of a gap's alignment */
    size_t gapDirCap;
    calque__passage *out;
    size_t outCap, nout;
    calque__alignWork work;
};

void calque__initAlignParams(calque__alignParams *p, unsigned ngram)
{
    if (ngram == 0) ngram = 5;
    p->ngram = ngram;
    p->minWords = 20;
    p->maxGap = 3 * ngram;
    p->minIdentity = 0.9;
    p->paraphraseIdentity = 0.6;
    p->splitGap = 10;
    p->maxRepeat = 16;
    p->maxSeeds = (size_t)1 << 20;
    p->maxCells = (size_t)1 << 24;
}

static void tableFree(const calque__mem *m, ngramTable *t)
{
    calque__free(m, t->hash);
    calque__free(m, t->slotOf);
    calque__free(m, t->pos);
    calque__free(m, t->key);
    calque__free(m, t->cnt);
    calque__free(m, t->off);
    calque__free(m, t->fill);
    memset(t, 0, sizeof *t);
}

calque__aligner *calque__createAligner(const calque__mem *mem,
                                       const calque__alignParams *p)
{
    if (p->ngram == 0 || p->maxGap == 0 || p->maxGap > 4096 ||
        !(p->minIdentity >= 0.0 && p->minIdentity <= 1.0) ||
        !(p->paraphraseIdentity >= 0.0 && p->paraphraseIdentity <= 1.0))
        return NULL;
    calque__aligner *const al = calque__calloc(mem, 1, sizeof *al);
    if (al == NULL) return NULL;
    al->mem = *mem;
    al->p = *p;
    if (al->p.maxRepeat == 0) al->p.maxRepeat = 1;
    size_t const w = 2 * (size_t)p->maxGap + 1;
    al->row = calque__malloc(mem, 4 * w * sizeof *al->row);
    al->dir = calque__malloc(mem, ((size_t)p->maxGap + 1) *
                                      (2 * PARA_BAND + 1) * sizeof *al->dir);
    al->path = calque__malloc(mem, 2 * ((size_t)p->maxGap + 1) *
                                       sizeof *al->path);
    if (al->row == NULL || al->dir == NULL || al->path == NULL) {
        calque__freeAligner(al);
        return NULL;
    }
    return al;
}

void calque__freeAligner(calque__aligner *al)
{
    if (al == NULL) return;
    calque__mem const *const m = &al->mem;
    tableFree(m, &al->ta);
    tableFree(m, &al->tb);
    calque__free(m, al->keys);
    calque__free(m, al->tmp);
    calque__free(m, al->anc);
    calque__free(m, al->best);
    calque__free(m, al->pred);
    calque__free(m, al->trim);
    calque__free(m, al->used);
    calque__free(m, al->links);
    calque__free(m, al->links2);
    calque__free(m, al->chains);
    calque__free(m, al->chains2);
    calque__free(m, al->chainIdx);
    calque__free(m, al->chainNext);
    calque__free(m, al->chainTrim);
    calque__free(m, al->chainHead);
    calque__free(m, al->blocks);
    calque__free(m, al->prefix);
    calque__free(m, al->stack);
    calque__free(m, al->local);
    calque__free(m, al->aPara);
    calque__free(m, al->row);
    calque__free(m, al->dir);
    calque__free(m, al->path);
    calque__free(m, al->gapDir);
    calque__free(m, al->out);
    calque__free(m, al);
}

void calque__alignLastWork(const calque__aligner *al, calque__alignWork *w)
{
    *w = al->work;
}

size_t calque__ngramHashes(const calque_token *t, size_t n, unsigned ngram,
                           uint64_t *out)
{
    /* A rolling polynomial over the token hashes, h_i = sum t[i + k] *
     * M^(ngram - 1 - k) mod 2^64 with M odd (so one changed word always
     * changes h), then mixed. */
    if (ngram == 0 || n < ngram) return 0;
    uint64_t pw = 1, h = 0;
    for (unsigned k = 0; k < ngram; k++) {
        pw *= NGRAM_MUL;
        h = h * NGRAM_MUL + t[k].hash;
    }
    out[0] = calque__mix64(h ^ ngram);
    for (size_t i = 1; i + ngram <= n; i++) {
        h = h * NGRAM_MUL + t[i + ngram - 1].hash - pw * t[i - 1].hash;
        out[i] = calque__mix64(h ^ ngram);
    }
    return n - ngram + 1;
}

/* ---- n-gram tables ---------------------------------------------------- */

/* Indexes the n-grams of @tok (n tokens) into @t, except those @skip
 * (when not NULL) rejects: their slotOf is UINT32_MAX. @return 0 or
 * ENOMEM. */
static int tableBuild(const calque__mem *m, ngramTable *t, unsigned ngram,
                      const calque_token *tok, size_t n,
                      int (*skip)(const void *, uint64_t), const void *opq)
{
    size_t const ng = n >= ngram ? n - ngram + 1 : 0;
    if (ng > t->nCap) {
        size_t const c = ng + ng / 4;
        calque__free(m, t->hash);
        calque__free(m, t->slotOf);
        calque__free(m, t->pos);
        t->hash = calque__malloc(m, c * sizeof *t->hash);
        t->slotOf = calque__malloc(m, c * sizeof *t->slotOf);
        t->pos = calque__malloc(m, c * sizeof *t->pos);
        t->nCap = 0;
        if (!t->hash || !t->slotOf || !t->pos) return CALQUE_ENOMEM;
        t->nCap = c;
    }
    t->n = calque__ngramHashes(tok, n, ngram, t->hash);
    size_t cap = 16;
    while (cap < 2 * t->n) cap *= 2;
    if (cap > t->slotCap) {
        calque__free(m, t->key);
        calque__free(m, t->cnt);
        calque__free(m, t->off);
        calque__free(m, t->fill);
        t->key = calque__malloc(m, cap * sizeof *t->key);
        t->cnt = calque__malloc(m, cap * sizeof *t->cnt);
        t->off = calque__malloc(m, cap * sizeof *t->off);
        t->fill = calque__malloc(m, cap * sizeof *t->fill);
        t->slotCap = 0;
        if (!t->key || !t->cnt || !t->off || !t->fill) return CALQUE_ENOMEM;
        t->slotCap = cap;
    }
    t->cap = cap;
    memset(t->cnt, 0, cap * sizeof *t->cnt);
    size_t const mask = cap - 1;
    for (size_t i = 0; i < t->n; i++) {
        uint64_t const h = t->hash[i];
        if (skip && skip(opq, h)) {
            t->slotOf[i] = UINT32_MAX;
            continue;
        }
        size_t s = (size_t)h & mask;
        while (t->cnt[s] != 0 && t->key[s] != h) s = (s + 1) & mask;
        t->key[s] = h;
        t->cnt[s]++;
        t->slotOf[i] = (uint32_t)s;
    }
    uint32_t sum = 0;
    for (size_t s = 0; s < cap; s++) {
        t->off[s] = t->fill[s] = sum;
        sum += t->cnt[s];
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->slotOf[i] != UINT32_MAX)
            t->pos[t->fill[t->slotOf[i]]++] = (uint32_t)i;
    return 0;
}

/* @return the slot of hash @h in @t, or SIZE_MAX. */
static size_t tableFind(const ngramTable *t, uint64_t h)
{
    if (t->n == 0) return SIZE_MAX;
    size_t const mask = t->cap - 1;
    size_t s = (size_t)h & mask;
    while (t->cnt[s] != 0) {
        if (t->key[s] == h) return s;
        s = (s + 1) & mask;
    }
    return SIZE_MAX;
}

/* ---- seeds and anchors ------------------------------------------------ */

/* Appends seed (i, j) as a sort key; stops at maxSeeds. @return 0, 1 when
 * the bound was hit, or ENOMEM. */
static int pushSeed(calque__aligner *al, uint32_t i, uint32_t j)
{
    if (al->nkeys >= al->p.maxSeeds) {
        al->work.truncated = 1;
        return 1;
    }
    FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->keys, &al->keysCap,
                                 al->nkeys + 1));
    uint64_t const diag = (uint64_t)j + al->curNa - i; /* > 0, < 2^32 */
    al->keys[al->nkeys++] = diag << 32 | i;
    return 0;
}

/* Seeds from the n-grams of B (table tb) found in A (table ta). */
static int seedsFromTables(calque__aligner *al)
{
    ngramTable *const ta = &al->ta, *const tb = &al->tb;
    memset(tb->fill, 0, tb->cap * sizeof *tb->fill); /* rank in B */
    for (size_t j = 0; j < tb->n; j++) {
        size_t const sa = tableFind(ta, tb->hash[j]);
        if (sa == SIZE_MAX) continue;
        uint32_t const sb = tb->slotOf[j];
        uint64_t const oa = ta->cnt[sa], ob = tb->cnt[sb];
        uint32_t const rank = tb->fill[sb]++;
        const uint32_t *const pa = ta->pos + ta->off[sa];
        int r = 0;
        if (oa * ob <= al->p.maxRepeat) {
            for (uint64_t k = 0; k < oa && r == 0; k++)
                r = pushSeed(al, pa[k], (uint32_t)j);
        } else if (rank < oa) {
            r = pushSeed(al, pa[rank], (uint32_t)j);
        }
        if (r < 0) return r;
        if (r > 0) break;
    }
    return 0;
}

static int cmpU64(const void *x, const void *y)
{
    uint64_t const a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Sorts the seed keys and removes repeats. Seeds come in order of B, so
 * they are often sorted already; otherwise a small array is sorted by
 * qsort and a large one by radix sort. */
static int sortKeys(calque__aligner *al)
{
    uint64_t *const v = al->keys;
    size_t const n = al->nkeys;
    size_t i = 1;
    while (i < n && v[i - 1] <= v[i]) i++;
    if (i < n && n < 256) {
        qsort(v, n, sizeof *v, cmpU64);
    } else if (i < n) {
        FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->tmp, &al->tmpCap, n));
        calque__radixSort64(v, al->tmp, n);
    }
    size_t k = 0;
    for (size_t q = 0; q < n; q++)
        if (k == 0 || v[q] != v[k - 1]) v[k++] = v[q];
    al->nkeys = k;
    return 0;
}

/* Turns sorted seed keys into anchors: runs of consecutive seeds on one
 * diagonal. */
static int buildAnchors(calque__aligner *al, size_t *nanc)
{
    size_t r = 0;
    unsigned const ng = al->p.ngram;
    for (size_t k = 0; k < al->nkeys;) {
        uint64_t const diag = al->keys[k] >> 32;
        uint32_t const i0 = (uint32_t)al->keys[k];
        uint32_t last = i0;
        k++;
        while (k < al->nkeys && al->keys[k] >> 32 == diag &&
               (uint32_t)al->keys[k] == last + 1) {
            last++;
            k++;
        }
        FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->anc, &al->ancCap, r + 1));
        al->anc[r].i0 = i0;
        al->anc[r].j0 = (uint32_t)(diag + i0 - al->curNa);
        al->anc[r].len = last - i0 + ng;
        r++;
    }
    *nanc = r;
    return 0;
}

static int cmpAnchor(const void *x, const void *y)
{
    const anchor *const a = x, *const b = y;
    if (a->i0 != b->i0) return a->i0 < b->i0 ? -1 : 1;
    if (a->j0 != b->j0) return a->j0 < b->j0 ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

/* ---- chaining --------------------------------------------------------- */

/* Words to trim off the start of @k so that it follows @p in both
 * documents, and the gaps left. @return 0 when @k cannot follow @p. */
static int follows(const anchor *p, const anchor *k, uint32_t maxGap,
                   uint32_t *trim, uint32_t *gap)
{
    if (p->i0 >= k->i0 || p->j0 >= k->j0) return 0;
    uint64_t const pi1 = (uint64_t)p->i0 + p->len;
    uint64_t const pj1 = (uint64_t)p->j0 + p->len;
    uint64_t ov = 0;
    if (pi1 > k->i0) ov = pi1 - k->i0;
    if (pj1 > k->j0 && pj1 - k->j0 > ov) ov = pj1 - k->j0;
    if (ov >= k->len) return 0;
    uint64_t const ga = k->i0 + ov - pi1, gb = k->j0 + ov - pj1;
    if (ga > maxGap || gb > maxGap) return 0;
    *trim = (uint32_t)ov;
    *gap = (uint32_t)CALQUE_MAX(ga, gb);
    return 1;
}

/* Chain DP over the anchors sorted by (i0, j0). */
static void chainScores(calque__aligner *al, size_t r)
{
    for (size_t k = 0; k < r; k++) {
        al->best[k] = al->anc[k].len;
        al->pred[k] = -1;
        al->trim[k] = 0;
        al->used[k] = 0;
        size_t const lo = k > PRED_WINDOW ? k - PRED_WINDOW : 0;
        for (size_t p = k; p-- > lo;) {
            uint32_t trim, gap;
            if (!follows(&al->anc[p], &al->anc[k], al->p.maxGap, &trim,
                         &gap))
                continue;
            int64_t const s = al->best[p] + (int64_t)(al->anc[k].len - trim)
                              - gap;
            if (s > al->best[k]) {
                al->best[k] = s;
                al->pred[k] = (int32_t)p;
                al->trim[k] = trim;
            }
        }
    }
}

/* Reads chains from the best ends back (each anchor in one chain) into
 * links/chains. @return 0 or ENOMEM. */
static int extractChains(calque__aligner *al, size_t r, size_t *nchains)
{
    FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->keys, &al->keysCap, r));
    for (size_t k = 0; k < r; k++)
        al->keys[k] = (uint64_t)(UINT32_MAX - (uint32_t)al->best[k]) << 32 | k;
    al->nkeys = r;
    if (r > 1) qsort(al->keys, r, sizeof *al->keys, cmpU64);
    size_t nl = 0, nc = 0;
    for (size_t q = 0; q < r; q++) {
        size_t const end = (uint32_t)al->keys[q];
        if (al->used[end]) continue;
        /* Walk back, pushing anchors in reverse order. */
        size_t const first = nl;
        int32_t c = (int32_t)end;
        while (c >= 0 && !al->used[c]) {
            al->used[c] = 1;
            FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->links, &al->linksCap,
                                         nl + 1));
            anchor a = al->anc[c];
            uint32_t const t = al->pred[c] >= 0 && !al->used[al->pred[c]]
                                   ? al->trim[c] : 0;
            a.i0 += t;
            a.j0 += t;
            a.len -= t;
            al->links[nl++] = a;
            c = al->pred[c];
        }
        for (size_t x = first, y = nl - 1; x < y; x++, y--) {
            anchor const t = al->links[x];
            al->links[x] = al->links[y];
            al->links[y] = t;
        }
        FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->chains, &al->chainsCap,
                                     nc + 1));
        al->chains[nc].first = first;
        al->chains[nc].count = nl - first;
        nc++;
    }
    *nchains = nc;
    return 0;
}

/* Orders chain indices by their first anchor (insertion sort: the chains
 * of one pair are few, and qsort has no context argument). */
static void sortChains(const calque__aligner *al, uint32_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t const v = idx[i];
        const anchor *const av = &al->links[al->chains[v].first];
        size_t j = i;
        while (j > 0 &&
               cmpAnchor(&al->links[al->chains[idx[j - 1]].first], av) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

/* Grows the per-chain scratch arrays to @n chains. */
static int growChainAux(calque__aligner *al, size_t n)
{
    calque__mem const *const m = &al->mem;
    if (n <= al->chainAuxCap) return 0;
    calque__free(m, al->chainNext);
    calque__free(m, al->chainTrim);
    calque__free(m, al->chainIdx);
    calque__free(m, al->chainHead);
    al->chainNext = calque__malloc(m, n * sizeof *al->chainNext);
    al->chainTrim = calque__malloc(m, n * sizeof *al->chainTrim);
    al->chainIdx = calque__malloc(m, n * sizeof *al->chainIdx);
    al->chainHead = calque__malloc(m, n * sizeof *al->chainHead);
    al->chainAuxCap = 0;
    if (!al->chainNext || !al->chainTrim || !al->chainIdx || !al->chainHead)
        return CALQUE_ENOMEM;
    al->chainAuxCap = n;
    return 0;
}

/* Merges chains that follow each other in both documents across gaps of at
 * most maxGap words: each chain, in order of its start in A, is appended
 * to the latest of OPEN_CHAINS recent chains it can follow. The result
 * replaces links/chains. */
static int mergeChains(calque__aligner *al, size_t nc, size_t *ncOut)
{
    calque__mem const *const m = &al->mem;
    FORWARD_IF_ERROR(growChainAux(al, nc));
    uint32_t *const idx = al->chainIdx;
    for (size_t c = 0; c < nc; c++) {
        idx[c] = (uint32_t)c;
        al->chainNext[c] = -1;
        al->chainTrim[c] = 0;
        al->chainHead[c] = 1;
    }
    sortChains(al, idx, nc);
    uint32_t openTail[OPEN_CHAINS];
    size_t nopen = 0;
    for (size_t q = 0; q < nc; q++) {
        uint32_t const c = idx[q];
        const anchor *const first = &al->links[al->chains[c].first];
        int merged = 0;
        for (size_t o = nopen; o-- > 0 && !merged;) {
            chain const *const t = &al->chains[openTail[o]];
            const anchor *const last = &al->links[t->first + t->count - 1];
            uint32_t trim, gap;
            if (!follows(last, first, al->p.maxGap, &trim, &gap)) continue;
            al->chainNext[openTail[o]] = (int32_t)c;
            al->chainTrim[c] = trim;
            al->chainHead[c] = 0;
            openTail[o] = c;
            merged = 1;
        }
        if (merged) continue;
        if (nopen == OPEN_CHAINS) {
            memmove(openTail, openTail + 1,
                    (OPEN_CHAINS - 1) * sizeof *openTail);
            nopen--;
        }
        openTail[nopen++] = c;
    }
    /* Concatenate each merged chain into links2/chains2, in order. */
    size_t nl = 0, nout = 0;
    for (size_t q = 0; q < nc; q++) {
        uint32_t const h = idx[q];
        if (!al->chainHead[h]) continue;
        size_t const start = nl;
        for (int32_t c = (int32_t)h; c >= 0; c = al->chainNext[c]) {
            chain const ch = al->chains[c];
            FORWARD_IF_ERROR(CALQUE_GROW(m, &al->links2, &al->links2Cap,
                                         nl + ch.count));
            for (size_t k = 0; k < ch.count; k++) {
                anchor a = al->links[ch.first + k];
                if (k == 0) {
                    a.i0 += al->chainTrim[c];
                    a.j0 += al->chainTrim[c];
                    a.len -= al->chainTrim[c];
                }
                al->links2[nl++] = a;
            }
        }
        FORWARD_IF_ERROR(CALQUE_GROW(m, &al->chains2, &al->chains2Cap,
                                     nout + 1));
        al->chains2[nout].first = start;
        al->chains2[nout].count = nl - start;
        nout++;
    }
    anchor *const tl = al->links;
    size_t const tlc = al->linksCap;
    al->links = al->links2;
    al->linksCap = al->links2Cap;
    al->links2 = tl;
    al->links2Cap = tlc;
    chain *const tc = al->chains;
    size_t const tcc = al->chainsCap;
    al->chains = al->chains2;
    al->chainsCap = al->chains2Cap;
    al->chains2 = tc;
    al->chains2Cap = tcc;
    *ncOut = nout;
    return 0;
}

/* ---- passages --------------------------------------------------------- */

/* Moves into a cell of an alignment with a traceback. */
enum { MOVE_NONE, MOVE_EQUAL, MOVE_DIAG, MOVE_A, MOVE_B };

/* Aligns the gap [a0, a1) x [b0, b1) globally (match +1, mismatch and
 * indel -1; on equal scores the path with more equal words) and returns
 * its equal words and columns. Both lengths are at most maxGap. With @dir
 * (la + 1) x (lb + 1) cells, the move into cell (x, y) is written at
 * dir[x * (lb + 1) + y] for non-empty gaps within the cell bound. */
static void alignGap(calque__aligner *al, const calque_token *A, uint32_t a0,
                     uint32_t a1, const calque_token *B, uint32_t b0,
                     uint32_t b1, uint32_t *matches, uint32_t *columns,
                     uint8_t *dir)
{
    size_t const la = a1 - a0, lb = b1 - b0;
    *matches = 0;
    *columns = (uint32_t)(la + lb);
    if (la == 0 || lb == 0) return;
    if (al->work.cells + la * lb > al->p.maxCells) {
        al->work.truncated = 1;
        *columns = (uint32_t)CALQUE_MAX(la, lb);
        return;
    }
    al->work.cells += la * lb;
    size_t const w = 2 * (size_t)al->p.maxGap + 1;
    int32_t *ps = al->row, *cs = ps + w, *pm = cs + w, *cm = pm + w;
    for (size_t y = 0; y <= lb; y++) {
        ps[y] = -(int32_t)y;
        pm[y] = 0;
        if (dir) dir[y] = y ? MOVE_B : MOVE_NONE;
    }
    for (size_t x = 1; x <= la; x++) {
        uint64_t const ha = A[a0 + x - 1].hash;
        cs[0] = -(int32_t)x;
        cm[0] = 0;
        if (dir) dir[x * (lb + 1)] = MOVE_A;
        for (size_t y = 1; y <= lb; y++) {
            int const eq = ha == B[b0 + y - 1].hash;
            int32_t s = ps[y - 1] + (eq ? 1 : -1), mm = pm[y - 1] + eq;
            uint8_t d = eq ? MOVE_EQUAL : MOVE_DIAG;
            if (ps[y] - 1 > s || (ps[y] - 1 == s && pm[y] > mm)) {
                s = ps[y] - 1;
                mm = pm[y];
                d = MOVE_A;
            }
            if (cs[y - 1] - 1 > s || (cs[y - 1] - 1 == s && cm[y - 1] > mm)) {
                s = cs[y - 1] - 1;
                mm = cm[y - 1];
                d = MOVE_B;
            }
            cs[y] = s;
            cm[y] = mm;
            if (dir) dir[x * (lb + 1) + y] = d;
        }
        int32_t *t = ps;
        ps = cs;
        cs = t;
        t = pm;
        pm = cm;
        cm = t;
    }
    *matches = (uint32_t)pm[lb];
    *columns = (uint32_t)(2 * pm[lb] - ps[lb]);
}

/* Result of extend(): x words of A and y of B taken. */
typedef struct {
    uint32_t x, y, matches, columns;
} extension;

/* Extends a passage from A[ai], B[bj] forward (@fwd: words ai, ai+1...)
 * or backward (words ai-1, ai-2...) by the best-scoring gapped prefix
 * alignment (match +1, mismatch and indel -EXT_MISMATCH), within
 * maxGap words and at most @maxA, @maxB words (equal words further out
 * would have made a seed). X-drop: a cell more than EXT_XDROP below the
 * best score so far is dead, and each row is computed only over the live
 * band of the row before (plus the cells a run of indels can reach) and
 * within EXT_BAND of the diagonal, so text that does not match stops the
 * extension after a few rows. The best cell always ends on an equal pair,
 * or is the empty extension. */
static extension extend(calque__aligner *al, const calque_token *A,
                        size_t ai, size_t maxA, const calque_token *B,
                        size_t bj, size_t maxB, int fwd)
{
    extension e = {0, 0, 0, 0};
    size_t const w = al->p.maxGap;
    size_t const la = CALQUE_MIN(maxA, w), lb = CALQUE_MIN(maxB, w);
    if (la == 0 || lb == 0) return e;
    if (al->work.cells + la * lb > al->p.maxCells) {
        al->work.truncated = 1;
        return e;
    }
    int32_t *ps = al->row, *cs = ps + w + 1, *pm = cs + w + 1,
            *cm = pm + w + 1;
    int32_t best = 0;
    size_t lo = 0, hi = 0, cells = 0; /* live band of the previous row */
    ps[0] = pm[0] = 0;
    for (size_t y = 1; y <= lb && y <= EXT_BAND &&
                       EXT_MISMATCH * (int32_t)y <= EXT_XDROP;
         y++) {
        ps[y] = -EXT_MISMATCH * (int32_t)y;
        pm[y] = 0;
        hi = y;
    }
    for (size_t x = 1; x <= la; x++) {
        uint64_t const ha = fwd ? A[ai + x - 1].hash : A[ai - x].hash;
        size_t nlo = SIZE_MAX, nhi = 0;
        size_t const y0 = CALQUE_MAX(lo, x > EXT_BAND ? x - EXT_BAND : 0);
        size_t const yEnd = CALQUE_MIN(lb, x + EXT_BAND);
        for (size_t y = y0; y <= yEnd; y++) {
            int const leftOk = y > y0 && cs[y - 1] != DP_NEG;
            if (y > hi + 1 && !leftOk) break;
            int32_t s = DP_NEG, mm = 0;
            if (y > lo && y - 1 <= hi && ps[y - 1] != DP_NEG) {
                uint64_t const hb = fwd ? B[bj + y - 1].hash : B[bj - y].hash;
                int const eq = ha == hb;
                s = ps[y - 1] + (eq ? 1 : -EXT_MISMATCH);
                mm = pm[y - 1] + eq;
            }
            if (y >= lo && y <= hi && ps[y] != DP_NEG &&
                (ps[y] - EXT_MISMATCH > s ||
                 (ps[y] - EXT_MISMATCH == s && pm[y] > mm))) {
                s = ps[y] - EXT_MISMATCH;
                mm = pm[y];
            }
            if (leftOk && (cs[y - 1] - EXT_MISMATCH > s ||
                           (cs[y - 1] - EXT_MISMATCH == s &&
                            cm[y - 1] > mm))) {
                s = cs[y - 1] - EXT_MISMATCH;
                mm = cm[y - 1];
            }
            cells++;
            if (s < best - EXT_XDROP) {
                s = DP_NEG;
            } else {
                if (nlo == SIZE_MAX) nlo = y;
                nhi = y;
            }
            cs[y] = s;
            cm[y] = mm;
            if (s > best || (s == best && s > 0 && x + y < e.x + e.y)) {
                best = s;
                e.x = (uint32_t)x;
                e.y = (uint32_t)y;
                e.matches = (uint32_t)mm;
            }
        }
        if (nlo == SIZE_MAX) break;
        lo = nlo;
        hi = nhi;
        int32_t *t = ps;
        ps = cs;
        cs = t;
        t = pm;
        pm = cm;
        cm = t;
    }
    al->work.cells += cells;
    /* score = matches - EXT_MISMATCH * (other columns) */
    e.columns = e.matches +
                (uint32_t)(((int32_t)e.matches - best) / EXT_MISMATCH);
    return e;
}

static int pushBlock(calque__aligner *al, size_t *n, uint32_t a0, uint32_t a1,
                     uint32_t b0, uint32_t b1, uint32_t matches,
                     uint32_t columns, int kind)
{
    FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->blocks, &al->blocksCap,
                                 *n + 1));
    block *const b = &al->blocks[(*n)++];
    b->a0 = a0;
    b->a1 = a1;
    b->b0 = b0;
    b->b1 = b1;
    b->matches = matches;
    b->columns = columns;
    b->kind = kind;
    return 0;
}

/* The paraphrase extension (a pair with no passage at minIdentity): like
 * extend() from A[ai], B[bj] forward or backward (@fwd), but within
 * PARA_BAND of the diagonal, under the X-drop PARA_XDROP, and to the
 * farthest of the equal pairs with the best score: a passage runs through
 * a rewritten stretch to the equal words after it when they make up for
 * it (two equal words after four rewritten ones do not: they are chance),
 * and the caller's identity floor decides how far it really goes. Writes
 * to al->path the words (a, b) of the equal pairs on the path there, in
 * text order. @return their number. */
static size_t extendPath(calque__aligner *al, const calque_token *A,
                         size_t ai, size_t maxA, const calque_token *B,
                         size_t bj, size_t maxB, int fwd)
{
    size_t const w = al->p.maxGap, bw = 2 * PARA_BAND + 1;
    size_t const la = CALQUE_MIN(maxA, w), lb = CALQUE_MIN(maxB, w);
    if (la == 0 || lb == 0) return 0;
    if (al->work.cells + la * bw > al->p.maxCells) {
        al->work.truncated = 1;
        return 0;
    }
    /* Cell (x, y) is dir[x * bw + y + PARA_BAND - x], |x - y| <= band. */
    uint8_t *const dir = al->dir;
    int32_t *ps = al->row, *cs = ps + w + 1;
    int32_t best = 0, endScore = 0;
    size_t ex = 0, ey = 0, cells = 0;
    for (size_t y = 0; y <= lb; y++) {
        int const in = y <= PARA_BAND && (int32_t)y <= PARA_XDROP;
        ps[y] = in ? -(int32_t)y : DP_NEG;
        if (y <= PARA_BAND) dir[y + PARA_BAND] = y ? MOVE_B : MOVE_NONE;
    }
    for (size_t x = 1; x <= la; x++) {
        uint64_t const ha = fwd ? A[ai + x - 1].hash : A[ai - x].hash;
        size_t const y0 = x > PARA_BAND ? x - PARA_BAND : 0;
        size_t const y1 = CALQUE_MIN(lb, x + PARA_BAND);
        int alive = 0;
        for (size_t y = y0; y <= y1; y++) {
            int32_t s = DP_NEG;
            uint8_t d = MOVE_NONE;
            if (y > 0 && ps[y - 1] != DP_NEG) {
                uint64_t const hb = fwd ? B[bj + y - 1].hash : B[bj - y].hash;
                int const eq = ha == hb;
                s = ps[y - 1] + (eq ? 1 : -1);
                d = eq ? MOVE_EQUAL : MOVE_DIAG;
            }
            if (y + 1 <= x + PARA_BAND && ps[y] != DP_NEG && ps[y] - 1 > s) {
                s = ps[y] - 1;
                d = MOVE_A;
            }
            if (y > y0 && cs[y - 1] != DP_NEG && cs[y - 1] - 1 > s) {
                s = cs[y - 1] - 1;
                d = MOVE_B;
            }
            cells++;
            if (s != DP_NEG && s < best - PARA_XDROP) s = DP_NEG;
            cs[y] = s;
            dir[x * bw + y + PARA_BAND - x] = s == DP_NEG ? MOVE_NONE : d;
            if (s == DP_NEG) continue;
            alive = 1;
            if (s > best) best = s;
            if (d == MOVE_EQUAL &&
                (s > endScore || (s == endScore && x + y > ex + ey))) {
                ex = x;
                ey = y;
                endScore = s;
            }
        }
        int32_t *const t = ps;
        ps = cs;
        cs = t;
        if (!alive) break;
    }
    al->work.cells += cells;
    /* Trace back from the end, keeping the equal cells: (x, y) is the
     * pair of words ai + x - 1, bj + y - 1 forward, ai - x, bj - y
     * backward. Backward, the trace comes in text order. */
    size_t n = 0;
    for (size_t x = ex, y = ey; x > 0 || y > 0;) {
        uint8_t const d = dir[x * bw + y + PARA_BAND - x];
        if (d == MOVE_EQUAL) {
            al->path[2 * n] = (uint32_t)(fwd ? ai + x - 1 : ai - x);
            al->path[2 * n + 1] = (uint32_t)(fwd ? bj + y - 1 : bj - y);
            n++;
        }
        if (d == MOVE_EQUAL || d == MOVE_DIAG) {
            x--;
            y--;
        } else if (d == MOVE_A) {
            x--;
        } else {
            assert(d == MOVE_B);
            y--;
        }
    }
    for (size_t i = 0, j = n ? n - 1 : 0; fwd && i < j; i++, j--) {
        uint32_t const ta = al->path[2 * i], tb = al->path[2 * i + 1];
        al->path[2 * i] = al->path[2 * j];
        al->path[2 * i + 1] = al->path[2 * j + 1];
        al->path[2 * j] = ta;
        al->path[2 * j + 1] = tb;
    }
    return n;
}

/* Appends to the blocks, in text order, the words [a0, a1) x [b0, b1)
 * before an equal pair: a gap block unless empty. */
static int pushGap(calque__aligner *al, size_t *n, const calque_token *A,
                   uint32_t a0, uint32_t a1, const calque_token *B,
                   uint32_t b0, uint32_t b1)
{
    if (a1 == a0 && b1 == b0) return 0;
    uint32_t m, c;
    alignGap(al, A, a0, a1, B, b0, b1, &m, &c, NULL);
    return pushBlock(al, n, a0, a1, b0, b1, m, c, BLOCK_GAP);
}

/* Appends the blocks of a paraphrase extension al->path[0, count) in
 * text order: runs of equal pairs as extension blocks and the gaps between
 * them. Forward, the path follows the chain, which ends before words a, b,
 * and the gap from there to the first run is a block too; backward, the
 * path precedes the chain, which starts at words a, b, and the gap from
 * the last run to there is a block. */
static int pushPathBlocks(calque__aligner *al, size_t *n, const calque_token *A,
                          const calque_token *B, uint32_t a, uint32_t b,
                          size_t count, int fwd)
{
    const uint32_t *const pt = al->path;
    uint32_t pa = a, pb = b; /* end of the previous block */
    for (size_t q = 0; q < count;) {
        size_t r = q + 1;
        while (r < count && pt[2 * r] == pt[2 * r - 2] + 1 &&
               pt[2 * r + 1] == pt[2 * r - 1] + 1)
            r++;
        uint32_t const len = (uint32_t)(r - q);
        if (fwd || q > 0)
            FORWARD_IF_ERROR(pushGap(al, n, A, pa, pt[2 * q], B, pb,
                                     pt[2 * q + 1]));
        FORWARD_IF_ERROR(pushBlock(al, n, pt[2 * q], pt[2 * q] + len,
                                   pt[2 * q + 1], pt[2 * q + 1] + len, len,
                                   len, BLOCK_EXT));
        pa = pt[2 * q] + len;
        pb = pt[2 * q + 1] + len;
        q = r;
    }
    if (!fwd && count > 0) FORWARD_IF_ERROR(pushGap(al, n, A, pa, a, B, pb, b));
    return 0;
}

/* Turns chain @ch into consecutive blocks: left extension, anchors and the
 * gaps between them, right extension. The extensions are extend()'s, or
 * with @para extendPath()'s. */
static int chainBlocks(calque__aligner *al, const calque_token *A, size_t na,
                       const calque_token *B, size_t nb, chain ch, int para,
                       size_t *nblocks)
{
    size_t n = 0;
    const anchor *const first = &al->links[ch.first];
    if (para) {
        size_t const k = extendPath(al, A, first->i0, first->i0, B,
                                    first->j0, first->j0, 0);
        FORWARD_IF_ERROR(pushPathBlocks(al, &n, A, B, first->i0, first->j0,
                                        k, 0));
    } else {
        extension const l = extend(al, A, first->i0, first->i0, B,
                                   first->j0, first->j0, 0);
        if (l.x || l.y)
            FORWARD_IF_ERROR(pushBlock(al, &n, first->i0 - l.x, first->i0,
                                       first->j0 - l.y, first->j0,
                                       l.matches, l.columns, BLOCK_EXT));
    }
    for (size_t k = 0; k < ch.count; k++) {
        const anchor *const a = &al->links[ch.first + k];
        if (k > 0) {
            const anchor *const p = a - 1;
            uint32_t const pi1 = p->i0 + p->len, pj1 = p->j0 + p->len;
            if (a->i0 > pi1 || a->j0 > pj1) {
                uint32_t m, c;
                alignGap(al, A, pi1, a->i0, B, pj1, a->j0, &m, &c, NULL);
                FORWARD_IF_ERROR(pushBlock(al, &n, pi1, a->i0, pj1, a->j0,
                                           m, c, BLOCK_GAP));
            }
        }
        uint32_t m = 0;
        for (uint32_t t = 0; t < a->len; t++)
            m += A[a->i0 + t].hash == B[a->j0 + t].hash;
        FORWARD_IF_ERROR(pushBlock(al, &n, a->i0, a->i0 + a->len, a->j0,
                                   a->j0 + a->len, m, a->len, BLOCK_ANCHOR));
    }
    const anchor *const last = &al->links[ch.first + ch.count - 1];
    uint32_t const i1 = last->i0 + last->len, j1 = last->j0 + last->len;
    if (para) {
        size_t const k = extendPath(al, A, i1, na - i1, B, j1, nb - j1, 1);
        FORWARD_IF_ERROR(pushPathBlocks(al, &n, A, B, i1, j1, k, 1));
    } else {
        extension const r = extend(al, A, i1, na - i1, B, j1, nb - j1, 1);
        if (r.x || r.y)
            FORWARD_IF_ERROR(pushBlock(al, &n, i1, i1 + r.x, j1, j1 + r.y,
                                       r.matches, r.columns, BLOCK_EXT));
    }
    *nblocks = n;
    return 0;
}

/* Adds a column to the stretch of unequal columns *ua x *ub words read by
 * rewords(); an equal column (@eq) ends it. @return 1 when the stretch
 * ended is a rewording: one side PARA_REWORD words longer. */
static int stretchEnds(uint32_t *ua, uint32_t *ub, int eq, uint32_t da,
                       uint32_t db)
{
    if (!eq) {
        *ua += da;
        *ub += db;
        return 0;
    }
    int const r = *ua >= *ub + PARA_REWORD || *ub >= *ua + PARA_REWORD;
    *ua = *ub = 0;
    return r;
}

/* Does the paraphrase of blocks [x, y] reword a phrase: a stretch of
 * unequal words where one text has PARA_REWORD words more than the other
 * (a word turned into a phrase, a phrase added or dropped)? Word edits, a
 * word changed, added or dropped here and there as copies are edited,
 * leave every stretch within one word of the other side. The blocks are
 * read backward, the gaps along their alignment's traceback (a gap past
 * the cell bound counts as one stretch). @return 0 or CALQUE_ENOMEM. */
static int rewords(calque__aligner *al, const calque_token *A,
                   const calque_token *B, size_t x, size_t y, int *yes)
{
    uint32_t ua = 0, ub = 0;
    *yes = 0;
    for (size_t k = y + 1; k-- > x && !*yes;) {
        const block *const b = &al->blocks[k];
        uint32_t const la = b->a1 - b->a0, lb = b->b1 - b->b0;
        if (b->kind != BLOCK_GAP) { /* word for word */
            assert(la == lb);
            for (uint32_t t = la; t-- > 0 && !*yes;)
                *yes = stretchEnds(&ua, &ub, A[b->a0 + t].hash ==
                                                 B[b->b0 + t].hash, 1, 1);
            continue;
        }
        if (la == 0 || lb == 0 ||
            al->work.cells + (size_t)la * lb > al->p.maxCells) {
            stretchEnds(&ua, &ub, 0, la, lb);
            continue;
        }
        size_t const w = (size_t)lb + 1;
        FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->gapDir, &al->gapDirCap,
                                     ((size_t)la + 1) * w));
        uint32_t m, c;
        alignGap(al, A, b->a0, b->a1, B, b->b0, b->b1, &m, &c, al->gapDir);
        for (size_t i = la, j = lb; (i > 0 || j > 0) && !*yes;) {
            uint8_t const d = al->gapDir[i * w + j];
            *yes = stretchEnds(&ua, &ub, d == MOVE_EQUAL,
                               d != MOVE_B, d != MOVE_A);
            i -= d != MOVE_B;
            j -= d != MOVE_A;
        }
    }
    if (!*yes) *yes = stretchEnds(&ua, &ub, 1, 0, 0);
    return 0;
}

/* Appends blocks [x, y] of the text A, B as a passage, if it has
 * minWords words and, in the paraphrase search (@runs > 0), rewords a
 * phrase when its identity is below minIdentity. */
static int emitRange(calque__aligner *al, const calque_token *A,
                     const calque_token *B, size_t x, size_t y, unsigned runs)
{
    const block *const bs = &al->blocks[x], *const be = &al->blocks[y];
    uint32_t const words = CALQUE_MAX(be->a1 - bs->a0, be->b1 - bs->b0);
    if (words < al->p.minWords) return 0;
    uint64_t m = 0, c = 0;
    for (size_t k = x; k <= y; k++) {
        m += al->blocks[k].matches;
        c += al->blocks[k].columns;
    }
    if (runs > 0 && (double)m < al->p.minIdentity * (double)c) {
        int yes;
        FORWARD_IF_ERROR(rewords(al, A, B, x, y, &yes));
        if (!yes) return 0;
    }
    FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->out, &al->outCap,
                                 al->nout + 1));
    calque__passage *const p = &al->out[al->nout++];
    p->a0 = bs->a0;
    p->a1 = be->a1;
    p->b0 = bs->b0;
    p->b1 = be->b1;
    p->words = words;
    p->matches = (uint32_t)m;
    p->columns = (uint32_t)c;
    p->identity = c ? (double)m / (double)c : 0.0;
    return 0;
}

/* Can block @b start or end a range that must hold @runs runs? In the
 * paraphrase search (runs > 0), only a run of PARA_END_WORDS equal words
 * or more: a lone equal word (a "the", a date) is no evidence of where
 * the rewritten passage ends. */
static int endOk(const block *b, unsigned runs)
{
    return runs == 0 ||
           (b->matches == b->columns && b->matches >= PARA_END_WORDS);
}

/* Score of blocks [0, k): equal columns +1, others -1. */
static int64_t scoreTo(const calque__aligner *al, size_t k)
{
    const uint64_t *const pm = al->prefix, *const pc = pm + al->nblocks + 1;
    return 2 * (int64_t)pm[k] - (int64_t)pc[k];
}

/* For the paraphrase search: with S(k) = scoreTo(k), fills below[i], the
 * first k > i with S(k) < S(i) (n + 1 if none), and above[k], the last
 * k' < k with S(k') > S(k) (SIZE_MAX if none), for k in [0, n]. Blocks
 * [i, j] are a local alignment, no part at either end scoring below
 * zero, when below[i] > j and above[j + 1] is i or less. */
static int localBounds(calque__aligner *al, size_t n)
{
    FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->local, &al->localCap,
                                 3 * (n + 1)));
    size_t *const below = al->local, *const above = below + n + 1;
    size_t *const st = above + n + 1;
    size_t sp = 0;
    for (size_t i = n + 1; i-- > 0;) {
        while (sp > 0 && scoreTo(al, st[sp - 1]) >= scoreTo(al, i)) sp--;
        below[i] = sp > 0 ? st[sp - 1] : n + 1;
        st[sp++] = i;
    }
    sp = 0;
    for (size_t k = 0; k <= n; k++) {
        while (sp > 0 && scoreTo(al, st[sp - 1]) <= scoreTo(al, k)) sp--;
        above[k] = sp > 0 ? st[sp - 1] : SIZE_MAX;
        st[sp++] = k;
    }
    return 0;
}

/* Are blocks [i, j] a local alignment (see localBounds())? */
static int isLocal(const calque__aligner *al, size_t i, size_t j)
{
    const size_t *const below = al->local;
    const size_t *const above = below + al->nblocks + 1;
    return below[i] > j && (above[j + 1] == SIZE_MAX || above[j + 1] <= i);
}

/* The longest range [x, y] of blocks [s, e] (in words) that starts and
 * ends on an anchor or an extension, holds an anchor, and has identity
 * >= @floor; in the paraphrase search (@runs > 0), it also holds @runs
 * runs of equal words, starts and ends on equal words (endOk()) and is a
 * local alignment (isLocal()). Prefix sums of matches, columns, anchors
 * and runs in al->prefix. Scanning ends from the right stops as soon as a
 * range cannot beat the best one. @return its words, 0 when there is
 * none. */
static uint32_t longestRange(const calque__aligner *al, size_t s, size_t e,
                             double floor, unsigned runs, size_t *x,
                             size_t *y)
{
    const uint64_t *const pm = al->prefix, *const pc = pm + al->nblocks + 1;
    const uint64_t *const pa = pc + al->nblocks + 1;
    const uint64_t *const pr = pa + al->nblocks + 1;
    uint32_t best = 0;
    for (size_t i = s; i <= e; i++) {
        if (al->blocks[i].kind == BLOCK_GAP || !endOk(&al->blocks[i], runs))
            continue;
        for (size_t j = e + 1; j-- > i;) {
            const block *const bj = &al->blocks[j];
            uint32_t const words = CALQUE_MAX(bj->a1 - al->blocks[i].a0,
                                              bj->b1 - al->blocks[i].b0);
            if (words <= best) break;
            if (bj->kind == BLOCK_GAP || pa[j + 1] == pa[i] ||
                pr[j + 1] - pr[i] < runs || !endOk(bj, runs) ||
                (runs > 0 && !isLocal(al, i, j)))
                continue;
            double const m = (double)(pm[j + 1] - pm[i]);
            double const c = (double)(pc[j + 1] - pc[i]);
            if (m >= floor * c) {
                best = words;
                *x = i;
                *y = j;
                break;
            }
        }
    }
    return best;
}

/* Is gap block @b one or more sentences that one text adds whole, the
 * other having no word there (calque__alignSetBreaks())? */
static int addedSentence(const calque__aligner *al, const block *b)
{
    if (al->brkA == NULL || al->brkB == NULL || b->kind != BLOCK_GAP)
        return 0;
    if (b->a1 == b->a0 && b->b1 > b->b0)
        return al->brkB[b->b0] && (b->b1 == al->curNb || al->brkB[b->b1]);
    if (b->b1 == b->b0 && b->a1 > b->a0)
        return al->brkA[b->a0] && (b->a1 == al->curNa || al->brkA[b->a1]);
    return 0;
}

/* Emits the passages of blocks [0, n). The blocks are first cut at every
 * gap with splitGap unequal columns or more, and in the paraphrase search
 * (@runs > 0) at every sentence one text adds whole (addedSentence()); in each piece, the longest
 * range with identity >= @floor becomes a passage and the parts left and
 * right of it are searched again, until no range of minWords words is
 * left. Pieces of more than SEGMENT_BLOCKS blocks are instead split at
 * their worst gap while their identity is too low (linear work). */
static int emitPassages(calque__aligner *al, const calque_token *A,
                        const calque_token *B, size_t n, double floor,
                        unsigned runs)
{
    calque__mem const *const m = &al->mem;
    al->nblocks = n;
    FORWARD_IF_ERROR(CALQUE_GROW(m, &al->prefix, &al->prefixCap,
                                 4 * (n + 1)));
    uint64_t *const pm = al->prefix, *const pc = pm + n + 1,
                   *const pa = pc + n + 1, *const pr = pa + n + 1;
    pm[0] = pc[0] = pa[0] = pr[0] = 0;
    for (size_t k = 0; k < n; k++) {
        block const *const b = &al->blocks[k];
        pm[k + 1] = pm[k] + b->matches;
        pc[k + 1] = pc[k] + b->columns;
        pa[k + 1] = pa[k] + (b->kind == BLOCK_ANCHOR);
        pr[k + 1] = pr[k] + (b->kind != BLOCK_GAP && b->matches == b->columns &&
                             b->matches >= PARA_RUN_WORDS);
    }
    if (runs > 0) FORWARD_IF_ERROR(localBounds(al, n));
    size_t sp = 0;
    for (size_t s = 0, k = 0; k <= n; k++) {
        if (k < n && (al->blocks[k].kind != BLOCK_GAP ||
                      al->blocks[k].columns - al->blocks[k].matches <
                          al->p.splitGap) &&
            !(runs > 0 && addedSentence(al, &al->blocks[k])))
            continue;
        if (k > s) { /* the piece [s, k - 1] */
            FORWARD_IF_ERROR(CALQUE_GROW(m, &al->stack, &al->stackCap,
                                         sp + 2));
            al->stack[sp++] = s;
            al->stack[sp++] = k - 1;
        }
        s = k + 1;
    }
    while (sp > 0) {
        size_t const e = al->stack[--sp], s = al->stack[--sp];
        size_t x = s, y = e;
        if (e - s + 1 <= SEGMENT_BLOCKS) {
            if (longestRange(al, s, e, floor, runs, &x, &y) < al->p.minWords)
                continue;
            FORWARD_IF_ERROR(emitRange(al, A, B, x, y, runs));
        } else {
            double const mm = (double)(pm[e + 1] - pm[s]);
            double const cc = (double)(pc[e + 1] - pc[s]);
            if (mm >= floor * cc && pa[e + 1] > pa[s] &&
                pr[e + 1] - pr[s] >= runs &&
                (runs == 0 || isLocal(al, s, e))) {
                FORWARD_IF_ERROR(emitRange(al, A, B, s, e, runs));
                continue;
            }
            /* Split at the worst gap: [s, x - 1] and [x + 1, e]. */
            uint32_t worst = 0;
            x = SIZE_MAX;
            for (size_t k = s; k <= e; k++) {
                const block *const b = &al->blocks[k];
                if (b->kind == BLOCK_ANCHOR) continue;
                if (x == SIZE_MAX || b->columns - b->matches > worst) {
                    worst = b->columns - b->matches;
                    x = k;
                }
            }
            if (x == SIZE_MAX) continue;
            y = x;
        }
        FORWARD_IF_ERROR(CALQUE_GROW(m, &al->stack, &al->stackCap, sp + 4));
        if (y < e) {
            al->stack[sp++] = y + 1;
            al->stack[sp++] = e;
        }
        if (x > s) {
            al->stack[sp++] = s;
            al->stack[sp++] = x - 1;
        }
    }
    return 0;
}

static int cmpPassage(const void *x, const void *y)
{
    const calque__passage *const a = x, *const b = y;
    if (a->a0 != b->a0) return a->a0 < b->a0 ? -1 : 1;
    if (a->b0 != b->b0) return a->b0 < b->b0 ? -1 : 1;
    if (a->a1 != b->a1) return a->a1 < b->a1 ? -1 : 1;
    return (a->b1 > b->b1) - (a->b1 < b->b1);
}

/* Grows the per-anchor chain DP arrays to @r anchors. */
static int growDp(calque__aligner *al, size_t r)
{
    calque__mem const *const m = &al->mem;
    if (r <= al->dpCap) return 0;
    size_t const c = r + r / 2;
    calque__free(m, al->best);
    calque__free(m, al->pred);
    calque__free(m, al->trim);
    calque__free(m, al->used);
    al->best = calque__malloc(m, c * sizeof *al->best);
    al->pred = calque__malloc(m, c * sizeof *al->pred);
    al->trim = calque__malloc(m, c * sizeof *al->trim);
    al->used = calque__malloc(m, c * sizeof *al->used);
    al->dpCap = 0;
    if (!al->best || !al->pred || !al->trim || !al->used)
        return CALQUE_ENOMEM;
    al->dpCap = c;
    return 0;
}

/* A as the paraphrase search sees it (*out): the words of an n-gram that
 * the seed filter rejects (boilerplate, stock phrases) never count as
 * equal there, so that such text is no evidence of paraphrase; made once
 * per calque__alignSetA(). @return 0 or ENOMEM. */
static int paraTokens(calque__aligner *al, const calque_token **out)
{
    const ngramTable *const t = &al->ta;
    unsigned const ng = al->p.ngram;
    *out = al->a;
    if (al->aParaState == 2) return 0;
    if (al->aParaState == 0) {
        size_t i = 0;
        while (i < t->n && t->slotOf[i] != UINT32_MAX) i++;
        if (i == t->n) {
            al->aParaState = 2;
            return 0;
        }
        FORWARD_IF_ERROR(CALQUE_GROW(&al->mem, &al->aPara, &al->aParaCap,
                                     al->na));
        memcpy(al->aPara, al->a, al->na * sizeof *al->a);
        for (; i < t->n; i++) {
            if (t->slotOf[i] != UINT32_MAX) continue;
            for (unsigned k = 0; k < ng; k++) /* never a word's hash */
                al->aPara[i + k].hash = calque__mix64(~(uint64_t)(i + k));
        }
        al->aParaState = 1;
    }
    *out = al->aPara;
    return 0;
}

/* From the seed keys to the passages of A (na words) and B (nb); @setA:
 * A is the document of calque__alignSetA() (the paraphrase search needs
 * its n-gram table). */
static int alignCore(calque__aligner *al, const calque_token *A, size_t na,
                     const calque_token *B, size_t nb, int setA,
                     const calque__passage **out, size_t *count)
{
    size_t r, nc;
    al->nout = 0;
    *out = al->out;
    *count = 0;
    FORWARD_IF_ERROR(sortKeys(al));
    al->work.seeds = al->nkeys;
    FORWARD_IF_ERROR(buildAnchors(al, &r));
    al->work.anchors = r;
    if (r == 0) return 0;
    qsort(al->anc, r, sizeof *al->anc, cmpAnchor);
    FORWARD_IF_ERROR(growDp(al, r));
    chainScores(al, r);
    FORWARD_IF_ERROR(extractChains(al, r, &nc));
    FORWARD_IF_ERROR(mergeChains(al, nc, &nc));
    for (size_t c = 0; c < nc; c++) {
        /* A chain with fewer than minWords / 2 identical words cannot
         * become a passage (extensions add few words): skip its work. */
        uint64_t words = 0;
        for (size_t k = 0; k < al->chains[c].count; k++)
            words += al->links[al->chains[c].first + k].len;
        if (2 * words < al->p.minWords) continue;
        size_t nblocks;
        FORWARD_IF_ERROR(chainBlocks(al, A, na, B, nb, al->chains[c], 0,
                                     &nblocks));
        FORWARD_IF_ERROR(emitPassages(al, A, B, nblocks, al->p.minIdentity,
                                      0));
    }
    /* No passage at minIdentity: the pair is paraphrase, if anything, and
     * its passages are searched again at the lower floor, with the
     * extensions that run through rewritten words. */
    if (al->nout == 0 && setA && !al->paraOff &&
        al->p.paraphraseIdentity < al->p.minIdentity) {
        const calque_token *Ap;
        FORWARD_IF_ERROR(paraTokens(al, &Ap));
        for (size_t c = 0; c < nc; c++) {
            size_t nblocks;
            FORWARD_IF_ERROR(chainBlocks(al, Ap, na, B, nb, al->chains[c], 1,
                                         &nblocks));
            FORWARD_IF_ERROR(emitPassages(al, Ap, B, nblocks,
                                          al->p.paraphraseIdentity,
                                          PARA_RUNS));
        }
    }
    if (al->nout > 1) qsort(al->out, al->nout, sizeof *al->out, cmpPassage);
    *out = al->out;
    *count = al->nout;
    return 0;
}

void calque__alignSetParaphrase(calque__aligner *al, int on)
{
    al->paraOff = !on;
}

void calque__alignSetBreaks(calque__aligner *al, const uint8_t *a,
                            const uint8_t *b)
{
    al->brkA = a;
    al->brkB = b;
}

void calque__alignSetFilter(calque__aligner *al,
                            int (*skip)(const void *opaque, uint64_t hash),
                            const void *opaque)
{
    al->skip = skip;
    al->skipOpaque = opaque;
}

int calque__alignSetA(calque__aligner *al, const calque_token *a, size_t na)
{
    al->hasA = 0;
    RETURN_ERROR_IF(na >= ((size_t)1 << 31), CALQUE_EPARAM);
    FORWARD_IF_ERROR(tableBuild(&al->mem, &al->ta, al->p.ngram, a, na,
                                al->skip, al->skipOpaque));
    al->a = a;
    al->na = na;
    al->hasA = 1;
    al->aParaState = 0;
    return 0;
}

int calque__alignPair(calque__aligner *al, const calque_token *b, size_t nb,
                      const calque__passage **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    RETURN_ERROR_IF(!al->hasA, CALQUE_ESTATE);
    RETURN_ERROR_IF(nb >= ((size_t)1 << 31), CALQUE_EPARAM);
    memset(&al->work, 0, sizeof al->work);
    FORWARD_IF_ERROR(tableBuild(&al->mem, &al->tb, al->p.ngram, b, nb,
                                NULL, NULL));
    al->curNa = al->na;
    al->curNb = nb;
    al->nkeys = 0;
    FORWARD_IF_ERROR(seedsFromTables(al));
    return alignCore(al, al->a, al->na, b, nb, 1, out, count);
}

int calque__alignSeeds(calque__aligner *al, const calque_token *a, size_t na,
                       const calque_token *b, size_t nb,
                       const calque__seed *seeds, size_t nseeds,
                       const calque__passage **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    RETURN_ERROR_IF(na >= ((size_t)1 << 31) || nb >= ((size_t)1 << 31),
                    CALQUE_EPARAM);
    memset(&al->work, 0, sizeof al->work);
    al->curNa = na;
    al->curNb = nb;
    al->nkeys = 0;
    unsigned const ng = al->p.ngram;
    for (size_t k = 0; k < nseeds; k++) {
        uint32_t const i = seeds[k].i, j = seeds[k].j;
        if (i + (uint64_t)ng > na || j + (uint64_t)ng > nb) continue;
        unsigned t = 0;
        while (t < ng && a[i + t].hash == b[j + t].hash) t++;
        if (t < ng) continue; /* not a match */
        int const r = pushSeed(al, i, j);
        if (r < 0) return r;
        if (r > 0) break;
    }
    return alignCore(al, a, na, b, nb, 0, out, count);
}
