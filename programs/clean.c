/*
 * clean.c - `calque clean`: removes boilerplate lines (navigation, cookie
 * notices, share buttons, footers: lines found in many documents) from
 * every document, and the --clean option of the matching commands.
 *
 * Both work in two passes over the inputs. The first reads every record
 * and counts, per distinct normalised line, the documents it occurs in
 * (calque_lineCounts); the reader keeps only ids and where each text can
 * be had again (plain files are re-read at an offset, stdin and
 * compressed inputs were spooled). The second gets each text back in
 * input order and cleans it (calque_cleaner):
 *
 *   - `calque clean` takes removed lines out and writes JSONL records
 *     {"id", "url", "date", "title", "text"}: url, date and title from
 *     the reader (WARC, HTML), else the string fields of that name of a
 *     JSONL record, else absent;
 *   - with --clean, `dedup`, `reuse` and the others get texts whose
 *     removed lines are overwritten with spaces: same length, same byte
 *     offsets, so every offset they report points into the original text.
 *     A text that would lose every line is left whole (a reprint found in
 *     many documents is not boilerplate for matching). The library may
 *     fetch a text again from several threads: each fetch cleans it anew
 *     with a cleaner taken from a small pool, and gets the same bytes.
 *
 * Threads (-j): the reading thread fills batches of documents; workers
 * count them, each into its own table (merged at the end of the pass),
 * then clean and format them; batches are consumed in input order.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_MIN_DOCS 10
#define BATCH_BYTES (1u << 20) /* text per batch, about */
#define BATCH_DOCS 1024        /* documents per batch, at most */

static void *xrealloc(void *p, size_t n)
{
    void *const q = realloc(p, n ? n : 1);
    if (q == NULL) {
        cli_error("out of memory");
        exit(EX_OSERR);
    }
    return q;
}

static int exitStatus(int err)
{
    return err == CALQUE_ENOMEM ? EX_OSERR
           : err == CALQUE_EPARAM ? EX_USAGE : EX_SOFTWARE;
}

/* ---- Batches and workers ---------------------------------------------- */

/* A batch of documents, filled by the reading thread, worked on by one
 * worker, then consumed by the reading thread in submission order. */
typedef struct {
    uint64_t first;      /* documents first .. first + n - 1 */
    size_t n;
    char *text;          /* counting: their texts, back to back */
    size_t textLen, textCap;
    size_t *end;         /* counting: end of each text in text */
    size_t endCap;
    char *meta;          /* cleaning: url, date and title, NUL after each */
    size_t metaLen, metaCap;
    uint32_t (*metaLens)[3]; /* per document, 0 when absent */
    size_t metaLensCap;
    char *out;           /* cleaning: the output of the batch */
    size_t outLen;
    uint64_t dropped;    /* cleaning: documents under --min-chars */
    int err;             /* a CALQUE_E* code of the worker, or -1 for a
                            failed fetch */
    uint64_t errDoc;
    int done;
} batch;

/* What one worker owns. */
typedef struct {
    calque_lineCounts *counts; /* its share of the counting pass */
    calque_cleaner *cleaner;
    char *buf;                 /* one text */
    size_t cap;
} worker;

typedef struct crew crew;
typedef void (*batchFn)(crew *w, unsigned me, batch *b);

/* Worker threads and a ring of batches: [head, tail) are submitted,
 * [head, next) taken by workers; the reading thread fills ring[tail]. */
struct crew {
    pthread_mutex_t lock;
    pthread_cond_t cond;   /* broadcast on every change */
    batch *ring;
    size_t slots, head, tail, next;
    int stop;
    int running;           /* the workers were started and not stopped */
    unsigned nworkers;
    pthread_t *tid;
    worker *w;
    batchFn fn;
    struct cli_cleaning *k;
};

typedef struct {
    crew *c;
    unsigned me;
} workerArg;

