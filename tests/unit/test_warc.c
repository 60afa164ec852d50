/*
 * test_warc.c - unit tests of the WARC, WET and HTML readers (warc.c) and
 * of the JSONL date field: WARC files are built here, record by record,
 * plain or with one gzip member per record, then read back; the checks
 * cover ids, URLs, dates, titles, texts (compared with what the HTML
 * extractor gives for the same page), the counters of skipped records,
 * damaged input (truncated records, wrong Content-Length both ways, junk,
 * broken gzip), binary bodies, a 50 MB page, calque_recordText() on raw
 * records, format detection and failing allocators.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>
#include <zlib.h>

#include "calque.h"
#include "test.h"

/* ---- Building inputs --------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n) + 256;
        b->p = realloc(b->p, b->cap);
        ASSERT(b->p != NULL);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

__attribute__((format(printf, 2, 3))) static void putf(buf *b,
                                                      const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int const n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    ASSERT(n >= 0 && (size_t)n < sizeof tmp);
    put(b, tmp, (size_t)n);
}

static void putStr(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* Appends a WARC record: the fields that are not NULL, then a
 * Content-Length of n + @lengthError and the block, then CRLF CRLF. */
static void warcRecord(buf *b, const char *type, const char *id,
                       const char *uri, const char *date, const char *ctype,
                       const void *block, size_t n, long lengthError)
{
    putStr(b, "WARC/1.0\r\n");
    if (type) putf(b, "WARC-Type: %s\r\n", type);
    if (id) putf(b, "WARC-Record-ID: %s\r\n", id);
    if (uri) putf(b, "WARC-Target-URI: %s\r\n", uri);
    if (date) putf(b, "WARC-Date: %s\r\n", date);
    if (ctype) putf(b, "Content-Type: %s\r\n", ctype);
    putf(b, "Content-Length: %ld\r\n\r\n", (long)n + lengthError);
    put(b, block, n);
    putStr(b, "\r\n\r\n");
}

/* An HTTP response: status line, the header lines @headers (each ending
 * in CRLF, may be ""), an empty line, the body. */
static buf httpResponse(int status, const char *headers, const void *body,
                        size_t n)
{
    buf b = {0};
    putf(&b, "HTTP/1.1 %d %s\r\n", status, status == 200 ? "OK" : "Other");
    putStr(&b, headers);
    putStr(&b, "\r\n");
    put(&b, body, n);
    return b;
}

static void response(buf *w, const char *id, const char *uri,
                     const char *date, int status, const char *headers,
                     const void *body, size_t n)
{
    buf h = httpResponse(status, headers, body, n);
    warcRecord(w, "response", id, uri, date,
               "application/http; msgtype=response", h.p, h.len, 0);
    free(h.p);
}

static const char *const sentences[] = {
    "The city council said on Tuesday that the new bridge over the river "
    "would be opened to the public in the spring, after years of work and "
    "a long debate about its cost and its place in the old town.",
    "Most of the people who live in the area have said that they are glad "
    "to see the end of the work, but some of them are still worried about "
    "the noise and the traffic that it will bring to their streets.",
    "The mayor told reporters that the project had been one of the most "
    "important of her time in office and that she was proud of what the "
    "city had been able to do with the money it had.",
    "In a statement released on Wednesday, the company said that it would "
    "not be able to meet the deadline and that it was working with the "
    "authorities to find a way to limit the delay for the residents.",
    "Experts have warned that the cost of the repairs could be much higher "
    "than expected if the weather does not improve over the next weeks, "
    "and that the budget of the city would have to be changed again.",
    "For the first time in many years, the old market square was full of "
    "people on Saturday, as families came to see the lights and to listen "
    "to the music that was played in front of the town hall until late.",
};
#define NSENT (sizeof sentences / sizeof sentences[0])

/* An English news page: navigation, a title, three paragraphs starting
 * at sentence @k, a footer. */
static buf page(const char *title, size_t k)
{
    buf b = {0};
    putf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
             "<title>%s</title></head><body>\n"
             "<nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a> | "
             "<a href=\"/sport\">Sport</a></nav>\n<article><h1>%s</h1>\n",
         title, title);
    for (size_t i = 0; i < 3; i++)
        putf(&b, "<p>%s %s</p>\n", sentences[(k + i) % NSENT],
             sentences[(k + i + 1) % NSENT]);
    putStr(&b, "</article><footer><a href=\"/legal\">Legal notice</a> "
               "<a href=\"/contact\">Contact</a></footer></body></html>\n");
    return b;
}

/* What the extractor makes of @html with @hint: the text, malloc'd. */
static char *extracted(const char *html, size_t n, const char *hint,
                       size_t *len)
{
    int err = 0;
    calque_htmlExtractor *const ex = calque_createHtmlExtractor(NULL, NULL,
                                                               &err);
    ASSERT(ex != NULL);
    const char *text;
    ASSERT_EQ(calque_extractHtml(ex, html, n, hint, &text, len, NULL, NULL),
              0);
    char *const copy = malloc(*len + 1);
    memcpy(copy, text, *len + 1);
    calque_freeHtmlExtractor(ex);
    return copy;
}

/* gzip of [src, src + n) as one member, appended to @out. */
static void putGzip(buf *out, const void *src, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
                           Z_DEFAULT_STRATEGY), Z_OK);
    size_t const cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *const tmp = malloc(cap);
    ASSERT(tmp != NULL);
    z.next_in = (unsigned char *)(uintptr_t)src;
    z.avail_in = (uInt)n;
    z.next_out = tmp;
    z.avail_out = (uInt)cap;
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    put(out, tmp, cap - z.avail_out);
    deflateEnd(&z);
    free(tmp);
}

/* ---- Reading ----------------------------------------------------------- */

