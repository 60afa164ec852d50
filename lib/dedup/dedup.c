/*
 * dedup.c - exact and near-duplicate documents of a whole collection.
 *
 * Adding: documents are copied into batches that worker threads turn into
 * a 128-bit hash of the normalised text and a MinHash signature, stored
 * by document index (so the result does not depend on the thread count).
 * Nothing else is kept per document: about 4K + 24 bytes.
 *
 * Finishing:
 *   1. Exact copies: documents are sorted by their text hash; each group
 *      of equal hashes is represented by its first document (a "unique").
 *   2. LSH: for each band, the uniques are sorted by the hash of their
 *      band of the signature; uniques that share a bucket are candidate
 *      pairs. A bucket larger than BUCKET_ALL pairs each member with the
 *      BUCKET_WINDOW next ones only, so a degenerate bucket cannot make a
 *      quadratic number of pairs.
 *   3. Verification: candidate pairs are grouped by connected component;
 *      each component is verified by one worker, which gets the texts back
 *      through the caller's calque_textSource, recomputes shingle sets
 *      (kept in a bounded per-worker cache) and their exact Jaccard. Unless
 *      allPairs is set, a pair whose documents are already joined by
 *      verified pairs is skipped: it cannot change the clusters.
 *   4. Clusters: connected components of the verified pairs and the exact
 *      groups; the representative is the first or the longest member;
 *      each member's similarity to it is looked up or computed.
 */
#include <math.h>
#include <pthread.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "cluster/unionfind.h"
#include "common/common.h"
#include "common/batch.h"
#include "common/pool.h"

#define CHUNK_DOCS 4096          /* documents per storage chunk */
#define BUCKET_ALL 64            /* buckets up to this size: all pairs */
#define BUCKET_WINDOW 16         /* larger ones: each with its next 16 */
#define CACHE_BYTES (64u << 20)  /* shingle-set cache per worker */
#define NO_DOC UINT32_MAX
#define LSH_FP_WEIGHT 0.1        /* weight of false positives in the LSH
                                    choice; false negatives get the rest */

/* Per-document results of the add phase, CHUNK_DOCS at a time. */
typedef struct {
    uint32_t *sig;       /* perms values per document */
    uint64_t (*hash)[2]; /* 128-bit hash of the normalised text */
    uint32_t *len;       /* text length in bytes (saturated) */
    uint8_t *hasShingles;
} chunk;


/* A cached shingle set: w->arena[off .. off + n). */
typedef struct {
    uint32_t doc, n;
    size_t off;
} cacheSlot;

/* What each worker owns. */
typedef struct {
    calque_tokenizer *tk;
    uint64_t *sh, *tmp;  /* shingle scratch */
    size_t shCap;
    char *text;          /* fetched text */
    size_t textCap;
    uint64_t invalid;    /* invalid UTF-8 seen by this worker */
    /* Shingle-set cache: open addressing on document index. */
    cacheSlot *slots;
    size_t nslots, used;
    uint64_t *arena;
    size_t arenaLen, arenaCap;
    uint64_t *setA;      /* copy of the first set of a pair */
    size_t setACap;
    int err;
} workerState;

struct calque_dedup_s {
    calque__mem mem;
    calque_dedupParams p;
    calque_minhash *mh;
    calque__pool *pool;
    unsigned nworkers;
    unsigned nstates;    /* worker states: nworkers, + 1 for the caller
                            when it runs batches itself */
    workerState *ws;
    /* documents */
    chunk **chunks;
    size_t nchunks, chunkCap;
    uint64_t ndocs;
    calque__batches batches; /* texts on their way to the workers */
    int finished;
    int failed;          /* a worker ran out of memory */
    /* results */
    uint32_t *clusterOf; /* representative per document */
    float *sim;          /* similarity to it */
    uint8_t *exact;      /* 1: same text as the representative */
    uint64_t *pairKey;   /* verified pairs a << 32 | b, sorted */
    float *pairJ;
    size_t npairs;
    calque_dedupStats st;
};

void calque_initDedupParams(calque_dedupParams *p)
{
    memset(p, 0, sizeof *p);
    p->ngram = 5;
    p->perms = 128;
    p->seed = 1;
    p->threshold = 0.8;
}

/* ---- Storage --------------------------------------------------------- */

static chunk *chunkOf(const calque_dedup *d, uint64_t doc)
{
    return d->chunks[doc / CHUNK_DOCS];
}

static const uint32_t *sigOf(const calque_dedup *d, uint64_t doc)
{
    return chunkOf(d, doc)->sig + (doc % CHUNK_DOCS) * d->p.perms;
}

static uint32_t lenOf(const calque_dedup *d, uint64_t doc)
{
    return chunkOf(d, doc)->len[doc % CHUNK_DOCS];
}

