/*
 * reader.c - calque_reader: streaming input of documents from JSONL or
 * plain text, gzip or zstd compressed or not (section 4 of calque.h);
 * WARC, WET and HTML inputs go through the same window to warc.c.
 *
 * How: a sliding window over the byte source (decompress.c). Input is read
 * in chunks of at least 1 MiB at the end of the window; memchr finds line
 * ends from where the last search stopped; when the window runs out of
 * room the unread bytes move to its front and, only if a line does not
 * fit, the window doubles. So memory follows the largest record (up to
 * about twice the longest line for the window, plus three times it
 * reserved for decoded text, of which only what a decoded text needs is
 * ever touched), never the size of the input, and nothing is allocated per
 * record. Texts without escapes or bad UTF-8 point into the window.
 *
 * JSONL: each non-blank line is a record parsed by json.c. A line longer
 * than maxRecord gives CALQUE_ETOOBIG as soon as the window holds more than
 * maxRecord bytes of it; the rest of it is then skipped without being
 * kept. Bad records (EJSON, EFIELD, ETOOBIG) still take a record number, so
 * numbers stay tied to the input. A UTF-8 byte order mark at the start is
 * skipped. Text: the whole input is one record (an empty input too), line
 * 1, with raw the bytes as read and text the same with bad UTF-8 repaired.
 * Dates (JSONL dateField, WARC-Date) are normalised by calque_parseDate()
 * into a buffer of the reader.
 */
#include <stdio.h>
#include <strings.h>

#include "io/io.h"

#define CHUNK ((size_t)1 << 20)          /* least room for one read */
#define DEFAULT_MAX_RECORD ((size_t)1 << 30)
#define MAX_MAX_RECORD (SIZE_MAX / 8)    /* keeps 3 * len + pad in range */

/* struct calque_reader_s is in io.h: warc.c reads the window too. */

/* ---- Options ---------------------------------------------------------- */

/* Does @name end with @suffix (ASCII case ignored)? On success *len loses
 * the suffix. */
static int stripSuffix(const char *name, size_t *len, const char *suffix)
{
    size_t const n = strlen(suffix);
    if (*len < n || strncasecmp(name + *len - n, suffix, n) != 0) return 0;
    *len -= n;
    return 1;
}

/* The format a name suggests: JSONL for NULL and for .jsonl, .json and
 * .ndjson names, WARC for .warc, WET for .wet, HTML for .html and .htm
 * (all optionally compressed), text otherwise. */
static calque_format formatFromName(const char *name)
{
    if (name == NULL) return CALQUE_FORMAT_JSONL;
    size_t len = strlen(name);
    (void)(stripSuffix(name, &len, ".gz") ||
           stripSuffix(name, &len, ".zst") ||
           stripSuffix(name, &len, ".zstd"));
    if (stripSuffix(name, &len, ".jsonl") ||
        stripSuffix(name, &len, ".json") ||
        stripSuffix(name, &len, ".ndjson"))
        return CALQUE_FORMAT_JSONL;
    if (stripSuffix(name, &len, ".warc")) return CALQUE_FORMAT_WARC;
    if (stripSuffix(name, &len, ".wet")) return CALQUE_FORMAT_WET;
    if (stripSuffix(name, &len, ".html") || stripSuffix(name, &len, ".htm"))
        return CALQUE_FORMAT_HTML;
    return CALQUE_FORMAT_TEXT;
}

/* ---- Buffers ---------------------------------------------------------- */

/* Grows the window to hold at least @need bytes (doubling), keeping its
 * contents. @return 0 or CALQUE_ENOMEM. */
static int growWindow(calque_reader *r, size_t need)
{
    size_t ncap = r->cap ? r->cap : CHUNK;
    while (ncap < need) {
        RETURN_ERROR_IF(ncap > SIZE_MAX / 4, CALQUE_ENOMEM);
        ncap *= 2;
    }
    char *const p = calque__realloc(&r->mem, r->buf,
                                    r->buf ? r->cap + CALQUE__IO_PAD : 0,
                                    ncap + CALQUE__IO_PAD);
    RETURN_ERROR_IF(p == NULL, CALQUE_ENOMEM);
    r->buf = p;
    r->cap = ncap;
    return 0;
}

/* Makes json.out hold the decoding of @len input bytes (3 * len + pad),
 * discarding its contents. @return 0 or CALQUE_ENOMEM. */