/* An unlinked temporary file holding [data, data + n), positioned at 0. */
static int tempFd(const void *data, size_t n)
{
    char path[] = "/tmp/calque-warc-XXXXXX";
    int const fd = mkstemp(path);
    ASSERT(fd >= 0);
    unlink(path);
    const char *p = data;
    while (n > 0) {
        ssize_t const w = write(fd, p, n);
        ASSERT(w > 0);
        p += w;
        n -= (size_t)w;
    }
    ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

typedef struct {
    int fd;
    calque_reader *r;
} input;

static input openWith(const void *data, size_t n, const char *name,
                      const calque_readerOptions *opt,
                      const calque_customMem *mem)
{
    input in;
    int err = 1;
    in.fd = tempFd(data, n);
    in.r = calque_openReader(in.fd, name, opt, mem, &err);
    ASSERT(in.r != NULL);
    ASSERT_EQ(err, 0);
    return in;
}

static input openBuf(const buf *b, const char *name)
{
    return openWith(b->p, b->len, name, NULL, NULL);
}

static void closeInput(input in)
{
    calque_freeReader(in.r);
    close(in.fd);
}

static calque_record next(calque_reader *r)
{
    calque_record rec;
    memset(&rec, 0x55, sizeof rec);
    int const rc = calque_readRecord(r, &rec);
    if (rc != 1)
        TEST_FAIL_("readRecord: %d (%s), record %" PRIu64 ": %s", rc,
                   calque_errorName(rc), calque_readerLine(r),
                   calque_readerDetail(r));
    return rec;
}

/* Reads one record and checks that its text is @s. */
static void expectText(calque_reader *r, const char *s)
{
    calque_record const rec = next(r);
    if (rec.textLen != strlen(s) || memcmp(rec.text, s, rec.textLen) != 0)
        TEST_FAIL_("record %" PRIu64 ": text \"%.*s\", not \"%s\"",
                   rec.number, (int)rec.textLen, rec.text, s);
}

static int status(calque_reader *r)
{
    calque_record rec;
    return calque_readRecord(r, &rec);
}

static calque_readerStats stats(const calque_reader *r)
{
    calque_readerStats s;
    calque_readerGetStats(r, &s);
    return s;
}

#define ASSERT_SPAN(p, n, s)                                                  \
    do {                                                                      \
        ASSERT((p) != NULL);                                                  \
        ASSERT_EQ((n), strlen(s));                                            \
        ASSERT_MEM_EQ((p), (s), strlen(s));                                   \
    } while (0)

/* Does [p, p + n) contain the string @s? */
static int contains(const char *p, size_t n, const char *s)
{
    return p != NULL && memmem(p, n, s, strlen(s)) != NULL;
}

/* Checks that calque_recordText() gives back the record's text from its
 * raw bytes. */
static void checkRecordText(calque_format format, const calque_record *rec)
{
    calque_readerOptions const opt = {format, NULL, NULL, 0, NULL, 0};
    char *const dst = malloc(rec->textLen + 1);
    size_t len = 0;
    ASSERT_EQ(calque_recordText(&opt, rec->raw, rec->rawLen, dst,
                                rec->textLen, &len, NULL),
              0);
    ASSERT_EQ(len, rec->textLen);
    ASSERT_MEM_EQ(dst, rec->text, len);
    free(dst);
}

/* ---- A small crawl ----------------------------------------------------- */

#define ID1 "<urn:uuid:11111111-1111-4111-8111-111111111111>"
#define ID2 "<urn:uuid:22222222-2222-4222-8222-222222222222>"
#define ID3 "<urn:uuid:33333333-3333-4333-8333-333333333333>"

/* A crawl of eight records, two of them documents (the 3rd and the
 * 7th), plain or with one gzip member per record; *offsets gets the
 * offsets of the two documents' records in the plain file. */
static buf crawl(size_t offsets[2], int gzipped)
{
    buf rec[8] = {{0}};
    buf const p1 = page("Bridge opens", 0), p2 = page("Market lights", 3);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    static const char info[] = "software: test\r\n";
    static const char get[] = "GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n";
    static const char meta[] = "fetchTimeMs: 12\r\n";
    static const char revisit[] = "HTTP/1.1 200 OK\r\n\r\n";
    warcRecord(&rec[0], "warcinfo", "<urn:uuid:0>", NULL,
               "2026-03-03T09:59:00Z", "application/warc-fields", info,
               strlen(info), 0);
    warcRecord(&rec[1], "request", "<urn:uuid:1>", "https://example.org/a",
               "2026-03-03T10:00:00Z", "application/http; msgtype=request",
               get, strlen(get), 0);
    response(&rec[2], ID1, "https://example.org/a", "2026-03-03T10:00:01Z",
             200, "Content-Type: text/html; charset=utf-8\r\n", p1.p,
             p1.len);
    warcRecord(&rec[3], "metadata", "<urn:uuid:2>", "https://example.org/a",
               "2026-03-03T10:00:01Z", "application/warc-fields", meta,
               strlen(meta), 0);
    response(&rec[4], "<urn:uuid:3>", "https://example.org/logo.png",
             "2026-03-03T10:00:02Z", 200, "Content-Type: image/png\r\n", png,
             sizeof png - 1);
    response(&rec[5], "<urn:uuid:4>", "https://example.org/missing",
             "2026-03-03T10:00:03Z", 404, "Content-Type: text/html\r\n",
             p1.p, p1.len);
    warcRecord(&rec[6], "resource", ID2, "file:///srv/market.html",
               "2026-03-03T10:00:04.123456Z", "text/html", p2.p, p2.len, 0);
    warcRecord(&rec[7], "revisit", "<urn:uuid:5>", "https://example.org/a",
               "2026-03-03T10:00:05Z", "application/http; msgtype=response",
               revisit, strlen(revisit), 0);
    buf out = {0};
    for (int i = 0; i < 8; i++) {
        if (i == 2) offsets[0] = out.len;
        if (i == 6) offsets[1] = out.len;
        if (gzipped) putGzip(&out, rec[i].p, rec[i].len);
        else put(&out, rec[i].p, rec[i].len);
        free(rec[i].p);
    }
    free(p1.p);
    free(p2.p);
    return out;
}

/* Reads the crawl of crawl() and checks everything. */
static void checkCrawl(input in, const size_t offsets[2], int gzipped)
{
    buf const p1 = page("Bridge opens", 0), p2 = page("Market lights", 3);
    size_t n1, n2;
    char *const t1 = extracted(p1.p, p1.len, "utf-8", &n1);
    char *const t2 = extracted(p2.p, p2.len, NULL, &n2);

    calque_record rec = next(in.r);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_WARC);
    ASSERT_EQ(calque_readerCompressed(in.r), gzipped);
    ASSERT_SPAN(rec.id, rec.idLen, "\"" ID1 "\"");
    ASSERT_SPAN(rec.url, rec.urlLen, "https://example.org/a");
    ASSERT_SPAN(rec.date, rec.dateLen, "2026-03-03T10:00:01Z");
    ASSERT_SPAN(rec.title, rec.titleLen, "Bridge opens");
    ASSERT_EQ(rec.textLen, n1);
    ASSERT_MEM_EQ(rec.text, t1, n1);
    ASSERT(contains(rec.text, rec.textLen, "the new bridge over the river"));
    ASSERT(!contains(rec.text, rec.textLen, "Legal notice"));
    ASSERT_EQ(rec.number, 3);
    ASSERT_EQ(rec.line, 3);
    ASSERT_EQ(calque_readerLine(in.r), 3);
    ASSERT(memcmp(rec.raw, "WARC/1.0\r\nWARC-Type: response\r\n", 31) == 0);
    ASSERT(memcmp(rec.raw + rec.rawLen - 7, "</html>", 7) == 0 ||
           memcmp(rec.raw + rec.rawLen - 8, "</html>\n", 8) == 0);
    if (!gzipped) ASSERT_EQ(calque_readerOffset(in.r), offsets[0]);
    checkRecordText(CALQUE_FORMAT_WARC, &rec);

    rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"" ID2 "\"");
    ASSERT_SPAN(rec.url, rec.urlLen, "file:///srv/market.html");
    ASSERT_SPAN(rec.date, rec.dateLen, "2026-03-03T10:00:04Z");
    ASSERT_SPAN(rec.title, rec.titleLen, "Market lights");
    ASSERT_EQ(rec.textLen, n2);
    ASSERT_MEM_EQ(rec.text, t2, n2);
    ASSERT_EQ(rec.number, 7);
    if (!gzipped) ASSERT_EQ(calque_readerOffset(in.r), offsets[1]);
    checkRecordText(CALQUE_FORMAT_WARC, &rec);

    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(status(in.r), 0);
    calque_readerStats const s = stats(in.r);
    ASSERT_EQ(s.documents, 2);
    ASSERT_EQ(s.skippedType, 4); /* warcinfo, request, metadata, revisit */
    ASSERT_EQ(s.skippedMedia, 1);
    ASSERT_EQ(s.skippedStatus, 1);
    ASSERT_EQ(s.skippedBinary + s.skippedHttp + s.skippedEmpty + s.tooBig +
                  s.malformed + s.truncated + s.resyncBytes + s.badDates,
              0);
    ASSERT_EQ(calque_readerSkipped(in.r), 6);
    free(t1);
    free(t2);
    free(p1.p);
    free(p2.p);
}

