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
 *     {"id", "url", "date", "title", "text"} (url, date and title when the
 *     input record has them as strings);
 *   - with --clean, `dedup`, `reuse` and the others get texts whose
 *     removed lines are overwritten with spaces: same length, same byte
 *     offsets, so every offset they report points into the original text.
 *     A text that would lose every line is left whole (a reprint found in
 *     many documents is not boilerplate for matching). The library may
 *     fetch a text again from several threads: each fetch cleans it anew
 *     with a cleaner taken from a small pool, and gets the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_MIN_DOCS 10

/* The state of cleaning: the counts, one cleaner for the sequential
 * pass, and idle cleaners for the text source. */
struct cli_cleaning {
    const cli_common *common;
    calque_lineCounts *counts;
    calque_cleanParams params;
    calque_cleaner *cleaner;   /* for the second pass */
    calque_textSource orig;    /* the texts as read */
    pthread_mutex_t lock;      /* guards pool */
    calque_cleaner **pool;     /* idle cleaners of cli_cleanedSource() */
    size_t npool, poolCap;
    cli_progress prog;         /* of the counting pass */
};

static int exitStatus(int err)
{
    return err == CALQUE_ENOMEM ? EX_OSERR
           : err == CALQUE_EPARAM ? EX_USAGE : EX_SOFTWARE;
}

/* Makes the counts and the sequential cleaner for the options of @c;
 * @blank selects blanking out (for --clean) over removing.
 * @return the state, or NULL with *rc set (messages printed). */
static struct cli_cleaning *newCleaning(const cli_common *c, int blank,
                                        int *rc)
{
    struct cli_cleaning *const k = calloc(1, sizeof *k);
    if (k == NULL) {
        cli_error("out of memory");
        *rc = EX_OSERR;
        return NULL;
    }
    k->common = c;
    pthread_mutex_init(&k->lock, NULL);
    calque_initCleanParams(&k->params);
    k->params.minDocs = c->minDocs ? c->minDocs : DEFAULT_MIN_DOCS;
    k->params.dedupLines = c->dedupLines;
    k->params.blank = blank;
    k->params.keepEmptied = blank;
    int err = 0;
    k->counts = calque_createLineCounts(c->maxLines, c->dedupLines, NULL,
                                        &err);
    if (k->counts)
        k->cleaner = calque_createCleaner(k->counts, &k->params, NULL, &err);
    if (k->cleaner == NULL) {
        cli_error("%s", calque_errorName(err));
        *rc = exitStatus(err);
        cli_freeCleaning(k);
        return NULL;
    }
    cli_startProgress(&k->prog, c);
    *rc = 0;
    return k;
}

