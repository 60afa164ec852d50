/*
 * warc.c - WARC, WET and HTML inputs of calque_reader: record framing,
 * HTTP payloads, and the main text of pages through the HTML extractor of
 * lib/html (calque_extractHtml()).
 *
 * Framing: a WARC file is a sequence of records, each a header ("WARC/1.x"
 * line, "Name: value" fields, an empty line) and a block of exactly
 * Content-Length bytes followed by CRLF CRLF. The records are read through
 * the reader's sliding window (reader.c): the header is found, parsed,
 * then the window is made to hold the whole block plus a few bytes after
 * it. A record is only accepted when its block is followed by CRLF CRLF
 * (or by some CR/LF bytes and the next "WARC/" line, or by the end of the
 * input), so a wrong Content-Length, too short or too long, is caught on
 * the record itself.
 * A damaged record gives CALQUE_EWARC and the next call looks for the
 * next line starting with "WARC/" from just after the damaged header: a
 * record swallowed by a too long Content-Length is found again. A record
 * over maxRecord is passed over without being kept (CALQUE_ETOOBIG).
 * Memory follows the largest record, as for JSONL.
 *
 * Documents: `response` records whose HTTP payload is HTML (by the HTTP
 * Content-Type, or by its first bytes when there is none), `resource`
 * records of type text/html, and `conversion` records (WET) of plain
 * text. HTTP payloads are de-chunked (Transfer-Encoding: chunked) and
 * inflated (Content-Encoding: gzip, deflate) when they really are; the
 * charset of the Content-Type is the extractor's hint. Everything else is
 * skipped silently and counted in the reader's stats. The same decision
 * code serves calque_recordText(), which reads one raw record again.
 *
 * HTML files: the whole input is one page.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <zlib.h>

#include "common/pool.h"
#include "html/html.h" /* calque__looksBinary() */
#include "io/io.h"

#define HEAD_MAX ((size_t)1 << 20) /* longest WARC header */
#define SNIFF_BYTES 1024           /* bytes looked at to choose a format */
#define PEEK 9                     /* CRLF CRLF "WARC/" after a block */
#define AHEAD_RECORDS 256          /* documents read ahead at most, */
#define AHEAD_BYTES ((size_t)16 << 20) /* ... and bytes of them */

/* ---- Small helpers ----------------------------------------------------- */

typedef struct {
    const char *p;
    size_t len;
} span;

/* A growable byte buffer with CALQUE__IO_PAD spare bytes at its end. */
typedef struct {
    char *p;
    size_t len, cap;
} wbuf;

static int wbufReserve(const calque__mem *m, wbuf *b, size_t extra)
{
    RETURN_ERROR_IF(extra > SIZE_MAX / 4 - b->len, CALQUE_ENOMEM);
    return CALQUE_GROW(m, &b->p, &b->cap, b->len + extra + CALQUE__IO_PAD);
}

static int wbufPut(const calque__mem *m, wbuf *b, const void *p, size_t n)
{
    FORWARD_IF_ERROR(wbufReserve(m, b, n));
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    return 0;
}