TEST(warc_plain_crawl)
{
    size_t offsets[2];
    buf b = crawl(offsets, 0);
    input in = openBuf(&b, "crawl.warc");
    checkCrawl(in, offsets, 0);
    closeInput(in);
    /* The same, recognised by its first bytes whatever its name. */
    in = openBuf(&b, NULL);
    checkCrawl(in, offsets, 0);
    closeInput(in);
    in = openBuf(&b, "dump.jsonl");
    checkCrawl(in, offsets, 0);
    closeInput(in);
    free(b.p);
}

TEST(warc_gzip_member_per_record)
{
    size_t offsets[2];
    buf b = crawl(offsets, 1);
    ASSERT_MEM_EQ(b.p, "\x1f\x8b", 2);
    input in = openBuf(&b, "crawl.warc.gz");
    checkCrawl(in, offsets, 1);
    closeInput(in);
    free(b.p);
}

/* ---- HTTP payloads ----------------------------------------------------- */

/* Reads one document of a WARC made of one response with @headers and
 * @body and checks that its text is the extractor's text of @html. */
static void expectPage(const char *headers, const void *body, size_t n,
                       const buf *html, const char *hint)
{
    buf w = {0};
    response(&w, ID3, "http://example.org/x", "2026-03-03T10:00:00Z", 200,
             headers, body, n);
    input in = openBuf(&w, "x.warc");
    calque_record const rec = next(in.r);
    size_t len;
    char *const want = extracted(html->p, html->len, hint, &len);
    ASSERT_EQ(rec.textLen, len);
    ASSERT_MEM_EQ(rec.text, want, len);
    ASSERT(len > 200);
    checkRecordText(CALQUE_FORMAT_WARC, &rec);
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).documents, 1);
    free(want);
    closeInput(in);
    free(w.p);
}

TEST(warc_chunked_and_compressed_payloads)
{
    buf const p = page("Chunks", 1);
    /* Chunked, with a chunk extension and a trailer. */
    buf c = {0};
    size_t const half = p.len / 2;
    putf(&c, "%zx;name=value\r\n", half);
    put(&c, p.p, half);
    putf(&c, "\r\n%zX\r\n", p.len - half);
    put(&c, p.p + half, p.len - half);
    putStr(&c, "\r\n0\r\nX-Trailer: 1\r\n\r\n");
    expectPage("Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
               c.p, c.len, &p, NULL);
    /* gzip. */
    buf g = {0};
    putGzip(&g, p.p, p.len);
    expectPage("Content-Type: text/html\r\nContent-Encoding: gzip\r\n", g.p,
               g.len, &p, NULL);
    /* gzip, then chunked in 100-byte chunks. */
    buf gc = {0};
    for (size_t i = 0; i < g.len; i += 100) {
        size_t const k = g.len - i < 100 ? g.len - i : 100;
        putf(&gc, "%zx\r\n", k);
        put(&gc, g.p + i, k);
        putStr(&gc, "\r\n");
    }
    putStr(&gc, "0\r\n\r\n");
    expectPage("Transfer-Encoding: chunked\r\nContent-Encoding: x-gzip\r\n"
               "Content-Type: text/html; charset=\"UTF-8\"\r\n",
               gc.p, gc.len, &p, "UTF-8");
    /* Headers that say chunked and gzip over a body stored decoded. */
    expectPage("Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
               "Content-Encoding: gzip\r\n",
               p.p, p.len, &p, NULL);
    /* Chunked body cut short: what arrived is kept. */
    buf cut = {0};
    putf(&cut, "%zx\r\n", p.len + 500);
    put(&cut, p.p, p.len);
    expectPage("Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
               cut.p, cut.len, &p, NULL);
    /* No Content-Type: the body's first bytes decide. */
    expectPage("", p.p, p.len, &p, NULL);

    /* An encoding that cannot be decoded, corrupt gzip, no HTTP header. */
    buf w = {0};
    response(&w, ID1, "http://example.org/br", NULL, 200,
             "Content-Type: text/html\r\nContent-Encoding: br\r\n", p.p,
             p.len);
    buf bad = {0};
    put(&bad, g.p, g.len);
    memset(bad.p + 20, 0xAA, 40);
    response(&w, ID2, "http://example.org/bad", NULL, 200,
             "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", bad.p,
             bad.len);
    warcRecord(&w, "response", ID3, "http://example.org/raw", NULL,
               "application/http; msgtype=response", p.p, p.len, 0);
    input in = openBuf(&w, "x.warc");
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).skippedHttp, 3);
    ASSERT_EQ(stats(in.r).documents, 0);
    closeInput(in);
    free(w.p);
    free(bad.p);
    free(cut.p);
    free(gc.p);
    free(g.p);
    free(c.p);
    free(p.p);
}

/* A French page in Latin-1, with a (wrong) <meta charset="utf-8"> when
 * @meta is set. */
static buf latin1Page(int meta)
{
    buf b = {0};
    putStr(&b, "<html><head>");
    if (meta) putStr(&b, "<meta charset=\"utf-8\">");
    putStr(&b, "<title>Caf\xe9</title></head><body><p>");
    for (int i = 0; i < 4; i++)
        putStr(&b, "Le caf\xe9 de la place a rouvert ses portes cette "
                   "semaine apr\xe8s des mois de travaux, et les habitants "
                   "du quartier sont venus nombreux pour le f\xeater. ");
    putStr(&b, "</p></body></html>");
    return b;
}

