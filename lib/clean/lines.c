/*
 * lines.c - lines of a text and the hashes of their normalised forms.
 *
 * A line is normalised CCNet style before it is hashed, so that lines
 * that differ only by case, accents, punctuation, digits or spacing count
 * as one: "Mis à jour le 12/03/2024 - 14h05" and "MIS A JOUR LE
 * 01.01.2023, 09h30" both become "mis a jour le 0 0 0 0h0".
 *
 *   - letters are case folded (Unicode full case folding) and decomposed
 *     (NFKD), combining marks are dropped: accents go, ligatures split;
 *   - every run of digits (any script, superscripts too) becomes one
 *     '0', so that counters and dates of any width match;
 *   - punctuation, symbols and whitespace separate words; runs of them
 *     become one space, none at either end; format characters (zero
 *     width joiners, soft hyphens) vanish.
 *
 * The normalised bytes are never stored: they are written into a 512-byte
 * window on the stack, and each full window is folded into the hash with
 * XXH3 (seeded by the hash so far). Windows are cut at fixed positions of
 * the normalised stream, so equal normalised lines hash equally however
 * their code points were grouped.
 *
 * ASCII bytes go through a table of byte classes, and runs of ASCII
 * letters 16 at a time with SSE2 (lowercased in one step, the run's end
 * found with a movemask); other code points through
 * utf8proc_decompose_char(), whose result is kept in a small direct-mapped
 * cache of the scanner (a text pays for each distinct letter once).
 */
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "clean/clean.h"

/* ---- Code points ------------------------------------------------------ */

/* Every byte: the normalised ASCII letter or digit it stands for, or one
 * of these markers (a digit stands for '0'). */
enum { C_SPACE = 0, C_PUNCT = 1, C_MULTI = 2 };
static char byteClass[256];

__attribute__((constructor)) static void initClasses(void)
{
    for (int c = 0; c < 256; c++) {
        char o = C_PUNCT;
        if (c >= 'a' && c <= 'z') o = (char)c;
        else if (c >= 'A' && c <= 'Z') o = (char)(c + 32);
        else if (c >= '0' && c <= '9') o = '0';
        else if (c <= 0x20 || c == 0x7F) o = C_SPACE; /* controls too */
        else if (c >= 0x80) o = C_MULTI; /* part of a UTF-8 sequence */
        byteClass[c] = o;
    }
}

#define K_WORD 1  /* the mapping has a letter or digit */
#define K_PUNCT 2 /* the mapping has punctuation or a symbol */

/* Normalises code point @cp into @out (room for 32 * 4 bytes), ' '
 * between words. @return the number of bytes; *kind gets K_* bits. */
static size_t mapCodepoint(int32_t cp, char *out, uint8_t *kind)
{
    utf8proc_int32_t dec[32];
    int last = 0;
    int const opts = UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
                     UTF8PROC_STRIPMARK;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, dec, 32, opts, &last);
    if (n < 0 || n > 32) { /* cannot happen for valid code points */
        dec[0] = cp;
        n = 1;
    }
    size_t len = 0;
    *kind = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        switch (utf8proc_category(dec[i])) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
            len += (size_t)utf8proc_encode_char(dec[i], (uint8_t *)out + len);
            *kind |= K_WORD;
            break;
        case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
            out[len++] = '0';
            *kind |= K_WORD;
            break;
        case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
            break; /* marks left by the decomposition, format chars */
        case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
            out[len++] = ' ';
            break;
        default: /* punctuation, symbols, private use, unassigned */
            out[len++] = ' ';
            *kind |= K_PUNCT;
        }
    }
    return len;
}

/* The mapping of @cp, from @cache when it has it (or gets it); @tmp
 * (room for 128 bytes) holds mappings too long to cache. */
static const char *lookup(calque__cpMap *cache, int32_t cp, char *tmp,
                          size_t *len, uint8_t *kind)
{
    if (cache) {
        calque__cpMap *const e =
            &cache[(uint32_t)cp & (CALQUE__LINE_CACHE - 1)];
        if (e->cp == cp) {
            *len = e->len;
            *kind = e->kind;
            return e->out;
        }
        *len = mapCodepoint(cp, tmp, kind);
        if (*len <= sizeof e->out) {
            e->cp = cp;
            e->len = (uint8_t)*len;
            e->kind = *kind;
            memcpy(e->out, tmp, *len);
        }
        return tmp;
    }
    *len = mapCodepoint(cp, tmp, kind);
    return tmp;
}