static int lowerAscii(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Does @s equal the lower-case ASCII word @w, ignoring case? */
static int spanIs(span s, const char *w)
{
    size_t const n = strlen(w);
    if (s.len != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lowerAscii((unsigned char)s.p[i]) != w[i]) return 0;
    return 1;
}

/* Does @s start with the lower-case ASCII word @w, ignoring case? */
static int spanStarts(span s, const char *w)
{
    size_t const n = strlen(w);
    return s.len >= n && spanIs((span){s.p, n}, w);
}

static int isBlankChar(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static span trim(const char *p, size_t n)
{
    while (n > 0 && isBlankChar((unsigned char)*p)) p++, n--;
    while (n > 0 && isBlankChar((unsigned char)p[n - 1])) n--;
    return (span){p, n};
}

/* Does the text start like an HTML document: an optional UTF-8 byte
 * order mark and whitespace, then "<!doctype html", "<html" or "<head"
 * (any case)? */
static int looksHtml(const char *p, size_t n)
{
    static const char *const starts[] = {"<!doctype html", "<html",
                                         "<head"};
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, n -= 3;
    while (n > 0 && isBlankChar((unsigned char)*p)) p++, n--;
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (spanStarts((span){p, n}, starts[i])) return 1;
    return 0;
}

/* ---- State ------------------------------------------------------------- */

/* A record read ahead (calque_readerOptions.threads > 1): a document,
 * its HTML to be extracted by a worker, or the error to hand out there.
 * Offsets are into its batch's arena, or into the batch's out[worker]
 * for the extracted text and title. */
typedef struct {
    int rc;                  /* 1: a document; < 0: an error */
    int html;                /* body is HTML whose text is to be extracted */
    int got;                 /* ... extractWith()'s result */
    uint64_t number, offset; /* the record's number and input offset */
    size_t raw, rawLen, body, bodyLen, id, idLen, url, urlLen;
    int hasId, hasUrl, hasDate, hasTitle;
    unsigned worker;         /* whose out[] holds text and title */
    size_t text, textLen, title, titleLen;
    calque_readerStats st;   /* what the extraction counted */
    uint64_t invalid;
    char charset[64];
    char date[CALQUE_DATE_SIZE];
    char detail[160];        /* an error's */
} aheadItem;

typedef struct aheadBatch_s aheadBatch;

/* One job of a batch: the items first, first + step, ... */
typedef struct {
    calque__warc *w;
    aheadBatch *b;
    size_t first, step;
} aheadJob;

/* Documents read ahead, handed out in order once their pages are
 * extracted; items[next] is handed out next. */
struct aheadBatch_s {
    wbuf arena;              /* raw records, payloads, ids, URLs */
    wbuf *out;               /* per worker: extracted texts and titles */
    aheadItem *items;
    size_t nitems, cap, next;
    aheadJob *jobs;          /* one per worker */
    unsigned pending;        /* jobs not finished (under the lock) */
};

/* Two batches: one handed out while the workers extract the other's
 * pages and the reading thread frames the next. */
typedef struct {
    calque__pool *pool;      /* made at the first record */
    unsigned nworkers;
    calque_htmlExtractor **ex; /* per worker, made at its first page */
    aheadBatch b[2];
    int cur;                 /* the batch handed out */
    int primed;              /* the other batch was filled once */
    int ended;               /* the input ended, or a final error */
    int sync;                /* lock and done are made */
    pthread_mutex_t lock;
    pthread_cond_t done;     /* a batch's last job finished */
} aheadState;

struct calque__warc_s {
    calque__mem mem;
    aheadState ahead;
    calque_htmlExtractor *ex; /* made at the first page */
    wbuf body;                /* a de-chunked payload */
    wbuf inflated;            /* an inflated payload */
    wbuf text;                /* a repaired conversion text */
    wbuf id, url;             /* the record's id (JSON) and URL */
    char charset[64];         /* the Content-Type charset, or "" */
};

static calque__warc *createWarc(const calque__mem *mem)
{
    calque__warc *const w = calque__calloc(mem, 1, sizeof *w);
    if (w != NULL) w->mem = *mem;
    return w;
}

void calque__freeWarc(calque__warc *w)
{
    if (w == NULL) return;
    calque__mem const mem = w->mem;
    aheadState *const ah = &w->ahead;
    calque__freePool(ah->pool); /* waits for the jobs */
    for (unsigned i = 0; ah->ex && i < ah->nworkers; i++)
        calque_freeHtmlExtractor(ah->ex[i]);
    calque__free(&mem, ah->ex);
    for (int k = 0; k < 2; k++) {
        aheadBatch *const b = &ah->b[k];
        for (unsigned i = 0; b->out && i < ah->nworkers; i++)
            calque__free(&mem, b->out[i].p);
        calque__free(&mem, b->out);
        calque__free(&mem, b->jobs);
        calque__free(&mem, b->arena.p);
        calque__free(&mem, b->items);
    }
    if (ah->sync) {
        pthread_mutex_destroy(&ah->lock);
        pthread_cond_destroy(&ah->done);
    }
    calque_freeHtmlExtractor(w->ex);
    calque__free(&mem, w->body.p);
    calque__free(&mem, w->inflated.p);
    calque__free(&mem, w->text.p);
    calque__free(&mem, w->id.p);
    calque__free(&mem, w->url.p);
    calque__free(&mem, w);
}

/* What one record's decision needs besides the state. */
typedef struct {
    calque_readerStats *stats;
    uint64_t *invalid;   /* UTF-8 replacements */
    size_t maxRecord;
} docCtx;

/* A document's text and title (title NULL when none). */
typedef struct {
    const char *text, *title;
    size_t textLen, titleLen;
} warcDoc;

/* ---- WARC header ------------------------------------------------------- */

typedef struct {
    span type, id, uri, date, contentType;
    uint64_t contentLength;
} warcHead;

/* The length of the header at @p (@n bytes): up to and including the
 * first empty line (CRLF CRLF or LF LF), or 0 when there is none. */
static size_t headLength(const char *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        const char *const nl = memchr(p + i, '\n', n - i);
        if (nl == NULL) return 0;
        size_t const k = (size_t)(nl - p) + 1;
        if (k < n && p[k] == '\n') return k + 1;
        if (k + 1 < n && p[k] == '\r' && p[k + 1] == '\n') return k + 2;
        if (k >= n) return 0;
        i = k;
    }
}

/* Parses the header [p, p + n) (the version line, fields, empty line).
 * Continuation lines are ignored; names are matched ignoring case; the
 * first of repeated fields wins. @return 0, or -1 with @why set. */
static int parseHead(const char *p, size_t n, warcHead *h, const char **why)
{
    memset(h, 0, sizeof *h);
    const char *const e = p + n;
    const char *q = p + 5; /* after "WARC/" */
    if (q >= e || *q < '0' || *q > '9') goto bad_version;
    while (q < e && *q >= '0' && *q <= '9') q++;
    if (q >= e || *q++ != '.' || q >= e || *q < '0' || *q > '9')
        goto bad_version;
    while (q < e && *q >= '0' && *q <= '9') q++;
    if (q < e && *q == '\r') q++;
    if (q >= e || *q++ != '\n') goto bad_version;
    int haveLength = 0;
    while (q < e) {
        const char *const nl = memchr(q, '\n', (size_t)(e - q));
        const char *const lineEnd = nl ? nl : e;
        span const line = trim(q, (size_t)(lineEnd - q));
        int const continued = *q == ' ' || *q == '\t';
        q = nl ? nl + 1 : e;
        if (line.len == 0) break; /* the empty line */
        if (continued) continue;
        const char *const colon = memchr(line.p, ':', line.len);
        if (colon == NULL) {
            *why = "a header line without ':'";
            return -1;
        }
        span const name = trim(line.p, (size_t)(colon - line.p));
        span const value =
            trim(colon + 1, (size_t)(line.p + line.len - colon - 1));
        span *field = NULL;
        if (spanIs(name, "warc-type")) field = &h->type;
        else if (spanIs(name, "warc-record-id")) field = &h->id;
        else if (spanIs(name, "warc-target-uri")) field = &h->uri;
        else if (spanIs(name, "warc-date")) field = &h->date;
        else if (spanIs(name, "content-type")) field = &h->contentType;
        if (field != NULL && field->p == NULL) *field = value;
        if (spanIs(name, "content-length") && !haveLength) {
            uint64_t v = 0;
            if (value.len == 0 || value.len > 18) goto bad_length;
            for (size_t i = 0; i < value.len; i++) {
                unsigned const d = (unsigned char)value.p[i] - '0';
                if (d > 9) goto bad_length;
                v = 10 * v + d;
            }
            h->contentLength = v;
            haveLength = 1;
        }
    }
    if (!haveLength) {
        *why = "no Content-Length";
        return -1;
    }
    return 0;

bad_version:
    *why = "a bad version line";
    return -1;
bad_length:
    *why = "a bad Content-Length";
    return -1;
}

/* ---- HTTP payloads ----------------------------------------------------- */

typedef struct {
    int status;
    span contentType, transferEncoding, contentEncoding;
    size_t bodyStart; /* offset of the body in the block */
} httpHead;

/* Parses the HTTP status line and header at the start of a response
 * block. @return 0, or -1 when it is not an HTTP response header. */
static int parseHttp(const char *p, size_t n, httpHead *h)
{
    memset(h, 0, sizeof *h);
    if (!spanStarts((span){p, n}, "http/")) return -1;
    size_t const hlen = headLength(p, n);
    if (hlen == 0) return -1;
    const char *const e = p + hlen;
    const char *q = memchr(p, '\n', hlen);
    const char *sp = memchr(p, ' ', (size_t)(q - p));
    if (sp == NULL || q - sp < 4) return -1;
    for (int i = 1; i <= 3; i++) {
        unsigned const d = (unsigned char)sp[i] - '0';
        if (d > 9) return -1;
        h->status = 10 * h->status + (int)d;
    }
    q++;
    while (q < e) {
        const char *const nl = memchr(q, '\n', (size_t)(e - q));
        const char *const lineEnd = nl ? nl : e;
        span const line = trim(q, (size_t)(lineEnd - q));
        q = nl ? nl + 1 : e;
        const char *const colon =
            line.len ? memchr(line.p, ':', line.len) : NULL;
        if (colon == NULL) continue;
        span const name = trim(line.p, (size_t)(colon - line.p));
        span const value =
            trim(colon + 1, (size_t)(line.p + line.len - colon - 1));
        span *field = NULL;
        if (spanIs(name, "content-type")) field = &h->contentType;
        else if (spanIs(name, "transfer-encoding"))
            field = &h->transferEncoding;
        else if (spanIs(name, "content-encoding"))
            field = &h->contentEncoding;
        if (field != NULL && field->p == NULL) *field = value;
    }
    h->bodyStart = hlen;
    return 0;
}

/* Splits a Content-Type value into its media type (*type) and its
 * charset parameter, copied NUL-terminated into @charset ("" when there
 * is none or it does not fit). */
static void mediaType(span ct, span *type, char charset[64])
{
    charset[0] = 0;
    *type = ct;
    if (ct.len == 0) return; /* absent: ct.p may be NULL */
    const char *const semi = memchr(ct.p, ';', ct.len);
    *type = trim(ct.p, semi ? (size_t)(semi - ct.p) : ct.len);
    const char *q = semi;
    const char *const e = ct.p + ct.len;
    while (q != NULL && q < e) {
        q++; /* after ';' */
        const char *const next = memchr(q, ';', (size_t)(e - q));
        span const param = trim(q, (size_t)((next ? next : e) - q));
        if (spanStarts(param, "charset=")) {
            span v = trim(param.p + 8, param.len - 8);
            if (v.len >= 2 && (v.p[0] == '"' || v.p[0] == '\'') &&
                v.p[v.len - 1] == v.p[0])
                v = trim(v.p + 1, v.len - 2);
            if (v.len < 64) {
                memcpy(charset, v.p, v.len);
                charset[v.len] = 0;
            }
        }
        q = next;
    }
}

static int isHtmlType(span type)
{
    return spanIs(type, "text/html") || spanIs(type, "application/xhtml+xml");
}

/* Decodes a chunked body into w->body: hex size lines (extensions
 * ignored), data, CRLF, up to the 0-size chunk; a body cut short keeps
 * what it has. @return 1 when the body was chunked, 0 when it does not
 * start with a chunk size line (crawlers often store bodies already
 * de-chunked), or CALQUE_ENOMEM. */
static int dechunk(calque__warc *w, const char *p, size_t n)
{
    const char *q = p;
    const char *const e = p + n;
    w->body.len = 0;
    for (int first = 1;; first = 0) {
        uint64_t size = 0;
        int digits = 0;
        for (; q < e && digits < 16; q++, digits++) {
            int const c = lowerAscii((unsigned char)*q);
            unsigned const d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                               : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                                      : 16;
            if (d == 16) break;
            size = 16 * size + d;
        }
        const char *const nl = q < e ? memchr(q, '\n', (size_t)(e - q)) : NULL;
        int const lineOk = digits > 0 && nl != NULL &&
                           (*q == '\r' || *q == '\n' || *q == ';' ||
                            *q == ' ' || *q == '\t');
        if (!lineOk) return first ? 0 : 1;
        q = nl + 1;
        if (size == 0) return 1;
        size_t const take = (size_t)CALQUE_MIN(size, (uint64_t)(e - q));
        FORWARD_IF_ERROR(wbufPut(&w->mem, &w->body, q, take));
        q += take;
        if (take < size) return 1;
        if (q < e && *q == '\r') q++;
        if (q < e && *q == '\n') q++;
    }
}

static void *zAlloc(void *opaque, unsigned n, unsigned size)
{
    calque__mem const *const m = opaque;
    if (size && n > SIZE_MAX / size) return Z_NULL;
    return calque__malloc(m, (size_t)n * size);
}

static void zFree(void *opaque, void *p)
{
    calque__free(opaque, p);
}

/* Inflates [p, p + n) into w->inflated with zlib @windowBits (15 + 32:
 * gzip or zlib header; -15: raw deflate), at most @max bytes. A stream
 * cut short keeps what it has. @return 0, 1 (corrupt data),
 * CALQUE_ETOOBIG or CALQUE_ENOMEM. */
static int inflateBody(calque__warc *w, const char *p, size_t n,
                       int windowBits, size_t max)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = zAlloc;
    z.zfree = zFree;
    z.opaque = &w->mem;
    RETURN_ERROR_IF(inflateInit2(&z, windowBits) != Z_OK, CALQUE_ENOMEM);
    w->inflated.len = 0;
    z.next_in = (Bytef *)(uintptr_t)p;
    int rc = 0;
    size_t left = n;
    for (;;) {
        if (z.avail_in == 0) {
            z.avail_in = (uInt)CALQUE_MIN(left, (size_t)1 << 30);
            left -= z.avail_in;
        }
        size_t const room = CALQUE_MAX((size_t)1 << 16, w->inflated.len);
        rc = wbufReserve(&w->mem, &w->inflated, room);
        if (rc < 0) break;
        z.next_out = (Bytef *)w->inflated.p + w->inflated.len;
        z.avail_out = (uInt)CALQUE_MIN(room, (size_t)1 << 30);
        uInt const before = z.avail_out;
        int const zr = inflate(&z, Z_NO_FLUSH);
        w->inflated.len += before - z.avail_out;
        if (w->inflated.len > max) {
            rc = CALQUE_ETOOBIG;
            break;
        }
        if (zr == Z_STREAM_END) break;
        if (zr == Z_MEM_ERROR) {
            rc = CALQUE_ENOMEM;
            break;
        }
        if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_STREAM_ERROR) {
            rc = 1;
            break;
        }
        if (zr == Z_BUF_ERROR && z.avail_in == 0 && left == 0) break;
    }
    inflateEnd(&z);
    return rc;
}

