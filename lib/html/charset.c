/*
 * charset.c - finding the encoding of a web page and converting it to
 * valid UTF-8.
 *
 * The choice follows the HTML standard's order, simplified: a byte order
 * mark wins; then the caller's hint (the charset of the HTTP Content-Type
 * header); then a <meta charset> or <meta http-equiv="content-type"> (or
 * an <?xml encoding?> declaration) found by a light scan of the first
 * 4 KiB; then UTF-8 when the bytes are valid UTF-8, else windows-1252.
 * Labels are mapped as browsers map them: "iso-8859-1", "latin1" and
 * "us-ascii" all mean windows-1252, which is what such pages really use.
 *
 * UTF-8 is validated (and repaired when needed) by hand because it is the
 * common case and must be fast; every other encoding goes through iconv,
 * whose descriptor is cached by the caller. Undecodable input becomes
 * U+FFFD and is counted.
 */
#include <errno.h>
#include <iconv.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "html/html.h"

/* ---- Byte buffer ------------------------------------------------------- */
int calque__hbufReserve(const calque__mem *m, calque__hbuf *b, size_t extra)
{
    RETURN_ERROR_IF(extra > SIZE_MAX - b->len - 1, CALQUE_ENOMEM);
    /* One spare byte so that users may NUL-terminate. */
    return CALQUE_GROW(m, &b->p, &b->cap, b->len + extra + 1);
}

int calque__hbufAppendGrow(const calque__mem *m, calque__hbuf *b,
                           const void *src, size_t n)
{
    if (n == 0) return 0;
    FORWARD_IF_ERROR(calque__hbufReserve(m, b, n));
    memcpy(b->p + b->len, src, n);
    b->len += n;
    return 0;
}