static void *workerMain(void *varg)
{
    workerArg const a = *(workerArg *)varg;
    free(varg);
    crew *const c = a.c;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->stop && c->next == c->tail)
            pthread_cond_wait(&c->cond, &c->lock);
        if (c->next == c->tail) break; /* stopped, nothing left */
        batch *const b = &c->ring[c->next++ % c->slots];
        pthread_mutex_unlock(&c->lock);
        c->fn(c, a.me, b);
        pthread_mutex_lock(&c->lock);
        b->done = 1;
        pthread_cond_broadcast(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* Starts @c->nworkers threads running @fn. */
static void startCrew(crew *c, batchFn fn)
{
    c->fn = fn;
    c->head = c->tail = c->next = 0;
    c->stop = 0;
    c->running = 1;
    for (unsigned i = 0; i < c->nworkers; i++) {
        workerArg *const a = xrealloc(NULL, sizeof *a);
        a->c = c;
        a->me = i;
        if (pthread_create(&c->tid[i], NULL, workerMain, a) != 0) {
            cli_error("cannot start a thread: %s", strerror(errno));
            exit(EX_OSERR);
        }
    }
}

/* The batch to fill next, emptied, once a slot is free: the oldest
 * batch is first handed to @consume (which may be NULL). @return 0 or
 * the status @consume returned. */
static int nextBatch(crew *c, int (*consume)(crew *, batch *), batch **out)
{
    int rc = 0;
    if (c->tail - c->head == c->slots) {
        batch *const old = &c->ring[c->head % c->slots];
        pthread_mutex_lock(&c->lock);
        while (!old->done) pthread_cond_wait(&c->cond, &c->lock);
        pthread_mutex_unlock(&c->lock);
        if (consume) rc = consume(c, old);
        c->head++;
    }
    batch *const b = &c->ring[c->tail % c->slots];
    b->n = b->textLen = b->metaLen = b->outLen = 0;
    b->dropped = 0;
    b->err = 0;
    b->done = 0;
    *out = b;
    return rc;
}

static void submitBatch(crew *c)
{
    pthread_mutex_lock(&c->lock);
    c->tail++;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

/* Waits for every batch, consuming them in order, then stops the
 * workers. @return the first non-zero status of @consume, or 0. */
static int stopCrew(crew *c, int (*consume)(crew *, batch *))
{
    int rc = 0;
    while (c->head < c->tail) {
        batch *const old = &c->ring[c->head % c->slots];
        pthread_mutex_lock(&c->lock);
        while (!old->done) pthread_cond_wait(&c->cond, &c->lock);
        pthread_mutex_unlock(&c->lock);
        int const r = consume ? consume(c, old) : 0;
        if (rc == 0) rc = r;
        c->head++;
    }
    pthread_mutex_lock(&c->lock);
    c->stop = 1;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    for (unsigned i = 0; i < c->nworkers; i++) pthread_join(c->tid[i], NULL);
    c->running = 0;
    return rc;
}

/* ---- The state of cleaning --------------------------------------------- */

struct cli_cleaning {
    const cli_common *common;
    calque_cleanParams params;
    calque_lineCounts *counts; /* the whole collection, after the merge */
    crew crew;
    batch *filling;            /* counting: the batch being filled */
    calque_textSource orig;    /* the texts as read */
    pthread_mutex_t lock;      /* guards pool */
    calque_cleaner **pool;     /* idle cleaners of cli_cleanedSource() */
    size_t npool, poolCap;
    cli_progress prog;
    calque_cleanStats stats;   /* of the cleaning pass, all workers */
    cli_docs *docs;            /* the documents of the second pass */
    cli_onDoc on;              /* --clean: the command's, and its opaque */
    void *onOpaque;
    struct cleanCmd *cmd;      /* calque clean: its state */
};

/* Makes the workers' tables and cleaners for the options of @c; @blank
 * selects blanking out (for --clean) over removing.
 * @return the state, or NULL with *rc set (messages printed). */
static struct cli_cleaning *newCleaning(const cli_common *c, int blank,
                                        int *rc)
{
    struct cli_cleaning *const k = xrealloc(NULL, sizeof *k);
    memset(k, 0, sizeof *k);
    k->common = c;
    pthread_mutex_init(&k->lock, NULL);
    calque_initCleanParams(&k->params);
    k->params.minDocs = c->minDocs ? c->minDocs : DEFAULT_MIN_DOCS;
    k->params.dedupLines = c->dedupLines;
    k->params.blank = blank;
    k->params.keepEmptied = blank;
    crew *const w = &k->crew;
    long const cores = sysconf(_SC_NPROCESSORS_ONLN);
    w->nworkers = c->threads ? c->threads : cores > 0 ? (unsigned)cores : 1;
    w->slots = 2 * (size_t)w->nworkers + 1;
    w->ring = xrealloc(NULL, w->slots * sizeof *w->ring);
    memset(w->ring, 0, w->slots * sizeof *w->ring);
    w->tid = xrealloc(NULL, w->nworkers * sizeof *w->tid);
    w->w = xrealloc(NULL, w->nworkers * sizeof *w->w);
    memset(w->w, 0, w->nworkers * sizeof *w->w);
    w->k = k;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    int err = 0;
    for (unsigned i = 0; i < w->nworkers && err == 0; i++) {
        w->w[i].counts = calque_createLineCounts(c->maxLines, c->dedupLines,
                                                 NULL, &err);
    }
    if (err) {
        cli_error("%s", calque_errorName(err));
        *rc = exitStatus(err);
        cli_freeCleaning(k);
        return NULL;
    }
    k->counts = w->w[0].counts;
    cli_startProgress(&k->prog, c);
    *rc = 0;
    return k;
}

void cli_freeCleaning(struct cli_cleaning *k)
{
    if (k == NULL) return;
    crew *const w = &k->crew;
    if (w->running) stopCrew(w, NULL); /* after an error while reading */
    for (size_t i = 0; i < w->slots; i++) {
        free(w->ring[i].text);
        free(w->ring[i].end);
        free(w->ring[i].meta);
        free(w->ring[i].metaLens);
        free(w->ring[i].out);
    }
    for (unsigned i = 0; i < w->nworkers; i++) {
        calque_freeLineCounts(w->w[i].counts);
        calque_freeCleaner(w->w[i].cleaner);
        free(w->w[i].buf);
    }
    free(w->ring);
    free(w->tid);
    free(w->w);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    for (size_t i = 0; i < k->npool; i++) calque_freeCleaner(k->pool[i]);
    free(k->pool);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

/* ---- Pass 1: counting -------------------------------------------------- */

/* A worker counts a batch into its own table. */
static void countBatch(crew *c, unsigned me, batch *b)
{
    calque_lineCounts *const lc = c->w[me].counts;
    size_t at = 0;
    for (size_t i = 0; i < b->n && b->err == 0; i++) {
        int const e = calque_lineCountsAdd(lc, b->first + i, b->text + at,
                                           b->end[i] - at);
        if (e < 0) {
            b->err = e;
            b->errDoc = b->first + i;
        }
        at = b->end[i];
    }
}

static int reportBatch(crew *c, batch *b)
{
    (void)c;
    if (b->err == 0) return 0;
    if (b->err == -1) {
        cli_error("cannot read document %llu again",
                  (unsigned long long)b->errDoc + 1);
        return EX_IOERR;
    }
    cli_error("document %llu: %s", (unsigned long long)b->errDoc + 1,
              calque_errorName(b->err));
    return exitStatus(b->err);
}

/* Adds document @doc (numbered in input order) to the counting pass.
 * @return 0 or an exit status. */
static int countDoc(struct cli_cleaning *k, const cli_docs *docs,
                    uint64_t doc, const calque_record *r)
{
    crew *const c = &k->crew;
    if (!c->running) startCrew(c, countBatch);
    if (k->filling == NULL) {
        int const rc = nextBatch(c, reportBatch, &k->filling);
        if (rc) return rc;
        k->filling->first = doc;
    }
    batch *const b = k->filling;
    if (b->textLen + r->textLen > b->textCap) {
        b->textCap = 2 * (b->textLen + r->textLen) + BATCH_BYTES;
        b->text = xrealloc(b->text, b->textCap);
    }
    if (b->n == b->endCap) {
        b->endCap = b->endCap ? 2 * b->endCap : 256;
        b->end = xrealloc(b->end, b->endCap * sizeof *b->end);
    }
    memcpy(b->text + b->textLen, r->text, r->textLen);
    b->textLen += r->textLen;
    b->end[b->n++] = b->textLen;
    if (b->textLen >= BATCH_BYTES || b->n >= BATCH_DOCS) {
        submitBatch(c);
        k->filling = NULL;
    }
    cli_showProgress(&k->prog, docs->ndocs, docs->bytes);
    return 0;
}

/* Ends the counting pass: waits for the workers and merges their tables
 * into k->counts. @return 0 or an exit status. */
static int endCounting(struct cli_cleaning *k)
{
    crew *const c = &k->crew;
    if (!c->running) return 0; /* no document */
    if (k->filling) {
        submitBatch(c);
        k->filling = NULL;
    }
    int rc = stopCrew(c, reportBatch);
    for (unsigned i = 1; i < c->nworkers && rc == 0; i++) {
        int const e = calque_mergeLineCounts(k->counts, c->w[i].counts);
        calque_freeLineCounts(c->w[i].counts);
        c->w[i].counts = NULL;
        if (e < 0) {
            cli_error("%s", calque_errorName(e));
            rc = exitStatus(e);
        }
    }
    return rc;
}

/* ---- Pass 2: cleaning -------------------------------------------------- */

/* Fetches and cleans document @doc with worker @me's cleaner into its
 * buffer. @return 0, -1 (fetch failed) or a CALQUE_E* code. */
static int cleanDoc(crew *c, unsigned me, const cli_docs *docs, uint64_t doc,
                    size_t *len)
{
    worker *const w = &c->w[me];
    struct cli_cleaning *const k = c->k;
    if (w->cleaner == NULL) {
        int err = 0;
        w->cleaner = calque_createCleaner(k->counts, &k->params, NULL, &err);
        if (w->cleaner == NULL) return err;
    }
    size_t const n = docs->textLen[doc];
    if (n + 1 > w->cap) {
        w->cap = 2 * n + 4096;
        free(w->buf);
        w->buf = malloc(w->cap);
        if (w->buf == NULL) {
            w->cap = 0;
            return CALQUE_ENOMEM;
        }
    }
    if (k->orig.fetch(k->orig.opaque, doc, w->buf, n) != 0) return -1;
    return calque_cleanText(w->cleaner, doc, w->buf, n, w->buf, len);
}

/* Sums the statistics of the workers' cleaners into k->stats. */
static void sumStats(struct cli_cleaning *k)
{
    memset(&k->stats, 0, sizeof k->stats);
    for (unsigned i = 0; i < k->crew.nworkers; i++) {
        calque_cleanStats s;
        calque_cleanerGetStats(k->crew.w[i].cleaner, &s);
        k->stats.documents += s.documents;
        k->stats.lines += s.lines;
        k->stats.boilerplateLines += s.boilerplateLines;
        k->stats.repeatedLines += s.repeatedLines;
        k->stats.keptWhole += s.keptWhole;
        k->stats.bytesIn += s.bytesIn;
        k->stats.bytesOut += s.bytesOut;
    }
}

/* ---- --clean ----------------------------------------------------------- */

int cli_startCleaning(const cli_common *c, cli_docs *docs)
{
    int rc;
    docs->clean = newCleaning(c, 1, &rc);
    return rc;
}

int cli_countLines(void *opaque, uint64_t doc, const calque_record *r)
{
    cli_docs *const docs = opaque;
    return countDoc(docs->clean, docs, doc, r);
}

/* A worker cleans the documents of a batch into b->text. */
static void blankBatch(crew *c, unsigned me, batch *b)
{
    for (size_t i = 0; i < b->n && b->err == 0; i++) {
        size_t len = 0;
        int const e = cleanDoc(c, me, c->k->docs, b->first + i, &len);
        if (e != 0) {
            b->err = e;
            b->errDoc = b->first + i;
            break;
        }
        if (b->textLen + len > b->textCap) {
            b->textCap = 2 * (b->textLen + len) + BATCH_BYTES;
            char *const p = realloc(b->text, b->textCap);
            if (p == NULL) {
                b->err = CALQUE_ENOMEM;
                b->errDoc = b->first + i;
                break;
            }
            b->text = p;
        }
        memcpy(b->text + b->textLen, c->w[me].buf, len);
        b->textLen += len;
        b->end[i] = b->textLen;
    }
}

/* Hands the cleaned documents of a batch to the command, in order. */
static int feedBatch(crew *c, batch *b)
{
    struct cli_cleaning *const k = c->k;
    int rc = reportBatch(c, b);
    size_t at = 0;
    for (size_t i = 0; i < b->n && rc == 0; i++) {
        uint64_t const doc = b->first + i;
        calque_record rec;
        memset(&rec, 0, sizeof rec);
        rec.id = cli_id(k->docs, doc, &rec.idLen);
        rec.text = b->text + at;
        rec.textLen = b->end[i] - at;
        rec.number = doc + 1;
        at = b->end[i];
        if (k->on) rc = k->on(k->onOpaque, doc, &rec);
    }
    return rc;
}

/* Splits the documents into batches of about BATCH_BYTES of text. */
static size_t batchEnd(const cli_docs *docs, uint64_t first)
{
    uint64_t bytes = 0, doc = first;
    while (doc < docs->ndocs && doc - first < BATCH_DOCS &&
           bytes < BATCH_BYTES)
        bytes += docs->textLen[doc++];
    return (size_t)(doc - first);
}

int cli_feedCleaned(cli_docs *docs, cli_onDoc on, void *opaque)
{
    struct cli_cleaning *const k = docs->clean;
    int rc = endCounting(k);
    cli_endProgress(&k->prog);
    if (rc) return rc;
    k->orig = cli_originalSource(docs);
    crew *const c = &k->crew;
    k->docs = docs;
    k->on = on;
    k->onOpaque = opaque;
    startCrew(c, blankBatch);
    for (uint64_t doc = 0; doc < docs->ndocs && rc == 0;) {
        batch *b;
        rc = nextBatch(c, feedBatch, &b);
        if (rc) break;
        b->first = doc;
        b->n = batchEnd(docs, doc);
        if (b->n > b->endCap) {
            b->endCap = b->n;
            b->end = xrealloc(b->end, b->endCap * sizeof *b->end);
        }
        submitBatch(c);
        doc += b->n;
    }
    int const r = stopCrew(c, rc ? NULL : feedBatch);
    if (rc == 0) rc = r;
    sumStats(k);
    if (rc == 0 && k->common->verbose) {
        calque_lineCountsStats ls;
        calque_lineCountsGetStats(k->counts, &ls);
        fprintf(stderr, "%s: --clean: %llu of %llu lines blanked out "
                "(%llu boilerplate, %llu repeated), %llu documents left "
                "whole; line table %.1f MB for %llu distinct lines\n",
                cli_progName,
                (unsigned long long)(k->stats.boilerplateLines +
                                     k->stats.repeatedLines),
                (unsigned long long)k->stats.lines,
                (unsigned long long)k->stats.boilerplateLines,
                (unsigned long long)k->stats.repeatedLines,
                (unsigned long long)k->stats.keptWhole,
                (double)ls.tableBytes / 1e6,
                (unsigned long long)ls.distinctLines);
    }
    return rc;
}

/* Takes an idle cleaner from the pool, or makes one. */
static calque_cleaner *takeCleaner(struct cli_cleaning *k)
{
    calque_cleaner *c = NULL;
    pthread_mutex_lock(&k->lock);
    if (k->npool) c = k->pool[--k->npool];
    pthread_mutex_unlock(&k->lock);
    if (c == NULL) c = calque_createCleaner(k->counts, &k->params, NULL, NULL);
    return c;
}

static void giveCleaner(struct cli_cleaning *k, calque_cleaner *c)
{
    pthread_mutex_lock(&k->lock);
    if (k->npool == k->poolCap) {
        size_t const cap = k->poolCap ? 2 * k->poolCap : 8;
        calque_cleaner **const p = realloc(k->pool, cap * sizeof *p);
        if (p == NULL) {
            pthread_mutex_unlock(&k->lock);
            calque_freeCleaner(c);
            return;
        }
        k->pool = p;
        k->poolCap = cap;
    }
    k->pool[k->npool++] = c;
    pthread_mutex_unlock(&k->lock);
}

/* The original text of @doc, blanked out as in the second pass. */
static int fetchCleaned(void *opaque, uint64_t doc, char *dst, size_t len)
{
    struct cli_cleaning *const k = opaque;
    if (k->orig.fetch(k->orig.opaque, doc, dst, len) != 0) return -1;
    calque_cleaner *const c = takeCleaner(k);
    if (c == NULL) return -1;
    size_t n = 0;
    int const e = calque_cleanText(c, doc, dst, len, dst, &n);
    giveCleaner(k, c);
    return e == 0 && n == len ? 0 : -1;
}

calque_textSource cli_cleanedSource(cli_docs *docs)
{
    docs->clean->orig = cli_originalSource(docs);
    calque_textSource const s = {fetchCleaned, docs->clean};
    return s;
}

/* ---- calque clean: url, date and title --------------------------------- */

static const char *const metaField[] = {"url", "date", "title"};
#define NMETA 3

/* The fields of the documents that have any, spooled in input order to a
 * temporary file during the first pass: a header, then the values. */
typedef struct {
    uint64_t doc;
    uint32_t len[NMETA];
} metaHeader;

typedef struct {
    FILE *f;         /* NULL until a document has a field */
    char *buf;       /* scratch */
    size_t cap;
    metaHeader next; /* second pass: the next header (doc UINT64_MAX at
                        the end) */
} metaSpool;

static FILE *openTemp(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == 0) dir = "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/calque-meta-XXXXXX", dir);
    int const fd = mkstemp(path);
    if (fd < 0) return NULL;
    unlink(path);
    FILE *const f = fdopen(fd, "w+");
    if (f == NULL) close(fd);
    return f;
}

static void growBuf(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap) return;
    *cap = 2 * need;
    *buf = xrealloc(*buf, *cap);
}

