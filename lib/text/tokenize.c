/*
 * tokenize.c - normalisation and tokenisation with byte spans.
 *
 * One pass over the original UTF-8 text produces at once:
 *   - the normalised text: compatibility decomposition (NFKD, which matches
 *     exactly when NFKC does), case folding, accents stripped unless asked
 *     to keep them, typographic apostrophes, quotes, dashes and spaces
 *     unified to ' " - and a space, whitespace collapsed and trimmed;
 *   - the tokens: maximal runs of letters and digits (with the combining
 *     marks inside them), each CJK ideograph, kana or hangul syllable a
 *     token of its own; every token carries the hash of its normalised
 *     form and its byte span in the ORIGINAL text.
 *
 * ASCII bytes take a table-driven fast path. Other code points go through
 * utf8proc_decompose_char(); the result is kept in a small direct-mapped
 * cache, so a text in Cyrillic or Greek pays for each distinct letter once.
 */
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "common/common.h"

/* What a code point (or an ASCII byte) does to the token stream. */
enum {
    K_WORD = 0, /* letter or digit: part of a word */
    K_SPACE,    /* whitespace or control: separates, collapses */
    K_PUNCT,    /* punctuation or symbol: separates, kept in the text */
    K_IGNORE,   /* default-ignorable (zero width, soft hyphen): nothing */
    K_MARK,     /* combining mark: part of a word if inside one */
    K_CJK,      /* a token of its own */
    K_MIXED,    /* decomposes into several kinds: handled one by one */
    K_NONASCII  /* (table only) byte >= 0x80 */
};

/* Kinds of the ASCII bytes, and their normalised form. */
static uint8_t asciiKind[256];
static char asciiLower[128];

__attribute__((constructor)) static void initTables(void)
{
    for (int c = 0; c < 256; c++) {
        uint8_t k;
        if (c >= 0x80) k = K_NONASCII;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9'))
            k = K_WORD;
        else if (c <= 0x20 || c == 0x7F) k = K_SPACE; /* incl. NUL */
        else k = K_PUNCT;
        asciiKind[c] = k;
        if (c < 128)
            asciiLower[c] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
}

#define CACHE_SIZE 1024 /* entries, a power of two */
#define MAX_MAPPED 24   /* bytes of a cached mapping */

typedef struct {
    int32_t cp;            /* the code point, -1 when empty */
    uint8_t kind;          /* K_* */
    uint8_t len;           /* bytes in out */
    char out[MAX_MAPPED];  /* normalised UTF-8 */
} cacheEntry;

struct calque_tokenizer_s {
    calque__mem mem;
    int keepAccents;
    calque_token *tok; /* tokens of the last call */
    size_t ntok, tokCap;
    char *norm;        /* normalised text of the last call */
    size_t normLen, normCap;
    size_t invalid;    /* invalid UTF-8 sequences replaced */
    cacheEntry cache[CACHE_SIZE];
};

calque_tokenizer *calque_createTokenizer(const calque_textOptions *opt,
                                         const calque_customMem *cmem)
{
    calque__mem const mem = calque__memFrom(cmem);
    calque_tokenizer *const tk = calque__calloc(&mem, 1, sizeof *tk);
    if (tk == NULL) return NULL;
    tk->mem = mem;
    tk->keepAccents = opt ? opt->keepAccents : 0;
    for (size_t i = 0; i < CACHE_SIZE; i++) tk->cache[i].cp = -1;
    return tk;
}

void calque_freeTokenizer(calque_tokenizer *tk)
{
    if (tk == NULL) return;
    calque__free(&tk->mem, tk->tok);
    calque__free(&tk->mem, tk->norm);
    calque__free(&tk->mem, tk);
}

void calque_normalizedText(const calque_tokenizer *tk, const char **text,
                           size_t *len)
{
    *text = tk->norm;
    *len = tk->normLen;
}

size_t calque_invalidUtf8(const calque_tokenizer *tk)
{
    return tk->invalid;
}

/* Typographic variants that must match their plain ASCII forms. @return
 * the ASCII replacement, ' ' for spaces, 0 when @cp is not one. */
static char typographic(int32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
    case 0x2035: case 0x02BC: case 0x02B9: case 0x00B4: case 0x0060:
    case 0xFF07:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB:
    case 0x00BB: case 0x2033: case 0x2036: case 0x2039: case 0x203A:
    case 0x300C: case 0x300D: case 0x300E: case 0x300F: case 0xFF02:
        return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
    case 0x2043:
        return '-';
    case 0x0085: case 0x00A0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return ' ';
    default:
        if (cp >= 0x2000 && cp <= 0x200A) return ' ';
        return 0;
    }
}