void calque__hbufFree(const calque__mem *m, calque__hbuf *b)
{
    calque__free(m, b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- Labels ------------------------------------------------------------ */
static int csLower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Aliases whose iconv meaning differs from what browsers do, or that iconv
 * does not know. Everything else is passed to iconv upper-cased. */
static const struct {
    const char *label, *name;
} csAliases[] = {
    {"utf-8", "UTF-8"},           {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"}, {"x-unicode20utf8", "UTF-8"},
    {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"}, {"iso88591", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},   {"l1", "WINDOWS-1252"},
    {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},
    {"ansi_x3.4-1968", "WINDOWS-1252"}, {"cp819", "WINDOWS-1252"},
    {"ibm819", "WINDOWS-1252"},   {"iso-ir-100", "WINDOWS-1252"},
    {"cp1252", "WINDOWS-1252"},   {"x-cp1252", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"}, {"x-user-defined", "WINDOWS-1252"},
    {"iso-8859-9", "WINDOWS-1254"}, {"latin5", "WINDOWS-1254"},
    {"iso-8859-11", "WINDOWS-874"}, {"tis-620", "WINDOWS-874"},
    {"gb2312", "GBK"},            {"x-gbk", "GBK"},
    {"ks_c_5601-1987", "EUC-KR"}, {"x-sjis", "SHIFT_JIS"},
    {"utf-16", "UTF-16LE"},       {"unicode", "UTF-16LE"},
    {"ucs-2", "UTF-16LE"},
};

int calque__htmlCharsetName(const char *label, size_t len,
                            char name[CALQUE__CS_NAME_MAX])
{
    /* Trim spaces and quotes around the label. */
    while (len && (*label == ' ' || *label == '\t' || *label == '"' ||
                   *label == '\'' || *label == '\n' || *label == '\r')) {
        label++;
        len--;
    }
    while (len && (label[len - 1] == ' ' || label[len - 1] == '\t' ||
                   label[len - 1] == '"' || label[len - 1] == '\'' ||
                   label[len - 1] == '\n' || label[len - 1] == '\r'))
        len--;
    if (len == 0 || len >= CALQUE__CS_NAME_MAX) return 0;
    char low[CALQUE__CS_NAME_MAX];
    for (size_t i = 0; i < len; i++) {
        unsigned char const c = (unsigned char)label[i];
        /* Encoding names are printable ASCII; anything else is junk. */
        if (c <= ' ' || c >= 0x7F) return 0;
        low[i] = (char)csLower(c);
    }
    low[len] = 0;
    for (size_t i = 0; i < sizeof csAliases / sizeof csAliases[0]; i++)
        if (strcmp(low, csAliases[i].label) == 0) {
            strcpy(name, csAliases[i].name);
            return 1;
        }
    for (size_t i = 0; i <= len; i++)
        name[i] = (char)(low[i] >= 'a' && low[i] <= 'z' ? low[i] - 32
                                                        : low[i]);
    return 1;
}

/* ---- <meta> prescan ---------------------------------------------------- */
/* Case-insensitive: does @p (with @n bytes left) start with lower-case @s? */
static int csStartsWith(const uint8_t *p, size_t n, const char *s)
{
    size_t const k = strlen(s);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (csLower(p[i]) != s[i]) return 0;
    return 1;
}

static int csIsSpace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Finds "charset" followed by '=' in an attribute value (the content of
 * a http-equiv meta) and returns the label after it in *lab, *labLen. */
static int csFromContent(const uint8_t *v, size_t n, const uint8_t **lab,
                         size_t *labLen)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (!csStartsWith(v + i, n - i, "charset")) continue;
        size_t j = i + 7;
        while (j < n && csIsSpace(v[j])) j++;
        if (j >= n || v[j] != '=') continue;
        j++;
        while (j < n && csIsSpace(v[j])) j++;
        size_t e = j;
        if (e < n && (v[e] == '"' || v[e] == '\'')) {
            uint8_t const q = v[e];
            j = ++e;
            while (e < n && v[e] != q) e++;
        } else {
            while (e < n && !csIsSpace(v[e]) && v[e] != ';') e++;
        }
        *lab = v + j;
        *labLen = e - j;
        return e > j;
    }
    return 0;
}

/* Reads the attributes of one tag starting at @p (just after its name)
 * up to '>' and returns the encoding label a meta tag declares, if any.
 * *end receives the offset just past the tag. */
static int csMetaAttrs(const uint8_t *p, size_t n, size_t *end,
                       const uint8_t **lab, size_t *labLen)
{
    size_t i = 0;
    int httpEquiv = 0, found = 0;
    const uint8_t *content = NULL, *cs = NULL;
    size_t contentLen = 0, csLen = 0;
    while (i < n && p[i] != '>') {
        while (i < n && (csIsSpace(p[i]) || p[i] == '/')) i++;
        size_t const nameStart = i;
        while (i < n && !csIsSpace(p[i]) && p[i] != '=' && p[i] != '>' &&
               p[i] != '/')
            i++;
        size_t const nameLen = i - nameStart;
        while (i < n && csIsSpace(p[i])) i++;
        const uint8_t *val = NULL;
        size_t valLen = 0;
        if (i < n && p[i] == '=') {
            i++;
            while (i < n && csIsSpace(p[i])) i++;
            if (i < n && (p[i] == '"' || p[i] == '\'')) {
                uint8_t const q = p[i++];
                val = p + i;
                while (i < n && p[i] != q) i++;
                valLen = (size_t)(p + i - val);
                if (i < n) i++;
            } else {
                val = p + i;
                while (i < n && !csIsSpace(p[i]) && p[i] != '>') i++;
                valLen = (size_t)(p + i - val);
            }
        }
        if (nameLen == 0 && val == NULL) {
            if (i < n && p[i] != '>') i++; /* a stray character */
            continue;
        }
        const uint8_t *const nm = p + nameStart;
        if (nameLen == 7 && csStartsWith(nm, nameLen, "charset") && val) {
            cs = val;
            csLen = valLen;
        } else if (nameLen == 10 && csStartsWith(nm, nameLen, "http-equiv") &&
                   val && valLen == 12 &&
                   csStartsWith(val, valLen, "content-type")) {
            httpEquiv = 1;
        } else if (nameLen == 7 && csStartsWith(nm, nameLen, "content") &&
                   val) {
            content = val;
            contentLen = valLen;
        }
    }
    *end = i < n ? i + 1 : n;
    if (cs != NULL && csLen > 0) {
        *lab = cs;
        *labLen = csLen;
        found = 1;
    } else if (httpEquiv && content != NULL) {
        found = csFromContent(content, contentLen, lab, labLen);
    }
    return found;
}

/* Scans the first 4 KiB for a declared encoding. Comments are skipped so
 * that a commented-out meta does not count. */
static int csPrescan(const uint8_t *p, size_t len,
                     char name[CALQUE__CS_NAME_MAX])
{
    size_t const n = len < 4096 ? len : 4096;
    const uint8_t *lab = NULL;
    size_t labLen = 0;
    if (csStartsWith(p, n, "<?xml")) {
        /* <?xml version="1.0" encoding="ISO-8859-1"?> */
        for (size_t i = 5; i + 8 < n && p[i] != '>'; i++)
            if (csStartsWith(p + i, n - i, "encoding")) {
                size_t j = i + 8;
                while (j < n && (csIsSpace(p[j]) || p[j] == '=')) j++;
                if (j < n && (p[j] == '"' || p[j] == '\'')) {
                    uint8_t const q = p[j++];
                    size_t e = j;
                    while (e < n && p[e] != q && p[e] != '>') e++;
                    if (calque__htmlCharsetName((const char *)p + j, e - j,
                                                name))
                        return 1;
                }
                break;
            }
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '<') continue;
        if (csStartsWith(p + i, n - i, "<!--")) {
            size_t j = i + 4;
            while (j + 3 <= n && memcmp(p + j, "-->", 3) != 0) j++;
            i = j + 2;
            continue;
        }
        if (csStartsWith(p + i, n - i, "<meta") && i + 5 < n &&
            (csIsSpace(p[i + 5]) || p[i + 5] == '/')) {
            size_t end = 0;
            if (csMetaAttrs(p + i + 5, n - i - 5, &end, &lab, &labLen) &&
                calque__htmlCharsetName((const char *)lab, labLen, name))
                return 1;
            i += 4 + end;
        }
    }
    return 0;
}

calque__csSource calque__htmlSniffCharset(const uint8_t *p, size_t len,
                                          const char *hint,
                                          char name[CALQUE__CS_NAME_MAX],
                                          size_t *bomLen)
{
    *bomLen = 0;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        strcpy(name, "UTF-8");
        *bomLen = 3;
        return CALQUE__CS_BOM;
    }
    if (len >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) ||
                     (p[0] == 0xFF && p[1] == 0xFE))) {
        strcpy(name, p[0] == 0xFE ? "UTF-16BE" : "UTF-16LE");
        *bomLen = 2;
        return CALQUE__CS_BOM;
    }
    if (hint != NULL && calque__htmlCharsetName(hint, strlen(hint), name))
        return CALQUE__CS_HINT;
    if (csPrescan(p, len, name)) {
        /* A document that can be read as ASCII cannot be UTF-16; browsers
         * take UTF-8 then. */
        if (strncmp(name, "UTF-16", 6) == 0 || strncmp(name, "UTF-32", 6) == 0)
            strcpy(name, "UTF-8");
        return CALQUE__CS_META;
    }
    if (calque__utf8Valid(p, len)) {
        strcpy(name, "UTF-8");
        return CALQUE__CS_DEFAULT;
    }
    strcpy(name, "WINDOWS-1252");
    return CALQUE__CS_FALLBACK;
}

