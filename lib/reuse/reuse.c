/*
 * reuse.c - passages shared between the documents of a collection.
 *
 * Adding: documents are copied into batches that worker threads tokenise.
 * Each distinct word n-gram of a document becomes one 12-byte posting,
 * (bits 32..63 of the n-gram hash) << 32 | document and the word where
 * the n-gram first occurs, appended to one of NBUCKETS lists chosen by
 * bits 0..7 of the hash: 40 bits of the hash tell n-grams apart. Each
 * worker owns its lists (blocks of up to BLOCK_KEYS postings), so adding
 * takes no lock. Per document only its length and word count are kept;
 * the text is fetched again later.
 *
 * Finishing:
 *   1. Index: each bucket (one job each) gathers its postings, sorts them
 *      by hash (LSD radix on the 32 hash bits) and reads runs of equal
 *      hashes: an n-gram in 2..maxDf documents becomes a "shared run" (its
 *      documents, sorted); n-grams of one document are dropped, and those
 *      in more than maxDf documents go into a set that the aligner uses
 *      as a seed filter, so boilerplate and stock phrases never seed a
 *      match, not even inside a candidate pair. Runs are numbered by
 *      their first document (stable, from bucket order), so the numbering
 *      does not depend on which worker indexed which document.
 *   2. Transpose: for each document, the shared runs it is in.
 *   3. Candidates: documents are split into ranges, one job each. For
 *      document a, every document b > a met in a's runs gets a count in a
 *      per-worker array; the b with count >= minSeeds are its candidates.
 *      The positions of the shared n-grams in a and b make seeds: a pair
 *      whose seeds form one run shorter than minWords words (one phrase
 *      both hold: a quote, a stock phrase) is not aligned (alignable()).
 *      The pairs to align, in (a, b) order, with their seeds, are
 *      grouped by connected component of the candidate graph
 *      (union-find). The runs are kept until the alignment is done.
 *   4. Alignment: the grouped pairs are cut into jobs of JOB_PAIRS. A
 *      worker fetches and tokenises each document it meets once per job
 *      (a small token cache) and aligns the pair from its seeds (lib/align;
 *      a pair with an n-gram repeated in a document, whose seeds the index
 *      does not all hold, from the n-gram tables of calque__alignSetA()),
 *      without the paraphrase search. A passage must rest on one text:
 *      its anchors must be found together in the collection (coherent()),
 *      else it is common phrases side by side; and it must hold n words
 *      outside the frequent n-grams (ownText()). The pairs with seeds but
 *      no passage are then aligned again with it, from the tables and with
 *      the sentence starts of both texts (sentenceStarts()), and a
 *      passage that is a third document's text seen through two copies of
 *      it (both documents' pairs with it verbatim, one copy inside a
 *      passage of the first pass) is dropped. Each pair's result is
 *      gathered in (a, b) order, so output is identical for any thread
 *      count.
 *   5. Groups: union-find over the pairs whose passages total at least
 *      minGroupWords words; each document's reused words are the union of
 *      its token ranges over all passages.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "align/align.h"
#include "cluster/unionfind.h"
#include "common/common.h"
#include "common/batch.h"
#include "common/pool.h"

#define CHUNK_DOCS 4096          /* documents per storage chunk */
#define NBUCKETS 256             /* posting lists per worker */
#define BLOCK_FIRST 64           /* postings in a bucket's first block */
#define BLOCK_KEYS 4096          /* largest block */
#define POSTING 12               /* bytes per posting: key and position */
#define REPEATED 0x80000000u     /* position flag: the n-gram occurs again
                                    in the document */
#define RANGE_DOCS 64            /* documents per candidate-search job */
#define JOB_PAIRS 256            /* candidate pairs per alignment job */
#define TOKCACHE_SLOTS 1024      /* token cache: slots (a power of 2), */
#define TOKCACHE_DOCS 512        /* documents and */
#define TOKCACHE_TOKENS (1u << 21) /* tokens (32 MiB) per worker */
#define OWN_BLOCK 64             /* n-grams hashed at a time (ownText()) */
#define COHERE_WINDOW 64         /* anchors of a passage each one is
                                    compared with (coherent()) */

/* Per-document facts of the add phase, CHUNK_DOCS at a time. */
typedef struct {
    uint32_t len[CHUNK_DOCS];    /* text bytes */
    uint32_t words[CHUNK_DOCS];  /* tokens */
} chunk;

/* A block of postings of one bucket of one worker: cap keys, then cap
 * positions (blockPos()). */
typedef struct pblock_s pblock;
struct pblock_s {
    pblock *next;                /* older block */
    uint32_t n, cap;
    uint64_t key[];
};

/* The positions of the postings of @b: the word where each n-gram first
 * occurs in its document. */
static uint32_t *blockPos(pblock *b)
{
    return (uint32_t *)(void *)(b->key + b->cap);
}

/* A passage as stored: byte spans and token ranges. */
typedef struct {
    uint32_t aStart, aEnd, bStart, bEnd;  /* bytes */
    uint32_t a0, a1, b0, b1;              /* tokens */
    uint32_t words;
    uint32_t matches, columns;           /* identity = matches / columns */
} passage;

typedef struct {
    uint32_t a, b;
    uint32_t npass;
    uint32_t aCovered, bCovered; /* words inside the passages */
    uint64_t words;
    uint64_t first;              /* first passage (after gathering) */
} pairRec;

/* Candidate search of documents [lo, hi). */
typedef struct {
    calque_reuse *r;
    uint32_t lo, hi;
    uint32_t *cand;              /* the candidates b of each a, in order */
    size_t ncand, candCap;
    uint32_t *perDoc;            /* candidates of each document */
    uint32_t *nseedsOf;          /* seeds of each candidate (0: align from
                                    the n-gram tables) */
    size_t nseedsOfCap;
    calque__seed *seeds;         /* ... concatenated */
    size_t nseeds, seedsCap;
    uint64_t shared;             /* pairs sharing minSeeds n-grams */
    int err;
} candJob;

/* Alignment of the candidate pairs idx[0, n) (whole connected components
 * of the candidate graph, or a slice of a large one). */
typedef struct {
    calque_reuse *r;
    const calque_textSource *src;
    const uint32_t *idx;         /* candidate numbers */
    size_t n;
    int para;                    /* second pass: paraphrase search */
    pairRec *pairs;
    size_t npairs, pairsCap;
    passage *pass;
    size_t npass, passCap;
    uint32_t *retry;             /* first pass: candidates with seeds but
                                    no passage, for the second */
    size_t nretry, retryCap;
    uint64_t bounded;
    int err;
} alignJob;

/* The pairs and passages of one alignment pass, in candidate order. */
typedef struct {
    pairRec *pairs;
    uint64_t npairs;
    passage *pass;
    uint64_t npass;
    uint32_t *retry;             /* sorted */
    uint64_t nretry;
} passResult;

/* A passage of a verbatim pair seen from one of its documents. */
typedef struct {
    uint32_t other;              /* the other document */
    uint32_t t0, t1;             /* its words in this document */
} strictSpan;

/* A document's tokens in a worker's token cache. */
typedef struct {
    uint32_t doc, n;             /* doc UINT32_MAX: empty slot */
    size_t off;                  /* first token in the arena */
} tokEntry;

/* What each worker owns. */
typedef struct {
    calque_tokenizer *tk;
    uint64_t *ng;                /* n-gram hashes */
    size_t ngCap;
    uint64_t *set;               /* distinct n-grams: open addressing */
    uint32_t **where;            /* ... the position of their posting */
    uint32_t *stamp;             /* slot in use when == cur */
    size_t setCap;
    uint32_t cur;
    pblock *head[NBUCKETS];      /* newest block of each bucket */
    uint64_t postings, words, invalid;
    int err;
    /* finish */
    calque__aligner *al;
    calque__passage *keep;       /* passages kept in the second pass */
    size_t keepCap;
    uint32_t *runAt;             /* coherent(): the run of the shared */
    size_t runAtCap;             /* n-gram at each word of document */
    uint32_t runAtDoc;           /* runAtDoc (UINT32_MAX: none), */
    uint64_t *at;                /* ... and those of a passage that the */
    size_t atCap;                /* other document has there */
    struct {                     /* coherent(): each anchor's words in a */
        uint32_t a0, a1, run;    /* and a run of it, */
    } *anchor;
    size_t anchorCap;
    uint32_t *anchorSet;         /* ... and its set (union-find) */
    size_t anchorSetCap;
    uint32_t *count;             /* per document, zero between uses */
    uint64_t *seedAt;            /* per candidate b: its next seed slot */
    uint32_t *touched;
    size_t touchedCap;
    uint64_t *seeds;             /* seeds of the candidates of a document */
    size_t seedsCap;
    uint64_t *seedTmp;           /* alignable() scratch */
    size_t seedTmpCap;
    uint32_t tokADoc;            /* the document in tokA, or UINT32_MAX */
    size_t tokANum;              /* its tokens */
    char *textB;                 /* fetched text */
    size_t textBCap;
    calque_token *tokA;          /* copy of a's tokens */
    size_t tokACap;
    uint8_t *brkA;               /* ... and its sentence starts */
    size_t brkACap;
    uint32_t curA;               /* the document set as A, or UINT32_MAX */
    calque_token *arena;         /* token cache: tokens of recent */
    size_t arenaLen, arenaCap;   /* documents, found through slots */
    uint8_t *brk;                /* per token of the arena: a sentence */
    size_t brkCap;               /* starts there (sentenceStarts()) */
    tokEntry slots[TOKCACHE_SLOTS];
    unsigned cached;
    uint64_t *sortTmp;           /* scratch: bucket sorting, intervals */
    size_t sortTmpCap;
    uint64_t *bucketV;           /* the postings of a bucket: hash, index */
    size_t bucketVCap;
    uint64_t *bucketP;           /* ... and document << 32 | position */
    size_t bucketPCap;
} workerState;

/* The shared runs of one bucket, from the index job. */
typedef struct {
    calque_reuse *r;
    unsigned bucket;
    uint64_t *docs;              /* the runs' documents << 32 | the word
                                    where the n-gram is, concatenated */
    size_t ndocs, docsCap;
    uint32_t *len;               /* documents per run */
    size_t nruns, runsCap;
    uint64_t distinct, frequent;
    uint64_t *freq;              /* keys of the frequent n-grams */
    size_t freqCap;
    const uint32_t *dest;        /* gathering: each run's number */
    int err;
} bucketJob;