static int isCjk(int32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x3134F) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
           (cp >= 0x3130 && cp <= 0x318F);
}

/* The kind of one code point that is already normalised. */
static uint8_t kindOf(int32_t cp)
{
    if (cp < 0x80) return asciiKind[cp];
    if (isCjk(cp)) return K_CJK;
    char const t = typographic(cp);
    if (t == ' ') return K_SPACE;
    if (t) return K_PUNCT;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return K_WORD;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return K_MARK;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
        return K_SPACE;
    case UTF8PROC_CATEGORY_CF:
        return K_IGNORE;
    default:
        return K_PUNCT;
    }
}

/* utf8proc options: NFKD, case folding, default-ignorables removed, and
 * combining marks removed unless accents are kept. */
static int decomposeOptions(int keepAccents)
{
    return UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
           UTF8PROC_IGNORE | (keepAccents ? 0 : UTF8PROC_STRIPMARK);
}

/* Normalises one non-ASCII code point into the cache entry @e. */
static void mapCodepoint(const calque_tokenizer *tk, int32_t cp,
                         cacheEntry *e)
{
    e->cp = cp;
    e->len = 0;
    char const t = typographic(cp);
    if (t) {
        e->kind = t == ' ' ? K_SPACE : K_PUNCT;
        if (t != ' ') e->out[e->len++] = t;
        return;
    }
    utf8proc_int32_t dec[32];
    int last = 0;
    int const opts = decomposeOptions(tk->keepAccents);
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, dec, 32, opts, &last);
    if (n < 0 || n > 32) { /* cannot happen for valid code points */
        dec[0] = cp;
        n = 1;
    }
    if (n == 0) { /* a stripped accent still belongs to its word */
        e->kind = kindOf(cp) == K_MARK ? K_MARK : K_IGNORE;
        return;
    }
    uint8_t kind = kindOf(dec[0]);
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        uint8_t const k = kindOf(dec[i]);
        /* Marks after a letter stay part of the word. */
        if (k != kind && !(k == K_MARK && kind == K_WORD)) kind = K_MIXED;
        char const tt = typographic(dec[i]);
        uint8_t buf[4];
        utf8proc_ssize_t const m =
            tt ? (buf[0] = (uint8_t)tt, 1) : utf8proc_encode_char(dec[i], buf);
        if (e->len + m > MAX_MAPPED) {
            kind = K_MIXED; /* too long to cache: slow path */
            break;
        }
        memcpy(e->out + e->len, buf, (size_t)m);
        e->len = (uint8_t)(e->len + m);
    }
    if (kind == K_MIXED) e->len = 0;
    e->kind = kind;
}

/* Copies the run of ASCII letters and digits at p[i] (at least one), in
 * lower case, to @out, which has room for 16 bytes more than the run.
 * @return its length. SSE2 does 16 bytes a step. */
static inline size_t asciiWordRun(const uint8_t *p, size_t i, size_t len,
                                  char *out)
{
    size_t const start = i;
#if defined(__SSE2__)
    __m128i const a1 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1);
    __m128i const A1 = _mm_set1_epi8('A' - 1), Z1 = _mm_set1_epi8('Z' + 1);
    __m128i const d1 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1);
    __m128i const bit = _mm_set1_epi8(0x20);
    while (i + 16 <= len) {
        __m128i const v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i const up = _mm_and_si128(_mm_cmpgt_epi8(v, A1),
                                         _mm_cmplt_epi8(v, Z1));
        __m128i const low = _mm_or_si128(v, _mm_and_si128(up, bit));
        __m128i const letter = _mm_and_si128(_mm_cmpgt_epi8(low, a1),
                                             _mm_cmplt_epi8(low, z1));
        __m128i const digit = _mm_and_si128(_mm_cmpgt_epi8(v, d1),
                                            _mm_cmplt_epi8(v, d9));
        unsigned const m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(letter, digit));
        _mm_storeu_si128((__m128i *)(out + (i - start)), low);
        unsigned const run = (unsigned)__builtin_ctz(~m | 0x10000u);
        i += run;
        if (run < 16) return i - start;
    }
