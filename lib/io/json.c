/*
 * json.c - the JSONL line parser and the string decoders of the readers.
 *
 * calque__parseLine() reads one line holding one JSON object (RFC 8259),
 * picks out the id and text fields and skips every other value, however
 * nested, checking its syntax. It does not build a tree and allocates
 * nothing: the id is a span of the line, the text is a span of the line
 * too when it has no escapes and is valid UTF-8, and is otherwise decoded
 * into a buffer given by the caller.
 *
 * How it is fast: a line ends with a control character (its newline, a CR
 * or a sentinel written by the reader) and is followed by readable
 * padding, so the scanners need no bounds checks inside strings: they look
 * at 16 bytes at a time (SSE2; 8 with portable word tricks elsewhere) for
 * the next byte that needs attention - a quote, a backslash, a control
 * character and, in the text, a non-ASCII byte whose UTF-8 must be
 * checked - and, when decoding, copy whole words ahead of the check.
 * On CPUs with SSSE3 (checked at run time) the text is scanned by a
 * variant that also checks UTF-8 16 bytes at a time, so accented or
 * non-Latin text does not stop the scan at every non-ASCII byte; a text
 * with ill-formed UTF-8 is then decoded again by the portable code, which
 * repairs it (about 1.4 GB/s on French news JSONL here, against 0.7).
 *
 * Rules: raw control characters (including NUL) in strings are malformed
 * JSON; "\u0000" decodes to a NUL byte; surrogate pairs decode, lone
 * surrogates become U+FFFD; ill-formed UTF-8 in the text becomes U+FFFD,
 * one per maximal ill-formed subsequence (Unicode 15, section 3.9), and is
 * counted. Positions in error details are 1-based bytes of the line. When a
 * field appears twice, the last one counts. No Debian library offers this
 * (spans into the input, exact error positions, no allocation per record)
 * at the speed needed here.
 */
#include <stdio.h>

#include "io/io.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && defined(__GNUC__)
#define CALQUE__IO_SSSE3 1 /* chosen at run time, see decodeText() */
#else
#define CALQUE__IO_SSSE3 0
#endif

typedef unsigned char byte;

/* ---- Word scanners ---------------------------------------------------- */
/* Each xxxStop(p) returns the index in [0, STEP] of the first byte among
 * p[0..STEP) that stops the scan, or STEP when none does. */
#if defined(__SSE2__)
#define STEP 16

/* Stops at '"', '\\', control characters and non-ASCII bytes. */
static inline unsigned textStop(const byte *p)
{
    __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i const m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))); /* signed: also >= 0x80 */
    unsigned const bits = (unsigned)_mm_movemask_epi8(m);
    return bits ? (unsigned)__builtin_ctz(bits) : STEP;
}

/* Stops at '"', '\\' and control characters. */
static inline unsigned rawStop(const byte *p)
{
    __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i const ctl = _mm_set1_epi8(0x1F);
    __m128i const m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));
    unsigned const bits = (unsigned)_mm_movemask_epi8(m);
    return bits ? (unsigned)__builtin_ctz(bits) : STEP;
}

/* Stops at non-ASCII bytes. */
static inline unsigned asciiStop(const byte *p)
{
    __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)p);
    unsigned const bits = (unsigned)_mm_movemask_epi8(v);
    return bits ? (unsigned)__builtin_ctz(bits) : STEP;
}