/* @return a bit per field of metaField[] whose key "name" appears in the
 * JSONL line @raw. One memchr scan: unescaped quotes are rare in a line,
 * most of it is a text whose quotes are escaped. */
static unsigned findKeys(const char *raw, size_t n)
{
    unsigned found = 0;
    const char *p = raw, *const end = raw + n;
    while ((p = memchr(p, '"', (size_t)(end - p))) != NULL) {
        p++;
        for (int i = 0; i < NMETA; i++) {
            size_t const k = strlen(metaField[i]);
            if ((size_t)(end - p) > k && memcmp(p, metaField[i], k) == 0 &&
                p[k] == '"')
                found |= 1u << i;
        }
    }
    return found;
}

/* Spools the url, date and title of record @r (document @doc): the
 * reader's, else a JSONL record's string fields. @return 0 or an exit
 * status. */
static int spoolMeta(metaSpool *m, const cli_common *c, calque_format format,
                     uint64_t doc, const calque_record *r)
{
    metaHeader h;
    memset(&h, 0, sizeof h); /* padding too: the header is written raw */
    h.doc = doc;
    const char *const given[NMETA] = {r->url, r->date, r->title};
    size_t const givenLen[NMETA] = {r->urlLen, r->dateLen, r->titleLen};
    /* Decoded JSON strings are at most 3 times their raw bytes (an
     * invalid byte becomes U+FFFD). */
    size_t const room = 3 * r->rawLen + 64;
    unsigned const keys =
        format == CALQUE_FORMAT_JSONL ? findKeys(r->raw, r->rawLen) : 0;
    size_t total = 0;
    for (int i = 0; i < NMETA; i++) {
        if (given[i]) {
            growBuf(&m->buf, &m->cap, total + givenLen[i]);
            memcpy(m->buf + total, given[i], givenLen[i]);
            h.len[i] = (uint32_t)givenLen[i];
            total += givenLen[i];
            continue;
        }
        if (!(keys & (1u << i))) continue;
        growBuf(&m->buf, &m->cap, total + room);
        calque_readerOptions opt;
        memset(&opt, 0, sizeof opt);
        opt.format = CALQUE_FORMAT_JSONL;
        opt.idField = c->idField;
        opt.textField = metaField[i];
        size_t len = 0;
        if (calque_recordText(&opt, r->raw, r->rawLen, m->buf + total, room,
                              &len, NULL) != 0)
            continue; /* absent at the top level, or not a string */
        h.len[i] = (uint32_t)len;
        total += len;
    }
    if (total == 0) return 0;
    if (m->f == NULL && (m->f = openTemp()) == NULL) {
        cli_error("cannot create a temporary file: %s", strerror(errno));
        return EX_CANTCREAT;
    }
    if (fwrite(&h, sizeof h, 1, m->f) != 1 ||
        fwrite(m->buf, 1, total, m->f) != total) {
        cli_error("cannot write a temporary file: %s", strerror(errno));
        return EX_CANTCREAT;
    }
    return 0;
}