#endif
    while (i < len && asciiKind[p[i]] == K_WORD) {
        out[i - start] = asciiLower[p[i]];
        i++;
    }
    return i - start;
}

/* The writer state of one tokenize() call. */
typedef struct {
    calque_tokenizer *tk;
    size_t wordStart; /* offset in norm of the open word, or SIZE_MAX */
    uint32_t origStart, origEnd; /* span of the open word */
    int pendingSpace; /* whitespace seen since the last word */
    int afterPunct;   /* the last thing written was punctuation */
} writer;

/* Hash of a normalised word. Words of up to 16 bytes (nearly all) are
 * read as one or two 64-bit words and mixed: no collisions up to 8 bytes.
 * Reads up to 8 bytes past the end of the word: the normalised buffer
 * always has that much room. */
static inline uint64_t wordHash(const char *s, size_t n)
{
    uint64_t a, b;
    if (n <= 8) { /* multiply and xorshift: a bijection, so no collisions */
        memcpy(&a, s, 8);
        a &= ~0ULL >> (8 * (8 - n)) >> (n == 0);
        a = (a ^ ((uint64_t)n << 59)) * 0x9E3779B97F4A7C15ULL;
        return a ^ (a >> 29);
    }
    if (n <= 16) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        return calque__mix64(a ^ calque__mix64(b ^ ((uint64_t)n << 59)));
    }
    return XXH3_64bits(s, n);
}

static int addToken(calque_tokenizer *tk, size_t normStart, uint32_t start,
                    uint32_t end)
{
    if (tk->ntok == tk->tokCap &&
        CALQUE_GROW(&tk->mem, &tk->tok, &tk->tokCap, tk->ntok + 1) < 0)
        return CALQUE_ENOMEM;
    calque_token *const t = &tk->tok[tk->ntok++];
    t->hash = wordHash(tk->norm + normStart, tk->normLen - normStart);
    t->start = start;
    t->end = end;
    return 0;
}

static inline int closeWord(writer *w)
{
    if (w->wordStart == SIZE_MAX) return 0;
    size_t const s = w->wordStart;
    w->wordStart = SIZE_MAX;
    return addToken(w->tk, s, w->origStart, w->origEnd);
}

/* Makes room for @extra more bytes of normalised text. */
static int reserve(calque_tokenizer *tk, size_t extra)
{
    return CALQUE_GROW(&tk->mem, &tk->norm, &tk->normCap,
                       tk->normLen + extra + 1);
}

/* Before a word: one space if whitespace separated it from the previous
 * word. Whitespace next to punctuation is dropped, so "a , b" and "a, b"
 * (or « a » and "a") normalise alike. */
static inline void startWord(writer *w)
{
    calque_tokenizer *const tk = w->tk;
    if (w->pendingSpace && !w->afterPunct && tk->normLen)
        tk->norm[tk->normLen++] = ' ';
    w->pendingSpace = 0;
    w->afterPunct = 0;
}

static inline void putPunct(writer *w, const char *s, size_t n)
{
    calque_tokenizer *const tk = w->tk;
    memcpy(tk->norm + tk->normLen, s, n);
    tk->normLen += n;
    w->pendingSpace = 0;
    w->afterPunct = 1;
}

/* Emits normalised bytes @s of kind @kind that came from original bytes
 * [from, to). */