static inline void copyWord(byte *dst, const byte *src)
{
    _mm_storeu_si128((__m128i *)(void *)dst,
                     _mm_loadu_si128((const __m128i *)(const void *)src));
}
#else
#define STEP 8
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The 8 bytes at p, the first in the low bits. */
static inline uint64_t load8(const byte *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* High bit of each byte of v that is below n (n <= 128). Exact up to the
 * first such byte; bytes after it may be marked wrongly, which does not
 * matter as only the first one is used. */
static inline uint64_t below(uint64_t v, unsigned n)
{
    return (v - ONES * n) & ~v & HIGHS;
}

/* High bit of each byte of v equal to c, with the same caveat. */
static inline uint64_t equal(uint64_t v, unsigned c)
{
    return below(v ^ (ONES * c), 1);
}

static inline unsigned firstMarked(uint64_t m)
{
    return m ? (unsigned)__builtin_ctzll(m) >> 3 : STEP;
}

static inline unsigned textStop(const byte *p)
{
    uint64_t const v = load8(p);
    return firstMarked((v & HIGHS) | below(v, 0x20) | equal(v, '"') |
                       equal(v, '\\'));
}

static inline unsigned rawStop(const byte *p)
{
    uint64_t const v = load8(p);
    return firstMarked(below(v, 0x20) | equal(v, '"') | equal(v, '\\'));
}

static inline unsigned asciiStop(const byte *p)
{
    return firstMarked(load8(p) & HIGHS);
}

static inline void copyWord(byte *dst, const byte *src)
{
    memcpy(dst, src, STEP);
}
#endif

/* ---- UTF-8 ------------------------------------------------------------ */

/* Checks the sequence that starts with the non-ASCII byte p[0].
 * @return its length (2..4) when well formed, otherwise minus the length
 * of its maximal ill-formed subpart (-1..-3), which is to be replaced by
 * one U+FFFD. Reading stops at the first byte that cannot continue the
 * sequence, so any ASCII byte after the text bounds it. */
static inline int utf8Seq(const byte *p)
{
    unsigned const c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    int n;
    if (c < 0xC2 || c > 0xF4) return -1;
    if (c < 0xE0) {
        n = 2;
    } else if (c < 0xF0) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;       /* overlong */
        if (c == 0xED) hi = 0x9F;       /* surrogates */
    } else {
        n = 4;
        if (c == 0xF0) lo = 0x90;       /* overlong */
        if (c == 0xF4) hi = 0x8F;       /* above U+10FFFF */
    }
    if (p[1] < lo || p[1] > hi) return -1;
    for (int k = 2; k < n; k++)
        if ((p[k] & 0xC0) != 0x80) return -k;
    return n;
}

/* Writes code point @cp (< 0x110000, not a surrogate) as UTF-8.
 * @return the number of bytes written. */
static inline size_t putUtf8(byte *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (byte)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (byte)(0xC0 | cp >> 6);
        o[1] = (byte)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (byte)(0xE0 | cp >> 12);
        o[1] = (byte)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (byte)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (byte)(0xF0 | cp >> 18);
    o[1] = (byte)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (byte)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (byte)(0x80 | (cp & 0x3F));
    return 4;
}

static const byte replacement[3] = {0xEF, 0xBF, 0xBD}; /* U+FFFD */

/* The first non-ASCII byte of [p, e), or e. */
static const byte *skipAscii(const byte *p, const byte *e)
{
    while (e - p >= STEP) {
        unsigned const k = asciiStop(p);
        p += k;
        if (k < STEP) return p;
    }
    while (p < e && *p < 0x80) p++;
    return p;
}

size_t calque__utf8ValidPrefix(const char *s, size_t len)
{
    const byte *p = (const byte *)s;
    const byte *const e = p + len;
    for (;;) {
        p = skipAscii(p, e);
        if (p == e) return len;
        int const n = utf8Seq(p);
        if (n < 0) return (size_t)(p - (const byte *)s);
        p += n;
    }
}

size_t calque__repairUtf8(const char *src, size_t len, char *out,
                          uint64_t *invalid)
{
    const byte *p = (const byte *)src;
    const byte *const e = p + len;
    byte *o = (byte *)out;
    while (p < e) {
        const byte *const q = skipAscii(p, e);
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        p = q;
        if (p == e) break;
        int const n = utf8Seq(p);
        if (n > 0) {
            memcpy(o, p, (size_t)n);
            o += n;
            p += n;
        } else {
            memcpy(o, replacement, 3);
            o += 3;
            p += -n;
            ++*invalid;
        }
    }
    return (size_t)(o - (byte *)out);
}

