/*
 * decompress.c - the byte source under every reader: reads a file
 * descriptor and, when the input starts with the magic bytes of gzip
 * (1F 8B) or zstd (28 B5 2F FD), decompresses it on the fly.
 *
 * How: the first read fills a small input buffer until it holds 4 bytes
 * (or the input ends) and looks at them. Plain input is then read straight
 * into the caller's buffer, after handing out the bytes already read.
 * gzip goes through zlib's inflate (windowBits 15 + 16: gzip only); when a
 * member ends and more input follows, the stream is reset, so concatenated
 * members (`cat a.gz b.gz`, pigz, bgzip) read as one. zstd goes through a
 * ZSTD_DStream, which reads consecutive frames (and skips skippable ones)
 * by itself. Both libraries allocate through the reader's calque__mem.
 *
 * Errors: read() failing gives CALQUE_EIO; input ending inside a gzip
 * member or a zstd frame gives CALQUE_ETRUNCATED; anything the decoders
 * reject (bad header, bad data, checksum mismatch, trailing garbage after
 * a gzip member) gives CALQUE_ECOMPRESSED. Errors are final.
 */
#include <errno.h>
#include <unistd.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_createDStream_advanced */
#include <zstd.h>
#include <zstd_errors.h>

#include "io/io.h"

#define IN_CAP (256 * 1024) /* compressed bytes read at a time */

typedef enum { KIND_UNKNOWN, KIND_PLAIN, KIND_GZIP, KIND_ZSTD } sourceKind;

struct calque__source_s {
    calque__mem mem;
    int fd;
    sourceKind kind;
    int err;            /* final error, or 0 */
    int inEof;          /* read() returned 0 */
    unsigned char *in;  /* compressed input, IN_CAP bytes */
    size_t inPos, inLen; /* unread input is in[inPos, inLen) */
    z_stream z;
    int zInit;          /* z was initialised by inflateInit2 */
    int zEnded;         /* the last gzip member ended (Z_STREAM_END) */
    ZSTD_DStream *zs;
    size_t zsHint;      /* last ZSTD_decompressStream result; 0 between
                           frames */
};

/* zlib and zstd allocation hooks on top of calque__mem. */
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

static void *zsAlloc(void *opaque, size_t size)
{
    return calque__malloc(opaque, size);
}

calque__source *calque__createSource(int fd, const calque__mem *mem)
{
    calque__source *const s = calque__calloc(mem, 1, sizeof *s);
    if (s == NULL) return NULL;
    s->mem = *mem;
    s->fd = fd;
    s->in = calque__malloc(mem, IN_CAP);
    if (s->in == NULL) {
        calque__free(mem, s);
        return NULL;
    }
    return s;
}

void calque__freeSource(calque__source *s)
{
    if (s == NULL) return;
    if (s->zInit) inflateEnd(&s->z);
    ZSTD_freeDStream(s->zs);
    calque__free(&s->mem, s->in);
    calque__free(&s->mem, s);
}

/* read() that retries on EINTR. @return bytes read, 0 at the end, or
 * CALQUE_EIO. */
static ptrdiff_t readFd(int fd, void *dst, size_t cap)
{
    for (;;) {
        ssize_t const n = read(fd, dst, cap);
        if (n >= 0) return (ptrdiff_t)n;
        if (errno != EINTR) return CALQUE_EIO;
    }
}

/* Refills s->in when all of it was consumed. @return 0 (possibly with
 * s->inEof set) or CALQUE_EIO. */
static int refill(calque__source *s)
{
    if (s->inPos < s->inLen || s->inEof) return 0;
    ptrdiff_t const n = readFd(s->fd, s->in, IN_CAP);
    if (n < 0) return (int)n;
    s->inPos = 0;
    s->inLen = (size_t)n;
    if (n == 0) s->inEof = 1;
    return 0;
}

/* Reads the first bytes and chooses the decoder. @return 0 or an error. */
static int detect(calque__source *s)
{
    static const unsigned char gz[2] = {0x1F, 0x8B};
    static const unsigned char zst[4] = {0x28, 0xB5, 0x2F, 0xFD};
    while (s->inLen < 4 && !s->inEof) {
        ptrdiff_t const n = readFd(s->fd, s->in + s->inLen, 4 - s->inLen);
        if (n < 0) return (int)n;
        if (n == 0) s->inEof = 1;
        s->inLen += (size_t)n;
    }
    if (s->inLen >= 2 && memcmp(s->in, gz, 2) == 0) {
        s->z.zalloc = zAlloc;
        s->z.zfree = zFree;
        s->z.opaque = &s->mem;
        int const zr = inflateInit2(&s->z, 15 + 16);
        if (zr != Z_OK) return CALQUE_ENOMEM;
        s->zInit = 1;
        s->kind = KIND_GZIP;
    } else if (s->inLen >= 4 && memcmp(s->in, zst, 4) == 0) {
        ZSTD_customMem const cm = {zsAlloc, zFree, &s->mem};
        s->zs = ZSTD_createDStream_advanced(cm);
        if (s->zs == NULL) return CALQUE_ENOMEM;
        s->kind = KIND_ZSTD;
    } else {
        s->kind = KIND_PLAIN;
    }
    return 0;
}