void cli_freeCleaning(struct cli_cleaning *k)
{
    if (k == NULL) return;
    for (size_t i = 0; i < k->npool; i++) calque_freeCleaner(k->pool[i]);
    free(k->pool);
    calque_freeCleaner(k->cleaner);
    calque_freeLineCounts(k->counts);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

/* Counts the lines of document @doc. @return 0 or an exit status. */
static int countDoc(struct cli_cleaning *k, const cli_docs *docs,
                    uint64_t doc, const calque_record *r)
{
    int const e = calque_lineCountsAdd(k->counts, doc, r->text, r->textLen);
    if (e < 0) {
        cli_error("document %llu: %s", (unsigned long long)doc + 1,
                  calque_errorName(e));
        return exitStatus(e);
    }
    cli_showProgress(&k->prog, docs->ndocs, docs->bytes);
    return 0;
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

int cli_feedCleaned(cli_docs *docs, cli_onDoc on, void *opaque)
{
    struct cli_cleaning *const k = docs->clean;
    cli_endProgress(&k->prog);
    k->orig = cli_originalSource(docs);
    char *buf = NULL;
    int rc = 0;
    for (uint64_t doc = 0; doc < docs->ndocs && rc == 0; doc++) {
        size_t const len = docs->textLen[doc];
        char *const p = realloc(buf, len + 1);
        if (p == NULL) {
            cli_error("out of memory");
            rc = EX_OSERR;
            break;
        }
        buf = p;
        if (k->orig.fetch(k->orig.opaque, doc, buf, len) != 0) {
            cli_error("cannot read document %llu again: %s",
                      (unsigned long long)doc + 1, strerror(errno));
            rc = EX_IOERR;
            break;
        }
        calque_record rec;
        memset(&rec, 0, sizeof rec);
        int const e = calque_cleanText(k->cleaner, doc, buf, len, buf,
                                       &rec.textLen);
        if (e < 0) {
            cli_error("document %llu: %s", (unsigned long long)doc + 1,
                      calque_errorName(e));
            rc = exitStatus(e);
            break;
        }
        rec.id = cli_id(docs, doc, &rec.idLen);
        rec.text = buf;
        rec.number = doc + 1;
        if (on) rc = on(opaque, doc, &rec);
    }
    free(buf);
    if (rc == 0 && k->common->verbose) {
        calque_cleanStats cs;
        calque_lineCountsStats ls;
        calque_cleanerGetStats(k->cleaner, &cs);
        calque_lineCountsGetStats(k->counts, &ls);
        fprintf(stderr, "%s: --clean: %llu of %llu lines blanked out "
                "(%llu boilerplate, %llu repeated), %llu documents left "
                "whole; line table %.1f MB for %llu distinct lines\n",
                cli_progName,
                (unsigned long long)(cs.boilerplateLines + cs.repeatedLines),
                (unsigned long long)cs.lines,
                (unsigned long long)cs.boilerplateLines,
                (unsigned long long)cs.repeatedLines,
                (unsigned long long)cs.keptWhole,
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

/* ---- calque clean: url, date and title ------------------------------- */

/* JSONL records may carry these string fields; they are echoed. */
static const char *const metaField[] = {"url", "date", "title"};
#define NMETA 3

/* The fields of one document, spooled in input order to a temporary
 * file during the first pass (only for documents that have any). */
typedef struct {
    uint64_t doc;
    uint32_t len[NMETA];
} metaHeader;

typedef struct {
    FILE *f;        /* NULL until a document has a field */
    char *buf;      /* scratch */
    size_t cap;
    metaHeader next; /* second pass: the next header, doc UINT64_MAX at
                        the end */
    char *val[NMETA];
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

static int growBuf(metaSpool *m, size_t need)
{
    if (need <= m->cap) return 0;
    char *const p = realloc(m->buf, need);
    if (p == NULL) return -1;
    m->buf = p;
    m->cap = need;
    return 0;
}

/* Finds the metadata fields of JSONL record @r (document @doc) and
 * spools them. @return 0 or an exit status. */
static int spoolMeta(metaSpool *m, const cli_common *c, uint64_t doc,
                     const calque_record *r)
{
    metaHeader h;
    memset(&h, 0, sizeof h); /* padding too: the header is written raw */
    h.doc = doc;
    size_t total = 0;
    /* Decoded strings are at most 3 times their raw bytes (an invalid
     * byte becomes U+FFFD), and never longer than 3 * rawLen. */
    size_t const room = 3 * r->rawLen + 64;
    char key[16];
    for (int i = 0; i < NMETA; i++) {
        int const n = snprintf(key, sizeof key, "\"%s\"", metaField[i]);
        if (memmem(r->raw, r->rawLen, key, (size_t)n) == NULL) continue;
        if (growBuf(m, total + room) != 0) return EX_OSERR;
        calque_readerOptions const opt = {CALQUE_FORMAT_JSONL, c->idField,
                                          metaField[i], 0};
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

/* Second pass: makes m->next the header of the next spooled document. */
static int readMetaHeader(metaSpool *m)
{
    m->next.doc = UINT64_MAX;
    if (m->f == NULL) return 0;
    if (fread(&m->next, sizeof m->next, 1, m->f) == 1) return 0;
    m->next.doc = UINT64_MAX;
    return ferror(m->f) ? -1 : 0;
}

/* Second pass: the fields of @doc into m->val (NULL when absent).
 * @return 0, or -1 on a read error. */
static int readMeta(metaSpool *m, uint64_t doc)
{
    for (int i = 0; i < NMETA; i++) m->val[i] = NULL;
    if (m->next.doc != doc) return 0;
    size_t total = 0;
    for (int i = 0; i < NMETA; i++) total += m->next.len[i];
    if (growBuf(m, total + NMETA) != 0) return -1;
    if (fread(m->buf, 1, total, m->f) != total) return -1;
    /* Unpack back to front so each value can be NUL-terminated. */
    size_t at = total + NMETA;
    for (int i = NMETA - 1; i >= 0; i--) {
        size_t const len = m->next.len[i];
        total -= len;
        at -= len + 1;
        memmove(m->buf + at, m->buf + total, len);
        m->buf[at + len] = 0;
        if (len) m->val[i] = m->buf + at;
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

typedef struct {
    struct cli_cleaning *k;
    cli_docs *docs;
    metaSpool *meta;
} countCtx;

static int onDoc(void *opaque, uint64_t doc, const calque_record *r)
{
    countCtx *const x = opaque;
    int const rc = countDoc(x->k, x->docs, doc, r);
    if (rc) return rc;
    const cli_input *const in = &x->docs->inputs[x->docs->input[doc]];
    if (in->format != CALQUE_FORMAT_JSONL || r->raw == NULL) return 0;
    return spoolMeta(x->meta, x->k->common, doc, r);
}

/* Characters (code points) of a UTF-8 text. */
static uint64_t countChars(const char *s, size_t n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int metaReadError(void)
{
    cli_error("cannot read a temporary file: %s", strerror(errno));
    return EX_IOERR;
}

/* The second pass: cleans and writes every document. */
static int writeCleaned(struct cli_cleaning *k, cli_docs *docs,
                        metaSpool *meta, uint64_t minChars, FILE *f,
                        uint64_t *dropped)
{
    if ((meta->f && fseek(meta->f, 0, SEEK_SET) != 0) ||
        readMetaHeader(meta) != 0)
        return metaReadError();
    calque_textSource const src = cli_originalSource(docs);
    char *buf = NULL;
    int rc = 0;
    for (uint64_t doc = 0; doc < docs->ndocs && rc == 0; doc++) {
        cli_showPhase(&k->prog, "cleaning", doc, docs->ndocs);
        size_t const len = docs->textLen[doc];
        char *const p = realloc(buf, len + 1);
        if (p == NULL) {
            cli_error("out of memory");
            rc = EX_OSERR;
            break;
        }
        buf = p;
        if (src.fetch(src.opaque, doc, buf, len) != 0) {
            cli_error("cannot read document %llu again: %s",
                      (unsigned long long)doc + 1, strerror(errno));
            rc = EX_IOERR;
            break;
        }
        size_t n = 0;
        int const e = calque_cleanText(k->cleaner, doc, buf, len, buf, &n);
        if (e < 0) {
            cli_error("document %llu: %s", (unsigned long long)doc + 1,
                      calque_errorName(e));
            rc = exitStatus(e);
            break;
        }
        if (readMeta(meta, doc) != 0) {
            rc = metaReadError();
            break;
        }
        if (minChars && countChars(buf, n) < minChars) {
            ++*dropped;
            continue;
        }
        size_t idLen;
        const char *const id = cli_id(docs, doc, &idLen);
        fputs("{\"id\": ", f);
        fwrite(id, 1, idLen, f);
        for (int i = 0; i < NMETA; i++) {
            if (meta->val[i] == NULL) continue;
            fprintf(f, ", \"%s\": ", metaField[i]);
            cli_putJsonString(f, meta->val[i], strlen(meta->val[i]));
        }
        fputs(", \"text\": ", f);
        cli_putJsonString(f, buf, n);
        fputs("}\n", f);
    }
    free(buf);
    return rc;
}

static void printSummary(const struct cli_cleaning *k, const cli_docs *docs,
                         uint64_t dropped)
{
    calque_cleanStats cs;
    calque_lineCountsStats ls;
    calque_cleanerGetStats(k->cleaner, &cs);
    calque_lineCountsGetStats(k->counts, &ls);
    double const secs = cli_now() - k->prog.start;
    fprintf(stderr, "%s: %llu documents, %llu lines, %llu boilerplate lines "
            "removed, %llu repeated lines removed", cli_progName,
            (unsigned long long)cs.documents, (unsigned long long)cs.lines,
            (unsigned long long)cs.boilerplateLines,
            (unsigned long long)cs.repeatedLines);
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
    if (docs->badRecords)
        fprintf(stderr, "; %llu bad records skipped",
                (unsigned long long)docs->badRecords);
    if (docs->invalidUtf8)
        fprintf(stderr, "; %llu invalid UTF-8 sequences replaced",
                (unsigned long long)docs->invalidUtf8);
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
    countCtx x = {k, &docs, &meta};
    rc = cli_readInputs(&c, &docs, onDoc, &x);
    if (rc == 0 && meta.f && fflush(meta.f) != 0) {
        cli_error("cannot write a temporary file: %s", strerror(errno));
        rc = EX_CANTCREAT;
    }
    cli_out out = {0};
    uint64_t dropped = 0;
    if (rc == 0) rc = cli_openOutput(&out, c.output);
    if (rc == 0) {
        rc = writeCleaned(k, &docs, &meta, minChars, out.f, &dropped);
        cli_endProgress(&k->prog);
        if (rc == 0) rc = cli_commitOutput(&out);
    }
    if (rc != 0) cli_abortOutput(&out);
    if (rc == 0 && !c.quiet) printSummary(k, &docs, dropped);
    if (meta.f) fclose(meta.f);
    free(meta.buf);
    cli_freeDocs(&docs);
    cli_freeCleaning(k);
    return rc;
}