/* ---- Parser state and errors ------------------------------------------ */

typedef struct {
    const byte *line; /* first byte of the line */
    const byte *end;  /* its end: a control character */
    calque__jsonLine *j;
} parser;

/* Records "<what> at byte N" for position @at. @return NULL, so that
 * scanners can `return fail(...)`. */
static const byte *fail(parser *ps, const byte *at, const char *what)
{
    snprintf(ps->j->detail, sizeof ps->j->detail, "%s at byte %zu", what,
             (size_t)(at - ps->line) + 1);
    return NULL;
}

/* fail() for the functions that return a status. @return CALQUE_EJSON. */
static int syntaxError(parser *ps, const byte *at, const char *what)
{
    fail(ps, at, what);
    return CALQUE_EJSON;
}

/* Skips JSON whitespace. A CR counts only inside the line: the byte at
 * ps->end may be the CR of a CRLF. */
static inline const byte *ws(const parser *ps, const byte *p)
{
    while (*p == ' ' || *p == '\t' || (*p == '\r' && p < ps->end)) p++;
    return p;
}

/* Value of the 4 hex digits at p, or -1. */
static inline long hex4(const byte *p)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned const c = p[k];
        unsigned d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else return -1;
        v = v << 4 | (long)d;
    }
    return v;
}

/* A control character where a string continues: the end of the line
 * (unterminated) or a raw control character. */
static const byte *badStringByte(parser *ps, const byte *p)
{
    return fail(ps, p, p >= ps->end ? "unterminated string"
                                    : "control character in string");
}

/* ---- Strings ---------------------------------------------------------- */

/* Skips a string whose opening quote is at p[-1], checking its escapes.
 * *escaped (may be NULL) is set when it has any.
 * @return the byte after the closing quote, or NULL. */
static const byte *skipString(parser *ps, const byte *p, int *escaped)
{
    for (;;) {
        unsigned k;
        while ((k = rawStop(p)) == STEP) p += STEP;
        p += k;
        if (*p == '"') return p + 1;
        if (*p != '\\') return badStringByte(ps, p);
        if (escaped) *escaped = 1;
        switch (p[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n':
        case 'r': case 't': p += 2; break;
        case 'u':
            if (hex4(p + 2) < 0) return fail(ps, p, "invalid \\u escape");
            p += 6;
            break;
        default: return fail(ps, p, "invalid escape");
        }
    }
}

/* Decodes the escape at p (a backslash) into *o. A high surrogate followed
 * by a low one makes one code point; any other surrogate gives U+FFFD.
 * @return the byte after the escape (or pair), or NULL. */
static const byte *decodeEscape(parser *ps, const byte *p, byte **o)
{
    static const byte simple[128] = {
        ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
        ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t'};
    unsigned const c = p[1];
    if (c < 128 && simple[c]) {
        *(*o)++ = simple[c];
        return p + 2;
    }
    if (c != 'u') return fail(ps, p, "invalid escape");
    long cp = hex4(p + 2);
    if (cp < 0) return fail(ps, p, "invalid \\u escape");
    p += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        long const lo = p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        } else {
            cp = 0xFFFD;
        }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = 0xFFFD;
    }
    *o += putUtf8(*o, (uint32_t)cp);
    return p;
}

/* Decodes a string whose opening quote is at p[-1]. When it has no escape
 * and valid UTF-8 the result is the span of the line itself; otherwise it
 * is written to @out (room for 3 bytes per input byte + CALQUE__IO_PAD).
 * Ill-formed UTF-8 becomes U+FFFD and is counted in *invalid.
 * @return the byte after the closing quote, or NULL. */