struct calque_reuse_s {
    calque__mem mem;
    calque_reuseParams p;
    calque__alignParams ap;
    calque__pool *pool;
    unsigned nworkers;
    workerState *ws;
    /* documents */
    chunk **chunks;
    size_t nchunks, chunkCap;
    uint64_t ndocs;
    calque__batches batches;     /* texts on their way to the workers */
    int finished;
    int ready;                   /* results are complete */
    /* index (finish) */
    uint32_t maxDf;
    int paraphrase;              /* paraphraseIdentity < minIdentity */
    uint64_t *runOff;            /* nruns + 1 */
    uint32_t *runDocs;
    uint32_t *runPos;            /* where the n-gram is in each document */
    uint64_t nruns;
    uint64_t *docRunOff;         /* ndocs + 1 */
    uint32_t *docRuns;
    uint32_t *docRunPos;         /* where the run's n-gram is in the doc */
    uint64_t *freq;              /* set of the frequent n-grams' keys */
    size_t freqMask;
    uint32_t *candA, *candB;     /* candidate pairs, in (a, b) order */
    const calque__seed **candSeeds; /* ... their seeds, candNSeeds[c] */
    uint32_t *candNSeeds;        /* of them, in the arrays seedBlock[] */
    calque__seed **seedBlock;    /* the seeds of each candidate job */
    uint64_t nSeedBlocks;
    uint32_t *candPair;          /* per candidate: its pair in its job */
    uint32_t *candJob;           /* ... and the job */
    uint64_t *strictOff;         /* per document: its strictSpan, from the */
    strictSpan *strict;          /* first pass, sorted by other */
    uint64_t ncand;
    /* results */
    pairRec *pairs;
    uint64_t npairs;
    passage *pass;
    uint64_t npass;
    uint32_t *group;             /* per document */
    uint32_t *reused;            /* per document */
    atomic_uint_fast64_t done;   /* progress of the current phase */
    calque_reuseStats st;
};

void calque_initReuseParams(calque_reuseParams *p)
{
    memset(p, 0, sizeof *p);
    p->ngram = 5;
    p->maxDf = 100;
    p->minSeeds = 3;
    p->minWords = 20;
    p->minIdentity = 0.9;
    p->paraphraseIdentity = 0.6;
    p->minGroupWords = 40;
}

/* ---- Storage --------------------------------------------------------- */

static uint32_t lenOf(const calque_reuse *r, uint64_t doc)
{
    return r->chunks[doc / CHUNK_DOCS]->len[doc % CHUNK_DOCS];
}

static uint32_t wordsOf(const calque_reuse *r, uint64_t doc)
{
    return r->chunks[doc / CHUNK_DOCS]->words[doc % CHUNK_DOCS];
}

/* Appends posting @key, at word @pos of its document, to bucket @b of
 * worker @w; *@where: its position, to flag it REPEATED. */
static int pushPosting(const calque__mem *m, workerState *w, unsigned b,
                       uint64_t key, uint32_t pos, uint32_t **where)
{
    pblock *h = w->head[b];
    if (h == NULL || h->n == h->cap) {
        uint32_t const cap = h == NULL ? BLOCK_FIRST
                             : CALQUE_MIN(2 * h->cap, BLOCK_KEYS);
        pblock *const nb = calque__malloc(m, sizeof *nb + cap * POSTING);
        RETURN_ERROR_IF(nb == NULL, CALQUE_ENOMEM);
        nb->next = h;
        nb->n = 0;
        nb->cap = cap;
        w->head[b] = h = nb;
    }
    *where = &blockPos(h)[h->n];
    **where = pos;
    h->key[h->n++] = key;
    return 0;
}

static void freeBlocks(const calque__mem *m, pblock *h)
{
    while (h) {
        pblock *const n = h->next;
        calque__free(m, h);
        h = n;
    }
}

/* ---- Adding: workers --------------------------------------------------- */

/* Makes w->set ready for @n distinct values. */
static int setReset(const calque__mem *m, workerState *w, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    if (cap > w->setCap) {
        calque__free(m, w->set);
        calque__free(m, (void *)w->where);
        calque__free(m, w->stamp);
        w->set = calque__malloc(m, cap * sizeof *w->set);
        w->where = calque__malloc(m, cap * sizeof *w->where);
        w->stamp = calque__calloc(m, cap, sizeof *w->stamp);
        w->setCap = 0;
        if (!w->set || !w->where || !w->stamp) return CALQUE_ENOMEM;
        w->setCap = cap;
        w->cur = 0;
    }
    if (++w->cur == 0) { /* the stamps wrapped around */
        memset(w->stamp, 0, w->setCap * sizeof *w->stamp);
        w->cur = 1;
    }
    return 0;
}

/* Tokenises one document and posts its distinct n-grams. */
static int indexDoc(calque_reuse *r, workerState *w, uint32_t doc,
                    const char *text, size_t len, uint32_t *words)
{
    const calque_token *tok;
    size_t ntok;
    FORWARD_IF_ERROR(calque_tokenize(w->tk, text, len, &tok, &ntok));
    w->invalid += calque_invalidUtf8(w->tk);
    *words = (uint32_t)ntok;
    w->words += ntok;
    if (ntok < r->p.ngram) return 0;
    size_t const n = ntok - r->p.ngram + 1;
    FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->ng, &w->ngCap, n));
    calque__ngramHashes(tok, ntok, r->p.ngram, w->ng);
    FORWARD_IF_ERROR(setReset(&r->mem, w, n));
    size_t const mask = w->setCap - 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t const h = w->ng[i];
        size_t s = (size_t)(h >> 20) & mask;
        while (w->stamp[s] == w->cur && w->set[s] != h) s = (s + 1) & mask;
        if (w->stamp[s] == w->cur) { /* seen in this document */
            *w->where[s] |= REPEATED;
            continue;
        }
        w->stamp[s] = w->cur;
        w->set[s] = h;
        FORWARD_IF_ERROR(pushPosting(&r->mem, w, (unsigned)(h & 0xFF),
                                     (h & 0xFFFFFFFF00000000ULL) | doc,
                                     (uint32_t)i, &w->where[s]));
        w->postings++;
    }
    return 0;
}

static void batchJob(void *arg, unsigned worker)
{
    calque__batch *const b = arg;
    calque_reuse *const r = b->owner;
    chunk *const ch = b->dest;
    workerState *const w = &r->ws[worker];
    for (uint32_t i = 0; i < b->n; i++) {
        uint32_t words = 0;
        int const e = indexDoc(r, w, b->first + i, b->text + b->off[i],
                               b->off[i + 1] - b->off[i], &words);
        if (e < 0 && w->err == 0) w->err = e;
        ch->words[b->slot + i] = words;
    }
    calque__giveBatch(&r->batches, b);
}

/* ---- Creation ---------------------------------------------------------- */

static void freeWorker(const calque__mem *m, workerState *w)
{
    calque_freeTokenizer(w->tk);
    calque__free(m, w->ng);
    calque__free(m, w->set);
    calque__free(m, (void *)w->where);
    calque__free(m, w->stamp);
    for (unsigned b = 0; b < NBUCKETS; b++) freeBlocks(m, w->head[b]);
    calque__freeAligner(w->al);
    calque__free(m, w->keep);
    calque__free(m, w->at);
    calque__free(m, w->runAt);
    calque__free(m, w->anchor);
    calque__free(m, w->anchorSet);
    calque__free(m, w->count);
    calque__free(m, w->touched);
    calque__free(m, w->seedAt);
    calque__free(m, w->seeds);
    calque__free(m, w->seedTmp);
    calque__free(m, w->textB);
    calque__free(m, w->tokA);
    calque__free(m, w->brkA);
    calque__free(m, w->arena);
    calque__free(m, w->brk);
    calque__free(m, w->sortTmp);
    calque__free(m, w->bucketV);
    calque__free(m, w->bucketP);
}

/* Frees the seeds of the candidate pairs. */
static void freeSeeds(calque_reuse *r)
{
    for (uint64_t k = 0; k < r->nSeedBlocks; k++)
        calque__free(&r->mem, r->seedBlock[k]);
    calque__free(&r->mem, r->seedBlock);
    calque__free(&r->mem, (void *)r->candSeeds);
    calque__free(&r->mem, r->candNSeeds);
    r->seedBlock = NULL;
    r->nSeedBlocks = 0;
    r->candSeeds = NULL;
    r->candNSeeds = NULL;
}

/* Frees the shared runs, the index of the candidate search. */
static void freeRuns(calque_reuse *r)
{
    calque__free(&r->mem, r->runOff);
    calque__free(&r->mem, r->runDocs);
    calque__free(&r->mem, r->runPos);
    calque__free(&r->mem, r->docRunOff);
    calque__free(&r->mem, r->docRuns);
    calque__free(&r->mem, r->docRunPos);
    r->runOff = r->docRunOff = NULL;
    r->runDocs = r->docRuns = r->runPos = r->docRunPos = NULL;
}

/* Frees the whole index: runs and the set of frequent n-grams. */
static void freeIndex(calque_reuse *r)
{
    freeRuns(r);
    calque__free(&r->mem, r->freq);
    r->freq = NULL;
}

void calque_freeReuse(calque_reuse *r)
{
    if (r == NULL) return;
    calque__freePool(r->pool); /* waits for the jobs */
    calque__freeBatches(&r->batches);
    for (size_t i = 0; i < r->nchunks; i++) calque__free(&r->mem, r->chunks[i]);
    calque__free(&r->mem, r->chunks);
    if (r->ws)
        for (unsigned i = 0; i < r->nworkers; i++)
            freeWorker(&r->mem, &r->ws[i]);
    calque__free(&r->mem, r->ws);
    freeIndex(r);
    calque__free(&r->mem, r->candA);
    calque__free(&r->mem, r->candB);
    freeSeeds(r);
    calque__free(&r->mem, r->candPair);
    calque__free(&r->mem, r->candJob);
    calque__free(&r->mem, r->strictOff);
    calque__free(&r->mem, r->strict);
    calque__free(&r->mem, r->pairs);
    calque__free(&r->mem, r->pass);
    calque__free(&r->mem, r->group);
    calque__free(&r->mem, r->reused);
    calque__free(&r->mem, r);
}