/* Plain input: the bytes kept by detect(), then read() into @dst. */
static ptrdiff_t readPlain(calque__source *s, void *dst, size_t cap)
{
    if (s->inPos < s->inLen) {
        size_t const n = CALQUE_MIN(cap, s->inLen - s->inPos);
        memcpy(dst, s->in + s->inPos, n);
        s->inPos += n;
        return (ptrdiff_t)n;
    }
    if (s->inEof) return 0;
    return readFd(s->fd, dst, cap);
}

/* gzip: inflates until some output is made, the input ends or an error.
 * A new member starts whenever input follows the end of the previous
 * one. */
static ptrdiff_t readGzip(calque__source *s, void *dst, size_t cap)
{
    s->z.next_out = dst;
    s->z.avail_out = (uInt)CALQUE_MIN(cap, (size_t)UINT32_MAX);
    while (s->z.avail_out == CALQUE_MIN(cap, (size_t)UINT32_MAX)) {
        FORWARD_IF_ERROR(refill(s));
        size_t const avail = s->inLen - s->inPos;
        if (s->zEnded) {
            if (avail == 0) return 0; /* clean end after a member */
            if (inflateReset(&s->z) != Z_OK) return CALQUE_ECOMPRESSED;
            s->zEnded = 0;
        }
        s->z.next_in = s->in + s->inPos;
        s->z.avail_in = (uInt)avail;
        int const zr = inflate(&s->z, Z_NO_FLUSH);
        s->inPos = s->inLen - s->z.avail_in;
        if (zr == Z_STREAM_END) {
            s->zEnded = 1;
        } else if (zr == Z_MEM_ERROR) {
            return CALQUE_ENOMEM;
        } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT ||
                   zr == Z_STREAM_ERROR) {
            return CALQUE_ECOMPRESSED;
        } else if (zr == Z_BUF_ERROR && s->inEof &&
                   s->inPos == s->inLen) {
            return CALQUE_ETRUNCATED; /* no progress, no more input */
        }
    }
    return (ptrdiff_t)(CALQUE_MIN(cap, (size_t)UINT32_MAX) - s->z.avail_out);
}

/* zstd: decompresses until some output is made, the input ends or an
 * error. The input may end only between frames (hint 0). */
static ptrdiff_t readZstd(calque__source *s, void *dst, size_t cap)
{
    ZSTD_outBuffer out = {dst, cap, 0};
    while (out.pos == 0) {
        FORWARD_IF_ERROR(refill(s));
        ZSTD_inBuffer in = {s->in, s->inLen, s->inPos};
        if (in.pos == in.size && s->zsHint == 0) return 0;
        size_t const r = ZSTD_decompressStream(s->zs, &out, &in);
        int const progress = in.pos != s->inPos || out.pos != 0;
        s->inPos = in.pos;
        if (ZSTD_isError(r)) {
            return ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation
                       ? CALQUE_ENOMEM
                       : CALQUE_ECOMPRESSED;
        }
        s->zsHint = r;
        if (!progress && s->inEof && s->inPos == s->inLen)
            return CALQUE_ETRUNCATED;
    }
    return (ptrdiff_t)out.pos;
}

ptrdiff_t calque__sourceRead(calque__source *s, void *dst, size_t cap)
{
    if (s->err) return s->err;
    int rc = 0;
    if (s->kind == KIND_UNKNOWN) rc = detect(s);
    ptrdiff_t n = rc;
    if (rc == 0) {
        switch (s->kind) {
        case KIND_GZIP: n = readGzip(s, dst, cap); break;
        case KIND_ZSTD: n = readZstd(s, dst, cap); break;
        default: n = readPlain(s, dst, cap); break;
        }
    }
    if (n < 0) s->err = (int)n;
    return n;
}

int calque__sourceCompressed(const calque__source *s)
{
    return s->kind == KIND_GZIP || s->kind == KIND_ZSTD;
}