static const byte *decodeString(parser *ps, const byte *p, byte *out,
                                const char **res, size_t *resLen,
                                uint64_t *invalid)
{
    const byte *const start = p;
    unsigned k;
    for (;;) { /* first pass: nothing to copy yet */
        while ((k = textStop(p)) == STEP) p += STEP;
        p += k;
        if (*p == '"') {
            *res = (const char *)start;
            *resLen = (size_t)(p - start);
            return p + 1;
        }
        if (*p < 0x20) return badStringByte(ps, p);
        if (*p < 0x80) break; /* a backslash */
        int const n = utf8Seq(p);
        if (n < 0) break;
        p += n;
    }
    byte *o = out;
    memcpy(o, start, (size_t)(p - start));
    o += p - start;
    for (;;) {
        do { /* copy a word, keep what precedes the first stop */
            copyWord(o, p);
            k = textStop(p);
            p += k;
            o += k;
        } while (k == STEP);
        unsigned const c = *p;
        if (c == '"') break;
        if (c == '\\') {
            p = decodeEscape(ps, p, &o);
            if (p == NULL) return NULL;
        } else if (c < 0x20) {
            return badStringByte(ps, p);
        } else {
            int const n = utf8Seq(p);
            if (n > 0) {
                memcpy(o, p, 4); /* both have room; only n bytes count */
                o += n;
                p += n;
            } else {
                memcpy(o, replacement, 3);
                o += 3;
                p += -n;
                ++*invalid;
            }
        }
    }
    *res = (const char *)out;
    *resLen = (size_t)(o - out);
    return p + 1;
}

/* ---- SSSE3: UTF-8 checked 16 bytes at a time ------------------------- */
#if CALQUE__IO_SSSE3
#include <tmmintrin.h>
#define SSSE3 __attribute__((target("ssse3")))

int calque__ioHaveSsse3(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("ssse3") != 0;
}

/* Error flags of two consecutive bytes, from "Validating UTF-8 in less
 * than one instruction per byte" (Keiser and Lemire, 2021), as in
 * simdjson and simdutf: three 16-entry tables, indexed by the high and low
 * nibbles of a byte and the high nibble of the next, whose AND is nonzero
 * for an ill-formed pair; the one rule left (a 3rd or 4th byte must be a
 * continuation, and a continuation must be one) uses the bytes two and
 * three places back. */
enum {
    TOO_SHORT = 1 << 0,  /* lead or ASCII after an unfinished lead */
    TOO_LONG = 1 << 1,   /* continuation after ASCII */
    OVERLONG_3 = 1 << 2, /* E0 80..9F */
    TOO_LARGE = 1 << 3,  /* F4 90..BF, F5..FF */
    SURROGATE = 1 << 4,  /* ED A0..BF */
    OVERLONG_2 = 1 << 5, /* C0, C1 */
    TOO_LARGE_1000 = 1 << 6,
    OVERLONG_4 = 1 << 6, /* F0 80..8F */
    TWO_CONTS = 1 << 7,  /* continuation after continuation */
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

/* Nonzero bytes where the pair (previous byte, byte) of @in is ill
 * formed; @prev is the block before @in. */
SSSE3 static inline __m128i utf8Errors(__m128i prev, __m128i in)
{
    __m128i const byte1High = _mm_setr_epi8(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        TOO_LONG, (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS,
        (char)TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
        TOO_SHORT | OVERLONG_3 | SURROGATE,
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    char const c = (char)CARRY, l = TOO_LARGE | TOO_LARGE_1000;
    __m128i const byte1Low = _mm_setr_epi8(
        (char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4),
        (char)(CARRY | OVERLONG_2), c, c, (char)(CARRY | TOO_LARGE),
        (char)(c | l), (char)(c | l), (char)(c | l), (char)(c | l),
        (char)(c | l), (char)(c | l), (char)(c | l), (char)(c | l),
        (char)(c | l | SURROGATE), (char)(c | l), (char)(c | l));
    char const cont = (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS);
    __m128i const byte2High = _mm_setr_epi8(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        TOO_SHORT, TOO_SHORT,
        (char)(cont | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
        (char)(cont | OVERLONG_3 | TOO_LARGE), (char)(cont | SURROGATE |
        TOO_LARGE), (char)(cont | SURROGATE | TOO_LARGE), TOO_SHORT,
        TOO_SHORT, TOO_SHORT, TOO_SHORT);
    __m128i const nibble = _mm_set1_epi8(0x0F);
    __m128i const prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i const sc = _mm_and_si128(
        _mm_and_si128(
            _mm_shuffle_epi8(byte1High, _mm_and_si128(
                                            _mm_srli_epi16(prev1, 4), nibble)),
            _mm_shuffle_epi8(byte1Low, _mm_and_si128(prev1, nibble))),
        _mm_shuffle_epi8(byte2High,
                         _mm_and_si128(_mm_srli_epi16(in, 4), nibble)));
    __m128i const prev2 = _mm_alignr_epi8(in, prev, 14);
    __m128i const prev3 = _mm_alignr_epi8(in, prev, 13);
    __m128i const must23 = _mm_or_si128(
        _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80))),
        _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80))));
    return _mm_xor_si128(_mm_and_si128(must23, _mm_set1_epi8((char)0x80)),
                         sc);
}

