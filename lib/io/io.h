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
 *                 source that hands out lines or the whole input.
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
    size_t maxFieldLen;    /* the longer of the two lengths */
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

#endif /* CALQUE_IO_H */