/* Undoes the Transfer-Encoding and Content-Encoding of an HTTP body in
 * place of [*p, *p + *n). @return 0, 1 (cannot be decoded: counted by the
 * caller), CALQUE_ETOOBIG or CALQUE_ENOMEM. */
static int decodeBody(calque__warc *w, const httpHead *h, const char **p,
                      size_t *n, size_t max)
{
    span const te = h->transferEncoding, ce = h->contentEncoding;
    if (spanIs(te, "chunked")) {
        int const rc = dechunk(w, *p, *n);
        if (rc < 0) return rc;
        if (rc == 1) {
            *p = w->body.p;
            *n = w->body.len;
        }
    } else if (te.len && !spanIs(te, "identity")) {
        return 1;
    }
    if (ce.len == 0 || spanIs(ce, "identity")) return 0;
    int const gzip = spanIs(ce, "gzip") || spanIs(ce, "x-gzip");
    if (!gzip && !spanIs(ce, "deflate")) return 1; /* br, zstd, ... */
    if (gzip && (*n < 2 || memcmp(*p, "\x1F\x8B", 2) != 0))
        return 0; /* stored already decoded */
    int rc = inflateBody(w, *p, *n, 15 + 32, max);
    if (rc == 1 && !gzip) rc = inflateBody(w, *p, *n, -15, max);
    if (rc != 0) return rc;
    *p = w->inflated.p;
    *n = w->inflated.len;
    return 0;
}