static int emit(writer *w, uint8_t kind, const char *s, size_t n,
                uint32_t from, uint32_t to)
{
    calque_tokenizer *const tk = w->tk;
    switch (kind) {
    case K_WORD:
    case K_MARK:
        if (kind == K_MARK && w->wordStart == SIZE_MAX) {
            if (n) putPunct(w, s, n); /* a stray mark: text only */
            return 0;
        }
        if (w->wordStart == SIZE_MAX) {
            startWord(w);
            w->wordStart = tk->normLen;
            w->origStart = from;
        }
        memcpy(tk->norm + tk->normLen, s, n);
        tk->normLen += n;
        w->origEnd = to;
        return 0;
    case K_CJK:
        FORWARD_IF_ERROR(closeWord(w));
        startWord(w);
        {
            size_t const s0 = tk->normLen;
            memcpy(tk->norm + tk->normLen, s, n);
            tk->normLen += n;
            return addToken(tk, s0, from, to);
        }
    case K_SPACE:
        FORWARD_IF_ERROR(closeWord(w));
        w->pendingSpace = 1;
        return 0;
    case K_PUNCT:
        FORWARD_IF_ERROR(closeWord(w));
        putPunct(w, s, n);
        return 0;
    default: /* K_IGNORE */
        return 0;
    }
}

/* The slow path: a code point whose decomposition mixes kinds ("½" is
 * "1⁄2"). Each part is emitted with the code point's whole span. */
static int emitMixed(writer *w, int32_t cp, uint32_t from, uint32_t to)
{
    utf8proc_int32_t dec[32];
    int last = 0;
    int const opts = decomposeOptions(w->tk->keepAccents);
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, dec, 32, opts, &last);
    if (n < 0 || n > 32) n = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        uint8_t buf[4];
        char const t = typographic(dec[i]);
        utf8proc_ssize_t const m =
            t ? (buf[0] = (uint8_t)t, 1) : utf8proc_encode_char(dec[i], buf);
        uint8_t const k = kindOf(dec[i]);
        FORWARD_IF_ERROR(emit(w, k, (const char *)buf, k == K_SPACE ? 0
                                                     : (size_t)m, from, to));
    }
    return 0;
}