TEST(warc_charset_from_http_header)
{
    buf const plain = latin1Page(0), meta = latin1Page(1);
    buf w = {0};
    /* The header's charset decodes the page... */
    response(&w, ID1, "http://example.fr/cafe",
             "Tue, 03 Mar 2026 10:00:00 +0100", 200,
             "Content-Type: text/html; charset=ISO-8859-1\r\n", plain.p,
             plain.len);
    /* ... and wins over a <meta> that says otherwise... */
    response(&w, ID2, "http://example.fr/meta", NULL, 200,
             "Content-Type: text/html;charset=\"latin1\"\r\n", meta.p,
             meta.len);
    /* ... which is believed without it: bad UTF-8, repaired. */
    response(&w, ID3, "http://example.fr/nohint", NULL, 200,
             "Content-Type: text/html\r\n", meta.p, meta.len);
    input in = openBuf(&w, "fr.warc");
    for (int i = 0; i < 2; i++) {
        calque_record const rec = next(in.r);
        ASSERT_SPAN(rec.title, rec.titleLen, "Caf\xc3\xa9");
        ASSERT(contains(rec.text, rec.textLen, "Le caf\xc3\xa9 de la"));
        ASSERT(contains(rec.text, rec.textLen, "le f\xc3\xaater."));
        if (i == 0) ASSERT_SPAN(rec.date, rec.dateLen, "2026-03-03T09:00:00Z");
        else ASSERT(rec.date == NULL);
        checkRecordText(CALQUE_FORMAT_WARC, &rec);
    }
    ASSERT_EQ(calque_readerInvalidUtf8(in.r), 0);
    calque_record const rec = next(in.r);
    ASSERT(contains(rec.text, rec.textLen, "Le caf\xef\xbf\xbd de la"));
    ASSERT(calque_readerInvalidUtf8(in.r) >= 12);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(w.p);
    free(meta.p);
    free(plain.p);
}

/* ---- WET --------------------------------------------------------------- */

TEST(wet_conversion_records)
{
    buf w = {0};
    static const char t1[] = "Premier texte.\nAvec deux lignes.";
    static const char t2[] = "Texte avec un octet \xff invalide.";
    static const char bin[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f";
    warcRecord(&w, "warcinfo", "<urn:uuid:0>", NULL, "2026-03-03T00:00:00Z",
               "application/warc-fields", "isPartOf: test\r\n", 16, 0);
    warcRecord(&w, "conversion", ID1, "https://exemple.fr/un",
               "2026-03-03T10:00:00Z", "text/plain", t1, sizeof t1 - 1, 0);
    warcRecord(&w, "conversion", ID2, "https://exemple.fr/deux",
               "not a date", NULL, t2, sizeof t2 - 1, 0);
    warcRecord(&w, "conversion", "<urn:uuid:9>", "https://exemple.fr/bin",
               NULL, "text/plain", bin, sizeof bin - 1, 0);
    warcRecord(&w, "conversion", "<urn:uuid:8>", "https://exemple.fr/pdf",
               NULL, "application/pdf", t1, sizeof t1 - 1, 0);
    warcRecord(&w, "conversion", "<urn:uuid:7>", "https://exemple.fr/vide",
               NULL, "text/plain", " \r\n ", 4, 0);
    input in = openBuf(&w, "CC-MAIN-0001.warc.wet");
    calque_record rec = next(in.r);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_WET);
    ASSERT_SPAN(rec.id, rec.idLen, "\"" ID1 "\"");
    ASSERT_SPAN(rec.url, rec.urlLen, "https://exemple.fr/un");
    ASSERT_SPAN(rec.date, rec.dateLen, "2026-03-03T10:00:00Z");
    ASSERT_SPAN(rec.text, rec.textLen, t1);
    ASSERT(rec.title == NULL);
    checkRecordText(CALQUE_FORMAT_WET, &rec);
    rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen,
                "Texte avec un octet \xef\xbf\xbd invalide.");
    ASSERT(rec.date == NULL);
    ASSERT_EQ(rec.number, 3);
    checkRecordText(CALQUE_FORMAT_WET, &rec);
    ASSERT_EQ(status(in.r), 0);
    calque_readerStats const s = stats(in.r);
    ASSERT_EQ(s.documents, 2);
    ASSERT_EQ(s.skippedType, 1);
    ASSERT_EQ(s.skippedBinary, 1);
    ASSERT_EQ(s.skippedMedia, 1);
    ASSERT_EQ(s.skippedEmpty, 1);
    ASSERT_EQ(s.badDates, 1);
    ASSERT_EQ(calque_readerInvalidUtf8(in.r), 1);
    closeInput(in);
    /* --format wet over any name; gzip. */
    buf g = {0};
    putGzip(&g, w.p, w.len);
    calque_readerOptions const opt = {CALQUE_FORMAT_WET, NULL, NULL, 0,
                                      NULL, 0};
    in = openWith(g.p, g.len, "data.bin", &opt, NULL);
    expectText(in.r, t1);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_WET);
    closeInput(in);
    free(g.p);
    free(w.p);
}

/* ---- Damage ------------------------------------------------------------ */

/* Three conversion records "one", "two", "three"; the second's
 * Content-Length is off by @error. */
static buf threeRecords(long error)
{
    buf w = {0};
    warcRecord(&w, "conversion", "<a>", NULL, NULL, NULL, "text one", 8, 0);
    warcRecord(&w, "conversion", "<b>", NULL, NULL, NULL,
               "text two, a little longer than the others", 41, error);
    warcRecord(&w, "conversion", "<c>", NULL, NULL, NULL, "text three", 10,
               0);
    return w;
}

TEST(warc_content_length_too_short)
{
    buf w = threeRecords(-10);
    input in = openBuf(&w, "x.wet");
    expectText(in.r, "text one");
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT_EQ(calque_readerLine(in.r), 2);
    ASSERT(strstr(calque_readerDetail(in.r), "Content-Length") != NULL);
    ASSERT(strstr(calque_readerDetail(in.r), "at byte") != NULL);
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "text three");
    ASSERT_SPAN(rec.id, rec.idLen, "\"<c>\"");
    ASSERT_EQ(rec.number, 3);
    ASSERT_EQ(status(in.r), 0);
    calque_readerStats const s = stats(in.r);
    ASSERT_EQ(s.malformed, 1);
    ASSERT(s.resyncBytes > 41);
    ASSERT_EQ(s.documents, 2);
    closeInput(in);
    free(w.p);
}

TEST(warc_content_length_too_long)
{
    /* In the middle: the block runs into the next record, which is found
     * again. */
    buf w = threeRecords(+30);
    input in = openBuf(&w, "x.wet");
    expectText(in.r, "text one");
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT_EQ(calque_readerLine(in.r), 2);
    expectText(in.r, "text three");
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).malformed, 1);
    closeInput(in);
    free(w.p);
    /* Past the end of the input: a truncated record. */
    w = threeRecords(+100000);
    in = openBuf(&w, "x.wet");
    expectText(in.r, "text one");
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "ends") != NULL);
    expectText(in.r, "text three");
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).truncated, 1);
    closeInput(in);
    free(w.p);
}