calque_reuse *calque_createReuse(const calque_reuseParams *params,
                                 const calque_customMem *cmem, int *err)
{
    int e = 0;
    calque_reuseParams p;
    if (params) p = *params;
    else calque_initReuseParams(&p);
    if (p.ngram == 0 || p.ngram > 64 || !(p.maxDf > 0.0) ||
        (p.maxDf >= 1.0 && p.maxDf > 4294967295.0) || p.minSeeds == 0 ||
        !(p.minIdentity >= 0.0 && p.minIdentity <= 1.0) ||
        !(p.paraphraseIdentity >= 0.0 && p.paraphraseIdentity <= 1.0) ||
        p.threads > 4096) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    calque__mem const mem = calque__memFrom(cmem);
    calque_reuse *const r = calque__calloc(&mem, 1, sizeof *r);
    if (r == NULL) {
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    r->mem = mem;
    r->p = p;
    calque__initBatches(&r->batches, &mem);
    calque__initAlignParams(&r->ap, p.ngram);
    r->ap.minWords = p.minWords ? p.minWords : 1;
    r->ap.minIdentity = p.minIdentity;
    r->ap.paraphraseIdentity = p.paraphraseIdentity;
    r->paraphrase = p.paraphraseIdentity < p.minIdentity;
    r->nworkers = p.threads ? p.threads : calque__cpuCount();
    r->ws = calque__calloc(&mem, r->nworkers, sizeof *r->ws);
    if (r->ws == NULL) {
        e = CALQUE_ENOMEM;
        goto fail;
    }
    calque_textOptions const to = {p.keepAccents};
    for (unsigned i = 0; i < r->nworkers; i++) {
        r->ws[i].tk = calque_createTokenizer(&to, cmem);
        if (r->ws[i].tk == NULL) {
            e = CALQUE_ENOMEM;
            goto fail;
        }
    }
    r->pool = calque__createPool(&mem, r->nworkers, &e);
    if (r->pool == NULL) goto fail;
    return r;
fail:
    calque_freeReuse(r);
    *err = e;
    return NULL;
}

/* ---- Adding ------------------------------------------------------------ */

static int submitBatch(calque_reuse *r)
{
    calque__batch *const b = calque__takeBatch(&r->batches);
    if (b == NULL) return 0;
    return calque__poolSubmit(r->pool, batchJob, b);
}

int calque_reuseAdd(calque_reuse *r, const char *text, size_t len)
{
    RETURN_ERROR_IF(r->finished, CALQUE_ESTATE);
    RETURN_ERROR_IF(r->ndocs >= UINT32_MAX - 1, CALQUE_ETOOBIG);
    RETURN_ERROR_IF(len >= UINT32_MAX, CALQUE_ETOOBIG);
    uint64_t const doc = r->ndocs;
    uint32_t const slot = (uint32_t)(doc % CHUNK_DOCS);
    if (slot == 0) { /* a new chunk: a batch never spans two */
        FORWARD_IF_ERROR(submitBatch(r));
        FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &r->chunks, &r->chunkCap,
                                     r->nchunks + 1));
        chunk *const c = calque__malloc(&r->mem, sizeof *c);
        RETURN_ERROR_IF(c == NULL, CALQUE_ENOMEM);
        r->chunks[r->nchunks++] = c;
    }
    if (calque__batchFull(&r->batches, len)) FORWARD_IF_ERROR(submitBatch(r));
    if (r->batches.cur == NULL &&
        calque__startBatch(&r->batches, r, r->chunks[r->nchunks - 1], slot,
                           (uint32_t)doc) == NULL)
        return CALQUE_ENOMEM;
    FORWARD_IF_ERROR(calque__batchAppend(&r->batches, text, len));
    r->chunks[r->nchunks - 1]->len[slot] = (uint32_t)len;
    r->ndocs++;
    return 0;
}

/* ---- Finishing: index ---------------------------------------------------- */

static void progress(const calque_reuse *r, const char *phase, uint64_t done,
                     uint64_t total)
{
    if (r->p.progress) r->p.progress(r->p.progressOpaque, phase, done, total);
}

/* Sorts postings by their upper 32 bits (the hash), stably: LSD radix
 * in passes of 11, 11 and 10 bits. */
static void sortByHash(uint64_t *v, uint64_t *tmp, size_t n)
{
    static const unsigned shift[3] = {32, 43, 54};
    static const uint64_t mask[3] = {0x7FF, 0x7FF, 0x3FF};
    size_t count[3][2048];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 3; b++) count[b][(v[i] >> shift[b]) & mask[b]]++;
    uint64_t *src = v, *dst = tmp;
    for (int b = 0; b < 3; b++) {
        if (n == 0 || count[b][(v[0] >> shift[b]) & mask[b]] == n) continue;
        size_t sum = 0;
        for (size_t k = 0; k <= mask[b]; k++) {
            size_t const c = count[b][k];
            count[b][k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i] >> shift[b]) & mask[b]]++] = src[i];
        uint64_t *const t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

