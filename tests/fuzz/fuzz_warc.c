/*
 * fuzz_warc.c - libFuzzer target for the WARC, WET and HTML readers
 * (calque_openReader() and calque_readRecord() over lib/io/warc.c).
 *
 * The first byte chooses the format (WARC, WET, HTML or AUTO with a
 * ".warc" name), maxRecord (from 64 bytes to the default) and whether two
 * threads extract the pages (reading ahead); the rest is
 * the input, handed to the reader through a memfd. Every record is read.
 * Checked on every input, any violation aborts:
 *   - calls return 1, 0, a recoverable code (EWARC, ETOOBIG, EBINARY)
 *     or, at the end, a source error (the input may be compressed);
 *     after 0 or a final error they return the same again; the number
 *     of calls is bounded by the input size (no loop without progress);
 *   - a document's text is valid UTF-8 and gives the same bytes again
 *     through calque_recordText() on its raw record; its id is a quoted
 *     JSON string; its date is "YYYY-MM-DDTHH:MM:SSZ"; raw lies within
 *     maxRecord;
 *   - the reader's counts add up: documents handed out, records skipped.
 *
 *     make fuzz && build/fuzz/fuzz_warc tests/fuzz/corpus/warc
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "calque.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond) abort();
}

/* Is [p, p + n) valid UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF)? */
static int validUtf8(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t const c = p[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < len) return 0;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return 0;
        i += len;
    }
    return 1;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with digits where digits go. */
static int isoShaped(const char *d, size_t n)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (n != sizeof shape - 1) return 0;
    for (size_t i = 0; i < n; i++) {
        if (shape[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != shape[i])
            return 0;
    }
    return 1;
}

static void checkRecord(const calque_readerOptions *opt, calque_format format,
                        const calque_record *rec, size_t maxRecord)
{
    check(rec->text != NULL || rec->textLen == 0);
    check(validUtf8((const uint8_t *)rec->text, rec->textLen));
    check(rec->raw != NULL && rec->rawLen <= maxRecord);
    if (rec->id != NULL) {
        check(rec->idLen >= 2 && rec->id[0] == '"' &&
              rec->id[rec->idLen - 1] == '"');
        check(validUtf8((const uint8_t *)rec->id, rec->idLen));
    }
    if (rec->url != NULL)
        check(validUtf8((const uint8_t *)rec->url, rec->urlLen));
    if (rec->title != NULL)
        check(rec->titleLen > 0 &&
              validUtf8((const uint8_t *)rec->title, rec->titleLen));
    if (rec->date != NULL) check(isoShaped(rec->date, rec->dateLen));
    /* The text again from the raw record. */
    calque_readerOptions again = *opt;
    again.format = format;
    char *const dst = malloc(rec->textLen + 1);
    check(dst != NULL);
    size_t len = 0;
    check(calque_recordText(&again, rec->raw, rec->rawLen, dst,
                            rec->textLen, &len, NULL) == 0);
    check(len == rec->textLen && memcmp(dst, rec->text, len) == 0);
    free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const calque_format formats[4] = {
        CALQUE_FORMAT_WARC, CALQUE_FORMAT_WET, CALQUE_FORMAT_HTML,
        CALQUE_FORMAT_AUTO};
    static const size_t limits[4] = {0, 64, 300, 4096};
    calque_readerOptions const opt = {formats[data[0] & 3], NULL, NULL,
                                      limits[(data[0] >> 2) & 3], NULL,
                                      (data[0] >> 4) & 1 ? 2u : 0u};
    size_t const maxRecord = opt.maxRecord ? opt.maxRecord : (size_t)1 << 30;
    data++;
    size--;
    int const fd = memfd_create("fuzz_warc", 0);
    check(fd >= 0);
    for (size_t done = 0; done < size;) {
        ssize_t const w = write(fd, data + done, size - done);
        check(w > 0);
        done += (size_t)w;
    }
    check(lseek(fd, 0, SEEK_SET) == 0);
    int err = 1;
    calque_reader *const r = calque_openReader(fd, "fuzz.warc", &opt, NULL,
                                               &err);
    check(r != NULL && err == 0);
    uint64_t docs = 0, calls = 0;
    int rc;
    for (;;) {
        calque_record rec;
        rc = calque_readRecord(r, &rec);
        check(++calls <= size + 3);
        if (rc == 1) {
            docs++;
            checkRecord(&opt, calque_readerFormat(r), &rec, maxRecord);
            continue;
        }
        if (rc == CALQUE_EWARC || rc == CALQUE_ETOOBIG ||
            rc == CALQUE_EBINARY)
            continue;
        break;
    }
    check(rc == 0 || rc == CALQUE_ECOMPRESSED || rc == CALQUE_ETRUNCATED ||
          rc == CALQUE_ENOMEM); /* the input may be gzip or zstd */
    calque_record rec;
    check(calque_readRecord(r, &rec) == rc); /* the end stays the end */
    calque_readerStats st;
    calque_readerGetStats(r, &st);
    check(st.documents == docs);
    check(calque_readerSkipped(r) >= st.malformed + st.truncated);
    calque_freeReader(r);
    close(fd);
    return 0;
}