/* ---- Documents --------------------------------------------------------- */

/* Runs HTML extractor @ex over a page, with the Content-Type's @charset
 * (or NULL). @return 1 with @d filled, 0 when the page is skipped
 * (counted), or an error (CALQUE_ETOOBIG counted). */
static int extractWith(calque_htmlExtractor *ex, const char *charset,
                       const docCtx *c, const char *p, size_t n, warcDoc *d,
                       int keepEmpty)
{
    int const rc = calque_extractHtml(ex, p, n, charset, &d->text,
                                      &d->textLen, &d->title, &d->titleLen);
    if (rc == CALQUE_EBINARY) {
        c->stats->skippedBinary++;
        return keepEmpty ? rc : 0;
    }
    if (rc == CALQUE_ETOOBIG) c->stats->tooBig++;
    if (rc < 0) return rc;
    calque_htmlInfo info;
    calque_htmlGetInfo(ex, &info);
    *c->invalid += info.replaced;
    if (d->titleLen == 0) d->title = NULL;
    if (d->textLen == 0 && !keepEmpty) {
        c->stats->skippedEmpty++;
        return 0;
    }
    return 1;
}

/* Makes an HTML extractor that allocates through @m. */
static calque_htmlExtractor *newExtractor(const calque__mem *m, int *err)
{
    calque_customMem const cm = {m->alloc, m->free, m->opaque};
    calque_htmlExtractor *const ex = calque_createHtmlExtractor(NULL, &cm,
                                                                err);
    if (ex == NULL && *err >= 0) *err = CALQUE_ENOMEM;
    return ex;
}

/* extractWith() the state's extractor (made at the first page) and the
 * charset of the record's Content-Type. */
static int extractPage(calque__warc *w, const docCtx *c, const char *p,
                       size_t n, warcDoc *d, int keepEmpty)
{
    if (w->ex == NULL) {
        int err = 0;
        w->ex = newExtractor(&w->mem, &err);
        if (w->ex == NULL) return err;
    }
    return extractWith(w->ex, w->charset[0] ? w->charset : NULL, c, p, n, d,
                       keepEmpty);
}

/* The text of a conversion record: its block as is, bad UTF-8 repaired.
 * p[n] must be readable and ASCII. @return 1, 0 (skipped, counted) or
 * CALQUE_ENOMEM. */
static int plainText(calque__warc *w, const docCtx *c, const char *p,
                     size_t n, warcDoc *d)
{
    if (calque__looksBinary((const uint8_t *)p, n)) {
        c->stats->skippedBinary++;
        return 0;
    }
    if (trim(p, n).len == 0) {
        c->stats->skippedEmpty++;
        return 0;
    }
    size_t const valid = calque__utf8ValidPrefix(p, n);
    d->text = p;
    d->textLen = n;
    if (valid < n) {
        w->text.len = 0;
        FORWARD_IF_ERROR(wbufReserve(&w->mem, &w->text, 3 * (n - valid) +
                                                             valid));
        memcpy(w->text.p, p, valid);
        d->textLen = valid + calque__repairUtf8(p + valid, n - valid,
                                                w->text.p + valid,
                                                c->invalid);
        d->text = w->text.p;
    }
    d->title = NULL;
    d->titleLen = 0;
    return 1;
}

/* Decides whether the record of header @h and block [b, b + n) is a
 * document. b[n] must be readable and ASCII. @return 1 with @d filled (a
 * conversion record's text), 2 with d->text the HTML payload whose text
 * is to be extracted (the charset of its Content-Type in w->charset), 0
 * when skipped (counted), or CALQUE_ETOOBIG (counted) or CALQUE_ENOMEM. */
static int warcDocument(calque__warc *w, const docCtx *c, const warcHead *h,
                        const char *b, size_t n, warcDoc *d)
{
    calque_readerStats *const st = c->stats;
    span type;
    w->charset[0] = 0;
    if (spanIs(h->type, "response")) {
        if (h->contentType.len &&
            !spanStarts(h->contentType, "application/http")) {
            st->skippedMedia++; /* dns:, ftp listings... */
            return 0;
        }
        httpHead hh;
        if (parseHttp(b, n, &hh) != 0) {
            st->skippedHttp++;
            return 0;
        }
        if (hh.status < 200 || hh.status > 299) {
            st->skippedStatus++;
            return 0;
        }
        const char *body = b + hh.bodyStart;
        size_t len = n - hh.bodyStart;
        mediaType(hh.contentType, &type, w->charset);
        int const rc = decodeBody(w, &hh, &body, &len, c->maxRecord);
        if (rc == CALQUE_ETOOBIG) st->tooBig++;
        if (rc < 0) return rc;
        if (rc == 1) {
            st->skippedHttp++;
            return 0;
        }
        if (type.len ? !isHtmlType(type) : !looksHtml(body, len)) {
            st->skippedMedia++;
            return 0;
        }
        d->text = body;
        d->textLen = len;
        return 2;
    }
    if (spanIs(h->type, "resource")) {
        mediaType(h->contentType, &type, w->charset);
        if (type.len ? !isHtmlType(type) : !looksHtml(b, n)) {
            st->skippedMedia++;
            return 0;
        }
        d->text = b;
        d->textLen = n;
        return 2;
    }
    if (spanIs(h->type, "conversion")) {
        mediaType(h->contentType, &type, w->charset);
        if (type.len && !spanIs(type, "text/plain")) {
            st->skippedMedia++;
            return 0;
        }
        return plainText(w, c, b, n, d);
    }
    st->skippedType++;
    return 0;
}

/* ---- Ids and URLs ------------------------------------------------------ */

/* Writes @v (p[len] readable and ASCII) as valid UTF-8 into @out,
 * replacing bad sequences. @return 0 or CALQUE_ENOMEM. */
static int putUtf8(calque__warc *w, wbuf *out, span v, uint64_t *invalid)
{
    out->len = 0;
    FORWARD_IF_ERROR(wbufReserve(&w->mem, out, 3 * v.len));
    out->len = calque__repairUtf8(v.p, v.len, out->p, invalid);
    return 0;
}