static int reserveOut(calque_reader *r, size_t len)
{
    size_t const need = 3 * len + CALQUE__IO_PAD;
    if (need <= r->outCap) return 0;
    size_t const ncap = CALQUE_MAX(need, r->outCap * 2);
    calque__free(&r->mem, r->json.out);
    r->json.out = calque__malloc(&r->mem, ncap);
    r->outCap = r->json.out ? ncap : 0;
    return r->json.out ? 0 : CALQUE_ENOMEM;
}

/* Reads more input at the end of the window after making room for at
 * least CHUNK bytes: the unread bytes move to the front, and the window
 * grows when they fill it. @return the bytes read (0 at the end, with
 * r->eof set) or a final error. */
ptrdiff_t calque__readerFill(calque_reader *r)
{
    if (r->cap - r->end < CHUNK) {
        size_t const keep = r->end - r->beg;
        if (r->beg > 0) {
            memmove(r->buf, r->buf + r->beg, keep);
            r->base += r->beg;
            r->scan -= r->beg;
            r->end = keep;
            r->beg = 0;
        }
        if (r->cap - r->end < CHUNK)
            FORWARD_IF_ERROR(growWindow(r, keep + CHUNK));
    }
    ptrdiff_t const n =
        calque__sourceRead(r->src, r->buf + r->end, r->cap - r->end);
    if (n < 0) return n;
    if (n == 0) r->eof = 1;
    r->end += (size_t)n;
    return n;
}

/* ---- Open and free ---------------------------------------------------- */

calque_reader *calque_openReader(int fd, const char *name,
                                 const calque_readerOptions *opt,
                                 const calque_customMem *cmem, int *err)
{
    int ignored;
    if (err == NULL) err = &ignored;
    calque_format format = opt ? opt->format : CALQUE_FORMAT_AUTO;
    const char *const idField = opt && opt->idField ? opt->idField : "id";
    const char *const textField =
        opt && opt->textField ? opt->textField : "text";
    const char *const dateField = opt ? opt->dateField : NULL;
    size_t const maxRecord =
        opt && opt->maxRecord ? opt->maxRecord : DEFAULT_MAX_RECORD;
    if (fd < 0 || (unsigned)format > CALQUE_FORMAT_HTML ||
        maxRecord > MAX_MAX_RECORD) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    int const sniff = format == CALQUE_FORMAT_AUTO;
    if (sniff) format = formatFromName(name);

    calque__mem const mem = calque__memFrom(cmem);
    calque_reader *const r = calque__calloc(&mem, 1, sizeof *r);
    if (r == NULL) goto fail_reader;
    r->mem = mem;
    r->format = format;
    r->sniff = sniff;
    r->nameFormat = name ? format : CALQUE_FORMAT_AUTO; /* AUTO: none */
    r->maxRecord = maxRecord;
    r->threads = opt ? opt->threads : 0;
    size_t const idLen = strlen(idField), textLen = strlen(textField);
    size_t const dateLen = dateField ? strlen(dateField) : 0;
    r->fields = calque__malloc(&mem, idLen + textLen + dateLen + 3);
    if (r->fields == NULL) goto fail_fields;
    memcpy(r->fields, idField, idLen + 1);
    memcpy(r->fields + idLen + 1, textField, textLen + 1);
    r->json.idField = r->fields;
    r->json.idFieldLen = idLen;
    r->json.textField = r->fields + idLen + 1;
    r->json.textFieldLen = textLen;
    if (dateField) {
        char *const d = r->fields + idLen + textLen + 2;
        memcpy(d, dateField, dateLen + 1);
        r->json.dateField = d;
        r->json.dateFieldLen = dateLen;
    }
    r->json.maxFieldLen =
        CALQUE_MAX(CALQUE_MAX(idLen, textLen), dateLen);
    r->json.fast = calque__ioHaveSsse3();
    r->json.key = calque__malloc(&mem, 18 * r->json.maxFieldLen +
                                           CALQUE__IO_PAD);
    if (r->json.key == NULL) goto fail_key;
    r->src = calque__createSource(fd, &mem);
    if (r->src == NULL) goto fail_source;
    *err = 0;
    return r;

fail_source:
    calque__free(&mem, r->json.key);
fail_key:
    calque__free(&mem, r->fields);
fail_fields:
    calque__free(&mem, r);
fail_reader:
    *err = CALQUE_ENOMEM;
    return NULL;
}