/* Second pass: makes m->next the header of the next spooled document.
 * @return 0 or -1 on a read error. */
static int readMetaHeader(metaSpool *m)
{
    m->next.doc = UINT64_MAX;
    if (m->f == NULL) return 0;
    if (fread(&m->next, sizeof m->next, 1, m->f) == 1) return 0;
    m->next.doc = UINT64_MAX;
    return ferror(m->f) ? -1 : 0;
}

/* Second pass: appends the fields of @doc, each NUL-terminated, to
 * b->meta and their lengths to b->metaLens[i]. @return 0 or -1. */
static int readMeta(metaSpool *m, batch *b, size_t i, uint64_t doc)
{
    memset(b->metaLens[i], 0, sizeof b->metaLens[i]);
    if (m->next.doc != doc) return 0;
    for (int f = 0; f < NMETA; f++) {
        size_t const len = m->next.len[f];
        growBuf(&b->meta, &b->metaCap, b->metaLen + len + 1);
        if (fread(b->meta + b->metaLen, 1, len, m->f) != len) return -1;
        b->meta[b->metaLen + len] = 0;
        b->metaLen += len + 1;
        b->metaLens[i][f] = (uint32_t)len;
    }
    return readMetaHeader(m);
}

/* ---- calque clean ------------------------------------------------------ */