static int cmpU32(const void *x, const void *y)
{
    uint32_t const a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static int cmpU64(const void *x, const void *y)
{
    uint64_t const a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Sorts @n values (small arrays by insertion). */
static void sortU64(uint64_t *d, size_t n)
{
    if (n > 16) {
        qsort(d, n, sizeof *d, cmpU64);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t const v = d[i];
        size_t j = i;
        while (j > 0 && d[j - 1] > v) {
            d[j] = d[j - 1];
            j--;
        }
        d[j] = v;
    }
}

/* Sorts @n (document << 32 | position) values and keeps the first of
 * each document. @return the new count. */
static size_t sortDocs(uint64_t *d, size_t n)
{
    sortU64(d, n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || d[i] >> 32 != d[k - 1] >> 32) d[k++] = d[i];
    return k;
}

/* Gathers, sorts and reads the postings of one bucket (from every
 * worker), freeing them; keeps the runs of 2..maxDf documents. */
static void bucketRun(void *arg, unsigned worker)
{
    bucketJob *const j = arg;
    calque_reuse *const r = j->r;
    calque__mem const *const m = &r->mem;
    workerState *const w = &r->ws[worker];
    size_t n = 0;
    for (unsigned k = 0; k < r->nworkers; k++)
        for (const pblock *b = r->ws[k].head[j->bucket]; b; b = b->next)
            n += b->n;
    /* Sort space: the worker's buffers, kept from bucket to bucket. The
     * keys are sorted as hash << 32 | index, the index leading to the
     * document and position in dp. */
    if (CALQUE_GROW(m, &w->bucketV, &w->bucketVCap, n + 1) < 0 ||
        CALQUE_GROW(m, &w->bucketP, &w->bucketPCap, n + 1) < 0 ||
        CALQUE_GROW(m, &w->sortTmp, &w->sortTmpCap, n + 1) < 0) {
        j->err = CALQUE_ENOMEM;
        goto done;
    }
    uint64_t *const v = w->bucketV, *const dp = w->bucketP;
    uint64_t *const tmp = w->sortTmp;
    n = 0;
    for (unsigned k = 0; k < r->nworkers; k++) {
        for (pblock *b = r->ws[k].head[j->bucket]; b; b = b->next) {
            const uint32_t *const pos = blockPos(b);
            for (uint32_t i = 0; i < b->n; i++, n++) {
                v[n] = (b->key[i] & 0xFFFFFFFF00000000ULL) | n;
                dp[n] = b->key[i] << 32 | pos[i];
            }
        }
        freeBlocks(m, r->ws[k].head[j->bucket]);
        r->ws[k].head[j->bucket] = NULL;
    }
    sortByHash(v, tmp, n);
    for (size_t s = 0, e; s < n; s = e) {
        uint32_t const h = (uint32_t)(v[s] >> 32);
        for (e = s + 1; e < n && (uint32_t)(v[e] >> 32) == h; e++) continue;
        j->distinct++;
        size_t const len = e - s;
        if (len < 2) continue;
        if (len > r->maxDf) {
            if (CALQUE_GROW(m, &j->freq, &j->freqCap, j->frequent + 1) < 0) {
                j->err = CALQUE_ENOMEM;
                goto done;
            }
            j->freq[j->frequent++] = (uint64_t)h << 32 | j->bucket;
            continue;
        }
        if (CALQUE_GROW(m, &j->docs, &j->docsCap, j->ndocs + len) < 0 ||
            CALQUE_GROW(m, &j->len, &j->runsCap, j->nruns + 1) < 0) {
            j->err = CALQUE_ENOMEM;
            goto done;
        }
        uint64_t *const d = j->docs + j->ndocs;
        for (size_t k = 0; k < len; k++) d[k] = dp[(uint32_t)v[s + k]];
        size_t const u = sortDocs(d, len);
        if (u < 2) continue;
        j->ndocs += u;
        j->len[j->nruns++] = (uint32_t)u;
    }
done:
    atomic_fetch_add(&r->done, 1);
}

/* The 40 bits of an n-gram hash the index tells n-grams apart by. */
static uint64_t key40(uint64_t h)
{
    return h & 0xFFFFFFFF000000FFULL;
}

#define FREQ_EMPTY UINT64_MAX   /* never a key40() */

/* Builds the set r->freq of the frequent n-grams found by the jobs. */
static int buildFrequentSet(calque_reuse *r, const bucketJob *jobs)
{
    size_t cap = 16;
    while (cap < 2 * r->st.frequentNgrams) cap *= 2;
    r->freq = calque__malloc(&r->mem, cap * sizeof *r->freq);
    RETURN_ERROR_IF(r->freq == NULL, CALQUE_ENOMEM);
    memset(r->freq, 0xFF, cap * sizeof *r->freq);
    r->freqMask = cap - 1;
    for (unsigned b = 0; b < NBUCKETS; b++)
        for (size_t k = 0; k < jobs[b].frequent; k++) {
            uint64_t const key = jobs[b].freq[k];
            size_t s = (size_t)calque__mix64(key) & r->freqMask;
            while (r->freq[s] != FREQ_EMPTY) s = (s + 1) & r->freqMask;
            r->freq[s] = key;
        }
    return 0;
}

/* Seed filter of the aligner: 1 for an n-gram in more than maxDf
 * documents. */
static int isFrequent(const void *opaque, uint64_t h)
{
    const calque_reuse *const r = opaque;
    uint64_t const key = key40(h);
    size_t s = (size_t)calque__mix64(key) & r->freqMask;
    while (r->freq[s] != FREQ_EMPTY) {
        if (r->freq[s] == key) return 1;
        s = (s + 1) & r->freqMask;
    }
    return 0;
}

/* Copies the runs of one bucket job to their places in runDocs/runPos. */
static void scatterRuns(void *arg, unsigned worker)
{
    bucketJob *const j = arg;
    calque_reuse *const r = j->r;
    const uint64_t *d = j->docs;
    (void)worker;
    for (size_t k = 0; k < j->nruns; d += j->len[k++]) {
        uint64_t const o = r->runOff[j->dest[k]];
        for (uint32_t i = 0; i < j->len[k]; i++) {
            r->runDocs[o + i] = (uint32_t)(d[i] >> 32);
            r->runPos[o + i] = (uint32_t)d[i];
        }
    }
}

/* Copies the runs of the bucket jobs into runOff/runDocs/runPos,
 * numbered in the order of their first document (a stable counting sort
 * from bucket order): the runs of one document, read when finding its
 * candidates, then lie close together in memory, and the numbering does
 * not depend on the thread count. */
static int gatherRuns(calque_reuse *r, bucketJob *jobs)
{
    calque__mem const *const m = &r->mem;
    uint64_t const n = r->nruns;
    uint64_t *const at = calque__calloc(m, r->ndocs + 1, sizeof *at);
    uint32_t *const dest = calque__malloc(m, (n + 1) * sizeof *dest);
    if (at == NULL || dest == NULL) {
        calque__free(m, at);
        calque__free(m, dest);
        return CALQUE_ENOMEM;
    }
    for (unsigned b = 0; b < NBUCKETS; b++) {
        const uint64_t *d = jobs[b].docs;
        for (size_t k = 0; k < jobs[b].nruns; d += jobs[b].len[k++])
            at[d[0] >> 32]++;
    }
    uint64_t sum = 0;
    for (uint64_t i = 0; i < r->ndocs; i++) {
        uint64_t const c = at[i];
        at[i] = sum;
        sum += c;
    }
    /* Each run's number, then its length at runOff[number + 1]. */
    uint64_t run = 0;
    for (unsigned b = 0; b < NBUCKETS; b++) {
        const uint64_t *d = jobs[b].docs;
        for (size_t k = 0; k < jobs[b].nruns; d += jobs[b].len[k++]) {
            uint64_t const q = at[d[0] >> 32]++;
            dest[run++] = (uint32_t)q;
            r->runOff[q + 1] = jobs[b].len[k];
        }
    }
    r->runOff[0] = 0;
    for (uint64_t q = 0; q < n; q++) r->runOff[q + 1] += r->runOff[q];
    run = 0;
    for (unsigned b = 0; b < NBUCKETS; b++) { /* copies, in parallel */
        jobs[b].dest = dest + run;
        run += jobs[b].nruns;
        calque__poolSubmit(r->pool, scatterRuns, &jobs[b]);
    }
    calque__poolWait(r->pool);
    calque__free(m, at);
    calque__free(m, dest);
    return 0;
}

/* Steps 1 and 2: the shared runs (runOff, runDocs) and, per document, the
 * runs it is in (docRunOff, docRuns). */
static int buildIndex(calque_reuse *r)
{
    calque__mem const *const m = &r->mem;
    bucketJob *const jobs = calque__calloc(m, NBUCKETS, sizeof *jobs);
    RETURN_ERROR_IF(jobs == NULL, CALQUE_ENOMEM);
    atomic_store(&r->done, 0);
    for (unsigned b = 0; b < NBUCKETS; b++) {
        jobs[b].r = r;
        jobs[b].bucket = b;
        calque__poolSubmit(r->pool, bucketRun, &jobs[b]);
        progress(r, "index", atomic_load(&r->done), NBUCKETS);
    }
    calque__poolWait(r->pool);
    for (unsigned i = 0; i < r->nworkers; i++) {
        calque__free(m, r->ws[i].bucketV);
        calque__free(m, r->ws[i].bucketP);
        r->ws[i].bucketV = r->ws[i].bucketP = NULL;
        r->ws[i].bucketVCap = r->ws[i].bucketPCap = 0;
    }
    int err = 0;
    uint64_t shared = 0;
    r->nruns = 0;
    for (unsigned b = 0; b < NBUCKETS; b++) {
        if (jobs[b].err && !err) err = jobs[b].err;
        r->nruns += jobs[b].nruns;
        shared += jobs[b].ndocs;
        r->st.distinctNgrams += jobs[b].distinct;
        r->st.frequentNgrams += jobs[b].frequent;
    }
    r->st.sharedNgrams = r->nruns;
    if (err == 0 && (shared >= UINT32_MAX || r->nruns >= UINT32_MAX))
        err = CALQUE_ETOOBIG;
    if (err == 0) {
        r->runOff = calque__malloc(m, (r->nruns + 1) * sizeof *r->runOff);
        r->runDocs = calque__malloc(m, (shared + 1) * sizeof *r->runDocs);
        r->runPos = calque__malloc(m, (shared + 1) * sizeof *r->runPos);
        r->docRunOff = calque__calloc(m, r->ndocs + 1, sizeof *r->docRunOff);
        r->docRuns = calque__malloc(m, (shared + 1) * sizeof *r->docRuns);
        r->docRunPos = calque__malloc(m, (shared + 1) * sizeof *r->docRunPos);
        if (!r->runOff || !r->runDocs || !r->runPos || !r->docRunOff ||
            !r->docRuns || !r->docRunPos)
            err = CALQUE_ENOMEM;
    }
    if (err == 0) err = gatherRuns(r, jobs);
    if (err == 0) {
        for (uint64_t q = 0; q < r->nruns; q++)
            for (uint64_t k = r->runOff[q]; k < r->runOff[q + 1]; k++)
                r->docRunOff[r->runDocs[k] + 1]++;
        for (uint64_t i = 0; i < r->ndocs; i++)
            r->docRunOff[i + 1] += r->docRunOff[i];
        /* Fill, using docRunOff[d] as the cursor, then shift it back. */
        for (uint64_t q = 0; q < r->nruns; q++)
            for (uint64_t k = r->runOff[q]; k < r->runOff[q + 1]; k++) {
                uint64_t const at = r->docRunOff[r->runDocs[k]]++;
                r->docRuns[at] = (uint32_t)q;
                r->docRunPos[at] = r->runPos[k];
            }
        for (uint64_t i = r->ndocs; i > 0; i--)
            r->docRunOff[i] = r->docRunOff[i - 1];
        r->docRunOff[0] = 0;
    }
    if (err == 0) err = buildFrequentSet(r, jobs);
    for (unsigned b = 0; b < NBUCKETS; b++) {
        calque__free(m, jobs[b].docs);
        calque__free(m, jobs[b].len);
        calque__free(m, jobs[b].freq);
    }
    calque__free(m, jobs);
    return err;
}

/* ---- Finishing: candidates and alignment -------------------------------- */

/* Fetches the text of @doc into *buf (grown to *cap). */
static int fetchText(const calque_reuse *r, const calque_textSource *src,
                     uint32_t doc, char **buf, size_t *cap, size_t *len)
{
    *len = lenOf(r, doc);
    FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, buf, cap, *len + 1));
    RETURN_ERROR_IF(src->fetch(src->opaque, doc, *buf, *len) != 0,
                    CALQUE_ESOURCE);
    return 0;
}

/* Words covered by the union of @n token intervals (start << 32 | end),
 * which it sorts. */
static uint32_t unionWords(uint64_t *iv, size_t n)
{
    if (n > 1) qsort(iv, n, sizeof *iv, cmpU64);
    uint64_t total = 0, curS = 0, curE = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t const s = iv[i] >> 32, e = (uint32_t)iv[i];
        if (i == 0 || s > curE) {
            total += curE - curS;
            curS = s;
            curE = e;
        } else if (e > curE) {
            curE = e;
        }
    }
    total += curE - curS;
    return (uint32_t)total;
}

/* Could the seeds @s[0, n) of a candidate pair (first word of each
 * shared n-gram in a << 32 | in b; n >= minSeeds) make a passage? Yes when
 * they form two anchors (runs of consecutive seeds on one diagonal) or
 * more, or one of minWords words. One shorter run (a quote, a stock
 * phrase) could only be part of a passage whose other words hold no
 * seed: edits within n words of both its ends, or boilerplate; such pairs
 * are not aligned, which spares the alignment of every pair of documents
 * that share one stock phrase. The seeds have no REPEATED flag; @s is
 * scratch for n values. */
static int alignable(const calque_reuse *r, const uint64_t *seeds, size_t n,
                     uint64_t *s)
{
    if (n + r->p.ngram - 1 >= r->p.minWords) return 1;
    for (size_t i = 0; i < n; i++) { /* diagonal (mod 2^32), position */
        uint32_t const pa = (uint32_t)(seeds[i] >> 32);
        uint32_t const pb = (uint32_t)seeds[i];
        s[i] = (uint64_t)(pb - pa) << 32 | pa;
    }
    sortU64(s, n);
    for (size_t i = 1; i < n; i++)
        if (s[i] >> 32 != s[i - 1] >> 32 ||
            (uint32_t)s[i] != (uint32_t)s[i - 1] + 1)
            return 1;
    return 0;
}

/* The candidates of document @a: documents b > a sharing at least
 * minSeeds runs with it (*shared of them) whose seeds are alignable(),
 * appended to @j in the order of b (*count of them) with their seeds
 * (none for a pair with an n-gram that repeats in a document: the index
 * holds its first occurrence only, and such pairs are aligned from the
 * documents' n-gram tables). @return 0 or ENOMEM. */