/* Makes w->id the JSON string of the WARC-Record-ID @v. */
static int makeId(calque__warc *w, span v, uint64_t *invalid)
{
    FORWARD_IF_ERROR(putUtf8(w, &w->url, v, invalid)); /* scratch */
    size_t const n = w->url.len;
    w->id.len = 0;
    FORWARD_IF_ERROR(wbufReserve(&w->mem, &w->id, 6 * n + 2));
    char *o = w->id.p;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char const ch = (unsigned char)w->url.p[i];
        if (ch == '"' || ch == '\\') {
            *o++ = '\\';
            *o++ = (char)ch;
        } else if (ch < 0x20) {
            o += snprintf(o, 7, "\\u%04x", ch);
        } else {
            *o++ = (char)ch;
        }
    }
    *o++ = '"';
    w->id.len = (size_t)(o - w->id.p);
    return 0;
}

/* Makes w->url the WARC-Target-URI @v, without the angle brackets some
 * writers put around it. */
static int makeUrl(calque__warc *w, span v, uint64_t *invalid)
{
    if (v.len >= 2 && v.p[0] == '<' && v.p[v.len - 1] == '>')
        v = trim(v.p + 1, v.len - 2);
    return putUtf8(w, &w->url, v, invalid);
}

/* ---- Framing ----------------------------------------------------------- */

static calque__warc *readerWarc(calque_reader *r)
{
    if (r->warc == NULL) r->warc = createWarc(&r->mem);
    return r->warc;
}

/* Reads more input into the window. A source error (a broken gzip
 * member, a read error) ends the input here: it is kept in r->srcErr and
 * reported once the records read before it are handed out. */
static void more(calque_reader *r)
{
    ptrdiff_t const got = calque__readerFill(r);
    if (got < 0) {
        r->srcErr = (int)got;
        r->eof = 1;
    }
}

/* Makes the window hold at least @n unread bytes, or all that is left. */
static void want(calque_reader *r, size_t n)
{
    while (r->end - r->beg < n && !r->eof) more(r);
}

/* Consumes @n bytes of the window. */
static void consume(calque_reader *r, size_t n)
{
    r->beg += n;
    r->scan = r->beg;
}

/* Reports a damaged record (counted in *counter) and arranges for the
 * next call to look for a "WARC/" line from buf[beg + from] on.
 * @return CALQUE_EWARC. */
__attribute__((format(printf, 4, 5))) static int damaged(
    calque_reader *r, uint64_t *counter, size_t from, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->json.detail, sizeof r->json.detail, fmt, ap);
    va_end(ap);
    (*counter)++;
    r->resync = 1;
    r->resyncFrom = from;
    return CALQUE_EWARC;
}

/* Passes over bytes up to the next line starting with "WARC/", looking
 * from r->resyncFrom on, keeping only a few bytes at a time. */
static void resync(calque_reader *r)
{
    size_t from = r->resyncFrom;
    for (;;) {
        size_t const n = r->end - r->beg;
        const char *const b = r->buf + r->beg;
        const char *const q =
            from < n ? memmem(b + from, n - from, "\nWARC/", 6) : NULL;
        if (q != NULL || r->eof) {
            size_t const skip = q ? (size_t)(q + 1 - b) : n;
            r->stats.resyncBytes += skip;
            consume(r, skip);
            r->resync = 0;
            return;
        }
        size_t const drop = n > 5 ? n - 5 : 0; /* keep a partial match */
        r->stats.resyncBytes += drop;
        consume(r, drop);
        from = from > drop ? from - drop : 0;
        more(r);
    }
}

/* Skips the CR and LF bytes between records. */
static void skipBlankLines(calque_reader *r)
{
    for (;;) {
        while (r->beg < r->end &&
               (r->buf[r->beg] == '\r' || r->buf[r->beg] == '\n'))
            consume(r, 1);
        if (r->beg < r->end || r->eof) return;
        more(r);
    }
}

/* Finds the end of the header at the start of the window.
 * @return 1 with *hlen set, 0 when the input ends first, 2 when it is
 * longer than @max. */
static int findHead(calque_reader *r, size_t max, size_t *hlen)
{
    for (;;) {
        size_t const n = r->end - r->beg;
        size_t const len = headLength(r->buf + r->beg, n);
        if (len != 0 && len <= max) {
            *hlen = len;
            return 1;
        }
        if (n > max) return 2;
        if (r->eof) return 0;
        more(r);
    }
}

/* Does the block ending at @at (relative to beg) end well: followed by
 * CRLF CRLF, or by fewer CR/LF bytes and the next "WARC/" line, or by
 * the end of the input (the last CRLFs may be missing)? *next gets the
 * offset after the CR/LF bytes. The window holds at least at + PEEK
 * bytes or all that is left. */
static int endsWell(const calque_reader *r, size_t at, size_t *next)
{
    const char *const b = r->buf + r->beg;
    size_t const n = r->end - r->beg;
    size_t t = 0;
    while (t < 4 && at + t < n && (b[at + t] == '\r' || b[at + t] == '\n'))
        t++;
    *next = at + t;
    if (at + t == n) return r->eof;
    if (t == 4 && memcmp(b + at, "\r\n\r\n", 4) == 0) return 1;
    if (t > 0 && (b[at + t] == '\r' || b[at + t] == '\n')) return 1;
    return t > 0 && n - (at + t) >= 5 && memcmp(b + at + t, "WARC/", 5) == 0;
}

/* Passes over a record of @total bytes (header and block) that is over
 * maxRecord without keeping it. @return CALQUE_ETOOBIG, or the source
 * error that cut it. */
static int skipTooBig(calque_reader *r, uint64_t total, uint64_t at)
{
    r->stats.tooBig++;
    uint64_t left = total;
    for (;;) {
        size_t const take =
            (size_t)CALQUE_MIN((uint64_t)(r->end - r->beg), left);
        consume(r, take);
        left -= take;
        if (left == 0 || r->eof) break;
        more(r);
    }
    if (left > 0 && r->srcErr) return r->srcErr;
    want(r, PEEK);
    size_t next = 0;
    if (left == 0 && endsWell(r, 0, &next)) {
        consume(r, next);
    } else {
        r->resync = 1;
        r->resyncFrom = 0;
    }
    snprintf(r->json.detail, sizeof r->json.detail,
             "record at byte %llu is longer than %zu bytes",
             (unsigned long long)at, r->maxRecord);
    return CALQUE_ETOOBIG;
}

/* Sets the detail of a payload too large to decode or parse, the record
 * at input offset @at. */
static void payloadTooBig(calque_reader *r, uint64_t at)
{
    snprintf(r->json.detail, sizeof r->json.detail,
             "the payload of the record at byte %llu is too large "
             "(decoded over %zu bytes, or over the HTML parser's "
             "memory bound)", (unsigned long long)at, r->maxRecord);
}

/* Frames the next record that is a document (skipping the others, and
 * counting them) and fills @rec but for its text and title.
 * @return 1 with the text in @d (a conversion record), 2 with the HTML
 * payload in @d (w->charset its charset, r->offset the record's offset),
 * 0 at the end, or an error as calque_readRecord() gives. The texts stay
 * valid until the next call. */