/* ---- UTF-8 ------------------------------------------------------------- */
/* Length of the valid UTF-8 sequence at p[0..n), or 0 when it is invalid.
 * Follows the Unicode table of well-formed byte sequences. */
static size_t csUtf8Seq(const uint8_t *p, size_t n)
{
    uint8_t const c = p[0];
    if (c < 0x80) return 1;
    if (c < 0xC2 || c > 0xF4) return 0;
    if (c < 0xE0) return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0; /* overlong */
    if (c == 0xED && p[1] > 0x9F) return 0; /* surrogate */
    if (c < 0xF0) return 3;
    if (n < 4 || (p[3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0; /* overlong */
    if (c == 0xF4 && p[1] > 0x8F) return 0; /* above U+10FFFF */
    return 4;
}

/* Length of the maximal invalid subpart at p[0..n) (at least 1): the
 * longest prefix of a well-formed sequence, as Unicode recommends. */
static size_t csUtf8Bad(const uint8_t *p, size_t n)
{
    uint8_t const c = p[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 1;
    }
    size_t i = 1;
    if (i < n && i < need && p[i] >= lo && p[i] <= hi) {
        i++;
        while (i < n && i < need && (p[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

int calque__utf8Valid(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* Skip ASCII eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= len) break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t const k = csUtf8Seq(p + i, len - i);
        if (k == 0) return 0;
        i += k;
    }
    return 1;
}

int calque__utf8Repair(const calque__mem *m, const uint8_t *p, size_t len,
                       calque__hbuf *out, uint64_t *replaced)
{
    /* Each invalid byte grows to at most three: reserve the worst case
     * only when needed, per run. */
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len) {
            size_t const k = p[j] < 0x80 ? 1 : csUtf8Seq(p + j, len - j);
            if (k == 0) break;
            j += k;
        }
        FORWARD_IF_ERROR(calque__hbufAppend(m, out, p + i, j - i));
        if (j >= len) break;
        size_t const bad = csUtf8Bad(p + j, len - j);
        FORWARD_IF_ERROR(calque__hbufAppend(m, out, "\xEF\xBF\xBD", 3));
        (*replaced)++;
        i = j + bad;
    }
    return 0;
}

/* ---- iconv ------------------------------------------------------------- */
void calque__iconvClose(calque__iconvCache *cache)
{
    if (cache->cd != NULL) iconv_close((iconv_t)cache->cd);
    cache->cd = NULL;
    cache->name[0] = 0;
}

/* Opens (or reuses) a descriptor from @name to UTF-8. @return 0 or
 * CALQUE_EPARAM when iconv does not know @name. */
static int csOpen(calque__iconvCache *cache, const char *name)
{
    if (cache->cd != NULL && strcmp(cache->name, name) == 0) {
        iconv((iconv_t)cache->cd, NULL, NULL, NULL, NULL); /* reset state */
        return 0;
    }
    calque__iconvClose(cache);
    iconv_t const cd = iconv_open("UTF-8", name);
    RETURN_ERROR_IF(cd == (iconv_t)-1, CALQUE_EPARAM);
    cache->cd = (void *)cd;
    strcpy(cache->name, name);
    return 0;
}

int calque__iconvToUtf8(const calque__mem *m, calque__iconvCache *cache,
                        const char *name, const uint8_t *p, size_t len,
                        calque__hbuf *out, uint64_t *replaced)
{
    FORWARD_IF_ERROR(csOpen(cache, name));
    iconv_t const cd = (iconv_t)cache->cd;
    /* The unit to skip over an undecodable sequence. */
    size_t const unit = strncmp(name, "UTF-16", 6) == 0   ? 2
                        : strncmp(name, "UTF-32", 6) == 0 ? 4
                                                          : 1;
    out->len = 0;
    FORWARD_IF_ERROR(calque__hbufReserve(m, out, len + len / 2 + 64));
    char *in = (char *)(uintptr_t)p; /* iconv's prototype is not const */
    size_t inLeft = len;
    /* Convert, then flush the shift state (in = NULL); both may need a
     * bigger output buffer. */
    for (int flush = 0; flush < 2;) {
        char *dst = out->p + out->len;
        size_t room = out->cap - out->len - 1; /* keep the spare byte */
        size_t const r = flush ? iconv(cd, NULL, NULL, &dst, &room)
                               : iconv(cd, &in, &inLeft, &dst, &room);
        int const e = errno;
        out->len = (size_t)(dst - out->p);
        if (r != (size_t)-1) {
            flush += flush || inLeft == 0 ? 1 : 0;
            continue;
        }
        if (e == E2BIG) {
            FORWARD_IF_ERROR(calque__hbufReserve(m, out, inLeft * 2 + 64));
            continue;
        }
        if (flush) break; /* nothing sensible left to write */
        /* EILSEQ, or EINVAL for a truncated sequence at the end. */
        FORWARD_IF_ERROR(calque__hbufAppend(m, out, "\xEF\xBF\xBD", 3));
        (*replaced)++;
        size_t const skip = inLeft < unit ? inLeft : unit;
        in += skip;
        inLeft -= skip;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    return 0;
}

/* ---- Binary bodies ----------------------------------------------------- */
/* Is @c a control byte that text does not hold (tab, newlines and form
 * feed excepted)? */
static int csControl(uint8_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ||
           c == 0x7F;
}

int calque__looksBinary(const uint8_t *p, size_t len)
{
    size_t const n = len < 8192 ? len : 8192;
    size_t bad = 0, i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    /* Sixteen bytes at a time: bytes below 0x20 (a signed compare after
     * flipping the top bit) and DEL, minus the four allowed ones. */
    __m128i const flip = _mm_set1_epi8((char)0x80);
    __m128i const lim = _mm_set1_epi8((char)(0x20 ^ 0x80));
    __m128i const del = _mm_set1_epi8(0x7F);
    __m128i const tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
    __m128i const cr = _mm_set1_epi8('\r'), ff = _mm_set1_epi8('\f');
    for (; i + 16 <= n; i += 16) {
        __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i const low = _mm_cmplt_epi8(_mm_xor_si128(v, flip), lim);
        __m128i const ok = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
            _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, ff)));
        __m128i const b =
            _mm_or_si128(_mm_andnot_si128(ok, low), _mm_cmpeq_epi8(v, del));
        unsigned const m = (unsigned)_mm_movemask_epi8(b);
        if (m) bad += (size_t)__builtin_popcount(m);
    }
#endif
    for (; i < n; i++) bad += csControl(p[i]);
    return bad >= 8 && bad * 20 > n;
}