static int candidatesOf(calque_reuse *r, workerState *w, candJob *j,
                        uint32_t a, size_t *count, size_t *shared)
{
    uint64_t const r0 = r->docRunOff[a], r1 = r->docRunOff[a + 1];
    size_t nt = 0;
    for (uint64_t q = r0; q < r1; q++) {
        uint32_t const run = r->docRuns[q];
        uint64_t const lo = r->runOff[run];
        for (uint64_t k = r->runOff[run + 1]; k-- > lo;) {
            uint32_t const b = r->runDocs[k];
            if (b <= a) break; /* the run's documents are sorted */
            if (w->count[b]++ == 0) {
                FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->touched,
                                             &w->touchedCap, nt + 1));
                w->touched[nt++] = b;
            }
        }
    }
    /* Pairs sharing minSeeds runs: their seeds, from a second pass. */
    size_t nc = 0;
    uint64_t total = 0;
    for (size_t i = 0; i < nt; i++) {
        uint32_t const b = w->touched[i];
        if (w->count[b] < r->p.minSeeds) {
            w->count[b] = 0;
            continue;
        }
        w->touched[nc++] = b;
        w->seedAt[b] = total;
        total += w->count[b];
    }
    *shared = nc;
    FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->seeds, &w->seedsCap, total + 1));
    for (uint64_t q = r0; q < r1; q++) {
        uint32_t const run = r->docRuns[q];
        uint64_t const pa = r->docRunPos[q], lo = r->runOff[run];
        for (uint64_t k = r->runOff[run + 1]; k-- > lo;) {
            uint32_t const b = r->runDocs[k];
            if (b <= a) break;
            if (w->count[b]) w->seeds[w->seedAt[b]++] = pa << 32 | r->runPos[k];
        }
    }
    /* In the order of b: the alignable pairs, and their seeds. */
    if (nc > 1) qsort(w->touched, nc, sizeof *w->touched, cmpU32);
    size_t kept = 0;
    for (size_t i = 0; i < nc; i++) {
        uint32_t const b = w->touched[i];
        uint32_t const n = w->count[b];
        const uint64_t *const sd = w->seeds + w->seedAt[b] - n;
        uint32_t rep = 0;
        for (uint32_t k = 0; k < n; k++)
            rep |= (uint32_t)sd[k] | (uint32_t)(sd[k] >> 32);
        w->count[b] = 0;
        if (!(rep & REPEATED)) {
            FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->seedTmp,
                                         &w->seedTmpCap, n));
            if (!alignable(r, sd, n, w->seedTmp)) continue;
        }
        FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &j->cand, &j->candCap,
                                     j->ncand + 1));
        FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &j->nseedsOf, &j->nseedsOfCap,
                                     j->ncand + 1));
        j->cand[j->ncand] = b;
        j->nseedsOf[j->ncand++] = rep & REPEATED ? 0 : n;
        kept++;
        if (rep & REPEATED) continue;
        FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &j->seeds, &j->seedsCap,
                                     j->nseeds + n));
        for (uint32_t k = 0; k < n; k++) {
            j->seeds[j->nseeds].i = (uint32_t)(sd[k] >> 32);
            j->seeds[j->nseeds++].j = (uint32_t)sd[k];
        }
    }
    *count = kept;
    return 0;
}

/* Empties the token cache of @w. */
static void cacheClear(workerState *w)
{
    for (unsigned i = 0; i < TOKCACHE_SLOTS; i++) w->slots[i].doc = UINT32_MAX;
    w->arenaLen = 0;
    w->cached = 0;
}

/* Marks in @brk the @n tokens @t of @text that start a sentence: the
 * first, and those after a sentence end (. ! ? ellipsis, ideographic and
 * full-width stops) or a line break. */
static void sentenceStarts(const char *text, const calque_token *t, size_t n,
                           uint8_t *brk)
{
    for (size_t k = 0; k < n; k++) {
        uint8_t b = k == 0;
        for (uint32_t i = k ? t[k - 1].end : 0; !b && i < t[k].start; i++) {
            unsigned char const c = (unsigned char)text[i];
            if (c == '.' || c == '!' || c == '?' || c == '\n') b = 1;
            else if (i + 2 < t[k].start && c >= 0xE2) {
                unsigned char const d = (unsigned char)text[i + 1];
                unsigned char const e = (unsigned char)text[i + 2];
                b = (c == 0xE2 && d == 0x80 && e == 0xA6) ||  /* U+2026 */
                    (c == 0xE3 && d == 0x80 && e == 0x82) ||  /* U+3002 */
                    (c == 0xEF && d == 0xBC &&
                     (e == 0x81 || e == 0x9F || e == 0x8E));  /* ! ? . */
            }
        }
        brk[k] = b;
    }
}

/* The tokens of @doc, from the worker's cache or fetched and tokenised
 * (and then cached), and with @brk their sentence starts (the paraphrase
 * search needs them; the cache lives for one job, which is of one pass,
 * so @brk is given for every call or none). *tok and *brk stay valid
 * until the next call. */
static int tokensOf(calque_reuse *r, workerState *w,
                    const calque_textSource *src, uint32_t doc,
                    const calque_token **tok, const uint8_t **brk, size_t *n)
{
    unsigned s = (unsigned)calque__mix64(doc) & (TOKCACHE_SLOTS - 1);
    while (w->slots[s].doc != UINT32_MAX) {
        if (w->slots[s].doc == doc) {
            *tok = w->arena + w->slots[s].off;
            if (brk) *brk = w->brk + w->slots[s].off;
            *n = w->slots[s].n;
            return 0;
        }
        s = (s + 1) & (TOKCACHE_SLOTS - 1);
    }
    size_t len;
    const calque_token *t;
    FORWARD_IF_ERROR(fetchText(r, src, doc, &w->textB, &w->textBCap, &len));
    FORWARD_IF_ERROR(calque_tokenize(w->tk, w->textB, len, &t, n));
    if (w->cached == TOKCACHE_DOCS || w->arenaLen + *n > TOKCACHE_TOKENS) {
        cacheClear(w);
        s = (unsigned)calque__mix64(doc) & (TOKCACHE_SLOTS - 1);
    }
    FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->arena, &w->arenaCap,
                                 w->arenaLen + *n + 1));
    if (brk)
        FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->brk, &w->brkCap,
                                     w->arenaLen + *n + 1));
    if (*n) memcpy(w->arena + w->arenaLen, t, *n * sizeof *t);
    if (brk) sentenceStarts(w->textB, t, *n, w->brk + w->arenaLen);
    w->slots[s].doc = doc;
    w->slots[s].n = (uint32_t)*n;
    w->slots[s].off = w->arenaLen;
    w->arenaLen += *n;
    w->cached++;
    *tok = w->arena + w->slots[s].off;
    if (brk) *brk = w->brk + w->slots[s].off;
    return 0;
}

/* Is the passage @s of (a, b) the text of a third document c seen through
 * two copies of it? That is: a and b both have passages of the first pass
 * (verbatim pairs) with c, and in a or in b the span of @s lies, for the
 * most part, inside one of them. Say in b: b's words there are c's, so
 * (a, b) compares a with c's text, and a is held to the verbatim floor
 * against c (a pair with a passage at minIdentity keeps it for all its
 * passages). Two reprints of one article that each copied a paragraph
 * with their own edits: both copies are passages with c, or one is and
 * the other, edited more, is below the floor of its verbatim pair with c.
 * Either way a and b are no paraphrase of each other. */
static int copiedFromThird(const calque_reuse *r, uint32_t a, uint32_t b,
                           const calque__passage *s)
{
    const strictSpan *x = r->strict + r->strictOff[a];
    const strictSpan *const xe = r->strict + r->strictOff[a + 1];
    const strictSpan *y = r->strict + r->strictOff[b];
    const strictSpan *const ye = r->strict + r->strictOff[b + 1];
    while (x < xe && y < ye) {
        if (x->other < y->other) {
            x++;
            continue;
        }
        if (y->other < x->other) {
            y++;
            continue;
        }
        uint32_t const c = x->other;
        uint32_t inA = 0, inB = 0; /* words covered by one passage */
        for (; x < xe && x->other == c; x++) {
            uint32_t const lo = CALQUE_MAX(x->t0, s->a0);
            uint32_t const hi = CALQUE_MIN(x->t1, s->a1);
            if (hi > lo && hi - lo > inA) inA = hi - lo;
        }
        for (; y < ye && y->other == c; y++) {
            uint32_t const lo = CALQUE_MAX(y->t0, s->b0);
            uint32_t const hi = CALQUE_MIN(y->t1, s->b1);
            if (hi > lo && hi - lo > inB) inB = hi - lo;
        }
        if (2 * inA >= s->a1 - s->a0 || 2 * inB >= s->b1 - s->b0) return 1;
    }
    return 0;
}

/* The position of document @b's n-gram in shared run @run, or UINT32_MAX
 * when @b is not in it (binary search: a run's documents are sorted). */
static uint32_t runPosOf(const calque_reuse *r, uint32_t run, uint32_t b)
{
    uint64_t lo = r->runOff[run], hi = r->runOff[run + 1];
    while (lo < hi) {
        uint64_t const mid = lo + (hi - lo) / 2;
        if (r->runDocs[mid] < b) lo = mid + 1;
        else hi = mid;
    }
    return lo < r->runOff[run + 1] && r->runDocs[lo] == b
               ? r->runPos[lo] & ~REPEATED
               : UINT32_MAX;
}

/* Do shared runs @x and @y cohere: are at least half the documents of
 * the rarer n-gram also in the other's? */
static int cohere(const calque_reuse *r, uint32_t x, uint32_t y)
{
    uint64_t i = r->runOff[x], j = r->runOff[y];
    uint64_t const ie = r->runOff[x + 1], je = r->runOff[y + 1];
    uint64_t const rarer = CALQUE_MIN(ie - i, je - j);
    uint64_t both = 0;
    while (i < ie && j < je) {
        if (r->runDocs[i] < r->runDocs[j]) i++;
        else if (r->runDocs[j] < r->runDocs[i]) j++;
        else both++, i++, j++;
    }
    return 2 * both >= rarer;
}

/* Does passage @s of (a, b) rest on one text (*yes)? Its anchors are the
 * runs of words both documents hold there, as shared n-grams at
 * consecutive positions of both. Copied text is held, in the whole
 * collection, by the documents that copied it: its anchors are found
 * together (cohere()), or one is a phrase of the others' documents and
 * more. Common phrases that happen to stand a few words apart in both
 * documents (two stock phrases, a site's header and a stock phrase) are
 * each found in documents without the other. The anchors are put into
 * sets that cohere (each compared with the COHERE_WINDOW before it); the
 * passage rests on one text when one set spans minWords words. */