static void freeChunk(const calque__mem *mem, chunk *c)
{
    if (c == NULL) return;
    calque__free(mem, c->sig);
    calque__free(mem, c->hash);
    calque__free(mem, c->len);
    calque__free(mem, c->hasShingles);
    calque__free(mem, c);
}

static chunk *newChunk(const calque_dedup *d)
{
    chunk *const c = calque__calloc(&d->mem, 1, sizeof *c);
    if (c == NULL) return NULL;
    c->sig = calque__malloc(&d->mem, (size_t)CHUNK_DOCS * d->p.perms * 4);
    c->hash = calque__malloc(&d->mem, CHUNK_DOCS * sizeof *c->hash);
    c->len = calque__malloc(&d->mem, CHUNK_DOCS * sizeof *c->len);
    c->hasShingles = calque__malloc(&d->mem, CHUNK_DOCS);
    if (!c->sig || !c->hash || !c->len || !c->hasShingles) {
        freeChunk(&d->mem, c);
        return NULL;
    }
    return c;
}

/* ---- Workers --------------------------------------------------------- */

static int ensureShingles(const calque__mem *mem, workerState *w, size_t n)
{
    if (n <= w->shCap) return 0;
    size_t cap = w->shCap;
    uint64_t *const a = calque__realloc(mem, w->sh, cap * 8, n * 8);
    if (a == NULL) return CALQUE_ENOMEM;
    w->sh = a;
    uint64_t *const b = calque__realloc(mem, w->tmp, cap * 8, n * 8);
    if (b == NULL) return CALQUE_ENOMEM;
    w->tmp = b;
    w->shCap = n;
    return 0;
}

/* Tokenises @text and leaves its shingle hashes in w->sh. @return their
 * count, or a negative code. */
static int64_t shinglesOf(const calque_dedup *d, workerState *w,
                          const char *text, size_t len)
{
    const calque_token *tok;
    size_t ntok;
    FORWARD_IF_ERROR(calque_tokenize(w->tk, text, len, &tok, &ntok));
    w->invalid += calque_invalidUtf8(w->tk);
    size_t const n = calque_shingleCount(ntok, d->p.ngram);
    FORWARD_IF_ERROR(ensureShingles(&d->mem, w, n + 1));
    return (int64_t)calque_shingleHashes(tok, ntok, d->p.ngram, w->sh);
}

/* Computes the hash and signature of one document into slot @s of @c. */
static void signDoc(calque_dedup *d, workerState *w, chunk *c, uint32_t s,
                    const char *text, size_t len)
{
    int64_t const n = shinglesOf(d, w, text, len);
    c->len[s] = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    if (n < 0) {
        w->err = (int)n;
        c->hasShingles[s] = 0;
        c->hash[s][0] = c->hash[s][1] = 0;
        memset(c->sig + (size_t)s * d->p.perms, 0xFF, d->p.perms * 4);
        return;
    }
    const char *norm;
    size_t normLen;
    calque_normalizedText(w->tk, &norm, &normLen);
    XXH128_hash_t const h = XXH3_128bits(norm, normLen);
    c->hash[s][0] = h.high64;
    c->hash[s][1] = h.low64;
    c->hasShingles[s] = n > 0;
    calque_minhashSign(d->mh, w->sh, (size_t)n,
                       c->sig + (size_t)s * d->p.perms);
}

static void batchJob(void *arg, unsigned worker)
{
    calque__batch *const b = arg;
    calque_dedup *const d = b->owner;
    workerState *const w = &d->ws[worker];
    for (uint32_t i = 0; i < b->n; i++)
        signDoc(d, w, b->dest, b->slot + i, b->text + b->off[i],
                b->off[i + 1] - b->off[i]);
    calque__giveBatch(&d->batches, b);
}

/* ---- Creation -------------------------------------------------------- */