/* Errors of block @v after @prev, skipping the work when both are ASCII. */
SSSE3 static inline __m128i checkBlock(__m128i prev, __m128i v)
{
    if (_mm_movemask_epi8(_mm_or_si128(prev, v)) == 0)
        return _mm_setzero_si128();
    return utf8Errors(prev, v);
}

/* decodeString() for valid UTF-8, without stopping at non-ASCII bytes.
 * Each run of plain bytes up to a quote, backslash or control character
 * is checked block by block; the block holding the stop is checked with
 * the bytes from the stop on replaced by spaces, so a sequence cut by the
 * stop is an error and the next run starts afresh. When the string has
 * ill-formed UTF-8, *redo is set and NULL returned: the caller decodes
 * it again with decodeString(), which repairs it. */
SSSE3 static const byte *decodeStringSsse3(parser *ps, const byte *p,
                                           byte *out, const char **res,
                                           size_t *resLen, int *redo)
{
    __m128i const quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    __m128i const ctl = _mm_set1_epi8(0x1F), space = _mm_set1_epi8(' ');
    __m128i const index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                        11, 12, 13, 14, 15);
    const byte *const start = p;
    byte *o = NULL; /* NULL until an escape: the result is then a copy */
    __m128i prev = _mm_setzero_si128(), err = _mm_setzero_si128();
    for (;;) {
        __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned const stops = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
            _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl)));
        if (o) _mm_storeu_si128((__m128i *)(void *)o, v);
        if (stops == 0) {
            err = _mm_or_si128(err, checkBlock(prev, v));
            prev = v;
            p += 16;
            o = o ? o + 16 : NULL;
            continue;
        }
        unsigned const k = (unsigned)__builtin_ctz(stops);
        __m128i const keep = _mm_cmplt_epi8(index, _mm_set1_epi8((char)k));
        __m128i const head = _mm_or_si128(_mm_and_si128(keep, v),
                                          _mm_andnot_si128(keep, space));
        err = _mm_or_si128(err, checkBlock(prev, head));
        prev = _mm_setzero_si128();
        p += k;
        o = o ? o + k : NULL;
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) !=
            0xFFFF) {
            *redo = 1;
            return NULL;
        }
        if (*p == '"') break;
        if (*p != '\\') return badStringByte(ps, p);
        if (o == NULL) {
            o = out;
            memcpy(o, start, (size_t)(p - start));
            o += p - start;
        }
        p = decodeEscape(ps, p, &o);
        if (p == NULL) return NULL;
    }
    *res = o ? (const char *)out : (const char *)start;
    *resLen = o ? (size_t)(o - out) : (size_t)(p - start);
    return p + 1;
}
#else
int calque__ioHaveSsse3(void)
{
    return 0;
}
#endif

/* Decodes the text field's string (opening quote at p[-1]) into j->text,
 * with the SSSE3 scanner when j->fast allows it. @return as
 * decodeString(). */