static int coherent(calque_reuse *r, workerState *w, uint32_t a, uint32_t b,
                    const calque__passage *s, int *yes)
{
    calque__mem const *const m = &r->mem;
    *yes = 1;
    /* The shared n-grams of a in the passage that b holds in it too, by
     * position in a: at[i - a0] = position in b << 32 | run. */
    if (w->runAtDoc != a) { /* a's shared n-grams by position */
        FORWARD_IF_ERROR(CALQUE_GROW(m, &w->runAt, &w->runAtCap,
                                     (size_t)wordsOf(r, a) + 1));
        for (uint32_t i = 0; i < wordsOf(r, a); i++) w->runAt[i] = UINT32_MAX;
        for (uint64_t q = r->docRunOff[a]; q < r->docRunOff[a + 1]; q++)
            w->runAt[r->docRunPos[q] & ~REPEATED] = r->docRuns[q];
        w->runAtDoc = a;
    }
    size_t const len = s->a1 - s->a0;
    FORWARD_IF_ERROR(CALQUE_GROW(m, &w->at, &w->atCap, len + 1));
    for (size_t i = 0; i < len; i++) {
        uint32_t const run = w->runAt[s->a0 + i];
        uint32_t const ib = run == UINT32_MAX || i + r->p.ngram > len
                                ? UINT32_MAX
                                : runPosOf(r, run, b);
        w->at[i] = ib == UINT32_MAX || ib < s->b0 || ib + r->p.ngram > s->b1
                       ? UINT64_MAX
                       : (uint64_t)ib << 32 | run;
    }
    size_t n = 0;
    uint32_t pb = UINT32_MAX;
    for (size_t i = 0; i < len; i++) {
        if (w->at[i] == UINT64_MAX) continue;
        uint32_t const ib = (uint32_t)(w->at[i] >> 32);
        uint32_t const ia = s->a0 + (uint32_t)i;
        if (n == 0 || w->anchor[n - 1].a1 != ia + r->p.ngram - 1 ||
            ib != pb + 1) { /* a new anchor */
            FORWARD_IF_ERROR(CALQUE_GROW(m, &w->anchor, &w->anchorCap,
                                         n + 1));
            w->anchor[n].run = (uint32_t)w->at[i];
            w->anchor[n].a0 = ia;
            n++;
        }
        w->anchor[n - 1].a1 = ia + r->p.ngram;
        pb = ib;
    }
    if (n < 2) return 0;
    FORWARD_IF_ERROR(CALQUE_GROW(m, &w->anchorSet, &w->anchorSetCap, n));
    calque__uf uf = {w->anchorSet, n};
    for (size_t i = 0; i < n; i++) uf.parent[i] = (uint32_t)i;
    size_t sets = n;
    for (size_t i = 1; i < n; i++)
        for (size_t k = i > COHERE_WINDOW ? i - COHERE_WINDOW : 0; k < i; k++)
            if (calque__ufFind(&uf, (uint32_t)k) !=
                    calque__ufFind(&uf, (uint32_t)i) &&
                cohere(r, w->anchor[k].run, w->anchor[i].run))
                sets -= (size_t)calque__ufUnion(&uf, (uint32_t)k, (uint32_t)i);
    if (sets == 1) return 0;
    /* The span of each set, from its first anchor (a root: the smallest
     * member) to the end of its last. */
    for (size_t i = n; i-- > 0;) {
        uint32_t const root = calque__ufFind(&uf, (uint32_t)i);
        if (w->anchor[i].a1 - w->anchor[root].a0 >= r->p.minWords) return 0;
    }
    *yes = 0;
    return 0;
}

/* Does passage @s have text of its own (*yes): n words (its length in
 * words, s->words, counts) that no n-gram of the frequent set covers in
 * document a (tokens @ta), i.e. not site furniture or a stock phrase of
 * more than maxDf documents? A site's header, a date line and a stock
 * phrase that two pages of the site both have make 20 words but are no
 * reuse. The n-grams are hashed OWN_BLOCK at a time, as far as needed. */
static int ownText(calque_reuse *r, workerState *w, const calque_token *ta,
                   const calque__passage *s, int *yes)
{
    size_t const len = s->a1 - s->a0, n = r->p.ngram;
    size_t own = s->words - len; /* b's words past a's */
    *yes = 1;
    if (own >= n) return 0;
    FORWARD_IF_ERROR(CALQUE_GROW(&r->mem, &w->ng, &w->ngCap, OWN_BLOCK + 1));
    size_t base = 0, got = 0; /* w->ng: the n-grams at base.. base + got */
    size_t until = 0;         /* the end of the frequent n-grams so far */
    for (size_t i = 0; i < len; i++) {
        if (i >= base + got && i + n <= len) {
            base = i;
            got = calque__ngramHashes(ta + s->a0 + i,
                                      CALQUE_MIN(len - i, OWN_BLOCK + n - 1),
                                      (unsigned)n, w->ng);
        }
        if (i < base + got && isFrequent(r, w->ng[i - base])) until = i + n;
        if (until <= i && ++own >= n) return 0;
    }
    *yes = 0;
    return 0;
}

/* Aligns candidate pair @c, appending a pair record to @j when it has
 * passages. In the first pass (no paraphrase search) a pair without
 * passages but with seeds is noted for the second; in the second, a
 * passage copiedFromThird() is dropped. */
static int alignCandidate(alignJob *j, workerState *w, uint32_t c)
{
    calque_reuse *const r = j->r;
    uint32_t const a = r->candA[c], b = r->candB[c];
    calque__mem const *const m = &r->mem;
    uint32_t const ns = r->candNSeeds[c];
    int const bySeeds = !j->para && ns > 0; /* else the n-gram tables */
    const calque_token *tb;
    size_t nb;
    if (w->tokADoc != a) { /* A keeps its own copy: the cache may move */
        const calque_token *t;
        const uint8_t *bk = NULL;
        w->tokADoc = w->curA = UINT32_MAX;
        FORWARD_IF_ERROR(tokensOf(r, w, j->src, a, &t, j->para ? &bk : NULL,
                                  &w->tokANum));
        FORWARD_IF_ERROR(CALQUE_GROW(m, &w->tokA, &w->tokACap,
                                     w->tokANum + 1));
        FORWARD_IF_ERROR(CALQUE_GROW(m, &w->brkA, &w->brkACap,
                                     w->tokANum + 1));
        if (w->tokANum) memcpy(w->tokA, t, w->tokANum * sizeof *t);
        if (w->tokANum && bk) memcpy(w->brkA, bk, w->tokANum);
        w->tokADoc = a;
    }
    const calque_token *const ta = w->tokA;
    size_t const na = w->tokANum;
    if (!bySeeds && w->curA != a) {
        FORWARD_IF_ERROR(calque__alignSetA(w->al, ta, na));
        w->curA = a;
    }
    const uint8_t *brkB = NULL; /* the paraphrase search needs them */
    FORWARD_IF_ERROR(tokensOf(r, w, j->src, b, &tb, j->para ? &brkB : NULL,
                              &nb));
    const calque__passage *ps;
    size_t np;
    if (bySeeds) {
        FORWARD_IF_ERROR(calque__alignSeeds(w->al, ta, na, tb, nb,
                                            r->candSeeds[c], ns, &ps, &np));
    } else {
        calque__alignSetBreaks(w->al, j->para ? w->brkA : NULL, brkB);
        FORWARD_IF_ERROR(calque__alignPair(w->al, tb, nb, &ps, &np));
    }
    calque__alignWork work;
    calque__alignLastWork(w->al, &work);
    j->bounded += work.truncated != 0;
    if (np == 0 && !j->para && work.anchors > 0 && r->paraphrase) {
        FORWARD_IF_ERROR(CALQUE_GROW(m, &j->retry, &j->retryCap,
                                     j->nretry + 1));
        j->retry[j->nretry++] = c;
    }
    /* Keeps the passages that rest on one text and, in the second pass,
     * that no third document explains. */
    FORWARD_IF_ERROR(CALQUE_GROW(m, &w->keep, &w->keepCap, np + 1));
    size_t kept = 0;
    for (size_t q = 0; q < np; q++) {
        if (j->para && copiedFromThird(r, a, b, &ps[q])) continue;
        int one;
        FORWARD_IF_ERROR(coherent(r, w, a, b, &ps[q], &one));
        if (one) FORWARD_IF_ERROR(ownText(r, w, ta, &ps[q], &one));
        if (one) w->keep[kept++] = ps[q];
    }
    ps = w->keep;
    np = kept;
    if (np == 0) return 0;
    FORWARD_IF_ERROR(CALQUE_GROW(m, &j->pairs, &j->pairsCap, j->npairs + 1));
    FORWARD_IF_ERROR(CALQUE_GROW(m, &j->pass, &j->passCap, j->npass + np));
    FORWARD_IF_ERROR(CALQUE_GROW(m, &w->sortTmp, &w->sortTmpCap, 2 * np));
    pairRec *const pr = &j->pairs[j->npairs++];
    pr->a = a;
    pr->b = b;
    pr->npass = (uint32_t)np;
    pr->words = 0;
    pr->first = j->npass;
    for (size_t k = 0; k < np; k++) {
        calque__passage const *const s = &ps[k];
        passage *const d = &j->pass[j->npass++];
        d->aStart = ta[s->a0].start;
        d->aEnd = ta[s->a1 - 1].end;
        d->bStart = tb[s->b0].start;
        d->bEnd = tb[s->b1 - 1].end;
        d->a0 = s->a0;
        d->a1 = s->a1;
        d->b0 = s->b0;
        d->b1 = s->b1;
        d->words = s->words;
        d->matches = s->matches;
        d->columns = s->columns;
        pr->words += s->words;
        w->sortTmp[k] = (uint64_t)s->a0 << 32 | s->a1;
        w->sortTmp[np + k] = (uint64_t)s->b0 << 32 | s->b1;
    }
    pr->aCovered = unionWords(w->sortTmp, np);
    pr->bCovered = unionWords(w->sortTmp + np, np);
    return 0;
}

/* Makes the finishing scratch of worker @w. */
static int workerFinishInit(calque_reuse *r, workerState *w)
{
    if (w->al) return 0;
    w->runAtDoc = UINT32_MAX;
    if (w->count == NULL)
        w->count = calque__calloc(&r->mem, r->ndocs + 1, sizeof *w->count);
    if (w->seedAt == NULL)
        w->seedAt = calque__malloc(&r->mem, (r->ndocs + 1) *
                                                sizeof *w->seedAt);
    w->al = calque__createAligner(&r->mem, &r->ap);
    if (w->count == NULL || w->seedAt == NULL || w->al == NULL) {
        calque__freeAligner(w->al);
        w->al = NULL;
        return CALQUE_ENOMEM;
    }
    calque__alignSetFilter(w->al, isFrequent, r);
    return 0;
}

static void candRun(void *arg, unsigned worker)
{
    candJob *const j = arg;
    calque_reuse *const r = j->r;
    workerState *const w = &r->ws[worker];
    j->err = workerFinishInit(r, w);
    if (j->err == 0) {
        j->perDoc = calque__calloc(&r->mem, j->hi - j->lo, sizeof *j->perDoc);
        if (j->perDoc == NULL) j->err = CALQUE_ENOMEM;
    }
    for (uint32_t a = j->lo; a < j->hi && j->err == 0; a++) {
        size_t nc = 0, shared = 0;
        j->err = candidatesOf(r, w, j, a, &nc, &shared);
        j->shared += shared;
        j->perDoc[a - j->lo] = (uint32_t)nc;
    }
    atomic_fetch_add(&r->done, j->hi - j->lo);
}