static void usage(void)
{
    printf(
"Usage: calque clean [OPTIONS] [FILE...]\n"
"\n"
"Removes boilerplate lines (navigation, cookie notices, share buttons,\n"
"footers) from every document: lines found in --boilerplate-min-docs or\n"
"more documents of the whole input, compared after normalisation (case,\n"
"accents, punctuation, digits and spacing do not matter). Writes one\n"
"JSONL record per document, in input order: {\"id\", \"url\", \"date\",\n"
"\"title\", \"text\"}, url, date and title when the input has them.\n"
"Inputs as for calque dedup; the input is read twice (once to count).\n"
"\n"
"  --min-chars N         drop documents whose clean text has fewer than N\n"
"                        characters (default 0: keep all)\n"
"\n%s", cli_commonHelp);
}

enum { O_MINCHARS = CLI_O_OWN };

static void onOption(void *opaque, int o, const char *arg)
{
    if (o == O_MINCHARS)
        *(uint64_t *)opaque = cli_parseUnsigned("--min-chars", arg, 0,
                                                UINT32_MAX);
}

typedef struct cleanCmd {
    struct cli_cleaning *k;
    cli_docs *docs;
    metaSpool *meta;
    uint64_t minChars;
    FILE *out;
    uint64_t dropped;
} cleanCmd;