TEST(warc_truncated_input)
{
    buf w = threeRecords(0);
    size_t const cuts[] = {w.len - 4, w.len - 8, w.len - 30, w.len - 60};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        input in = openWith(w.p, cuts[i], "x.wet", NULL, NULL);
        expectText(in.r, "text one");
        expectText(in.r, "text two, a little longer than the others");
        int const rc = status(in.r);
        if (i == 0) { /* only the final CRLF CRLF is missing */
            ASSERT_EQ(rc, 1);
            ASSERT_EQ(stats(in.r).truncated, 0);
        } else {
            ASSERT_EQ(rc, CALQUE_EWARC);
            ASSERT_EQ(calque_readerLine(in.r), 3);
            ASSERT_EQ(stats(in.r).truncated, 1);
        }
        ASSERT_EQ(status(in.r), 0);
        closeInput(in);
    }
    free(w.p);
}

TEST(warc_junk_and_bad_headers)
{
    buf w = {0};
    putStr(&w, "this is not a WARC file\n");
    warcRecord(&w, "conversion", "<a>", NULL, NULL, NULL, "text one", 8, 0);
    putStr(&w, "WARC/1.0\r\nWARC-Type: conversion\r\n\r\nno length\r\n\r\n");
    putStr(&w, "WARC/1.0\r\nWARC-Type conversion\r\nContent-Length: 3\r\n"
               "\r\nabc\r\n\r\n");
    putStr(&w, "WARC/x\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n");
    putStr(&w, "WARC/1.0\r\nContent-Length: 12z\r\n\r\nabc\r\n\r\n");
    warcRecord(&w, "conversion", "<b>", NULL, NULL, NULL, "text two", 8, 0);
    putStr(&w, "\r\n\r\n\r\n"); /* extra blank lines are fine */
    warcRecord(&w, "conversion", "<c>", NULL, NULL, NULL, "text three", 10,
               0);
    putStr(&w, "trailing junk");
    input in = openBuf(&w, "x.warc");
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "no WARC record at byte 0"));
    expectText(in.r, "text one");
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "no Content-Length"));
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "without ':'"));
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "version"));
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "bad Content-Length"));
    expectText(in.r, "text two");
    /* The last record ends with CRLF CRLF: kept; the junk after it is
     * reported on its own. */
    expectText(in.r, "text three");
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT(strstr(calque_readerDetail(in.r), "no WARC record at byte"));
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).malformed, 6);
    ASSERT_EQ(stats(in.r).documents, 3);
    closeInput(in);
    /* Empty and blank inputs have no records. */
    in = openWith("", 0, "x.warc", NULL, NULL);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    in = openWith("\r\n\r\n", 4, "x.warc", NULL, NULL);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(w.p);
}

TEST(warc_broken_gzip_member)
{
    buf w = threeRecords(0), g = {0};
    size_t const second = (size_t)(strstr(w.p + 1, "WARC/1.0") - w.p);
    putGzip(&g, w.p, second);
    size_t const mark = g.len;
    putGzip(&g, w.p + second, w.len - second);
    memset(g.p + mark + 12, 0x5A, 8); /* inside the second member */
    input in = openBuf(&g, "x.warc.gz");
    expectText(in.r, "text one");
    int const rc = status(in.r);
    ASSERT(rc == CALQUE_ECOMPRESSED || rc == CALQUE_ETRUNCATED);
    ASSERT(strstr(calque_readerDetail(in.r), "at byte") != NULL);
    ASSERT_EQ(calque_readerLine(in.r), 2); /* the record it cuts */
    ASSERT_EQ(status(in.r), rc); /* final */
    closeInput(in);
    free(g.p);
    free(w.p);
}

/* Everything the reader says while reading @b to its end or to a final
 * error, with @threads: each record's fields and texts, each error's
 * record and detail, and the stats. malloc'd. */
static char *transcript(const buf *b, const char *name, unsigned threads)
{
    calque_readerOptions opt;
    memset(&opt, 0, sizeof opt);
    opt.threads = threads;
    input in = openWith(b->p, b->len, name, &opt, NULL);
    char *out = NULL;
    size_t len = 0;
    FILE *const f = open_memstream(&out, &len);
    ASSERT(f != NULL);
    for (int k = 0;; k++) {
        ASSERT(k < 100000);
        calque_record rec;
        int const rc = calque_readRecord(in.r, &rec);
        fprintf(f, "rc %d line %" PRIu64 "\n", rc, calque_readerLine(in.r));
        if (rc == 1) {
            fprintf(f, "number %" PRIu64 " line %" PRIu64 " offset %" PRIu64
                       " raw %zu:%.*s\n",
                    rec.number, rec.line, calque_readerOffset(in.r),
                    rec.rawLen, (int)rec.rawLen, rec.raw);
            fprintf(f, "id %.*s url %.*s date %.*s title %d %.*s\n",
                    (int)rec.idLen, rec.id ? rec.id : "", (int)rec.urlLen,
                    rec.url ? rec.url : "", (int)rec.dateLen,
                    rec.date ? rec.date : "", rec.title != NULL,
                    (int)rec.titleLen, rec.title ? rec.title : "");
            fprintf(f, "text %.*s\n", (int)rec.textLen, rec.text);
        } else {
            fprintf(f, "detail %s\n", calque_readerDetail(in.r));
            if (rc == 0 || (rc != CALQUE_EWARC && rc != CALQUE_ETOOBIG))
                break;
        }
    }
    calque_readerStats const st = stats(in.r);
    fprintf(f, "stats %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
               " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
               " invalid %" PRIu64 "\n",
            st.documents, st.skippedType, st.skippedMedia, st.skippedStatus,
            st.skippedBinary, st.skippedHttp, st.skippedEmpty, st.malformed,
            st.tooBig, calque_readerInvalidUtf8(in.r));
    fclose(f);
    closeInput(in);
    return out;
}