static void alignRun(void *arg, unsigned worker)
{
    alignJob *const j = arg;
    calque_reuse *const r = j->r;
    workerState *const w = &r->ws[worker];
    cacheClear(w); /* a job is a new set of components */
    w->curA = w->tokADoc = UINT32_MAX;
    j->err = workerFinishInit(r, w);
    if (j->err == 0) calque__alignSetParaphrase(w->al, j->para);
    for (size_t k = 0; k < j->n && j->err == 0; k++) {
        uint32_t const c = j->idx[k];
        size_t const before = j->npairs;
        j->err = alignCandidate(j, w, c);
        r->candPair[c] = j->npairs > before ? (uint32_t)before : UINT32_MAX;
    }
    atomic_fetch_add(&r->done, j->n);
}

/* Step 3a: the candidate pairs (a, b), a < b, in order, into
 * r->candA/candB. */
static int findCandidates(calque_reuse *r)
{
    calque__mem const *const m = &r->mem;
    uint64_t const njobs = (r->ndocs + RANGE_DOCS - 1) / RANGE_DOCS;
    candJob *const jobs = calque__calloc(m, njobs + 1, sizeof *jobs);
    RETURN_ERROR_IF(jobs == NULL, CALQUE_ENOMEM);
    atomic_store(&r->done, 0);
    for (uint64_t k = 0; k < njobs; k++) {
        jobs[k].r = r;
        jobs[k].lo = (uint32_t)(k * RANGE_DOCS);
        jobs[k].hi = (uint32_t)CALQUE_MIN((k + 1) * RANGE_DOCS, r->ndocs);
        calque__poolSubmit(r->pool, candRun, &jobs[k]);
        progress(r, "candidates", atomic_load(&r->done), r->ndocs);
    }
    calque__poolWait(r->pool);
    int err = 0;
    uint64_t n = 0;
    for (uint64_t k = 0; k < njobs; k++) {
        if (jobs[k].err && !err) err = jobs[k].err;
        n += jobs[k].ncand;
        r->st.candidatePairs += jobs[k].shared;
    }
    if (err == 0 && n >= UINT32_MAX) err = CALQUE_ETOOBIG;
    if (err == 0) {
        r->candA = calque__malloc(m, (n + 1) * sizeof *r->candA);
        r->candB = calque__malloc(m, (n + 1) * sizeof *r->candB);
        r->candSeeds = calque__malloc(m, (n + 1) * sizeof *r->candSeeds);
        r->candNSeeds = calque__malloc(m, (n + 1) * sizeof *r->candNSeeds);
        r->seedBlock = calque__calloc(m, njobs + 1, sizeof *r->seedBlock);
        if (!r->candA || !r->candB || !r->candSeeds || !r->candNSeeds ||
            !r->seedBlock)
            err = CALQUE_ENOMEM;
    }
    if (err == 0) { /* the jobs' seed arrays are kept, not copied */
        uint64_t at = 0;
        for (uint64_t k = 0; k < njobs; k++) {
            candJob *const j = &jobs[k];
            size_t q = 0, sat = 0;
            for (uint32_t a = j->lo; a < j->hi; a++)
                for (uint32_t i = 0; i < j->perDoc[a - j->lo]; i++, q++) {
                    r->candA[at] = a;
                    r->candB[at] = j->cand[q];
                    r->candSeeds[at] = j->seeds + sat;
                    r->candNSeeds[at++] = j->nseedsOf[q];
                    sat += j->nseedsOf[q];
                }
            r->seedBlock[r->nSeedBlocks++] = j->seeds;
            j->seeds = NULL;
        }
        r->ncand = n;
        r->st.alignedPairs = n;
    }
    for (uint64_t k = 0; k < njobs; k++) {
        calque__free(m, jobs[k].cand);
        calque__free(m, jobs[k].perDoc);
        calque__free(m, jobs[k].nseedsOf);
        calque__free(m, jobs[k].seeds);
    }
    calque__free(m, jobs);
    return err;
}

/* Step 3b: the candidate numbers grouped by connected component of the
 * candidate graph (components in order of their first document, pairs in
 * (a, b) order within one), so that a document is tokenised about once
 * per component. */
static int groupCandidates(calque_reuse *r, uint32_t **orderOut)
{
    calque__mem const *const m = &r->mem;
    uint64_t const n = r->ncand;
    calque__uf uf;
    FORWARD_IF_ERROR(calque__ufInit(&uf, m, r->ndocs));
    uint64_t *const off = calque__calloc(m, r->ndocs + 2, sizeof *off);
    uint32_t *const order = calque__malloc(m, (n + 1) * sizeof *order);
    int err = 0;
    if (off == NULL || order == NULL) {
        err = CALQUE_ENOMEM;
        goto done;
    }
    for (uint64_t k = 0; k < n; k++)
        calque__ufUnion(&uf, r->candA[k], r->candB[k]);
    for (uint64_t k = 0; k < n; k++)
        off[calque__ufFind(&uf, r->candA[k]) + 2]++;
    for (uint64_t d = 0; d < r->ndocs; d++) off[d + 2] += off[d + 1];
    for (uint64_t k = 0; k < n; k++)
        order[off[calque__ufFind(&uf, r->candA[k]) + 1]++] = (uint32_t)k;
done:
    calque__ufFree(&uf, m);
    calque__free(m, off);
    if (err) {
        calque__free(m, order);
        return err;
    }
    *orderOut = order;
    return 0;
}

/* Aligns the candidates idx[0, n) in jobs of JOB_PAIRS (the slices depend
 * on the candidates only, not on the threads), with the paraphrase search
 * when @para, and gathers their pairs and passages, and (first pass) the
 * candidates to retry, in candidate order into *out. */
static int alignPass(calque_reuse *r, const calque_textSource *src,
                     const uint32_t *idx, uint64_t n, int para,
                     passResult *out)
{
    calque__mem const *const m = &r->mem;
    uint64_t const njobs = (n + JOB_PAIRS - 1) / JOB_PAIRS;
    alignJob *const jobs = calque__calloc(m, njobs + 1, sizeof *jobs);
    RETURN_ERROR_IF(jobs == NULL, CALQUE_ENOMEM);
    atomic_store(&r->done, 0);
    for (uint64_t k = 0; k < njobs; k++) {
        jobs[k].r = r;
        jobs[k].src = src;
        jobs[k].idx = idx + k * JOB_PAIRS;
        jobs[k].n = (size_t)CALQUE_MIN(JOB_PAIRS, n - k * JOB_PAIRS);
        jobs[k].para = para;
        for (size_t i = 0; i < jobs[k].n; i++)
            r->candJob[jobs[k].idx[i]] = (uint32_t)k;
        calque__poolSubmit(r->pool, alignRun, &jobs[k]);
        progress(r, para ? "paraphrase" : "align", atomic_load(&r->done), n);
    }
    calque__poolWait(r->pool);
    int err = 0;
    uint64_t np = 0, nq = 0, nr = 0;
    for (uint64_t k = 0; k < njobs; k++) {
        if (jobs[k].err && !err) err = jobs[k].err;
        np += jobs[k].npairs;
        nq += jobs[k].npass;
        nr += jobs[k].nretry;
        r->st.boundedPairs += jobs[k].bounded;
    }
    memset(out, 0, sizeof *out);
    if (err == 0) {
        out->pairs = calque__malloc(m, (np + 1) * sizeof *out->pairs);
        out->pass = calque__malloc(m, (nq + 1) * sizeof *out->pass);
        out->retry = calque__malloc(m, (nr + 1) * sizeof *out->retry);
        if (!out->pairs || !out->pass || !out->retry) err = CALQUE_ENOMEM;
    }
    if (err == 0) {
        /* In candidate order: idx is sorted, or (first pass) all of them. */
        for (uint64_t q = 0; q < n; q++) {
            uint32_t const c = para ? idx[q] : (uint32_t)q;
            if (r->candPair[c] == UINT32_MAX) continue;
            alignJob const *const j = &jobs[r->candJob[c]];
            pairRec pr = j->pairs[r->candPair[c]];
            memcpy(out->pass + out->npass, j->pass + pr.first,
                   pr.npass * sizeof *out->pass);
            pr.first = out->npass;
            out->npass += pr.npass;
            out->pairs[out->npairs++] = pr;
        }
        for (uint64_t k = 0; k < njobs; k++) {
            if (jobs[k].nretry == 0) continue;
            memcpy(out->retry + out->nretry, jobs[k].retry,
                   jobs[k].nretry * sizeof *out->retry);
            out->nretry += jobs[k].nretry;
        }
        if (out->nretry > 1)
            qsort(out->retry, out->nretry, sizeof *out->retry, cmpU32);
    }
    for (uint64_t k = 0; k < njobs; k++) {
        calque__free(m, jobs[k].pairs);
        calque__free(m, jobs[k].pass);
        calque__free(m, jobs[k].retry);
    }
    calque__free(m, jobs);
    return err;
}

static void freePassResult(const calque__mem *m, passResult *p)
{
    calque__free(m, p->pairs);
    calque__free(m, p->pass);
    calque__free(m, p->retry);
    memset(p, 0, sizeof *p);
}

/* The passages of the first pass seen from each document (strictOff,
 * strict), sorted by the other document. */
static int buildStrict(calque_reuse *r, const passResult *p)
{
    calque__mem const *const m = &r->mem;
    r->strictOff = calque__calloc(m, r->ndocs + 2, sizeof *r->strictOff);
    r->strict = calque__malloc(m, (2 * p->npass + 1) * sizeof *r->strict);
    RETURN_ERROR_IF(!r->strictOff || !r->strict, CALQUE_ENOMEM);
    for (uint64_t k = 0; k < p->npairs; k++) {
        r->strictOff[p->pairs[k].a + 2] += p->pairs[k].npass;
        r->strictOff[p->pairs[k].b + 2] += p->pairs[k].npass;
    }
    for (uint64_t d = 0; d < r->ndocs; d++)
        r->strictOff[d + 2] += r->strictOff[d + 1];
    /* Pairs come in (a, b) order, a < b: a document's spans as b come
     * first, by a, then its spans as a, by b; so they are sorted. */
    for (int side = 0; side < 2; side++)
        for (uint64_t k = 0; k < p->npairs; k++) {
            pairRec const *const pr = &p->pairs[k];
            uint32_t const d = side ? pr->a : pr->b;
            for (uint64_t q = pr->first; q < pr->first + pr->npass; q++) {
                strictSpan *const sp = &r->strict[r->strictOff[d + 1]++];
                sp->other = side ? pr->b : pr->a;
                sp->t0 = side ? p->pass[q].a0 : p->pass[q].b0;
                sp->t1 = side ? p->pass[q].a1 : p->pass[q].b1;
            }
        }
    return 0;
}