static const byte *decodeText(parser *ps, const byte *p)
{
    calque__jsonLine *const j = ps->j;
#if CALQUE__IO_SSSE3
    if (j->fast) {
        int redo = 0;
        const byte *const q = decodeStringSsse3(ps, p, (byte *)j->out,
                                                &j->text, &j->textLen, &redo);
        if (!redo) return q;
    }
#endif
    return decodeString(ps, p, (byte *)j->out, &j->text, &j->textLen,
                        &j->invalidUtf8);
}

/* ---- Values ----------------------------------------------------------- */

static inline int isDigit(unsigned c)
{
    return c - '0' < 10;
}

/* Skips a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * @return the byte after it, or NULL. */
static const byte *skipNumber(parser *ps, const byte *p)
{
    const byte *q = p;
    if (*q == '-') q++;
    if (*q == '0') {
        q++;
    } else if (isDigit(*q)) {
        while (isDigit(*q)) q++;
    } else {
        return fail(ps, p, "expected a value");
    }
    if (*q == '.') {
        q++;
        if (!isDigit(*q)) return fail(ps, q, "expected a digit");
        while (isDigit(*q)) q++;
    }
    if ((*q | 0x20) == 'e') {
        q++;
        if (*q == '+' || *q == '-') q++;
        if (!isDigit(*q)) return fail(ps, q, "expected a digit");
        while (isDigit(*q)) q++;
    }
    return q;
}

/* Skips `"key" :` and the whitespace after it, at p.
 * @return the start of the value, or NULL. */
static const byte *skipKey(parser *ps, const byte *p)
{
    if (*p != '"') return fail(ps, p, "expected a key");
    p = skipString(ps, p + 1, NULL);
    if (p == NULL) return NULL;
    p = ws(ps, p);
    if (*p != ':') return fail(ps, p, "expected ':' after key");
    return ws(ps, p + 1);
}

#define MAX_DEPTH 1024

/* Skips the value at p, nested arrays and objects included (up to
 * MAX_DEPTH deep, with an explicit stack: one bit per level, set for an
 * object). @return the byte after it, or NULL. */
static const byte *skipValue(parser *ps, const byte *p)
{
    uint64_t isObject[MAX_DEPTH / 64];
    unsigned depth = 0;
    for (;;) {
        /* At the start of a value. */
        switch (*p) {
        case '"': p = skipString(ps, p + 1, NULL); break;
        case '{':
        case '[': {
            int const obj = *p == '{';
            if (depth == MAX_DEPTH)
                return fail(ps, p, "nesting too deep");
            uint64_t const bit = 1ULL << (depth % 64);
            if (obj) isObject[depth / 64] |= bit;
            else isObject[depth / 64] &= ~bit;
            depth++;
            p = ws(ps, p + 1);
            if (*p == (obj ? '}' : ']')) {
                depth--;
                p++;
                break;
            }
            p = obj ? skipKey(ps, p) : p;
            if (p == NULL) return NULL;
            continue;
        }
        case 't': p = memcmp(p, "true", 4) ? fail(ps, p, "expected a value")
                                            : p + 4;
            break;
        case 'f': p = memcmp(p, "false", 5) ? fail(ps, p, "expected a value")
                                             : p + 5;
            break;
        case 'n': p = memcmp(p, "null", 4) ? fail(ps, p, "expected a value")
                                            : p + 4;
            break;
        default: p = skipNumber(ps, p); break;
        }
        if (p == NULL) return NULL;
        /* After a value: close the containers that end here. */
        for (;;) {
            if (depth == 0) return p;
            int const obj = (int)(isObject[(depth - 1) / 64] >>
                                  ((depth - 1) % 64) & 1);
            p = ws(ps, p);
            if (*p == ',') {
                p = ws(ps, p + 1);
                p = obj ? skipKey(ps, p) : p;
                if (p == NULL) return NULL;
                break;
            }
            if (*p != (obj ? '}' : ']'))
                return fail(ps, p, obj ? "expected ',' or '}'"
                                       : "expected ',' or ']'");
            depth--;
            p++;
        }
    }
}