TEST(warc_threads_read_the_same)
{
    /* 1,200 records (several batches read ahead): pages, gzip-encoded
     * pages, pages without text, binary pages, HTTP errors, images,
     * conversion records and one record whose Content-Length is wrong.
     * Read with 2 and 3 extraction threads, plain and with a gzip member
     * per record, and with a broken member near the end: the same
     * records, errors, details and stats as with one. (A payload over
     * maxRecord: warc_gzip_bomb_payload_is_bounded.) */
    unsigned char bin[2000];
    uint64_t seed = 11;
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)test_rand(&seed);
    buf w = {0}, g = {0};
    size_t memberAt[1200];
    static const char empty[] = "<html><body><nav><a href=\"/\">Home</a>"
                                "</nav></body></html>";
    for (int i = 0; i < 1200; i++) {
        size_t const at = w.len;
        char id[64], uri[64];
        snprintf(id, sizeof id, "<urn:uuid:%04d>", i);
        snprintf(uri, sizeof uri, "https://example.org/%d", i);
        if (i % 10 == 3) {
            response(&w, id, uri, "2026-03-03T10:00:00Z", 200,
                     "Content-Type: text/html\r\n", bin, sizeof bin);
        } else if (i % 10 == 5) {
            response(&w, id, uri, NULL, 404, "Content-Type: text/html\r\n",
                     empty, strlen(empty));
        } else if (i % 10 == 6) {
            warcRecord(&w, "conversion", id, uri, NULL, "text/plain",
                       sentences[i % NSENT], strlen(sentences[i % NSENT]),
                       0);
        } else if (i % 10 == 7) {
            response(&w, id, uri, NULL, 200, "", empty, strlen(empty));
        } else if (i % 10 == 8) {
            response(&w, id, uri, NULL, 200, "Content-Type: image/png\r\n",
                     bin, 64);
        } else if (i % 20 == 9) { /* a gzip payload: decoded elsewhere */
            char title[32];
            snprintf(title, sizeof title, "Zipped %d", i);
            buf const pg = page(title, (size_t)i);
            buf z = {0};
            putGzip(&z, pg.p, pg.len);
            response(&w, id, uri, NULL, 200,
                     "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                     z.p, z.len);
            free(z.p);
            free(pg.p);
        } else if (i == 601) {
            warcRecord(&w, "conversion", id, uri, NULL, NULL, "short", 5,
                       -2);
        } else {
            char title[32];
            snprintf(title, sizeof title, "Story %d", i);
            buf const pg = page(title, (size_t)i);
            response(&w, id, uri, "2026-03-03T10:00:01Z", 200,
                     "Content-Type: text/html; charset=utf-8\r\n", pg.p,
                     pg.len);
            free(pg.p);
        }
        memberAt[i] = g.len;
        putGzip(&g, w.p + at, w.len - at);
    }
    char *const one = transcript(&w, "x.warc", 1);
    ASSERT(strstr(one, "rc -") != NULL); /* the damaged record */
    ASSERT(strstr(one, "title 1 Story 1199") != NULL);
    ASSERT(strstr(one, "title 1 Zipped 1189") != NULL);
    for (unsigned t = 2; t <= 3; t++) {
        char *const many = transcript(&w, "x.warc", t);
        ASSERT_STR_EQ(many, one);
        free(many);
    }
    char *const oneGz = transcript(&g, "x.warc.gz", 1);
    for (unsigned t = 2; t <= 3; t++) {
        char *const many = transcript(&g, "x.warc.gz", t);
        ASSERT_STR_EQ(many, oneGz);
        free(many);
    }
    memset(g.p + memberAt[1190] + 12, 0x5A, 8); /* a broken member */
    char *const brokenOne = transcript(&g, "x.warc.gz", 1);
    ASSERT(strstr(brokenOne, "decompressed stream") != NULL);
    for (unsigned t = 2; t <= 3; t++) {
        char *const many = transcript(&g, "x.warc.gz", t);
        ASSERT_STR_EQ(many, brokenOne);
        free(many);
    }
    free(brokenOne);
    free(oneGz);
    free(one);
    free(w.p);
    free(g.p);
}

TEST(warc_binary_bodies)
{
    unsigned char bin[3000];
    uint64_t seed = 7;
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)test_rand(&seed);
    buf w = {0};
    /* Declared HTML, binary: skipped as binary. */
    response(&w, ID1, "http://example.org/a", NULL, 200,
             "Content-Type: text/html\r\n", bin, sizeof bin);
    /* No Content-Type, binary: not HTML by its first bytes. */
    response(&w, ID2, "http://example.org/b", NULL, 200, "", bin,
             sizeof bin);
    /* An HTML start, then binary. */
    buf h = {0};
    putStr(&h, "<html><body>");
    put(&h, bin, sizeof bin);
    response(&w, ID3, "http://example.org/c", NULL, 200, "", h.p, h.len);
    /* A resource of type application/pdf. */
    warcRecord(&w, "resource", "<urn:uuid:9>", "file:///x.pdf", NULL,
               "application/pdf", bin, sizeof bin, 0);
    input in = openBuf(&w, "x.warc");
    ASSERT_EQ(status(in.r), 0);
    calque_readerStats const s = stats(in.r);
    ASSERT_EQ(s.skippedBinary, 2);
    ASSERT_EQ(s.skippedMedia, 2);
    ASSERT_EQ(s.documents, 0);
    closeInput(in);
    free(h.p);
    free(w.p);
}

TEST(warc_page_without_text_ids_and_urls)
{
    buf w = {0};
    static const char nav[] = "<html><head><title>Menu</title></head><body>"
                              "<nav><a href=/>Home</a></nav></body></html>";
    response(&w, ID1, "http://example.org/menu", NULL, 200,
             "Content-Type: text/html\r\n", nav, sizeof nav - 1);
    buf const p = page("Ids", 2);
    /* An id that needs escaping and a URL in angle brackets (WARC 1.0
     * drafts). */
    response(&w, "<urn:\"odd\"\\id>", "<http://example.org/ids>",
             "2026-03-03T10:00:00+02:00", 200, "Content-Type: text/html\r\n",
             p.p, p.len);
    /* No id, no URL, no date. */
    response(&w, NULL, NULL, NULL, 200, "Content-Type: text/html\r\n", p.p,
             p.len);
    input in = openBuf(&w, "x.warc");
    calque_record rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"<urn:\\\"odd\\\"\\\\id>\"");
    ASSERT_SPAN(rec.url, rec.urlLen, "http://example.org/ids");
    ASSERT_SPAN(rec.date, rec.dateLen, "2026-03-03T08:00:00Z");
    rec = next(in.r);
    ASSERT(rec.id == NULL && rec.url == NULL && rec.date == NULL);
    ASSERT_SPAN(rec.title, rec.titleLen, "Ids");
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).skippedEmpty, 1);
    closeInput(in);
    free(p.p);
    free(w.p);
}

/* ---- Sizes and memory -------------------------------------------------- */

typedef struct {
    size_t now, peak;
    long failAfter; /* allocations left before failing; < 0: never */
} memCount;

static void *countAlloc(void *opaque, size_t size)
{
    memCount *const m = opaque;
    if (m->failAfter == 0) return NULL;
    if (m->failAfter > 0) m->failAfter--;
    size_t *const p = malloc(size + 16);
    if (p == NULL) return NULL;
    p[0] = size;
    m->now += size;
    if (m->now > m->peak) m->peak = m->now;
    return (char *)p + 16;
}

static void countFree(void *opaque, void *ptr)
{
    memCount *const m = opaque;
    size_t *const p = (size_t *)(void *)((char *)ptr - 16);
    m->now -= p[0];
    free(p);
}