calque_dedup *calque_createDedup(const calque_dedupParams *params,
                                 const calque_customMem *cmem, int *err)
{
    int e = 0;
    calque_dedupParams p;
    if (params) p = *params;
    else calque_initDedupParams(&p);
    if (p.ngram == 0 || p.ngram > 64 || p.perms == 0 || p.perms > 4096 ||
        !(p.threshold > 0.0 && p.threshold <= 1.0) ||
        (p.bands == 0) != (p.rows == 0) ||
        (uint64_t)p.bands * p.rows > p.perms) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    /* Every candidate is verified, so a false positive costs only time
     * while a false negative is lost: weigh misses 9 to 1. */
    if (p.bands == 0) calque_lshOptimal(p.threshold, p.perms, LSH_FP_WEIGHT,
                                        1.0 - LSH_FP_WEIGHT, &p.bands,
                                        &p.rows);
    calque__mem const mem = calque__memFrom(cmem);
    calque_dedup *const d = calque__calloc(&mem, 1, sizeof *d);
    if (d == NULL) {
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    d->mem = mem;
    d->p = p;
    calque__initBatches(&d->batches, &mem);
    d->nworkers = p.threads ? p.threads : calque__cpuCount();
    d->st.bands = p.bands;
    d->st.rows = p.rows;
    d->mh = calque_createMinhash(p.perms, p.seed, cmem);
    d->nstates = d->nworkers + (d->nworkers > 1);
    d->ws = calque__calloc(&mem, d->nstates, sizeof *d->ws);
    if (d->mh == NULL || d->ws == NULL) {
        e = CALQUE_ENOMEM;
        goto fail;
    }
    calque_textOptions const to = {p.keepAccents};
    for (unsigned i = 0; i < d->nstates; i++) {
        d->ws[i].tk = calque_createTokenizer(&to, cmem);
        if (d->ws[i].tk == NULL) {
            e = CALQUE_ENOMEM;
            goto fail;
        }
    }
    d->pool = calque__createPool(&mem, d->nworkers, &e);
    if (d->pool == NULL) goto fail;
    return d;
fail:
    calque_freeDedup(d);
    *err = e;
    return NULL;
}

static void freeResults(calque_dedup *d)
{
    calque__free(&d->mem, d->clusterOf);
    calque__free(&d->mem, d->sim);
    calque__free(&d->mem, d->exact);
    calque__free(&d->mem, d->pairKey);
    calque__free(&d->mem, d->pairJ);
    d->clusterOf = NULL;
    d->sim = NULL;
    d->exact = NULL;
    d->pairKey = NULL;
    d->pairJ = NULL;
}

void calque_freeDedup(calque_dedup *d)
{
    if (d == NULL) return;
    calque__freePool(d->pool); /* waits for the jobs */
    calque__freeBatches(&d->batches);
    for (size_t i = 0; i < d->nchunks; i++) freeChunk(&d->mem, d->chunks[i]);
    calque__free(&d->mem, d->chunks);
    if (d->ws)
        for (unsigned i = 0; i < d->nstates; i++) {
            workerState *const w = &d->ws[i];
            calque_freeTokenizer(w->tk);
            calque__free(&d->mem, w->sh);
            calque__free(&d->mem, w->tmp);
            calque__free(&d->mem, w->text);
            calque__free(&d->mem, w->slots);
            calque__free(&d->mem, w->arena);
            calque__free(&d->mem, w->setA);
        }
    calque__free(&d->mem, d->ws);
    calque_freeMinhash(d->mh);
    freeResults(d);
    calque__free(&d->mem, d);
}

/* ---- Adding ---------------------------------------------------------- */

static int submitBatch(calque_dedup *d)
{
    calque__batch *const b = calque__takeBatch(&d->batches);
    if (b == NULL) return 0;
    /* When the workers are all busy, the caller signs the batch itself
     * rather than wait: reading then overlaps with signing. */
    return calque__poolSubmitOrRun(d->pool, batchJob, b);
}

int calque_dedupAdd(calque_dedup *d, const char *text, size_t len)
{
    RETURN_ERROR_IF(d->finished, CALQUE_ESTATE);
    RETURN_ERROR_IF(d->ndocs >= UINT32_MAX - 1, CALQUE_ETOOBIG);
    RETURN_ERROR_IF(len >= UINT32_MAX, CALQUE_ETOOBIG);
    uint64_t const doc = d->ndocs;
    uint32_t const slot = (uint32_t)(doc % CHUNK_DOCS);
    if (slot == 0) { /* a new chunk: the batch must not span two */
        FORWARD_IF_ERROR(submitBatch(d));
        if (d->nchunks == d->chunkCap)
            FORWARD_IF_ERROR(CALQUE_GROW(&d->mem, &d->chunks, &d->chunkCap,
                                         d->nchunks + 1));
        chunk *const c = newChunk(d);
        RETURN_ERROR_IF(c == NULL, CALQUE_ENOMEM);
        d->chunks[d->nchunks++] = c;
    }
    if (d->nworkers == 1) { /* no threads: no copy either */
        signDoc(d, &d->ws[0], d->chunks[d->nchunks - 1], slot, text, len);
        d->ndocs++;
        return 0;
    }
    if (calque__batchFull(&d->batches, len)) FORWARD_IF_ERROR(submitBatch(d));
    if (d->batches.cur == NULL &&
        calque__startBatch(&d->batches, d, d->chunks[d->nchunks - 1], slot,
                           (uint32_t)doc) == NULL)
        return CALQUE_ENOMEM;
    FORWARD_IF_ERROR(calque__batchAppend(&d->batches, text, len));
    d->ndocs++;
    return 0;
}

/* ---- Verification ---------------------------------------------------- */

static void cacheReset(workerState *w)
{
    w->arenaLen = 0;
    w->used = 0;
    for (size_t i = 0; i < w->nslots; i++) w->slots[i].doc = NO_DOC;
}

/* Doubles the slots of the cache, keeping its entries. */
static int cacheRehash(const calque__mem *mem, workerState *w)
{
    size_t const ns = w->nslots ? 2 * w->nslots : 1024;
    void *const s = calque__malloc(mem, ns * sizeof *w->slots);
    RETURN_ERROR_IF(s == NULL, CALQUE_ENOMEM);
    cacheSlot *const old = w->slots;
    size_t const oldn = w->nslots;
    w->slots = s;
    w->nslots = ns;
    for (size_t i = 0; i < ns; i++) w->slots[i].doc = NO_DOC;
    for (size_t i = 0; i < oldn; i++) {
        cacheSlot const e = old[i];
        if (e.doc == NO_DOC) continue;
        size_t j = calque__mix64(e.doc) & (ns - 1);
        while (w->slots[j].doc != NO_DOC) j = (j + 1) & (ns - 1);
        w->slots[j] = e;
    }
    calque__free(mem, old);
    return 0;
}

/* The sorted shingle set of @doc, from the worker's cache or computed from
 * the text. *set stays valid until the next call. */
static int shingleSet(calque_dedup *d, workerState *w,
                      const calque_textSource *src, uint32_t doc,
                      const uint64_t **set, size_t *n)
{
    /* Look up. */
    if (w->nslots) {
        size_t i = calque__mix64(doc) & (w->nslots - 1);
        while (w->slots[i].doc != NO_DOC) {
            if (w->slots[i].doc == doc) {
                *set = w->arena + w->slots[i].off;
                *n = w->slots[i].n;
                return 0;
            }
            i = (i + 1) & (w->nslots - 1);
        }
    }
    /* Compute. */
    uint32_t const len = lenOf(d, doc);
    FORWARD_IF_ERROR(CALQUE_GROW(&d->mem, &w->text, &w->textCap, len + 1));
    RETURN_ERROR_IF(src->fetch(src->opaque, doc, w->text, len) != 0,
                    CALQUE_ESOURCE);
    int64_t const got = shinglesOf(d, w, w->text, len);
    FORWARD_IF_ERROR((int)CALQUE_MIN(got, 0));
    size_t const m = calque_sortUnique(w->sh, (size_t)got, w->tmp);
    /* Store: forget everything when the cache would pass its budget. */
    if ((w->arenaLen + m) * 8 > CACHE_BYTES) cacheReset(w);
    if (2 * (w->used + 1) > w->nslots)
        FORWARD_IF_ERROR(cacheRehash(&d->mem, w));
    FORWARD_IF_ERROR(CALQUE_GROW(&d->mem, &w->arena, &w->arenaCap,
                                 w->arenaLen + m));
    memcpy(w->arena + w->arenaLen, w->sh, m * 8);
    size_t i = calque__mix64(doc) & (w->nslots - 1);
    while (w->slots[i].doc != NO_DOC) i = (i + 1) & (w->nslots - 1);
    w->slots[i].doc = doc;
    w->slots[i].n = (uint32_t)m;
    w->slots[i].off = w->arenaLen;
    w->arenaLen += m;
    w->used++;
    *set = w->arena + w->slots[i].off;
    *n = m;
    return 0;
}

/* Jaccard of two uniques, exact or estimated. */
static int similarity(calque_dedup *d, workerState *w,
                      const calque_textSource *src, uint32_t a, uint32_t b,
                      double *j)
{
    if (d->p.verifyEstimate) {
        *j = calque_minhashEstimate(sigOf(d, a), sigOf(d, b), d->p.perms);
        return 0;
    }
    const uint64_t *sa, *sb;
    size_t na, nb;
    FORWARD_IF_ERROR(shingleSet(d, w, src, a, &sa, &na));
    /* b's set may push a's out of the cache: keep a copy of a's. */
    FORWARD_IF_ERROR(CALQUE_GROW(&d->mem, &w->setA, &w->setACap, na + 1));
    memcpy(w->setA, sa, na * 8);
    FORWARD_IF_ERROR(shingleSet(d, w, src, b, &sb, &nb));
    *j = calque_jaccardSorted(w->setA, na, sb, nb);
    return 0;
}

/* A run of pairs verified by one worker. */
typedef struct {
    calque_dedup *d;
    const calque_textSource *src;
    const uint64_t *pairs; /* a << 32 | b */
    float *jac;            /* out: Jaccard, or -1 when skipped */
    size_t n;
    int skipJoined;        /* skip pairs already joined */
    calque__uf *uf;        /* shared; each job touches its own component */
} verifyJob;

static void verifyRun(void *arg, unsigned worker)
{
    verifyJob *const v = arg;
    calque_dedup *const d = v->d;
    workerState *const w = &d->ws[worker];
    for (size_t i = 0; i < v->n && w->err == 0; i++) {
        uint32_t const a = (uint32_t)(v->pairs[i] >> 32);
        uint32_t const b = (uint32_t)v->pairs[i];
        if (v->skipJoined && calque__ufFind(v->uf, a) ==
                                 calque__ufFind(v->uf, b)) {
            v->jac[i] = -1.0f;
            continue;
        }
        double j = 0.0;
        int const e = similarity(d, w, v->src, a, b, &j);
        if (e < 0) {
            w->err = e;
            return;
        }
        v->jac[i] = (float)j;
        if (v->skipJoined && j >= d->p.threshold - 1e-9)
            calque__ufUnion(v->uf, a, b);
    }
}

/* ---- LSH ------------------------------------------------------------- */

typedef struct {
    calque_dedup *d;
    const uint32_t *uniq; /* documents in the index */
    size_t nuniq;
    unsigned band;
    uint64_t *pairs;      /* out */
    size_t npairs, cap;
    int err;
} bandJob;

static int pushPair(bandJob *j, uint32_t a, uint32_t b)
{
    if (j->npairs == j->cap &&
        CALQUE_GROW(&j->d->mem, &j->pairs, &j->cap, j->npairs + 1) < 0)
        return CALQUE_ENOMEM;
    j->pairs[j->npairs++] = (uint64_t)a << 32 | b;
    return 0;
}

static void bandRun(void *arg, unsigned worker)
{
    (void)worker;
    bandJob *const j = arg;
    calque_dedup *const d = j->d;
    size_t const n = j->nuniq;
    /* (32-bit band hash << 32 | document), sorted by hash: documents in
     * a bucket stay in increasing order. Two bands that differ but share
     * 32 bits of hash only make a candidate that verification drops. */
    uint64_t *const v = calque__malloc(&d->mem, 2 * (n + 1) * sizeof *v);
    if (v == NULL) {
        j->err = CALQUE_ENOMEM;
        return;
    }
    unsigned const r = d->p.rows;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *const s = sigOf(d, j->uniq[i]) + (size_t)j->band * r;
        uint64_t const h = XXH3_64bits_withSeed(s, r * 4u, j->band);
        v[i] = (h & 0xFFFFFFFF00000000ULL) | j->uniq[i];
    }
    calque__radixSortHigh32(v, v + n, n);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && v[e] >> 32 == v[i] >> 32) e++;
        size_t const m = e - i;
        for (size_t x = i; x < e && j->err == 0; x++) {
            size_t const last = m <= BUCKET_ALL ? e
                                : CALQUE_MIN(e, x + 1 + BUCKET_WINDOW);
            for (size_t y = x + 1; y < last; y++)
                if (pushPair(j, (uint32_t)v[x], (uint32_t)v[y]) < 0) {
                    j->err = CALQUE_ENOMEM;
                    break;
                }
        }
        i = e;
    }
    calque__free(&d->mem, v);
}