static int nextDocument(calque_reader *r, calque_record *rec, warcDoc *d)
{
    calque__warc *const w = readerWarc(r);
    RETURN_ERROR_IF(w == NULL, CALQUE_ENOMEM);
    calque_readerStats *const st = &r->stats;
    docCtx const ctx = {st, &r->invalid, r->maxRecord};
    size_t const headMax = CALQUE_MIN(HEAD_MAX, r->maxRecord);
    r->json.detail[0] = 0;
    for (;;) {
        if (r->resync) resync(r);
        skipBlankLines(r);
        if (r->beg == r->end) { /* 0: a clean end */
            if (r->srcErr) r->lastLine = r->number + 1; /* the next one */
            return r->srcErr;
        }
        r->number++;
        r->lastLine = r->number;
        unsigned long long const at = r->base + r->beg;
        want(r, 5);
        if (r->end - r->beg < 5 && r->srcErr) return r->srcErr;
        if (r->end - r->beg < 5 || memcmp(r->buf + r->beg, "WARC/", 5) != 0)
            return damaged(r, &st->malformed, 0,
                           "no WARC record at byte %llu", at);
        size_t hlen = 0;
        int const found = findHead(r, headMax, &hlen);
        if (found == 0 && r->srcErr) return r->srcErr;
        if (found == 0)
            return damaged(r, &st->truncated, 1,
                           "the input ends in the header of the record "
                           "at byte %llu", at);
        if (found == 2)
            return damaged(r, &st->malformed, 1,
                           "the header of the record at byte %llu is "
                           "longer than %zu bytes", at, headMax);
        warcHead h;
        const char *why = "";
        if (parseHead(r->buf + r->beg, hlen, &h, &why) != 0)
            return damaged(r, &st->malformed, 1,
                           "the record at byte %llu has %s", at, why);
        unsigned long long const cl = h.contentLength;
        if (cl > r->maxRecord - hlen) return skipTooBig(r, hlen + cl, at);
        size_t const total = hlen + (size_t)cl;
        want(r, total + PEEK);
        if (r->end - r->beg < total && r->srcErr) return r->srcErr;
        if (r->end - r->beg < total)
            return damaged(r, &st->truncated, hlen - 1,
                           "the input ends %llu bytes into the %llu-byte "
                           "block of the record at byte %llu",
                           (unsigned long long)(r->end - r->beg - hlen),
                           cl, at);
        size_t next = 0;
        int const cut = r->srcErr && r->end - r->beg < total + PEEK;
        if (!endsWell(r, total, &next) && !cut)
            return damaged(r, &st->malformed, hlen - 1,
                           "the record at byte %llu does not end after its "
                           "Content-Length (%llu): no CRLF CRLF and next "
                           "record there", at, cl);

        char *const b = r->buf + r->beg;
        (void)parseHead(b, hlen, &h, &why); /* want() may move the window */
        char const after = b[total]; /* in the window or its padding */
        b[total] = 0; /* the ASCII sentinel the UTF-8 scanners need */
        int const rc = warcDocument(w, &ctx, &h, b + hlen, total - hlen, d);
        b[total] = after;
        consume(r, next); /* the bytes stay until the next read */
        if (rc == CALQUE_ETOOBIG) payloadTooBig(r, at);
        if (rc < 0) return rc;
        if (rc == 0) continue;

        r->offset = at;
        if (h.id.len) {
            FORWARD_IF_ERROR(makeId(w, h.id, &r->invalid));
            rec->id = w->id.p;
            rec->idLen = w->id.len;
        }
        if (h.uri.len) {
            FORWARD_IF_ERROR(makeUrl(w, h.uri, &r->invalid));
            rec->url = w->url.p;
            rec->urlLen = w->url.len;
        }
        if (h.date.len && calque__readerDate(r, h.date.p, h.date.len)) {
            rec->date = r->date;
            rec->dateLen = CALQUE_DATE_SIZE - 1;
        }
        rec->raw = b;
        rec->rawLen = total;
        rec->number = r->number;
        rec->line = r->number;
        return rc;
    }
}

/* One document, its HTML extracted here. */
static int readOne(calque_reader *r, calque_record *rec)
{
    for (;;) {
        memset(rec, 0, sizeof *rec);
        warcDoc d;
        int rc = nextDocument(r, rec, &d);
        if (rc == 2) {
            docCtx const ctx = {&r->stats, &r->invalid, r->maxRecord};
            rc = extractPage(r->warc, &ctx, d.text, d.textLen, &d, 0);
            if (rc == CALQUE_ETOOBIG) payloadTooBig(r, r->offset);
            if (rc == 0) continue;
        }
        if (rc <= 0) return rc;
        rec->text = d.text;
        rec->textLen = d.textLen;
        rec->title = d.title;
        rec->titleLen = d.titleLen;
        return 1;
    }
}

/* ---- Reading ahead: HTML extracted by several threads ----------------- */

/* Copies [p, p + n) to the arena of @b, followed by CALQUE__IO_PAD zero
 * bytes. @return 0 with its offset in *at, or CALQUE_ENOMEM. */
static int arenaPut(const calque__mem *m, aheadBatch *b, const char *p,
                    size_t n, size_t *at)
{
    wbuf *const a = &b->arena;
    FORWARD_IF_ERROR(wbufReserve(m, a, n + CALQUE__IO_PAD));
    *at = a->len;
    if (n) memcpy(a->p + a->len, p, n);
    memset(a->p + a->len + n, 0, CALQUE__IO_PAD);
    a->len += n + CALQUE__IO_PAD;
    return 0;
}

/* Extracts the text of one page of a batch on worker @worker. */
static void extractItem(calque__warc *w, aheadBatch *b, aheadItem *it,
                        unsigned worker)
{
    aheadState *const ah = &w->ahead;
    if (ah->ex[worker] == NULL) {
        int err = 0;
        ah->ex[worker] = newExtractor(&w->mem, &err);
        if (ah->ex[worker] == NULL) {
            it->got = err;
            return;
        }
    }
    docCtx const ctx = {&it->st, &it->invalid, 0};
    warcDoc d;
    it->got = extractWith(ah->ex[worker], it->charset[0] ? it->charset : NULL,
                          &ctx, b->arena.p + it->body, it->bodyLen, &d, 0);
    if (it->got != 1) return;
    wbuf *const o = &b->out[worker];
    it->worker = worker;
    it->text = o->len;
    it->textLen = d.textLen;
    if (wbufPut(&w->mem, o, d.text, d.textLen) != 0) {
        it->got = CALQUE_ENOMEM;
        return;
    }
    it->hasTitle = d.title != NULL;
    it->title = o->len;
    it->titleLen = d.titleLen;
    if (d.title && wbufPut(&w->mem, o, d.title, d.titleLen) != 0)
        it->got = CALQUE_ENOMEM;
}