TEST(warc_50mb_page)
{
    /* A 50 MB page: a huge inline script (as pages with embedded data
     * have) around an article. */
    size_t const big = 50u << 20;
    buf const art = page("Big page", 4);
    buf b = {0};
    putStr(&b, "<!DOCTYPE html><html><head><title>Big page</title>"
               "<script>var data = \"");
    size_t const fill = big - b.len - art.len;
    if (b.cap < b.len + fill + art.len + 1) {
        b.cap = b.len + fill + art.len + 1;
        b.p = realloc(b.p, b.cap);
    }
    memset(b.p + b.len, 'x', fill - 20);
    b.len += fill - 20;
    putStr(&b, "\";</script></head>");
    const char *const body = strstr(art.p, "<body>");
    put(&b, body, art.len - (size_t)(body - art.p));
    buf w = {0};
    response(&w, ID1, "http://example.org/big", NULL, 200,
             "Content-Type: text/html\r\n", b.p, b.len);
    warcRecord(&w, "conversion", "<after>", NULL, NULL, NULL, "after", 5, 0);
    /* Read whole. */
    input in = openBuf(&w, "big.warc");
    calque_record rec = next(in.r);
    ASSERT(rec.rawLen > big);
    ASSERT(contains(rec.text, rec.textLen, "market square was full"));
    ASSERT(!contains(rec.text, rec.textLen, "xxxx"));
    expectText(in.r, "after");
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    /* Over maxRecord: passed over without being kept. */
    memCount mc = {0, 0, -1};
    calque_customMem const cm = {countAlloc, countFree, &mc};
    calque_readerOptions const opt = {CALQUE_FORMAT_AUTO, NULL, NULL,
                                      1u << 20, NULL, 0};
    in = openWith(w.p, w.len, "big.warc", &opt, &cm);
    ASSERT_EQ(status(in.r), CALQUE_ETOOBIG);
    ASSERT_EQ(calque_readerLine(in.r), 1);
    ASSERT(strstr(calque_readerDetail(in.r), "longer than 1048576") != NULL);
    expectText(in.r, "after");
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).tooBig, 1);
    ASSERT(mc.peak < (6u << 20));
    calque_freeReader(in.r);
    close(in.fd);
    ASSERT_EQ(mc.now, 0);
    free(w.p);
    free(b.p);
    free(art.p);
}

TEST(warc_gzip_bomb_payload_is_bounded)
{
    /* 8 MB of zeros gzip to a few KB; with maxRecord 1 MB the decoded
     * payload is refused, with one thread or reading ahead with two. */
    size_t const n = 8u << 20;
    char *const zeros = calloc(1, n);
    buf g = {0}, w = {0};
    putGzip(&g, zeros, n);
    response(&w, ID1, "http://example.org/bomb", NULL, 200,
             "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", g.p,
             g.len);
    warcRecord(&w, "conversion", "<after>", NULL, NULL, NULL, "after", 5, 0);
    for (unsigned threads = 1; threads <= 2; threads++) {
        calque_readerOptions const opt = {CALQUE_FORMAT_WARC, NULL, NULL,
                                          1u << 20, NULL, threads};
        input in = openWith(w.p, w.len, NULL, &opt, NULL);
        ASSERT_EQ(status(in.r), CALQUE_ETOOBIG);
        ASSERT_EQ(calque_readerLine(in.r), 1);
        ASSERT(strstr(calque_readerDetail(in.r), "payload") != NULL);
        expectText(in.r, "after");
        ASSERT_EQ(status(in.r), 0);
        ASSERT_EQ(stats(in.r).tooBig, 1);
        closeInput(in);
    }
    free(w.p);
    free(g.p);
    free(zeros);
}

/* countAlloc() and countFree() under a lock, for readers with threads. */
static pthread_mutex_t countLock = PTHREAD_MUTEX_INITIALIZER;

static void *lockedAlloc(void *opaque, size_t size)
{
    pthread_mutex_lock(&countLock);
    void *const p = countAlloc(opaque, size);
    pthread_mutex_unlock(&countLock);
    return p;
}

static void lockedFree(void *opaque, void *ptr)
{
    pthread_mutex_lock(&countLock);
    countFree(opaque, ptr);
    pthread_mutex_unlock(&countLock);
}

TEST(warc_failing_allocator_never_leaks)
{
    /* Every allocation failing in turn, with one thread and with two
     * extraction threads (reading ahead). */
    size_t offsets[2];
    buf b = crawl(offsets, 1);
    for (unsigned threads = 1; threads <= 2; threads++) {
        calque_readerOptions opt;
        memset(&opt, 0, sizeof opt);
        opt.threads = threads;
        int sawNoMem = 0, sawAll = 0;
        for (long k = 0; k < 1000 && !sawAll; k++) {
            memCount mc = {0, 0, k};
            calque_customMem const cm = {lockedAlloc, lockedFree, &mc};
            int const fd = tempFd(b.p, b.len);
            int err = 0;
            calque_reader *const r = calque_openReader(fd, "x.warc.gz", &opt,
                                                       &cm, &err);
            int docs = 0, rc = 0;
            if (r != NULL) {
                calque_record rec;
                while ((rc = calque_readRecord(r, &rec)) == 1) docs++;
                ASSERT(rc == 0 || rc == CALQUE_ENOMEM);
                sawNoMem |= rc == CALQUE_ENOMEM;
                sawAll = rc == 0 && docs == 2;
            } else {
                ASSERT_EQ(err, CALQUE_ENOMEM);
            }
            calque_freeReader(r);
            close(fd);
            ASSERT_EQ(mc.now, 0);
        }
        ASSERT(sawNoMem && sawAll);
    }
    free(b.p);
}

/* ---- HTML files and detection ------------------------------------------ */