static int onDoc(void *opaque, uint64_t doc, const calque_record *r)
{
    cleanCmd *const x = opaque;
    int const rc = countDoc(x->k, x->docs, doc, r);
    if (rc) return rc;
    const cli_input *const in = &x->docs->inputs[x->docs->input[doc]];
    return spoolMeta(x->meta, x->k->common, in->format, doc, r);
}

/* Characters (code points) of a UTF-8 text. */
static uint64_t countChars(const char *s, size_t n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* A worker cleans the documents of a batch and formats their records
 * into b->out. */
static void writeBatch(crew *c, unsigned me, batch *b)
{
    cleanCmd *const x = c->k->cmd;
    FILE *const f = open_memstream(&b->out, &b->outLen);
    if (f == NULL) {
        b->err = CALQUE_ENOMEM;
        b->errDoc = b->first;
        return;
    }
    const char *meta = b->meta;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t const doc = b->first + i;
        /* A document with fields has all three in b->meta, each with
         * its NUL (an empty one counts as absent). */
        const uint32_t *const lens = b->metaLens[i];
        int const has = lens[0] || lens[1] || lens[2];
        const char *val[NMETA];
        for (int m = 0; m < NMETA; m++) {
            val[m] = lens[m] ? meta : NULL;
            if (has) meta += lens[m] + 1;
        }
        size_t len = 0;
        int const e = cleanDoc(c, me, x->docs, doc, &len);
        if (e != 0) {
            b->err = e;
            b->errDoc = doc;
            break;
        }
        const char *const text = c->w[me].buf;
        if (x->minChars && countChars(text, len) < x->minChars) {
            b->dropped++;
            continue;
        }
        size_t idLen;
        const char *const id = cli_id(x->docs, doc, &idLen);
        fputs("{\"id\": ", f);
        fwrite(id, 1, idLen, f);
        for (int m = 0; m < NMETA; m++) {
            if (val[m] == NULL) continue;
            fprintf(f, ", \"%s\": ", metaField[m]);
            cli_putJsonString(f, val[m], b->metaLens[i][m]);
        }
        fputs(", \"text\": ", f);
        cli_putJsonString(f, text, len);
        fputs("}\n", f);
    }
    if (fclose(f) != 0 && b->err == 0) {
        b->err = CALQUE_ENOMEM;
        b->errDoc = b->first;
    }
}