/* ---- Finishing ------------------------------------------------------- */

static void progress(const calque_dedup *d, const char *phase, uint64_t done,
                     uint64_t total)
{
    if (d->p.progress) d->p.progress(d->p.progressOpaque, phase, done, total);
}

static int workerError(const calque_dedup *d)
{
    for (unsigned i = 0; i < d->nstates; i++)
        if (d->ws[i].err) return d->ws[i].err;
    return 0;
}

/* Groups exact copies: rep[i] is the first document with i's text. */
static int exactGroups(calque_dedup *d, uint32_t *rep)
{
    size_t const n = d->ndocs;
    uint64_t *const v = calque__malloc(&d->mem, 2 * (n + 1) * sizeof *v);
    RETURN_ERROR_IF(v == NULL, CALQUE_ENOMEM);
    for (size_t i = 0; i < n; i++)
        v[i] = (chunkOf(d, i)->hash[i % CHUNK_DOCS][0] &
                0xFFFFFFFF00000000ULL) | i;
    calque__radixSortHigh32(v, v + n, n);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && v[e] >> 32 == v[i] >> 32) e++;
        /* Within a run the indices increase; documents join the first
         * earlier one whose whole 128-bit hash is equal. */
        for (size_t x = i; x < e; x++) {
            uint32_t const dx = (uint32_t)v[x];
            const uint64_t *const hx = chunkOf(d, dx)->hash[dx % CHUNK_DOCS];
            rep[dx] = dx;
            for (size_t y = i; y < x; y++) {
                uint32_t const dy = (uint32_t)v[y];
                const uint64_t *const hy =
                    chunkOf(d, dy)->hash[dy % CHUNK_DOCS];
                if (rep[dy] == dy && hy[0] == hx[0] && hy[1] == hx[1]) {
                    rep[dx] = dy;
                    break;
                }
            }
        }
        i = e;
    }
    calque__free(&d->mem, v);
    return 0;
}