static void extractJob(void *arg, unsigned worker)
{
    aheadJob *const j = arg;
    aheadState *const ah = &j->w->ahead;
    for (size_t k = j->first; k < j->b->nitems; k += j->step)
        if (j->b->items[k].html)
            extractItem(j->w, j->b, &j->b->items[k], worker);
    pthread_mutex_lock(&ah->lock);
    if (--j->b->pending == 0) pthread_cond_broadcast(&ah->done);
    pthread_mutex_unlock(&ah->lock);
}

/* Makes the workers and the batches' per-worker parts. */
static int aheadInit(calque_reader *r, calque__warc *w)
{
    aheadState *const ah = &w->ahead;
    calque__mem const *const m = &w->mem;
    if (ah->pool) return 0;
    if (!ah->sync) {
        if (pthread_mutex_init(&ah->lock, NULL) != 0) return CALQUE_ENOMEM;
        if (pthread_cond_init(&ah->done, NULL) != 0) {
            pthread_mutex_destroy(&ah->lock);
            return CALQUE_ENOMEM;
        }
        ah->sync = 1;
    }
    ah->nworkers = r->threads;
    if (ah->ex == NULL)
        ah->ex = calque__calloc(m, ah->nworkers, sizeof *ah->ex);
    RETURN_ERROR_IF(ah->ex == NULL, CALQUE_ENOMEM);
    for (int k = 0; k < 2; k++) {
        aheadBatch *const b = &ah->b[k];
        if (b->out == NULL)
            b->out = calque__calloc(m, ah->nworkers, sizeof *b->out);
        if (b->jobs == NULL)
            b->jobs = calque__calloc(m, ah->nworkers, sizeof *b->jobs);
        RETURN_ERROR_IF(b->out == NULL || b->jobs == NULL, CALQUE_ENOMEM);
    }
    int err = 0;
    ah->pool = calque__createPool(m, ah->nworkers, &err);
    return ah->pool ? 0 : err < 0 ? err : CALQUE_ENOMEM;
}

/* Frames the next documents into batch @b (up to AHEAD_RECORDS or
 * AHEAD_BYTES, the end, or an error, which is then its last item) and
 * hands their pages to the workers. Records that are not documents are
 * counted as they are read. @return 0 or CALQUE_ENOMEM. */
static int aheadFill(calque_reader *r, calque__warc *w, aheadBatch *b)
{
    aheadState *const ah = &w->ahead;
    calque__mem const *const m = &w->mem;
    b->nitems = b->next = 0;
    b->arena.len = 0;
    for (unsigned i = 0; i < ah->nworkers; i++) b->out[i].len = 0;
    while (!ah->ended && b->nitems < AHEAD_RECORDS &&
           b->arena.len < AHEAD_BYTES) {
        calque_record rec;
        warcDoc d;
        memset(&rec, 0, sizeof rec);
        int const rc = nextDocument(r, &rec, &d);
        if (rc == 0 || (rc < 0 && rc != CALQUE_EWARC && rc != CALQUE_ETOOBIG))
            ah->ended = 1; /* as calque_readRecord() will take it */
        if (rc == 0) break;
        FORWARD_IF_ERROR(CALQUE_GROW(m, &b->items, &b->cap, b->nitems + 1));
        aheadItem *const it = &b->items[b->nitems++];
        memset(it, 0, offsetof(aheadItem, charset));
        it->number = r->lastLine;
        if (rc < 0) {
            it->rc = rc;
            memcpy(it->detail, r->json.detail, sizeof it->detail);
            break;
        }
        it->rc = 1;
        it->html = rc == 2;
        it->offset = r->offset;
        memcpy(it->charset, w->charset, sizeof it->charset);
        FORWARD_IF_ERROR(arenaPut(m, b, rec.raw, rec.rawLen, &it->raw));
        it->rawLen = rec.rawLen;
        uintptr_t const r0 = (uintptr_t)rec.raw, t0 = (uintptr_t)d.text;
        if (d.textLen <= rec.rawLen && t0 >= r0 &&
            t0 - r0 <= rec.rawLen - d.textLen) /* inside raw */
            it->body = it->raw + (size_t)(t0 - r0);
        else /* de-chunked, inflated or repaired */
            FORWARD_IF_ERROR(arenaPut(m, b, d.text, d.textLen, &it->body));
        it->bodyLen = d.textLen;
        if ((it->hasId = rec.id != NULL))
            FORWARD_IF_ERROR(arenaPut(m, b, rec.id, rec.idLen, &it->id));
        it->idLen = rec.idLen;
        if ((it->hasUrl = rec.url != NULL))
            FORWARD_IF_ERROR(arenaPut(m, b, rec.url, rec.urlLen, &it->url));
        it->urlLen = rec.urlLen;
        if ((it->hasDate = rec.date != NULL))
            memcpy(it->date, rec.date, sizeof it->date);
    }
    b->pending = ah->nworkers;
    for (unsigned i = 0; i < ah->nworkers; i++) {
        b->jobs[i] = (aheadJob){w, b, i, ah->nworkers};
        int const rc = calque__poolSubmit(ah->pool, extractJob, &b->jobs[i]);
        if (rc != 0) { /* never started: not pending */
            pthread_mutex_lock(&ah->lock);
            b->pending -= ah->nworkers - i;
            pthread_mutex_unlock(&ah->lock);
            return rc;
        }
    }
    return 0;
}

/* Waits for the pages of batch @b and adds what their extraction counted
 * to the reader's stats. */
static void aheadWait(calque_reader *r, aheadState *ah, aheadBatch *b)
{
    pthread_mutex_lock(&ah->lock);
    while (b->pending > 0) pthread_cond_wait(&ah->done, &ah->lock);
    pthread_mutex_unlock(&ah->lock);
    for (size_t k = 0; k < b->nitems; k++) {
        aheadItem const *const it = &b->items[k];
        r->stats.skippedBinary += it->st.skippedBinary;
        r->stats.skippedEmpty += it->st.skippedEmpty;
        r->stats.tooBig += it->st.tooBig;
        r->invalid += it->invalid;
    }
}

/* The next document read ahead, or the error at its place. While the
 * caller uses one batch, the workers extract the pages of the other; when
 * it is used up, this thread frames the batch after, then waits for the
 * other. */