/* Writes the records of a batch, in order. */
static int outputBatch(crew *c, batch *b)
{
    cleanCmd *const x = c->k->cmd;
    int const rc = reportBatch(c, b);
    if (rc == 0) {
        fwrite(b->out, 1, b->outLen, x->out);
        x->dropped += b->dropped;
    }
    free(b->out);
    b->out = NULL;
    b->outLen = 0;
    cli_showPhase(&x->k->prog, "cleaning", b->first + b->n, x->docs->ndocs);
    return rc;
}

static int metaReadError(void)
{
    cli_error("cannot read a temporary file: %s", strerror(errno));
    return EX_IOERR;
}

/* The second pass: cleans and writes every document, in input order. */
static int writeCleaned(cleanCmd *x)
{
    struct cli_cleaning *const k = x->k;
    metaSpool *const meta = x->meta;
    if ((meta->f && fseek(meta->f, 0, SEEK_SET) != 0) ||
        readMetaHeader(meta) != 0)
        return metaReadError();
    k->orig = cli_originalSource(x->docs);
    crew *const c = &k->crew;
    k->cmd = x;
    k->docs = x->docs;
    startCrew(c, writeBatch);
    int rc = 0;
    for (uint64_t doc = 0; doc < x->docs->ndocs && rc == 0;) {
        batch *b;
        rc = nextBatch(c, outputBatch, &b);
        if (rc) break;
        b->first = doc;
        b->n = batchEnd(x->docs, doc);
        if (b->n > b->metaLensCap) {
            b->metaLensCap = b->n;
            b->metaLens = xrealloc(b->metaLens,
                                   b->metaLensCap * sizeof *b->metaLens);
        }
        for (size_t i = 0; i < b->n && rc == 0; i++)
            if (readMeta(meta, b, i, doc + i) != 0) rc = metaReadError();
        submitBatch(c);
        doc += b->n;
    }
    int const r = stopCrew(c, rc ? NULL : outputBatch);
    sumStats(k);
    return rc ? rc : r;
}