void calque_freeReader(calque_reader *r)
{
    if (r == NULL) return;
    calque__mem const mem = r->mem;
    calque__freeSource(r->src);
    calque__freeWarc(r->warc);
    calque__free(&mem, r->buf);
    calque__free(&mem, r->json.out);
    calque__free(&mem, r->json.key);
    calque__free(&mem, r->fields);
    calque__free(&mem, r);
}

/* ---- JSONL ------------------------------------------------------------ */

/* Reports a record too large, starting at @line. @return CALQUE_ETOOBIG. */
static int tooBig(calque_reader *r, uint64_t line)
{
    r->stats.tooBig++;
    r->number++;
    r->lastLine = line;
    snprintf(r->json.detail, sizeof r->json.detail,
             "record longer than %zu bytes", r->maxRecord);
    return CALQUE_ETOOBIG;
}

/* Skips a UTF-8 byte order mark at the very start of the input.
 * @return 0 or a final error. */
static int skipBom(calque_reader *r)
{
    r->started = 1;
    while (r->end - r->beg < 3 && !r->eof) {
        ptrdiff_t const n = calque__readerFill(r);
        if (n < 0) return (int)n;
    }
    if (r->end - r->beg >= 3 &&
        memcmp(r->buf + r->beg, "\xEF\xBB\xBF", 3) == 0)
        r->beg = r->scan = r->beg + 3;
    return 0;
}

/* Finds the next line, reading input as needed. The line is
 * [*line, *line + *len) without its LF or CRLF, and (*line)[*len] is a
 * control character. @return 1, 0 at the end of the input, CALQUE_ETOOBIG
 * (the line will be skipped) or a final error. */
static int nextLine(calque_reader *r, char **line, size_t *len)
{
    for (;;) {
        char *const nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
        size_t start = r->beg, n;
        if (nl != NULL) {
            n = (size_t)(nl - (r->buf + start));
            r->beg = r->scan = start + n + 1;
            r->lines++;
            if (r->skipping) {
                r->skipping = 0;
                continue;
            }
        } else if (r->skipping) {
            r->beg = r->scan = r->end; /* drop what was read */
            if (r->eof) return 0;
            ptrdiff_t const got = calque__readerFill(r);
            if (got < 0) return (int)got;
            continue;
        } else if (r->end - r->beg > r->maxRecord + 1) {
            r->skipping = 1;
            r->beg = r->scan = r->end;
            return tooBig(r, r->lines + 1);
        } else if (!r->eof) {
            r->scan = r->end;
            ptrdiff_t const got = calque__readerFill(r);
            if (got < 0) return (int)got;
            continue;
        } else if (r->beg == r->end) {
            return 0;
        } else { /* the last line has no newline */
            n = r->end - start;
            r->beg = r->scan = r->end;
            r->lines++;
            r->buf[r->end] = '\n'; /* sentinel, in the padding */
        }
        if (n > 0 && r->buf[start + n - 1] == '\r') n--;
        if (n > r->maxRecord) return tooBig(r, r->lines);
        *line = r->buf + start;
        *len = n;
        r->offset = r->base + start;
        return 1;
    }
}

/* Is the line only JSON whitespace? */
static int isBlank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
    return 1;
}

int calque__readerDate(calque_reader *r, const char *s, size_t len)
{
    int64_t t;
    if (calque_parseDate(s, len, &t) == 0 &&
        calque_formatDate(t, r->date, sizeof r->date) > 0)
        return 1;
    r->stats.badDates++;
    return 0;
}

/* Normalises the raw JSON token of the date field: a string (without
 * escapes: no date notation needs them) or a number; null counts as no
 * date. @return 1 when r->date was set. */
static int jsonDate(calque_reader *r, const char *v, size_t len)
{
    if (len == 4 && memcmp(v, "null", 4) == 0) return 0;
    if (v[0] == '"') {
        if (len < 2 || memchr(v + 1, '\\', len - 2) != NULL) {
            r->stats.badDates++;
            return 0;
        }
        return calque__readerDate(r, v + 1, len - 2);
    }
    return calque__readerDate(r, v, len);
}