/* ---- Lines ------------------------------------------------------------ */

/* Does the key [k, k + klen) equal the field name [name, name + n)? */
static inline int sameName(const void *k, size_t klen, const char *name,
                           size_t n)
{
    return klen == n && memcmp(k, name, n) == 0;
}

/* Sets an EFIELD detail naming the field. @return CALQUE_EFIELD. */
static int fieldError(calque__jsonLine *j, const char *fmt, const char *name,
                      size_t n)
{
    snprintf(j->detail, sizeof j->detail, fmt, (int)CALQUE_MIN(n, 64), name);
    return CALQUE_EFIELD;
}

int calque__parseLine(calque__jsonLine *j, const char *line, size_t len)
{
    parser ps = {(const byte *)line, (const byte *)line + len, j};
    enum { ABSENT, STRING, OTHER } textKind = ABSENT;
    int idBad = 0;
    j->id = NULL;
    j->idLen = 0;
    j->text = NULL;
    j->textLen = 0;
    j->date = NULL;
    j->dateLen = 0;
    j->invalidUtf8 = 0;
    j->detail[0] = 0;

    const byte *p = ws(&ps, ps.line);
    if (*p != '{') return syntaxError(&ps, p, "expected '{'");
    p = ws(&ps, p + 1);
    if (*p == '}') p++;
    else for (;;) {
        if (*p != '"') return syntaxError(&ps, p, "expected a key");
        const byte *k = p + 1;
        int escaped = 0;
        p = skipString(&ps, k, &escaped);
        if (p == NULL) return CALQUE_EJSON;
        size_t klen = (size_t)(p - 1 - k);
        if (escaped && klen <= 6 * j->maxFieldLen) {
            /* Rare: compare the decoded key. Each decoded byte comes from
             * at most 6 input bytes, so longer keys cannot match. */
            const char *dk;
            uint64_t ignored = 0;
            decodeString(&ps, k, (byte *)j->key, &dk, &klen, &ignored);
            k = (const byte *)dk;
        } else if (escaped) {
            klen = SIZE_MAX;
        }
        int const isText = sameName(k, klen, j->textField, j->textFieldLen);
        int const isId = sameName(k, klen, j->idField, j->idFieldLen);
        int const isDate = j->dateField != NULL &&
                           sameName(k, klen, j->dateField, j->dateFieldLen);
        p = ws(&ps, p);
        if (*p != ':')
            return syntaxError(&ps, p, "expected ':' after key");
        p = ws(&ps, p + 1);
        const byte *const v = p;
        if (isText && *p == '"') {
            j->invalidUtf8 = 0;
            p = decodeText(&ps, p + 1);
            textKind = STRING;
        } else {
            p = skipValue(&ps, p);
            if (isText) textKind = OTHER;
        }
        if (p == NULL) return CALQUE_EJSON;
        if (isId) {
            idBad = !(*v == '"' || *v == '-' || isDigit(*v));
            j->id = idBad ? NULL : (const char *)v;
            j->idLen = idBad ? 0 : (size_t)(p - v);
        }
        if (isDate) { /* the raw token: a string with its quotes, ... */
            j->date = (const char *)v;
            j->dateLen = (size_t)(p - v);
        }
        p = ws(&ps, p);
        if (*p == ',') {
            p = ws(&ps, p + 1);
            continue;
        }
        if (*p != '}')
            return syntaxError(&ps, p, "expected ',' or '}'");
        p++;
        break;
    }
    p = ws(&ps, p);
    if (p != ps.end)
        return syntaxError(&ps, p, "unexpected data after the object");
    if (textKind == ABSENT)
        return fieldError(j, "missing field \"%.*s\"", j->textField,
                          j->textFieldLen);
    if (textKind == OTHER)
        return fieldError(j, "field \"%.*s\" is not a string", j->textField,
                          j->textFieldLen);
    if (idBad)
        return fieldError(j, "field \"%.*s\" must be a string or number",
                          j->idField, j->idFieldLen);
    return 0;
}