static void printSummary(const struct cli_cleaning *k, const cli_docs *docs,
                         uint64_t dropped)
{
    calque_lineCountsStats ls;
    calque_lineCountsGetStats(k->counts, &ls);
    double const secs = cli_now() - k->prog.start;
    fprintf(stderr, "%s: %llu documents, %llu lines, %llu boilerplate lines "
            "removed, %llu repeated lines removed", cli_progName,
            (unsigned long long)k->stats.documents,
            (unsigned long long)k->stats.lines,
            (unsigned long long)k->stats.boilerplateLines,
            (unsigned long long)k->stats.repeatedLines);
    if (dropped)
        fprintf(stderr, ", %llu documents under --min-chars dropped",
                (unsigned long long)dropped);
    fprintf(stderr, "; line table %.1f MB (%llu distinct lines, %.1f bytes "
            "each); %.1f MB in %.2f s (%.1f MB/s)",
            (double)ls.tableBytes / 1e6,
            (unsigned long long)ls.distinctLines,
            ls.distinctLines ? (double)ls.tableBytes / (double)ls.distinctLines
                             : 0.0,
            (double)docs->bytes / 1e6, secs,
            (double)docs->bytes / 1e6 / (secs + 1e-9));
    if (ls.droppedLines)
        fprintf(stderr, "; %llu line counts lost to a full table "
                "(raise --max-lines)", (unsigned long long)ls.droppedLines);
    cli_putInputFigures(stderr, docs);
    fputc('\n', stderr);
}

int cli_clean(int argc, char **argv)
{
    cli_progName = "calque clean";
    cli_common c;
    cli_initCommon(&c);
    uint64_t minChars = 0;
    static const struct option own[] = {
        {"min-chars", required_argument, 0, O_MINCHARS}, {0, 0, 0, 0}};
    cli_parseOptions(argc, argv, &c, own, "", onOption, &minChars, usage);
    c.clean = 0; /* this command cleans by itself */
    int rc;
    struct cli_cleaning *const k = newCleaning(&c, 0, &rc);
    if (k == NULL) return rc;
    cli_docs docs = {0};
    metaSpool meta = {0};
    cleanCmd x = {k, &docs, &meta, minChars, NULL, 0};
    rc = cli_readInputs(&c, &docs, onDoc, &x);
    int const e = endCounting(k);
    if (rc == 0) rc = e;
    if (rc == 0 && meta.f && fflush(meta.f) != 0) {
        cli_error("cannot write a temporary file: %s", strerror(errno));
        rc = EX_CANTCREAT;
    }
    cli_out out = {0};
    if (rc == 0) rc = cli_openOutput(&out, c.output);
    if (rc == 0) {
        x.out = out.f;
        rc = writeCleaned(&x);
        cli_endProgress(&k->prog);
        if (rc == 0) rc = cli_commitOutput(&out);
    }
    if (rc != 0) cli_abortOutput(&out);
    if (rc == 0 && !c.quiet) printSummary(k, &docs, x.dropped);
    if (meta.f) fclose(meta.f);
    free(meta.buf);
    cli_freeDocs(&docs);
    cli_freeCleaning(k);
    return rc;
}