static int readJsonl(calque_reader *r, calque_record *rec)
{
    if (!r->started) FORWARD_IF_ERROR(skipBom(r));
    for (;;) {
        char *line = NULL;
        size_t len = 0;
        int const rc = nextLine(r, &line, &len);
        if (rc <= 0) return rc;
        if (isBlank(line, len)) continue;
        r->number++;
        r->lastLine = r->lines;
        FORWARD_IF_ERROR(reserveOut(r, len));
        FORWARD_IF_ERROR(calque__parseLine(&r->json, line, len));
        r->invalid += r->json.invalidUtf8;
        if (r->json.date != NULL && jsonDate(r, r->json.date,
                                             r->json.dateLen)) {
            rec->date = r->date;
            rec->dateLen = CALQUE_DATE_SIZE - 1;
        }
        rec->id = r->json.id;
        rec->idLen = r->json.idLen;
        rec->text = r->json.text;
        rec->textLen = r->json.textLen;
        rec->raw = line;
        rec->rawLen = len;
        rec->number = r->number;
        rec->line = r->lastLine;
        return 1;
    }
}

/* ---- Text ------------------------------------------------------------- */

static int readText(calque_reader *r, calque_record *rec)
{
    if (r->done) return 0;
    while (!r->eof && r->end - r->beg <= r->maxRecord) {
        ptrdiff_t const n = calque__readerFill(r);
        if (n < 0) return (int)n;
    }
    r->done = 1;
    if (r->end - r->beg > r->maxRecord) return tooBig(r, 1);
    r->number = 1;
    r->lastLine = 1;
    r->json.detail[0] = 0;
    char *const data = r->buf + r->beg; /* fill() made the window */
    size_t const n = r->end - r->beg;
    data[n] = 0; /* sentinel, in the padding */
    size_t const valid = calque__utf8ValidPrefix(data, n);
    rec->text = data;
    rec->textLen = n;
    if (valid < n) {
        FORWARD_IF_ERROR(reserveOut(r, n));
        memcpy(r->json.out, data, valid);
        rec->textLen = valid + calque__repairUtf8(data + valid, n - valid,
                                                  r->json.out + valid,
                                                  &r->invalid);
        rec->text = r->json.out;
    }
    rec->id = NULL;
    rec->idLen = 0;
    rec->raw = data;
    rec->rawLen = n;
    rec->number = 1;
    rec->line = 1;
    return 1;
}

/* ---- Records ---------------------------------------------------------- */

int calque_readRecord(calque_reader *r, calque_record *rec)
{
    if (r == NULL || rec == NULL) return CALQUE_EPARAM;
    if (r->fatal) return r->fatal;
    memset(rec, 0, sizeof *rec);
    int rc = 0;
    if (r->sniff) {
        r->sniff = 0;
        rc = calque__sniffFormat(r);
    }
    if (rc == 0) {
        switch (r->format) {
        case CALQUE_FORMAT_TEXT: rc = readText(r, rec); break;
        case CALQUE_FORMAT_WARC:
        case CALQUE_FORMAT_WET: rc = calque__readWarc(r, rec); break;
        case CALQUE_FORMAT_HTML: rc = calque__readHtml(r, rec); break;
        default: rc = readJsonl(r, rec); break;
        }
    }
    if (rc == 1) r->stats.documents++;
    if (rc < 0 && rc != CALQUE_EJSON && rc != CALQUE_EFIELD &&
        rc != CALQUE_ETOOBIG && rc != CALQUE_EWARC &&
        !(rc == CALQUE_EBINARY && r->format == CALQUE_FORMAT_HTML)) {
        r->fatal = rc;
        if (r->format == CALQUE_FORMAT_WARC ||
            r->format == CALQUE_FORMAT_WET) { /* the record number stays */
            snprintf(r->json.detail, sizeof r->json.detail,
                     "at byte %llu of the decompressed stream",
                     (unsigned long long)(r->base + r->end));
        } else {
            r->lastLine = r->lines + 1;
            snprintf(r->json.detail, sizeof r->json.detail, "%s",
                     calque_errorName(rc));
        }
    }
    return rc;
}

uint64_t calque_readerLine(const calque_reader *r)
{
    return r ? r->lastLine : 0;
}

const char *calque_readerDetail(const calque_reader *r)
{
    return r ? r->json.detail : "";
}

calque_format calque_readerFormat(const calque_reader *r)
{
    return r ? r->format : CALQUE_FORMAT_JSONL;
}

