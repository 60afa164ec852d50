/*
 * io.h - internal interfaces of the input readers (lib/io).
 *
 * The readers are built in three layers:
 *
 *   decompress.c  a byte source over a file descriptor that recognises gzip
 *                 and zstd by their magic bytes and inflates them on the fly;
 *   json.c        the JSONL line parser and the string decoders (JSON
 *                 escapes, UTF-8 repair), working on one line in memory;
 *   reader.c      the public calque_reader: a sliding window over the
 *                 source that hands out lines or the whole input;
 *   warc.c        WARC and WET records and HTML pages read through the
 *                 same window (record framing, HTTP payloads, the HTML
 *                 extractor of lib/html);
 *   date.c        calque_parseDate(): dates in ISO 8601, RFC 2822 or epoch
 *                 seconds.
 */
#ifndef CALQUE_IO_H
#define CALQUE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* ---- Byte source (decompress.c) --------------------------------------- */

typedef struct calque__source_s calque__source;

/* Makes a source that reads @fd (never closed by the source). Nothing is
 * read until the first calque__sourceRead(). @return NULL when out of
 * memory. */
calque__source *calque__createSource(int fd, const calque__mem *mem);
void calque__freeSource(calque__source *s);

/* Reads up to @cap (> 0) bytes of decompressed input into @dst.
 * @return the number of bytes read (> 0), 0 at the end of the input, or
 * CALQUE_EIO, CALQUE_ETRUNCATED, CALQUE_ECOMPRESSED, CALQUE_ENOMEM. An error
 * is final: every later call returns it again. */
ptrdiff_t calque__sourceRead(calque__source *s, void *dst, size_t cap);

/* @return 1 when the input turned out gzip or zstd (known after the
 * first read), 0 otherwise. */
int calque__sourceCompressed(const calque__source *s);

/* ---- JSONL lines and strings (json.c) --------------------------------- */

/* Bytes that must be readable (not necessarily meaningful) after the end
 * of any line or text given to the functions below, and free room needed
 * after the output of the decoders: the scanners read and write whole
 * 16-byte words. */
#define CALQUE__IO_PAD 64

/* What calque__parseLine() needs and what it finds. */
typedef struct {
    const char *idField;   /* names of the two fields, not NUL-dependent */
    size_t idFieldLen;
    const char *textField;
    size_t textFieldLen;
    const char *dateField; /* optional third field, or NULL */
    size_t dateFieldLen;
    size_t maxFieldLen;    /* the longest of the field names */
    int fast;              /* 1: use the SSSE3 scanner (see
                              calque__ioHaveSsse3()) */
    char *out;             /* room for 3 * line length + CALQUE__IO_PAD */
    char *key;             /* room for 18 * maxFieldLen + CALQUE__IO_PAD,
                              to decode keys with escapes */
    /* Results. */
    const char *id;        /* raw id token inside the line, or NULL */
    size_t idLen;
    const char *text;      /* inside the line (no escapes and valid UTF-8)
                              or inside out */
    size_t textLen;
    const char *date;      /* raw value token of dateField, or NULL */
    size_t dateLen;
    uint64_t invalidUtf8;  /* sequences replaced in the text */
    char detail[160];      /* what was wrong, for the last error */
} calque__jsonLine;

/* Parses one JSONL line [line, line + len): a JSON object with optional
 * whitespace around it. The byte at line[len] must be a control character
 * (the newline, a CR, or a sentinel put there by the caller) and
 * CALQUE__IO_PAD bytes after it must be readable.
 * @return 0 with the results in @j, CALQUE_EJSON or CALQUE_EFIELD with
 * j->detail set. */
int calque__parseLine(calque__jsonLine *j, const char *line, size_t len);

/* @return 1 when this CPU runs the SSSE3 scanner of json.c, else 0. */
int calque__ioHaveSsse3(void);