/* ---- Hashing one line ------------------------------------------------- */

#define WINDOW 512
#define LINE_SEED 0x636C65616E6C696EULL /* "cleanlin" */

/* Appends byte @b to the window, folding a full window into the hash. */
#define PUT(b)                                                                \
    do {                                                                      \
        if (k == WINDOW) {                                                    \
            h = XXH3_64bits_withSeed(buf, WINDOW, h);                         \
            k = 0;                                                            \
        }                                                                     \
        buf[k++] = (b);                                                       \
    } while (0)

/* Appends a word byte: the pending separator first, if a word came
 * before; a digit ('0') right after a digit is dropped, so that a run of
 * digits is one 0. @last is the last byte written (0: none yet; any
 * letter stands for a letter). */
#define PUT_WORD(b)                                                           \
    do {                                                                      \
        if (sep && last) {                                                    \
            PUT(' ');                                                         \
            last = ' ';                                                       \
        }                                                                     \
        sep = 0;                                                              \
        if ((b) != '0' || last != '0') {                                      \
            PUT(b);                                                           \
            last = (b);                                                       \
        }                                                                     \
    } while (0)

#if defined(__SSE2__)
/* The length (0 to 16) of the run of ASCII letters at @p (16 bytes
 * readable), lowercased into @out (16 bytes writable); the run stops at
 * anything else, digits included. */
static inline size_t letterRun(const uint8_t *p, char *out)
{
    __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* Signed compares: bytes >= 0x80 are negative, never letters. */
    __m128i const upper =
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                      _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
    __m128i const lower =
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                      _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
    unsigned const letters =
        (unsigned)_mm_movemask_epi8(_mm_or_si128(upper, lower));
    _mm_storeu_si128((__m128i *)(void *)out,
                     _mm_or_si128(v, _mm_and_si128(upper,
                                                   _mm_set1_epi8(0x20))));
    return (size_t)__builtin_ctz(~letters); /* bit 16 is always clear */
}
#endif

/* Hashes the line @p[0, len). *kind gets its CALQUE__LINE_* kind.
 * @return its hash (never 0) when CONTENT, else 0. The loops over runs of
 * ASCII word bytes and of ASCII separators are the hot path; with SSE2,
 * letters go 16 at a time. */
static uint64_t hashLine(calque__cpMap *cache, const uint8_t *p, size_t len,
                         int *kind)
{
    char buf[WINDOW + 16]; /* 16 bytes of slack for letterRun() */
    uint64_t h = LINE_SEED;
    size_t k = 0;
    char last = 0;
    int sep = 0;
    unsigned kinds = 0;
    size_t i = 0;
    while (i < len) {
        char o = byteClass[p[i]];
        if (o > C_MULTI) { /* a run of ASCII letters and digits */
            kinds |= K_WORD;
#if defined(__SSE2__)
            /* A word with room for 16 letters (and a space before them)
             * in the window: its letters 16 at a time. */
            if (o != '0' && i + 16 <= len && k + 17 <= WINDOW) {
                if (sep && last) buf[k++] = ' ';
                sep = 0;
                size_t run;
                do {
                    run = letterRun(p + i, buf + k);
                    k += run;
                    i += run;
                    /* One space between two words: the next word at once. */
                    if (run < 16 && p[i] == ' ' && i + 17 <= len &&
                        k + 17 <= WINDOW && byteClass[p[i + 1]] > C_MULTI &&
                        byteClass[p[i + 1]] != '0') {
                        buf[k++] = ' ';
                        i++;
                        run = 16;
                    }
                } while (run == 16 && i + 16 <= len && k + 16 <= WINDOW);
                last = 'a'; /* a letter (not read back: the store is
                               still in flight) */
                if (i == len || (o = byteClass[p[i]]) <= C_MULTI) continue;
            }
#endif
            do {
                PUT_WORD(o);
                i++;
            } while (i < len && (o = byteClass[p[i]]) > C_MULTI);
            continue;
        }
        if (o != C_MULTI) { /* a run of ASCII separators */
            sep = 1;
            do {
                kinds |= (unsigned)o << 1; /* C_PUNCT << 1 == K_PUNCT */
                i++;
            } while (i < len && (o = byteClass[p[i]]) < C_MULTI);
            continue;
        }
        /* A non-ASCII code point. */
        uint8_t const c = p[i];
        int32_t cp;
        size_t n;
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len &&
            (p[i + 1] & 0xC0) == 0x80) { /* two bytes: Latin, Greek... */
            cp = (int32_t)(c & 0x1F) << 6 | (p[i + 1] & 0x3F);
            n = 2;
        } else {
            utf8proc_int32_t v;
            utf8proc_ssize_t const r = utf8proc_iterate(
                p + i, (utf8proc_ssize_t)CALQUE_MIN(len - i, 4), &v);
            cp = r > 0 ? v : 0xFFFD;
            n = r > 0 ? (size_t)r : 1;
        }
        i += n;
        char tmp[128];
        size_t m;
        uint8_t mk;
        const char *const out = lookup(cache, cp, tmp, &m, &mk);
        kinds |= mk;
        for (size_t j = 0; j < m; j++) {
            if (out[j] == ' ') sep = 1;
            else PUT_WORD(out[j]);
        }
    }
    if (!(kinds & K_WORD)) {
        *kind = (kinds & K_PUNCT) ? CALQUE__LINE_DECOR : CALQUE__LINE_BLANK;
        return 0;
    }
    *kind = CALQUE__LINE_CONTENT;
    h = XXH3_64bits_withSeed(buf, k, h);
    return h ? h : 1;
}