TEST(html_file_is_one_page)
{
    buf const p = page("One page", 5);
    size_t n;
    char *const want = extracted(p.p, p.len, NULL, &n);
    static const char *const names[] = {"a.html", "b.HTM.gz", NULL, "c.txt",
                                        "d"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        input in = openBuf(&p, names[i]);
        calque_record const rec = next(in.r);
        ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_HTML);
        ASSERT(rec.id == NULL && rec.url == NULL && rec.date == NULL);
        ASSERT_SPAN(rec.title, rec.titleLen, "One page");
        ASSERT_EQ(rec.textLen, n);
        ASSERT_MEM_EQ(rec.text, want, n);
        ASSERT_EQ(rec.rawLen, p.len);
        ASSERT_EQ(calque_readerOffset(in.r), 0);
        checkRecordText(CALQUE_FORMAT_HTML, &rec);
        ASSERT_EQ(status(in.r), 0);
        closeInput(in);
    }
    /* A byte order mark, spaces, upper case. */
    static const char bom[] = "\xEF\xBB\xBF \n\t<HTML><HEAD><TITLE>Titre"
                              "</TITLE></HEAD><body><p>Un texte.</p>"
                              "</body></HTML>";
    input in = openWith(bom, sizeof bom - 1, NULL, NULL, NULL);
    calque_record const bomRec = next(in.r);
    ASSERT_SPAN(bomRec.title, bomRec.titleLen, "Titre");
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_HTML);
    closeInput(in);
    static const char head[] = "<head><title>t</title></head>";
    in = openWith(head, sizeof head - 1, "page", NULL, NULL);
    calque_record const rec = next(in.r);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_HTML);
    ASSERT_EQ(rec.textLen, 0); /* kept: one file, one document */
    ASSERT_SPAN(rec.title, rec.titleLen, "t");
    closeInput(in);
    /* A JSONL name keeps JSONL; plain text stays text. */
    in = openBuf(&p, "x.jsonl");
    ASSERT_EQ(status(in.r), CALQUE_EJSON);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_JSONL);
    closeInput(in);
    in = openWith("hello <html>", 12, "x.txt", NULL, NULL);
    ASSERT_EQ(next(in.r).textLen, 12);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_TEXT);
    closeInput(in);
    /* Binary: an error for the one record, then the end. */
    unsigned char bin[2000];
    uint64_t seed = 3;
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)test_rand(&seed);
    calque_readerOptions const opt = {CALQUE_FORMAT_HTML, NULL, NULL, 0,
                                      NULL, 0};
    in = openWith(bin, sizeof bin, "x.bin", &opt, NULL);
    ASSERT_EQ(status(in.r), CALQUE_EBINARY);
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).skippedBinary, 1);
    closeInput(in);
    free(want);
    free(p.p);
}

TEST(warc_format_detection_and_override)
{
    buf w = {0};
    warcRecord(&w, "conversion", "<a>", NULL, NULL, NULL, "text one", 8, 0);
    static const struct {
        const char *name;
        calque_format format;
    } names[] = {{"a.warc", CALQUE_FORMAT_WARC},
                 {"a.warc.gz", CALQUE_FORMAT_WARC},
                 {"a.WARC.zst", CALQUE_FORMAT_WARC},
                 {"a.wet", CALQUE_FORMAT_WET},
                 {"a.warc.wet.gz", CALQUE_FORMAT_WET},
                 {"a.html", CALQUE_FORMAT_HTML},
                 {"a.htm.zst", CALQUE_FORMAT_HTML}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int err;
        calque_reader *const r =
            calque_openReader(0, names[i].name, NULL, NULL, &err);
        ASSERT_EQ(calque_readerFormat(r), names[i].format); /* no read */
        calque_freeReader(r);
    }
    /* WARC/1.1 by its first bytes; WET when the name says so. */
    memcpy(w.p + 5, "1.1", 3);
    input in = openBuf(&w, "x.txt");
    expectText(in.r, "text one");
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_WARC);
    closeInput(in);
    in = openBuf(&w, "x.wet.gz");
    expectText(in.r, "text one");
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_WET);
    closeInput(in);
    /* A forced format is not second-guessed. */
    calque_readerOptions const text = {CALQUE_FORMAT_TEXT, NULL, NULL, 0,
                                       NULL, 0};
    in = openWith(w.p, w.len, "x.warc", &text, NULL);
    ASSERT_EQ(next(in.r).textLen, w.len);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_TEXT);
    closeInput(in);
    calque_readerOptions const warc = {CALQUE_FORMAT_WARC, NULL, NULL, 0,
                                       NULL, 0};
    in = openWith("{\"text\":\"x\"}\n", 13, "x.jsonl", &warc, NULL);
    ASSERT_EQ(status(in.r), CALQUE_EWARC);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    /* recordText on bytes that are not a document record. */
    char dst[64];
    size_t len;
    ASSERT_EQ(calque_recordText(&warc, "junk", 4, dst, sizeof dst, &len,
                                NULL),
              CALQUE_EWARC);
    ASSERT_EQ(calque_recordText(&warc, w.p, w.len - 4, dst, sizeof dst, &len,
                                NULL),
              0);
    ASSERT_SPAN(dst, len, "text one");
    ASSERT_EQ(calque_recordText(&warc, w.p, w.len - 5, dst, sizeof dst, &len,
                                NULL),
              CALQUE_EWARC); /* Content-Length does not match */
    ASSERT_EQ(calque_recordText(&warc, w.p, w.len - 4, dst, 3, &len, NULL),
              CALQUE_ETOOBIG);
    free(w.p);
}

/* ---- JSONL dates ------------------------------------------------------- */

TEST(jsonl_date_field)
{
    static const char data[] =
        "{\"id\":1,\"text\":\"a\",\"date\":\"2026-03-03T10:00:00+01:00\"}\n"
        "{\"id\":2,\"text\":\"b\",\"date\":\"Tue, 03 Mar 2026 10:00:00 GMT\"}\n"
        "{\"id\":3,\"date\":1772532000,\"text\":\"c\"}\n"
        "{\"id\":4,\"text\":\"d\",\"date\":\"1772532000\"}\n"
        "{\"id\":5,\"text\":\"e\",\"date\":null}\n"
        "{\"id\":6,\"text\":\"f\",\"date\":\"hier\"}\n"
        "{\"id\":7,\"text\":\"g\",\"date\":{\"y\":2026}}\n"
        "{\"id\":8,\"text\":\"h\",\"date\":\"2026\\u002d03-03\"}\n"
        "{\"id\":9,\"text\":\"i\"}\n"
        "{\"id\":10,\"text\":\"j\",\"d\\u0061te\":\"2026-03-03\"}\n";
    static const char *const want[] = {
        "2026-03-03T09:00:00Z", "2026-03-03T10:00:00Z",
        "2026-03-03T10:00:00Z", "2026-03-03T10:00:00Z", NULL, NULL, NULL,
        NULL, NULL, "2026-03-03T00:00:00Z"};
    calque_readerOptions const opt = {CALQUE_FORMAT_JSONL, NULL, NULL, 0,
                                      "date", 0};
    input in = openWith(data, sizeof data - 1, NULL, &opt, NULL);
    for (size_t i = 0; i < 10; i++) {
        calque_record const rec = next(in.r);
        ASSERT_EQ(rec.textLen, 1);
        ASSERT_EQ(rec.text[0], (char)('a' + i));
        if (want[i] == NULL) ASSERT(rec.date == NULL);
        else ASSERT_SPAN(rec.date, rec.dateLen, want[i]);
        ASSERT(rec.url == NULL && rec.title == NULL);
    }
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(stats(in.r).badDates, 3); /* "hier", an object, escapes */
    ASSERT_EQ(stats(in.r).documents, 10);
    closeInput(in);
    /* Without dateField no date is read. */
    in = openWith(data, sizeof data - 1, NULL, NULL, NULL);
    ASSERT(next(in.r).date == NULL);
    closeInput(in);
}