/* Candidate pairs of the uniques, sorted and without repeats. */
static int candidatePairs(calque_dedup *d, const uint32_t *uniq, size_t nu,
                          uint64_t **out, size_t *nout)
{
    unsigned const nb = d->p.bands;
    bandJob *const jobs = calque__calloc(&d->mem, nb, sizeof *jobs);
    RETURN_ERROR_IF(jobs == NULL, CALQUE_ENOMEM);
    for (unsigned b = 0; b < nb; b++) {
        jobs[b] = (bandJob){d, uniq, nu, b, NULL, 0, 0, 0};
        calque__poolSubmit(d->pool, bandRun, &jobs[b]);
        progress(d, "lsh", b, nb);
    }
    calque__poolWait(d->pool);
    int err = 0;
    size_t total = 0;
    for (unsigned b = 0; b < nb; b++) {
        if (jobs[b].err) err = jobs[b].err;
        total += jobs[b].npairs;
    }
    uint64_t *all = NULL;
    if (!err) {
        all = calque__malloc(&d->mem, (2 * total + 1) * sizeof *all);
        if (all == NULL) err = CALQUE_ENOMEM;
    }
    size_t k = 0;
    for (unsigned b = 0; b < nb; b++) {
        if (all && jobs[b].npairs)
            memcpy(all + k, jobs[b].pairs, jobs[b].npairs * 8);
        k += jobs[b].npairs;
        calque__free(&d->mem, jobs[b].pairs);
    }
    calque__free(&d->mem, jobs);
    if (err) {
        calque__free(&d->mem, all);
        return err;
    }
    calque__radixSort64(all, all + total, total);
    size_t m = 0;
    for (size_t i = 0; i < total; i++)
        if (m == 0 || all[i] != all[m - 1]) all[m++] = all[i];
    *out = all;
    *nout = m;
    return 0;
}