/* @return the length of the longest prefix of [s, s + len) that is valid
 * UTF-8 (len when all of it is). s[len] must be readable and ASCII (a
 * sentinel): sequences are checked without a bound. */
size_t calque__utf8ValidPrefix(const char *s, size_t len);

/* Writes [src, src + len) to @out (room for 3 * len + CALQUE__IO_PAD
 * bytes) with every maximal ill-formed UTF-8 subsequence replaced by
 * U+FFFD, adding the number of replacements to *invalid. src[len] must be
 * readable and ASCII. @return the length written. */
size_t calque__repairUtf8(const char *src, size_t len, char *out,
                          uint64_t *invalid);

/* ---- The reader (reader.c), shared with warc.c ------------------------ */

typedef struct calque__warc_s calque__warc;

struct calque_reader_s {
    calque__mem mem;
    calque__source *src;
    calque_format format;   /* never AUTO once the first record is asked */
    int sniff;              /* AUTO: look at the first bytes (warc.c) */
    calque_format nameFormat; /* the format the name suggests, AUTO for
                                 no name */
    size_t maxRecord;
    unsigned threads;       /* WARC: HTML extraction threads (> 1: read
                               ahead, warc.c) */
    calque__jsonLine json;  /* parser settings, results, scratch, detail */
    char *fields;           /* owned copies of the field names */
    size_t outCap;          /* bytes at json.out */
    char *buf;              /* the window: cap bytes + CALQUE__IO_PAD */
    size_t cap;
    size_t beg, scan, end;  /* unread bytes in [beg, end); no newline in
                               [beg, scan) */
    int eof;                /* the source has ended */
    int fatal;              /* final error, or 0 */
    int skipping;           /* dropping the rest of a too long line */
    int started;            /* the byte order mark check is done */
    int done;               /* text, HTML: the one record was handed out */
    uint64_t lines;         /* newlines consumed */
    uint64_t number;        /* records so far, bad ones included */
    uint64_t lastLine;      /* line of the last record or error */
    uint64_t invalid;       /* UTF-8 replacements so far */
    uint64_t base;          /* input offset of buf[0] */
    uint64_t offset;        /* input offset of the last record */
    calque__warc *warc;     /* WARC, WET and HTML state, or NULL */
    int resync;             /* WARC: look for the next record first */
    int srcErr;             /* WARC: a source error, reported once the
                               bytes read before it are used up */
    size_t resyncFrom;      /* ... from buf[beg + resyncFrom] on */
    calque_readerStats stats;
    char date[CALQUE_DATE_SIZE]; /* the last record's normalised date */
};

/* Reads more input at the end of the window, moving the unread bytes to
 * its front and growing it as needed (see reader.c). Positions in the
 * window are only stable relative to r->beg across calls.
 * @return the bytes read (0 at the end, with r->eof set) or a final
 * error. */
ptrdiff_t calque__readerFill(calque_reader *r);

/* Normalises the date [s, s + len) into r->date. @return 1 when it
 * parsed, 0 when not (counted in stats.badDates). */
int calque__readerDate(calque_reader *r, const char *s, size_t len);

/* ---- WARC, WET and HTML (warc.c) -------------------------------------- */

/* Chooses the format of an AUTO reader from the first bytes of its input
 * (read here) and the name's suggestion. @return 0 or a final error. */
int calque__sniffFormat(calque_reader *r);

/* The next document of a WARC or WET input, or of an HTML page, as
 * calque_readRecord() describes. */
int calque__readWarc(calque_reader *r, calque_record *rec);
int calque__readHtml(calque_reader *r, calque_record *rec);
void calque__freeWarc(calque__warc *w);

/* calque_recordText() for WARC, WET and HTML raw records. */
int calque__warcRecordText(calque_format format, const char *raw,
                           size_t rawLen, size_t maxRecord, char *dst,
                           size_t dstCap, size_t *len,
                           const calque__mem *mem);

#endif /* CALQUE_IO_H */