/* Step 3: finds and aligns every candidate pair; gathers pairs and
 * passages in (a, b) order. A first pass aligns without the paraphrase
 * search; the candidates with seeds and no passage are then aligned with
 * it, the passages that are a third document's text seen through two
 * copies of it dropped (copiedFromThird()). */
static int alignAll(calque_reuse *r, const calque_textSource *src)
{
    calque__mem const *const m = &r->mem;
    uint32_t *order = NULL;
    passResult p1 = {0}, p2 = {0};
    FORWARD_IF_ERROR(findCandidates(r));
    int err = groupCandidates(r, &order);
    uint64_t const n = r->ncand;
    if (err == 0) {
        r->candPair = calque__malloc(m, (n + 1) * sizeof *r->candPair);
        r->candJob = calque__malloc(m, (n + 1) * sizeof *r->candJob);
        if (r->candPair == NULL || r->candJob == NULL) err = CALQUE_ENOMEM;
    }
    if (err == 0) err = alignPass(r, src, order, n, 0, &p1);
    if (err == 0 && p1.nretry > 0) {
        err = buildStrict(r, &p1);
        if (err == 0) err = alignPass(r, src, p1.retry, p1.nretry, 1, &p2);
    }
    if (err == 0) { /* merge the two passes, in (a, b) order */
        r->pairs = calque__malloc(m, (p1.npairs + p2.npairs + 1) *
                                         sizeof *r->pairs);
        r->pass = calque__malloc(m, (p1.npass + p2.npass + 1) *
                                        sizeof *r->pass);
        if (r->pairs == NULL || r->pass == NULL) err = CALQUE_ENOMEM;
    }
    if (err == 0) {
        uint64_t i = 0, k = 0;
        while (i < p1.npairs || k < p2.npairs) {
            int const first = k == p2.npairs ||
                              (i < p1.npairs &&
                               ((uint64_t)p1.pairs[i].a << 32 | p1.pairs[i].b) <
                                   ((uint64_t)p2.pairs[k].a << 32 |
                                    p2.pairs[k].b));
            passResult const *const p = first ? &p1 : &p2;
            pairRec pr = first ? p1.pairs[i++] : p2.pairs[k++];
            memcpy(r->pass + r->npass, p->pass + pr.first,
                   pr.npass * sizeof *r->pass);
            pr.first = r->npass;
            r->npass += pr.npass;
            r->pairs[r->npairs++] = pr;
        }
    }
    freeRuns(r); /* the aligner's seed filter needs the frequent set only */
    freePassResult(m, &p1);
    freePassResult(m, &p2);
    calque__free(m, order);
    calque__free(m, r->candA);
    calque__free(m, r->candB);
    freeSeeds(r);
    calque__free(m, r->candPair);
    calque__free(m, r->candJob);
    calque__free(m, r->strictOff);
    calque__free(m, r->strict);
    r->candA = r->candB = r->candPair = r->candJob = NULL;
    r->strictOff = NULL;
    r->strict = NULL;
    r->st.pairs = r->npairs;
    r->st.passages = r->npass;
    return err;
}

/* ---- Finishing: groups --------------------------------------------------- */

/* Step 5: groups and reused words per document. */
static int buildGroups(calque_reuse *r)
{
    calque__mem const *const m = &r->mem;
    uint64_t const n = r->ndocs;
    calque__uf uf;
    FORWARD_IF_ERROR(calque__ufInit(&uf, m, n));
    int err = 0;
    uint64_t *off = NULL, *iv = NULL;
    r->group = calque__malloc(m, (n + 1) * sizeof *r->group);
    r->reused = calque__calloc(m, n + 1, sizeof *r->reused);
    off = calque__calloc(m, n + 2, sizeof *off);
    iv = calque__malloc(m, (2 * r->npass + 1) * sizeof *iv);
    if (!r->group || !r->reused || !off || !iv) {
        err = CALQUE_ENOMEM;
        goto done;
    }
    for (uint64_t k = 0; k < r->npairs; k++) {
        pairRec const *const p = &r->pairs[k];
        if (p->words >= r->p.minGroupWords) calque__ufUnion(&uf, p->a, p->b);
        off[p->a + 2] += p->npass;
        off[p->b + 2] += p->npass;
    }
    uint8_t *const multi = (uint8_t *)(void *)r->reused; /* scratch */
    for (uint64_t d = 0; d < n; d++) {
        r->group[d] = calque__ufFind(&uf, (uint32_t)d);
        if (r->group[d] != d) multi[r->group[d]] = 1;
    }
    for (uint64_t d = 0; d < n; d++) r->st.groups += multi[d];
    memset(r->reused, 0, n * sizeof *r->reused);
    /* Token intervals of every document, in a CSR built by counting. */
    for (uint64_t d = 0; d < n; d++) off[d + 2] += off[d + 1];
    for (uint64_t k = 0; k < r->npairs; k++) {
        pairRec const *const p = &r->pairs[k];
        for (uint64_t q = p->first; q < p->first + p->npass; q++) {
            passage const *const s = &r->pass[q];
            iv[off[p->a + 1]++] = (uint64_t)s->a0 << 32 | s->a1;
            iv[off[p->b + 1]++] = (uint64_t)s->b0 << 32 | s->b1;
        }
    }
    for (uint64_t d = 0; d < n; d++)
        r->reused[d] = unionWords(iv + off[d], off[d + 1] - off[d]);
done:
    calque__ufFree(&uf, m);
    calque__free(m, off);
    calque__free(m, iv);
    return err;
}

int calque_reuseFinish(calque_reuse *r, const calque_textSource *src)
{
    RETURN_ERROR_IF(r->finished, CALQUE_ESTATE);
    RETURN_ERROR_IF(src == NULL || src->fetch == NULL, CALQUE_EPARAM);
    r->finished = 1;
    FORWARD_IF_ERROR(submitBatch(r));
    calque__poolWait(r->pool);
    uint64_t indexBytes = 0;
    for (unsigned i = 0; i < r->nworkers; i++) {
        workerState *const w = &r->ws[i];
        FORWARD_IF_ERROR(w->err);
        r->st.words += w->words;
        r->st.postings += w->postings;
        r->st.invalidUtf8 += w->invalid;
        indexBytes += w->postings * POSTING;
        for (unsigned b = 0; b < NBUCKETS; b++)
            for (const pblock *k = w->head[b]; k; k = k->next)
                indexBytes += sizeof *k + (k->cap - k->n) * POSTING;
    }
    r->st.indexBytes = indexBytes;
    double const md = r->p.maxDf < 1.0 ? ceil(r->p.maxDf * (double)r->ndocs)
                                       : floor(r->p.maxDf);
    r->maxDf = md < 2.0 ? 2 : md > 4294967295.0 ? UINT32_MAX : (uint32_t)md;
    r->st.maxDf = r->maxDf;
    FORWARD_IF_ERROR(buildIndex(r));
    int err = alignAll(r, src);
    freeIndex(r);
    if (err == 0) err = buildGroups(r);
    for (unsigned i = 0; i < r->nworkers; i++) { /* finishing scratch */
        workerState *const w = &r->ws[i];
        calque__freeAligner(w->al);
        calque__free(&r->mem, w->count);
        calque__free(&r->mem, w->seedAt);
        calque__free(&r->mem, w->seeds);
        calque__free(&r->mem, w->seedTmp);
        w->seedTmp = NULL;
        w->seedTmpCap = 0;
        w->al = NULL;
        w->count = NULL;
        w->seedAt = NULL;
        w->seeds = NULL;
        w->seedsCap = 0;
    }
    if (err == 0) r->ready = 1;
    progress(r, "done", r->ndocs, r->ndocs);
    return err;
}

/* ---- Results ------------------------------------------------------------- */

uint64_t calque_reusePairCount(const calque_reuse *r)
{
    return r->ready ? r->npairs : 0;
}

int calque_reusePair(const calque_reuse *r, uint64_t k,
                     calque_reusePairInfo *out)
{
    RETURN_ERROR_IF(!r->ready, CALQUE_ESTATE);
    RETURN_ERROR_IF(k >= r->npairs, CALQUE_ENOTFOUND);
    pairRec const *const p = &r->pairs[k];
    uint32_t const wa = wordsOf(r, p->a), wb = wordsOf(r, p->b);
    out->a = p->a;
    out->b = p->b;
    out->aCoverage = wa ? (double)p->aCovered / wa : 0.0;
    out->bCoverage = wb ? (double)p->bCovered / wb : 0.0;
    out->passages = p->npass;
    out->words = p->words;
    return 0;
}

int calque_reusePassageAt(const calque_reuse *r, uint64_t pair, uint64_t k,
                          calque_reusePassage *out)
{
    RETURN_ERROR_IF(!r->ready, CALQUE_ESTATE);
    RETURN_ERROR_IF(pair >= r->npairs || k >= r->pairs[pair].npass,
                    CALQUE_ENOTFOUND);
    passage const *const s = &r->pass[r->pairs[pair].first + k];
    out->aStart = s->aStart;
    out->aEnd = s->aEnd;
    out->bStart = s->bStart;
    out->bEnd = s->bEnd;
    out->words = s->words;
    out->identity = s->columns ? (double)s->matches / s->columns : 0.0;
    return 0;
}

int calque_reuseDoc(const calque_reuse *r, uint64_t doc,
                    calque_reuseDocInfo *out)
{
    RETURN_ERROR_IF(!r->ready, CALQUE_ESTATE);
    RETURN_ERROR_IF(doc >= r->ndocs, CALQUE_ENOTFOUND);
    out->group = r->group[doc];
    out->words = wordsOf(r, doc);
    out->reusedWords = r->reused[doc];
    return 0;
}

void calque_reuseGetStats(const calque_reuse *r, calque_reuseStats *s)
{
    *s = r->st;
    s->documents = r->ndocs;
}