int calque_tokenize(calque_tokenizer *tk, const char *text, size_t len,
                    const calque_token **tokens, size_t *ntokens)
{
    RETURN_ERROR_IF(len >= UINT32_MAX, CALQUE_EPARAM);
    tk->ntok = 0;
    tk->normLen = 0;
    tk->invalid = 0;
    FORWARD_IF_ERROR(reserve(tk, len + 64));
    if (tk->tokCap < len / 6 + 16)
        FORWARD_IF_ERROR(CALQUE_GROW(&tk->mem, &tk->tok, &tk->tokCap,
                                     len / 6 + 16));
    writer w = {tk, SIZE_MAX, 0, 0, 0, 0};
    const uint8_t *const p = (const uint8_t *)text;
    size_t i = 0;
    while (i < len) {
        /* Fast path: ASCII. The buffer holds len + 64 bytes beyond what
         * non-ASCII code points added, and ASCII never writes more bytes
         * than it reads. */
        uint8_t c = p[i];
        uint8_t const k = asciiKind[c];
        if (k == K_WORD) {
            if (w.wordStart == SIZE_MAX) {
                startWord(&w);
                w.wordStart = tk->normLen;
                w.origStart = (uint32_t)i;
            }
        word:;
            char *out = tk->norm + tk->normLen;
            size_t const run = asciiWordRun(p, i, len, out);
            out += run;
            i += run;
            if (i < len) c = p[i];
            tk->normLen = (size_t)(out - tk->norm);
            w.origEnd = (uint32_t)i;
            /* Unless a non-ASCII letter may continue it, the word ends. */
            if (i == len || c < 0x80) {
                if (tk->ntok == tk->tokCap)
                    FORWARD_IF_ERROR(CALQUE_GROW(&tk->mem, &tk->tok,
                                                 &tk->tokCap, tk->ntok + 1));
                calque_token *const t = &tk->tok[tk->ntok++];
                t->hash = wordHash(tk->norm + w.wordStart,
                                   tk->normLen - w.wordStart);
                t->start = w.origStart;
                t->end = w.origEnd;
                w.wordStart = SIZE_MAX;
                /* The usual case next: one space, then a word. */
                if (c == ' ' && i + 1 < len && asciiKind[p[i + 1]] == K_WORD) {
                    tk->norm[tk->normLen++] = ' ';
                    w.pendingSpace = 0;
                    w.afterPunct = 0;
                    i++;
                    w.wordStart = tk->normLen;
                    w.origStart = (uint32_t)i;
                    c = p[i];
                    goto word;
                }
            }
            continue;
        }
        if (k == K_SPACE) {
            if (w.wordStart != SIZE_MAX) FORWARD_IF_ERROR(closeWord(&w));
            w.pendingSpace = 1;
            i++;
            continue;
        }
        if (k == K_PUNCT) {
            if (w.wordStart != SIZE_MAX) FORWARD_IF_ERROR(closeWord(&w));
            char const ch = c == '`' ? '\'' : (char)c;
            putPunct(&w, &ch, 1);
            i++;
            continue;
        }
        /* A non-ASCII code point. */
        utf8proc_int32_t cp;
        utf8proc_ssize_t n;
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len &&
            (p[i + 1] & 0xC0) == 0x80) { /* two bytes: Latin, Greek... */
            cp = (int32_t)(c & 0x1F) << 6 | (p[i + 1] & 0x3F);
            n = 2;
        } else {
            n = utf8proc_iterate(p + i, (utf8proc_ssize_t)
                                 CALQUE_MIN(len - i, 4), &cp);
        }
        if (n <= 0) {
            cp = 0xFFFD;
            n = 1;
            tk->invalid++;
        }
        uint32_t const from = (uint32_t)i, to = (uint32_t)(i + (size_t)n);
        i += (size_t)n;
        if (tk->normLen + 160 + (len - i) + 1 > tk->normCap)
            FORWARD_IF_ERROR(reserve(tk, 160 + (len - i)));
        cacheEntry *const e = &tk->cache[(uint32_t)cp & (CACHE_SIZE - 1)];
        if (e->cp != cp) mapCodepoint(tk, cp, e);
        if (e->kind == K_WORD && w.wordStart != SIZE_MAX) {
            /* The usual case: an accented letter inside a word. */
            memcpy(tk->norm + tk->normLen, e->out, MAX_MAPPED);
            tk->normLen += e->len;
            w.origEnd = to;
        } else if (e->kind == K_MIXED) {
            FORWARD_IF_ERROR(emitMixed(&w, cp, from, to));
        } else {
            FORWARD_IF_ERROR(emit(&w, e->kind, e->out, e->len, from, to));
        }
    }
    FORWARD_IF_ERROR(closeWord(&w));
    *tokens = tk->tok;
    *ntokens = tk->ntok;
    return 0;
}

/* ---- Shingles ------------------------------------------------------- */

size_t calque_shingleCount(size_t ntokens, unsigned ngram)
{
    if (ntokens == 0) return 0;
    if (ngram == 0 || ntokens < ngram) return 1;
    return ntokens - ngram + 1;
}

/* Shingle hash: a polynomial over the word hashes, rolled in O(1) per
 * shingle, then mixed so that every bit depends on every word. */
#define SHINGLE_BASE 0x9E3779B97F4A7C15ULL

/* The polynomial is already a random-looking 64-bit value (a sum of
 * random word hashes times odd powers); one multiply-xorshift spreads its
 * low bits into the high ones that MinHash reads. A bijection. */
static inline uint64_t shingleMix(uint64_t h)
{
    h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
}

size_t calque_shingleHashes(const calque_token *t, size_t n, unsigned ngram,
                            uint64_t *out)
{
    if (n == 0) return 0;
    size_t const w = (ngram == 0 || n < ngram) ? n : ngram;
    uint64_t h = 0, top = 1; /* top = BASE^(w-1) */
    for (size_t k = 0; k < w; k++) {
        h = h * SHINGLE_BASE + t[k].hash;
        if (k) top *= SHINGLE_BASE;
    }
    size_t const count = n - w + 1;
    out[0] = shingleMix(h ^ w);
    for (size_t i = 1; i < count; i++) {
        h = (h - t[i - 1].hash * top) * SHINGLE_BASE + t[i + w - 1].hash;
        out[i] = shingleMix(h ^ w);
    }
    return count;
}