/* Verifies the candidate @pairs (sorted): fills jac[] in the same order. */
static int verifyPairs(calque_dedup *d, const calque_textSource *src,
                       const uint64_t *pairs, size_t n, float *jac)
{
    /* Group pairs by connected component so each component's texts are
     * fetched by one worker, and order matters only within it. */
    calque__uf uf;
    FORWARD_IF_ERROR(calque__ufInit(&uf, &d->mem, d->ndocs));
    for (size_t i = 0; i < n; i++)
        calque__ufUnion(&uf, (uint32_t)(pairs[i] >> 32), (uint32_t)pairs[i]);
    calque__kv *const kv = calque__malloc(&d->mem, 2 * (n + 1) * sizeof *kv);
    uint64_t *const sorted = calque__malloc(&d->mem, (n + 1) * 8);
    float *const sj = calque__malloc(&d->mem, (n + 1) * sizeof *sj);
    verifyJob *jobs = NULL;
    int err = 0;
    if (kv == NULL || sorted == NULL || sj == NULL) {
        err = CALQUE_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        kv[i].k = calque__ufFind(&uf, (uint32_t)(pairs[i] >> 32));
        kv[i].v = i;
    }
    calque__radixSortKV(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) sorted[i] = pairs[kv[i].v];
    /* A fresh union-find for the skipping of joined pairs. */
    for (size_t i = 0; i < uf.n; i++) uf.parent[i] = (uint32_t)i;
    /* A job is a run of whole components of at least `least` pairs:
     * enough to make the hand-over cheap, few enough to share the work
     * out evenly. Components never span two jobs, so the result does not
     * depend on how they are grouped. */
    size_t const least = CALQUE_MAX((size_t)64, n / (8 * (size_t)d->nworkers));
    jobs = calque__calloc(&d->mem, n / least + 2, sizeof *jobs);
    if (jobs == NULL) {
        err = CALQUE_ENOMEM;
        goto done;
    }
    size_t jn = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && (kv[e].k == kv[e - 1].k || e - i < least)) e++;
        jobs[jn] = (verifyJob){d, src, sorted + i, sj + i, e - i,
                               !d->p.allPairs, &uf};
        calque__poolSubmit(d->pool, verifyRun, &jobs[jn]);
        jn++;
        progress(d, "verify", i, n);
        i = e;
    }
    calque__poolWait(d->pool);
    err = workerError(d);
    for (size_t i = 0; i < n; i++) jac[kv[i].v] = sj[i];
done:
    calque__free(&d->mem, jobs);
    calque__free(&d->mem, sj);
    calque__free(&d->mem, sorted);
    calque__free(&d->mem, kv);
    calque__ufFree(&uf, &d->mem);
    return err;
}