static int readAhead(calque_reader *r, calque_record *rec)
{
    calque__warc *const w = r->warc;
    aheadState *const ah = &w->ahead;
    FORWARD_IF_ERROR(aheadInit(r, w));
    for (;;) {
        aheadBatch *b = &ah->b[ah->cur];
        if (b->next == b->nitems) {
            aheadBatch *const n = &ah->b[ah->cur ^ 1];
            if (!ah->primed) {
                ah->primed = 1;
                FORWARD_IF_ERROR(aheadFill(r, w, n));
            }
            int const rc = aheadFill(r, w, b);
            aheadWait(r, ah, n);
            if (rc != 0) return rc;
            ah->cur ^= 1;
            b = n;
            if (b->nitems == 0) return 0;
        }
        aheadItem const *const it = &b->items[b->next++];
        r->lastLine = it->number;
        r->json.detail[0] = 0;
        if (it->rc < 0) {
            memcpy(r->json.detail, it->detail, sizeof r->json.detail);
            return it->rc;
        }
        if (it->html && it->got == CALQUE_ETOOBIG)
            payloadTooBig(r, it->offset);
        if (it->html && it->got <= 0) {
            if (it->got == 0) continue;
            return it->got;
        }
        memset(rec, 0, sizeof *rec);
        const char *const a = b->arena.p;
        r->offset = it->offset;
        if (it->hasId) {
            rec->id = a + it->id;
            rec->idLen = it->idLen;
        }
        if (it->hasUrl) {
            rec->url = a + it->url;
            rec->urlLen = it->urlLen;
        }
        if (it->hasDate) {
            memcpy(r->date, it->date, sizeof r->date);
            rec->date = r->date;
            rec->dateLen = CALQUE_DATE_SIZE - 1;
        }
        rec->raw = a + it->raw;
        rec->rawLen = it->rawLen;
        rec->number = rec->line = it->number;
        if (it->html) {
            const char *const o = b->out[it->worker].p;
            rec->text = o + it->text;
            rec->textLen = it->textLen;
            rec->title = it->hasTitle ? o + it->title : NULL;
            rec->titleLen = it->hasTitle ? it->titleLen : 0;
        } else {
            rec->text = a + it->body;
            rec->textLen = it->bodyLen;
        }
        return 1;
    }
}

int calque__readWarc(calque_reader *r, calque_record *rec)
{
    RETURN_ERROR_IF(readerWarc(r) == NULL, CALQUE_ENOMEM);
    return r->threads > 1 ? readAhead(r, rec) : readOne(r, rec);
}

/* ---- HTML files and format sniffing ------------------------------------ */

int calque__readHtml(calque_reader *r, calque_record *rec)
{
    if (r->done) return 0;
    while (!r->eof && r->end - r->beg <= r->maxRecord) {
        ptrdiff_t const n = calque__readerFill(r);
        if (n < 0) return (int)n;
    }
    r->done = 1;
    r->number = 1;
    r->lastLine = 1;
    r->json.detail[0] = 0;
    if (r->end - r->beg > r->maxRecord) {
        r->stats.tooBig++;
        snprintf(r->json.detail, sizeof r->json.detail,
                 "page longer than %zu bytes", r->maxRecord);
        return CALQUE_ETOOBIG;
    }
    calque__warc *const w = readerWarc(r);
    RETURN_ERROR_IF(w == NULL, CALQUE_ENOMEM);
    docCtx const ctx = {&r->stats, &r->invalid, r->maxRecord};
    const char *const data = r->buf + r->beg;
    size_t const n = r->end - r->beg;
    warcDoc d;
    w->charset[0] = 0;
    int const rc = extractPage(w, &ctx, data, n, &d, 1);
    if (rc < 0) return rc;
    rec->text = d.text;
    rec->textLen = d.textLen;
    rec->title = d.title;
    rec->titleLen = d.titleLen;
    rec->raw = data;
    rec->rawLen = n;
    rec->number = 1;
    rec->line = 1;
    return 1;
}

int calque__sniffFormat(calque_reader *r)
{
    /* A source error is left for the format's reader to meet (errors of
     * the source are final: it returns them again). */
    while (r->end - r->beg < SNIFF_BYTES && !r->eof)
        if (calque__readerFill(r) < 0) break;
    const char *const b = r->buf + r->beg;
    size_t const n = r->end - r->beg;
    if (n >= 8 && (memcmp(b, "WARC/1.0", 8) == 0 ||
                   memcmp(b, "WARC/1.1", 8) == 0)) {
        r->format = r->nameFormat == CALQUE_FORMAT_WET ? CALQUE_FORMAT_WET
                                                        : CALQUE_FORMAT_WARC;
    } else if (r->nameFormat != CALQUE_FORMAT_JSONL && looksHtml(b, n)) {
        r->format = CALQUE_FORMAT_HTML;
    }
    return 0;
}

/* ---- One record again -------------------------------------------------- */

int calque__warcRecordText(calque_format format, const char *raw,
                           size_t rawLen, size_t maxRecord, char *dst,
                           size_t dstCap, size_t *len,
                           const calque__mem *mem)
{
    calque__warc *const w = createWarc(mem);
    RETURN_ERROR_IF(w == NULL, CALQUE_ENOMEM);
    calque_readerStats stats;
    memset(&stats, 0, sizeof stats);
    uint64_t invalid = 0;
    docCtx const ctx = {&stats, &invalid, maxRecord};
    warcDoc d;
    int rc;
    char *copy = NULL;
    if (format == CALQUE_FORMAT_HTML) {
        rc = extractPage(w, &ctx, raw, rawLen, &d, 1);
    } else {
        /* A padded copy: the parsers read one byte past the block. */
        copy = calque__malloc(mem, rawLen + CALQUE__IO_PAD);
        rc = copy == NULL ? CALQUE_ENOMEM : 0;
        if (rc == 0) {
            memcpy(copy, raw, rawLen);
            memset(copy + rawLen, 0, CALQUE__IO_PAD);
            size_t const hlen = headLength(copy, rawLen);
            warcHead h;
            const char *why;
            rc = CALQUE_EWARC;
            if (rawLen >= 5 && memcmp(copy, "WARC/", 5) == 0 && hlen &&
                parseHead(copy, hlen, &h, &why) == 0 &&
                h.contentLength == rawLen - hlen)
                rc = warcDocument(w, &ctx, &h, copy + hlen, rawLen - hlen,
                                  &d);
            if (rc == 2) rc = extractPage(w, &ctx, d.text, d.textLen, &d, 0);
            if (rc == 0)
                rc = stats.skippedBinary ? CALQUE_EBINARY : CALQUE_EWARC;
        }
    }
    if (rc >= 0 && d.textLen > dstCap) rc = CALQUE_ETOOBIG;
    if (rc >= 0) {
        memcpy(dst, d.text, d.textLen);
        *len = d.textLen;
        rc = 0;
    }
    calque__free(mem, copy);
    calque__freeWarc(w);
    return rc;
}