uint64_t calque__lineHash(calque__cpMap *cache, const char *text, size_t len)
{
    int kind;
    return hashLine(cache, (const uint8_t *)text, len, &kind);
}

/* ---- Scanner ---------------------------------------------------------- */

void calque__initLines(calque__lines *s, const calque__mem *mem)
{
    memset(s, 0, sizeof *s);
    s->mem = *mem;
    for (size_t i = 0; i < CALQUE__LINE_CACHE; i++) s->cache[i].cp = -1;
}

void calque__freeLines(calque__lines *s)
{
    calque__free(&s->mem, s->line);
    s->line = NULL;
    s->nlines = s->lineCap = 0;
}

int calque__scanLines(calque__lines *s, const char *text, size_t len)
{
    s->nlines = 0;
    size_t at = 0;
    while (at < len) {
        const char *const nl = memchr(text + at, '\n', len - at);
        size_t const end = nl ? (size_t)(nl - text) : len;
        if (s->nlines == s->lineCap)
            FORWARD_IF_ERROR(CALQUE_GROW(&s->mem, &s->line, &s->lineCap,
                                         s->nlines + 1));
        calque__line *const l = &s->line[s->nlines++];
        l->start = at;
        l->end = end;
        l->next = nl ? end + 1 : end;
        l->hash = hashLine(s->cache, (const uint8_t *)text + at, end - at,
                           &l->kind);
        at = l->next;
    }
    return 0;
}

/* ---- Hash set --------------------------------------------------------- */

int calque__hashSetReset(calque__hashSet *s, const calque__mem *mem,
                         size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n) {
        RETURN_ERROR_IF(cap > SIZE_MAX / 4 / sizeof *s->slot, CALQUE_ENOMEM);
        cap *= 2;
    }
    if (cap > s->alloc) {
        uint64_t *const p = calque__malloc(mem, cap * sizeof *p);
        RETURN_ERROR_IF(p == NULL, CALQUE_ENOMEM);
        calque__free(mem, s->slot);
        s->slot = p;
        s->alloc = cap;
    }
    /* Only the part in use is cleared: cost proportional to the text. */
    s->cap = cap;
    memset(s->slot, 0, cap * sizeof *s->slot);
    return 0;
}

int calque__hashSetAdd(calque__hashSet *s, uint64_t h)
{
    size_t const mask = s->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (s->slot[i] == h) return 0;
        if (s->slot[i] == 0) {
            s->slot[i] = h;
            return 1;
        }
    }
}

void calque__hashSetFree(calque__hashSet *s, const calque__mem *mem)
{
    calque__free(mem, s->slot);
    s->slot = NULL;
    s->cap = s->alloc = 0;
}