/* Finds @key in the sorted verified pairs. */
static long findPair(const calque_dedup *d, uint64_t key)
{
    size_t lo = 0, hi = d->npairs;
    while (lo < hi) {
        size_t const mid = lo + (hi - lo) / 2;
        if (d->pairKey[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < d->npairs && d->pairKey[lo] == key ? (long)lo : -1;
}

/* Keeps the verified pairs for calque_dedupPair(): the @nnear near pairs
 * of uniques (sorted @near, Jaccard @jac) and each exact copy with the
 * first of its copies, merged in (a, b) order. */
static int listPairs(calque_dedup *d, const uint32_t *exactRep,
                     const uint64_t *near, const float *jac, size_t nnear)
{
    size_t const n = d->ndocs;
    d->npairs = nnear + d->st.exactDuplicates;
    d->pairKey = calque__malloc(&d->mem, (d->npairs + 1) * 8);
    d->pairJ = calque__malloc(&d->mem, (d->npairs + 1) * sizeof *d->pairJ);
    calque__kv *const kv = calque__malloc(&d->mem, 2 * (d->npairs + 1) *
                                                   sizeof *kv);
    if (d->pairKey == NULL || d->pairJ == NULL || kv == NULL) {
        calque__free(&d->mem, kv);
        return CALQUE_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < nnear; i++) {
        uint32_t bits;
        memcpy(&bits, &jac[i], 4);
        kv[k++] = (calque__kv){near[i], bits};
    }
    float const one = 1.0f;
    uint32_t oneBits;
    memcpy(&oneBits, &one, 4);
    for (size_t i = 0; i < n; i++)
        if (exactRep[i] != i)
            kv[k++] = (calque__kv){(uint64_t)exactRep[i] << 32 | i, oneBits};
    calque__radixSortKV(kv, kv + k, k);
    for (size_t i = 0; i < k; i++) {
        uint32_t const bits = (uint32_t)kv[i].v;
        d->pairKey[i] = kv[i].k;
        memcpy(&d->pairJ[i], &bits, 4);
    }
    calque__free(&d->mem, kv);
    return 0;
}

static uint64_t pairKeyOf(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* The similarity of every document to its representative: 1 for exact
 * copies, the verified Jaccard when the pair was verified, otherwise
 * computed now (a member joined to its representative through others). */
static int similarities(calque_dedup *d, const calque_textSource *src,
                        const uint32_t *exactRep)
{
    size_t const n = d->ndocs;
    uint64_t *const need = calque__malloc(&d->mem, (n + 1) * 8);
    uint64_t *const tmp = calque__malloc(&d->mem, (n + 1) * 8);
    float *const needJ = calque__malloc(&d->mem, (n + 1) * sizeof *needJ);
    int err = 0;
    if (need == NULL || tmp == NULL || needJ == NULL) {
        err = CALQUE_ENOMEM;
        goto done;
    }
    size_t nneed = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t const a = exactRep[i], b = exactRep[d->clusterOf[i]];
        d->exact[i] = a == b;
        d->sim[i] = 1.0f;
        if (a == b) continue;
        long const at = findPair(d, pairKeyOf(a, b));
        if (at >= 0) {
            d->sim[i] = d->pairJ[at];
        } else {
            d->sim[i] = -1.0f;
            need[nneed++] = pairKeyOf(a, b);
        }
    }
    if (nneed == 0) goto done;
    size_t const m = calque_sortUnique(need, nneed, tmp);
    int const saved = d->p.allPairs;
    d->p.allPairs = 1; /* compute every one */
    err = verifyPairs(d, src, need, m, needJ);
    d->p.allPairs = saved;
    if (err < 0) goto done;
    for (size_t i = 0; i < n; i++) {
        if (d->sim[i] >= 0.0f) continue;
        uint64_t const key = pairKeyOf(exactRep[i], exactRep[d->clusterOf[i]]);
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t const mid = lo + (hi - lo) / 2;
            if (need[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        d->sim[i] = needJ[lo];
    }
done:
    calque__free(&d->mem, needJ);
    calque__free(&d->mem, tmp);
    calque__free(&d->mem, need);
    return err;
}

/* Figures: duplicates, and clusters of two or more documents. @scratch
 * has room for ndocs values. */
static void countClusters(calque_dedup *d, uint32_t *scratch)
{
    size_t const n = d->ndocs;
    uint64_t dups = 0, clusters = 0;
    memset(scratch, 0, n * sizeof *scratch); /* 1: has a member */
    for (size_t i = 0; i < n; i++)
        if (d->clusterOf[i] != i) {
            dups++;
            clusters += scratch[d->clusterOf[i]] == 0;
            scratch[d->clusterOf[i]] = 1;
        }
    d->st.nearDuplicates = dups - d->st.exactDuplicates;
    d->st.clusters = clusters;
}

int calque_dedupFinish(calque_dedup *d, const calque_textSource *src)
{
    RETURN_ERROR_IF(d->finished, CALQUE_ESTATE);
    RETURN_ERROR_IF(src == NULL && !d->p.verifyEstimate, CALQUE_EPARAM);
    FORWARD_IF_ERROR(submitBatch(d));
    calque__poolWait(d->pool);
    d->finished = 1;
    FORWARD_IF_ERROR(workerError(d));
    size_t const n = d->ndocs;
    for (unsigned i = 0; i < d->nstates; i++)
        d->st.invalidUtf8 += d->ws[i].invalid;
    d->st.documents = n;

    int err = 0;
    uint32_t *const exactRep = calque__malloc(&d->mem, (n + 1) * 4);
    uint32_t *const uniq = calque__malloc(&d->mem, (n + 1) * 4);
    uint64_t *cand = NULL;
    float *jac = NULL;
    size_t ncand = 0, nnear = 0, nu = 0;
    calque__uf uf = {NULL, 0};
    freeResults(d);
    d->clusterOf = calque__malloc(&d->mem, (n + 1) * 4);
    d->sim = calque__malloc(&d->mem, (n + 1) * sizeof *d->sim);
    d->exact = calque__malloc(&d->mem, n + 1);
    if (!exactRep || !uniq || !d->clusterOf || !d->sim || !d->exact) {
        err = CALQUE_ENOMEM;
        goto done;
    }

    /* 1. Exact copies. */
    progress(d, "exact", 0, n);
    if ((err = exactGroups(d, exactRep)) < 0) goto done;
    for (size_t i = 0; i < n; i++) {
        if (exactRep[i] != i) d->st.exactDuplicates++;
        else if (chunkOf(d, i)->hasShingles[i % CHUNK_DOCS])
            uniq[nu++] = (uint32_t)i;
    }

    /* 2. LSH candidates, 3. verification. */
    if ((err = candidatePairs(d, uniq, nu, &cand, &ncand)) < 0) goto done;
    d->st.candidatePairs = ncand;
    jac = calque__malloc(&d->mem, (ncand + 1) * sizeof *jac);
    if (jac == NULL) {
        err = CALQUE_ENOMEM;
        goto done;
    }
    if ((err = verifyPairs(d, src, cand, ncand, jac)) < 0) goto done;

    /* 4. Clusters. */
    progress(d, "cluster", 0, n);
    if ((err = calque__ufInit(&uf, &d->mem, n)) < 0) goto done;
    for (size_t i = 0; i < n; i++) calque__ufUnion(&uf, exactRep[i], (uint32_t)i);
    for (size_t i = 0; i < ncand; i++)
        if (jac[i] >= d->p.threshold - 1e-6) {
            calque__ufUnion(&uf, (uint32_t)(cand[i] >> 32), (uint32_t)cand[i]);
            cand[nnear] = cand[i];
            jac[nnear] = jac[i];
            nnear++;
        }
    d->st.verifiedPairs = nnear;
    /* Representatives: the root (first member), or the longest. */
    for (size_t i = 0; i < n; i++) d->clusterOf[i] = NO_DOC;
    for (size_t i = 0; i < n; i++) {
        uint32_t const r = calque__ufFind(&uf, (uint32_t)i);
        uint32_t *const best = &d->clusterOf[r];
        if (*best == NO_DOC || (d->p.keepLongest && lenOf(d, i) > lenOf(d, *best)))
            *best = (uint32_t)i;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t const r = calque__ufFind(&uf, (uint32_t)i);
        if (r == i) continue;
        d->clusterOf[i] = d->clusterOf[r];
    }

    if ((err = listPairs(d, exactRep, cand, jac, nnear)) < 0) goto done;
    if ((err = similarities(d, src, exactRep)) < 0) goto done;
    countClusters(d, exactRep);
    progress(d, "done", n, n);
done:
    calque__ufFree(&uf, &d->mem);
    calque__free(&d->mem, jac);
    calque__free(&d->mem, cand);
    calque__free(&d->mem, uniq);
    calque__free(&d->mem, exactRep);
    if (err < 0) {
        freeResults(d);
        d->npairs = 0;
    }
    return err;
}

int calque_dedupResult(const calque_dedup *d, uint64_t doc,
                       calque_dedupInfo *out)
{
    RETURN_ERROR_IF(d->clusterOf == NULL, CALQUE_ESTATE);
    RETURN_ERROR_IF(doc >= d->ndocs, CALQUE_ENOTFOUND);
    out->cluster = d->clusterOf[doc];
    out->duplicate = d->clusterOf[doc] != doc;
    out->exact = d->exact[doc];
    out->similarity = d->sim[doc];
    return 0;
}

uint64_t calque_dedupPairCount(const calque_dedup *d)
{
    return d->clusterOf ? d->npairs : 0;
}

int calque_dedupPair(const calque_dedup *d, uint64_t k, uint64_t *a,
                     uint64_t *b, double *jaccard)
{
    RETURN_ERROR_IF(d->clusterOf == NULL, CALQUE_ESTATE);
    RETURN_ERROR_IF(k >= d->npairs, CALQUE_ENOTFOUND);
    *a = d->pairKey[k] >> 32;
    *b = (uint32_t)d->pairKey[k];
    *jaccard = d->pairJ[k];
    return 0;
}

void calque_dedupGetStats(const calque_dedup *d, calque_dedupStats *s)
{
    *s = d->st;
    s->documents = d->ndocs;
}