uint64_t calque_readerInvalidUtf8(const calque_reader *r)
{
    return r ? r->invalid : 0;
}

uint64_t calque_readerOffset(const calque_reader *r)
{
    if (r == NULL) return 0;
    int const records = r->format == CALQUE_FORMAT_JSONL ||
                        r->format == CALQUE_FORMAT_WARC ||
                        r->format == CALQUE_FORMAT_WET;
    return records ? r->offset : 0;
}

void calque_readerGetStats(const calque_reader *r, calque_readerStats *s)
{
    if (s == NULL) return;
    if (r == NULL) memset(s, 0, sizeof *s);
    else *s = r->stats;
}

uint64_t calque_readerSkipped(const calque_reader *r)
{
    if (r == NULL) return 0;
    calque_readerStats const *const s = &r->stats;
    return s->skippedType + s->skippedMedia + s->skippedStatus +
           s->skippedBinary + s->skippedHttp + s->skippedEmpty + s->tooBig +
           s->malformed + s->truncated;
}

int calque_readerCompressed(const calque_reader *r)
{
    return r ? calque__sourceCompressed(r->src) : 0;
}

int calque_recordText(const calque_readerOptions *opt, const char *raw,
                      size_t rawLen, char *dst, size_t dstCap, size_t *len,
                      const calque_customMem *cmem)
{
    RETURN_ERROR_IF(raw == NULL && rawLen, CALQUE_EPARAM);
    RETURN_ERROR_IF(rawLen > MAX_MAX_RECORD, CALQUE_ETOOBIG);
    RETURN_ERROR_IF(dst == NULL || len == NULL, CALQUE_EPARAM);
    calque__mem const mem = calque__memFrom(cmem);
    calque_format const format = opt ? opt->format : CALQUE_FORMAT_JSONL;
    if (format == CALQUE_FORMAT_WARC || format == CALQUE_FORMAT_WET ||
        format == CALQUE_FORMAT_HTML) {
        size_t const maxRecord =
            opt->maxRecord ? opt->maxRecord : DEFAULT_MAX_RECORD;
        return calque__warcRecordText(format, raw, rawLen, maxRecord, dst,
                                      dstCap, len, &mem);
    }
    int const text = format == CALQUE_FORMAT_TEXT;
    const char *const idField = opt && opt->idField ? opt->idField : "id";
    const char *const textField =
        opt && opt->textField ? opt->textField : "text";
    size_t const idLen = strlen(idField), textLen = strlen(textField);
    size_t const maxField = CALQUE_MAX(idLen, textLen);
    /* One block: the padded record, the decoded output, the key room. */
    size_t const total = rawLen + 1 + CALQUE__IO_PAD +
                         3 * rawLen + CALQUE__IO_PAD +
                         18 * maxField + CALQUE__IO_PAD;
    char *const block = calque__malloc(&mem, total);
    RETURN_ERROR_IF(block == NULL, CALQUE_ENOMEM);
    char *const line = block;
    memcpy(line, raw, rawLen);
    memset(line + rawLen, 0, 1 + CALQUE__IO_PAD);
    line[rawLen] = '\n';
    int rc = 0;
    const char *t;
    size_t n;
    uint64_t invalid = 0;
    if (text) {
        char *const out = line + rawLen + 1 + CALQUE__IO_PAD;
        size_t const valid = calque__utf8ValidPrefix(line, rawLen);
        t = line;
        n = rawLen;
        if (valid < rawLen) {
            memcpy(out, line, valid);
            n = valid + calque__repairUtf8(line + valid, rawLen - valid,
                                           out + valid, &invalid);
            t = out;
        }
    } else {
        calque__jsonLine j;
        memset(&j, 0, sizeof j);
        j.idField = idField;
        j.idFieldLen = idLen;
        j.textField = textField;
        j.textFieldLen = textLen;
        j.maxFieldLen = maxField;
        j.fast = calque__ioHaveSsse3();
        j.out = line + rawLen + 1 + CALQUE__IO_PAD;
        j.key = j.out + 3 * rawLen + CALQUE__IO_PAD;
        rc = calque__parseLine(&j, line, rawLen);
        t = j.text;
        n = j.textLen;
    }
    if (rc == 0 && n > dstCap) rc = CALQUE_ETOOBIG;
    if (rc == 0) {
        memcpy(dst, t, n);
        *len = n;
    }
    calque__free(&mem, block);
    return rc;
}
