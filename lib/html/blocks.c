/*
 * blocks.c - cutting a gumbo tree into text blocks, the units jusText
 * classifies, and finding the page title.
 *
 * The walk is iterative (an explicit stack of frames; gumbo trees can be
 * deep) and visits every node once. Block-level elements (p, div, h1-h6,
 * li, td, blockquote, pre, article, section, ...) end the current block
 * and start a new one; two <br> in a row do too, one <br> is a space.
 * Whole subtrees are skipped when they cannot hold article text:
 *
 *   - by tag: script, style, noscript, template, nav, aside, menu, button,
 *     select, textarea, input, label, iframe, svg, math, canvas, video,
 *     audio, object, embed, map, figcaption, head (whose <title> is kept
 *     apart), <footer>, and <header> outside <article>/<main> unless it
 *     holds the page's <h1>;
 *   - when hidden: the hidden attribute, aria-hidden="true", an inline
 *     style with display:none or visibility:hidden, classes such as
 *     "hidden", "sr-only", "visually-hidden";
 *   - by role: navigation, banner, contentinfo, complementary, search,
 *     menu, menubar, dialog, alertdialog;
 *   - by name: a class or id made of words that name boilerplate
 *     ("comments", "related-posts", "share-bar", "cookie-banner",
 *     "newsletter", "sidebar", "breadcrumb", "ad", "pub", ...) unless
 *     another class names content ("article-body", "entry-content", ...)
 *     or the word comes with a state word ("has-sidebar",
 *     "comments-open"); see blkNamedBoilerplate().
 *
 * Text is appended with whitespace collapsed (ASCII spaces, no-break and
 * other Unicode spaces), soft hyphens and control characters removed,
 * entities already decoded by gumbo. For each block the walk records its
 * length in code points, the code points inside <a> (for the link
 * density), whether it is a heading or a list item, and the words and
 * stop words per language.
 */
#include <gumbo.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "html/html.h"

enum {
    B_BLOCK = 1,    /* ends and starts a block */
    B_DROP = 2,     /* skipped with its subtree */
    B_HEADING = 4,  /* h1-h6 */
    B_ITEM = 8,     /* li, dt, dd */
    B_LINK = 16,    /* a */
    B_ARTICLE = 32, /* article, main: header inside is kept */
    B_FORM = 64     /* form */
};

static const uint8_t blkTagFlags[GUMBO_TAG_LAST + 1] = {
    [GUMBO_TAG_HTML] = B_BLOCK,       [GUMBO_TAG_BODY] = B_BLOCK,
    [GUMBO_TAG_ARTICLE] = B_BLOCK | B_ARTICLE,
    [GUMBO_TAG_MAIN] = B_BLOCK | B_ARTICLE,
    [GUMBO_TAG_SECTION] = B_BLOCK,    [GUMBO_TAG_HGROUP] = B_BLOCK,
    [GUMBO_TAG_H1] = B_BLOCK | B_HEADING,
    [GUMBO_TAG_H2] = B_BLOCK | B_HEADING,
    [GUMBO_TAG_H3] = B_BLOCK | B_HEADING,
    [GUMBO_TAG_H4] = B_BLOCK | B_HEADING,
    [GUMBO_TAG_H5] = B_BLOCK | B_HEADING,
    [GUMBO_TAG_H6] = B_BLOCK | B_HEADING,
    [GUMBO_TAG_HEADER] = B_BLOCK,     [GUMBO_TAG_FOOTER] = B_DROP,
    [GUMBO_TAG_ADDRESS] = B_BLOCK,    [GUMBO_TAG_P] = B_BLOCK,
    [GUMBO_TAG_HR] = B_BLOCK,         [GUMBO_TAG_PRE] = B_BLOCK,
    [GUMBO_TAG_BLOCKQUOTE] = B_BLOCK, [GUMBO_TAG_OL] = B_BLOCK,
    [GUMBO_TAG_UL] = B_BLOCK,         [GUMBO_TAG_LI] = B_BLOCK | B_ITEM,
    [GUMBO_TAG_DL] = B_BLOCK,         [GUMBO_TAG_DT] = B_BLOCK | B_ITEM,
    [GUMBO_TAG_DD] = B_BLOCK | B_ITEM, [GUMBO_TAG_FIGURE] = B_BLOCK,
    [GUMBO_TAG_DIV] = B_BLOCK,        [GUMBO_TAG_A] = B_LINK,
    [GUMBO_TAG_TABLE] = B_BLOCK,      [GUMBO_TAG_CAPTION] = B_BLOCK,
    [GUMBO_TAG_TBODY] = B_BLOCK,      [GUMBO_TAG_THEAD] = B_BLOCK,
    [GUMBO_TAG_TFOOT] = B_BLOCK,      [GUMBO_TAG_TR] = B_BLOCK,
    [GUMBO_TAG_TD] = B_BLOCK,         [GUMBO_TAG_TH] = B_BLOCK,
    [GUMBO_TAG_FORM] = B_BLOCK | B_FORM, [GUMBO_TAG_FIELDSET] = B_BLOCK,
    [GUMBO_TAG_LEGEND] = B_BLOCK,     [GUMBO_TAG_DETAILS] = B_BLOCK,
    [GUMBO_TAG_SUMMARY] = B_BLOCK,    [GUMBO_TAG_CENTER] = B_BLOCK,
    [GUMBO_TAG_DIR] = B_BLOCK,        [GUMBO_TAG_LISTING] = B_BLOCK,
    [GUMBO_TAG_XMP] = B_BLOCK,        [GUMBO_TAG_PLAINTEXT] = B_BLOCK,
    [GUMBO_TAG_MULTICOL] = B_BLOCK,
    [GUMBO_TAG_HEAD] = B_DROP,        [GUMBO_TAG_TITLE] = B_DROP,
    [GUMBO_TAG_STYLE] = B_DROP,       [GUMBO_TAG_SCRIPT] = B_DROP,
    [GUMBO_TAG_NOSCRIPT] = B_DROP,    [GUMBO_TAG_TEMPLATE] = B_DROP,
    [GUMBO_TAG_NAV] = B_DROP,         [GUMBO_TAG_ASIDE] = B_DROP,
    [GUMBO_TAG_FIGCAPTION] = B_DROP,  [GUMBO_TAG_IFRAME] = B_DROP,
    [GUMBO_TAG_EMBED] = B_DROP,       [GUMBO_TAG_OBJECT] = B_DROP,
    [GUMBO_TAG_VIDEO] = B_DROP,       [GUMBO_TAG_AUDIO] = B_DROP,
    [GUMBO_TAG_CANVAS] = B_DROP,      [GUMBO_TAG_MAP] = B_DROP,
    [GUMBO_TAG_MATH] = B_DROP,        [GUMBO_TAG_SVG] = B_DROP,
    [GUMBO_TAG_LABEL] = B_DROP,       [GUMBO_TAG_INPUT] = B_DROP,
    [GUMBO_TAG_BUTTON] = B_DROP,      [GUMBO_TAG_SELECT] = B_DROP,
    [GUMBO_TAG_DATALIST] = B_DROP,    [GUMBO_TAG_OPTGROUP] = B_DROP,
    [GUMBO_TAG_OPTION] = B_DROP,      [GUMBO_TAG_TEXTAREA] = B_DROP,
    [GUMBO_TAG_KEYGEN] = B_DROP,      [GUMBO_TAG_OUTPUT] = B_DROP,
    [GUMBO_TAG_PROGRESS] = B_DROP,    [GUMBO_TAG_METER] = B_DROP,
    [GUMBO_TAG_MENU] = B_DROP,        [GUMBO_TAG_MENUITEM] = B_DROP,
    [GUMBO_TAG_APPLET] = B_DROP,      [GUMBO_TAG_FRAMESET] = B_DROP,
    [GUMBO_TAG_NOFRAMES] = B_DROP,    [GUMBO_TAG_NOEMBED] = B_DROP,
    [GUMBO_TAG_ISINDEX] = B_DROP,
};

/* One element being visited. */
typedef struct {
    const GumboNode *node;
    unsigned next;  /* index of the next child to visit */
    uint8_t flags;  /* B_* effects to undo when leaving it */
    uint32_t form;  /* the form number it opened, 0 if none */
} blkFrame;

/* The walk's state. */
typedef struct {
    calque__blockSet *bs;
    int err;
    unsigned links, headings, items, articles; /* open a, h*, li, article */
    uint32_t form;      /* number of the open form, 0 outside forms */
    uint32_t forms;     /* forms seen */
    int open;           /* a block has text */
    int pendingSpace;   /* whitespace seen since the last character */
    int lastBr;         /* a <br> and only whitespace since */
    size_t start;       /* where the open block starts in bs->text */
    uint32_t chars, linkChars;
    uint8_t blockFlags; /* CALQUE__BLK_* of the open block */
    uint32_t blockForm;
} blkWalk;

/* ---- Text ------------------------------------------------------------ */
/* Bytes of the Unicode space at @p (@n bytes left) that is not ASCII, or
 * 0. U+00AD (soft hyphen) and the C1 controls are reported as minus their
 * length: they are dropped outright. */
static int blkWideSpace(const uint8_t *p, size_t n)
{
    if (p[0] == 0xC2 && n >= 2) {
        if (p[1] == 0xA0 || p[1] == 0x85) return 2;
        if (p[1] == 0xAD || p[1] < 0xA0) return -2; /* C1 controls too */
    } else if (p[0] == 0xE2 && n >= 3) {
        if (p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 ||
                             p[2] == 0xAF))
            return 3;
        if (p[1] == 0x81 && p[2] == 0x9F) return 3;
    } else if (p[0] == 0xE3 && n >= 3 && p[1] == 0x80 && p[2] == 0x80) {
        return 3;
    }
    return 0;
}

static const uint8_t blkAsciiSpace[128] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

/* Appends @s (@n bytes of valid UTF-8) to @b with whitespace collapsed:
 * *pending carries a space seen but not yet written (none is written at
 * the start, when b->len == @start). Adds the code points written to
 * *chars. @return 0 or CALQUE_ENOMEM. */
static int blkAppendText(const calque__mem *m, calque__hbuf *b, size_t start,
                         int *pending, const uint8_t *s, size_t n,
                         uint32_t *chars)
{
    FORWARD_IF_ERROR(calque__hbufReserve(m, b, n + 1));
    uint8_t *const base = (uint8_t *)b->p;
    size_t o = b->len;
    uint32_t count = 0;
    for (size_t i = 0; i < n;) {
        uint8_t const c = s[i];
        if (c < 0x80 && blkAsciiSpace[c]) {
            *pending = 1;
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) { /* other controls are dropped */
            i++;
            continue;
        }
        if (c >= 0xC2) {
            int const w = blkWideSpace(s + i, n - i);
            if (w > 0) {
                *pending = 1;
                i += (size_t)w;
                continue;
            }
            if (w < 0) {
                i += (size_t)-w;
                continue;
            }
        }
        if (*pending) {
            if (o > start) {
                base[o++] = ' ';
                count++;
            }
            *pending = 0;
        }
        /* Copy one character, or a run of plain ASCII. */
        if (c < 0x80) {
            size_t j = i + 1;
            /* '!'-'~', and single spaces between them. */
            for (;;) {
                while (j < n && (uint8_t)(s[j] - 0x21) < 0x5E) j++;
                if (j + 1 >= n || s[j] != ' ' ||
                    (uint8_t)(s[j + 1] - 0x21) >= 0x5E)
                    break;
                j += 2;
            }
            memcpy(base + o, s + i, j - i);
            o += j - i;
            count += (uint32_t)(j - i);
            i = j;
        } else {
            size_t k = 1;
            while (i + k < n && (s[i + k] & 0xC0) == 0x80) k++;
            memcpy(base + o, s + i, k);
            o += k;
            count++;
            i += k;
        }
    }
    b->len = o;
    *chars += count;
    return 0;
}

/* ---- Words ----------------------------------------------------------- */
/* Is the non-ASCII character at s[i] a letter (a word character)? Sets
 * *k to its length; flags @blk when it is the copyright sign. */
static int blkWordChar(const uint8_t *s, size_t i, size_t n, size_t *k,
                       calque__block *blk)
{
    uint8_t const c = s[i];
    size_t j = 1;
    while (i + j < n && (s[i + j] & 0xC0) == 0x80) j++;
    *k = j;
    if (c == 0xC2) {
        if (i + 1 < n && s[i + 1] == 0xA9) blk->flags |= CALQUE__BLK_COPY;
        return 0; /* Latin-1 symbols */
    }
    return !(c == 0xE2 && i + 1 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81));
}

/* Counts the words of @s and the stop words per language. A word is a run
 * of ASCII letters and digits and non-ASCII letters; ASCII punctuation,
 * Latin-1 symbols (U+0080-U+00BF: guillemets, middle dot...) and general
 * punctuation (U+2000-U+206F: typographic apostrophes, dashes, ellipsis)
 * separate words. Words are lower-cased (ASCII and Latin-1) for lookup.
 * Flags the block when it holds the copyright sign. */
static void blkCountWords(const calque__stopSet *stops, const uint8_t *s,
                          size_t n, calque__block *blk)
{
    /* ASCII letters and digits, lower-cased; 0 for the other bytes. */
    static const uint8_t wordByte[128] = {
#define D(c) [c] = c
#define U(c) [c] = c + 32
        D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'),
        D('8'), D('9'), D('a'), D('b'), D('c'), D('d'), D('e'), D('f'),
        D('g'), D('h'), D('i'), D('j'), D('k'), D('l'), D('m'), D('n'),
        D('o'), D('p'), D('q'), D('r'), D('s'), D('t'), D('u'), D('v'),
        D('w'), D('x'), D('y'), D('z'), U('A'), U('B'), U('C'), U('D'),
        U('E'), U('F'), U('G'), U('H'), U('I'), U('J'), U('K'), U('L'),
        U('M'), U('N'), U('O'), U('P'), U('Q'), U('R'), U('S'), U('T'),
        U('U'), U('V'), U('W'), U('X'), U('Y'), U('Z')
#undef D
#undef U
    };
    size_t const maxLen = stops->maxLen < 32 ? stops->maxLen : 32;
    uint8_t w[33];
    size_t i = 0;
    while (i < n) {
        /* Separators. */
        uint8_t c = s[i];
        size_t k = 1;
        if (c < 0x80) {
            if (!wordByte[c]) {
                i++;
                continue;
            }
        } else if (!blkWordChar(s, i, n, &k, blk)) {
            i += k;
            continue;
        }
        /* A word, kept for the lookup while it is as short as the
         * longest stop word. */
        size_t wl = 0;
        int tooLong = 0;
        for (;;) {
            if (c < 0x80) {
                if (wl < maxLen) w[wl++] = wordByte[c];
                else tooLong = 1;
            } else if (wl + k <= maxLen) {
                for (size_t j = 0; j < k; j++) w[wl + j] = s[i + j];
                /* U+00C0-U+00DE (not U+00D7) to lower case. */
                if (k == 2 && c == 0xC3 && s[i + 1] <= 0x9E &&
                    s[i + 1] != 0x97)
                    w[wl + 1] = (uint8_t)(s[i + 1] + 0x20);
                wl += k;
            } else {
                tooLong = 1;
            }
            i += k;
            if (i >= n) break;
            c = s[i];
            k = 1;
            if (c < 0x80 ? !wordByte[c] : !blkWordChar(s, i, n, &k, blk))
                break;
        }
        blk->words++;
        if (!tooLong) {
            unsigned langs = calque__stopLookup(stops, w, wl);
            while (langs) {
                blk->stops[__builtin_ctz(langs)]++;
                langs &= langs - 1;
            }
        }
    }
}

/* ---- Blocks ---------------------------------------------------------- */
/* Ends the open block, if any, and records it. */
static void blkFlush(blkWalk *st)
{
    calque__blockSet *const bs = st->bs;
    st->pendingSpace = 0;
    st->lastBr = 0;
    if (!st->open || st->err) return;
    st->open = 0;
    size_t const len = bs->text.len - st->start;
    if (len == 0) return;
    if (bs->nblocks == bs->capBlocks &&
        (st->err = CALQUE_GROW(bs->mem, &bs->blocks, &bs->capBlocks,
                               bs->nblocks + 1)) != 0)
        return;
    calque__block *const blk = &bs->blocks[bs->nblocks++];
    memset(blk, 0, sizeof *blk);
    blk->start = st->start;
    blk->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    blk->chars = st->chars;
    blk->linkChars = st->linkChars;
    blk->flags = st->blockFlags;
    blk->form = st->blockForm;
    const uint8_t *const t = (const uint8_t *)bs->text.p + st->start;
    blkCountWords(bs->stops, t, len, blk);
}

/* Appends @n bytes of text to the open block. */
static void blkAppend(blkWalk *st, const uint8_t *s, size_t n)
{
    calque__blockSet *const bs = st->bs;
    if (st->err || n == 0) return;
    size_t const before = bs->text.len;
    uint32_t added = 0;
    st->err = blkAppendText(bs->mem, &bs->text, st->start, &st->pendingSpace,
                            s, n, &added);
    st->chars += added;
    if (st->links) st->linkChars += added;
    if (bs->text.len > before) st->lastBr = 0;
}

/* ---- Text runs ------------------------------------------------------- */
/* What gumbo makes of the numeric character reference to @cp: the
 * standard's replacements (windows-1252 for 0x80-0x9F, U+FFFD for 0,
 * surrogates and values past U+10FFFF), else @cp itself. */
static uint32_t blkNumericRef(uint32_t cp)
{
    static const uint16_t c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0xFFFD;
    if (cp >= 0x80 && cp <= 0x9F) return c1[cp - 0x80];
    return cp;
}

/* Writes @cp as UTF-8 into @b. @return the bytes written. */
static size_t blkUtf8(uint8_t *b, uint32_t cp)
{
    if (cp < 0x80) {
        b[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (uint8_t)(0xC0 | (cp >> 6));
        b[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (uint8_t)(0xE0 | (cp >> 12));
        b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (uint8_t)(0xF0 | (cp >> 18));
    b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the character at @s (valid UTF-8, @n bytes left) when gumbo
 * would replace it by U+FFFD (controls but whitespace, C1 controls,
 * noncharacters), else minus its length. */
static int blkInvalidChar(const uint8_t *s, size_t n)
{
    uint8_t const c = s[0];
    if (c < 0x80)
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\f' &&
                c != '\r') || c == 0x7F
                   ? 1
                   : -1;
    int const k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if ((size_t)k > n) return -(int)n;
    if (k == 2) return c == 0xC2 && s[1] < 0xA0 ? 2 : -2;
    if (k == 3) {
        int const bad = c == 0xEF && ((s[1] == 0xB7 && s[2] >= 0x90 &&
                                       s[2] <= 0xAF) ||
                                      (s[1] == 0xBF && s[2] >= 0xBE));
        return bad ? 3 : -3;
    }
    return (s[1] & 0x0F) == 0x0F && s[2] == 0xBF && s[3] >= 0xBE ? 4 : -4;
}

/* Does the run need decoding: a character reference (not in @raw runs),
 * NUL, or a character gumbo replaces? */
static int blkRunNeedsDecoding(const uint8_t *s, size_t n, int raw)
{
    size_t i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    /* Sixteen bytes at a time, looking for the bytes that may start
     * something: '&', controls, DEL, 0xC2, 0xEF and 0xF0-0xFF. */
    __m128i const flip = _mm_set1_epi8((char)0x80);
    __m128i const ctl = _mm_set1_epi8((char)(0x20 ^ 0x80));
    __m128i const high = _mm_set1_epi8((char)(0xEF ^ 0x80));
    __m128i const amp = _mm_set1_epi8('&'), del = _mm_set1_epi8(0x7F);
    __m128i const c2 = _mm_set1_epi8((char)0xC2), ef = _mm_set1_epi8((char)0xEF);
    for (; i + 16 <= n; i += 16) {
        __m128i const v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i const f = _mm_xor_si128(v, flip);
        __m128i m = _mm_or_si128(_mm_cmplt_epi8(f, ctl), _mm_cmpgt_epi8(f, high));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, del),
                                         _mm_cmpeq_epi8(v, c2)));
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, ef));
        if (!raw) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, amp));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        while (bits) {
            size_t const k = i + (size_t)__builtin_ctz(bits);
            bits &= bits - 1;
            if (s[k] == '&' || s[k] == 0 || blkInvalidChar(s + k, n - k) > 0)
                return 1;
        }
    }
#endif
    for (; i < n; i++) {
        uint8_t const c = s[i];
        if (c == '&') {
            if (!raw) return 1;
        } else if (c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xEF ||
                   c >= 0xF0) {
            if (c == 0 || blkInvalidChar(s + i, n - i) > 0) return 1;
        }
    }
    return 0;
}

/* Decodes the run @s (@n bytes) into @out as gumbo would hand it to the
 * walk: numeric character references decoded (named ones never reach a
 * run: the pre-pass leaves them to gumbo), NUL dropped (U+FFFD in @raw
 * runs, which come from <plaintext>), invalid characters replaced by
 * U+FFFD. @return 0 or CALQUE_ENOMEM. */
static int blkDecodeRun(const calque__mem *m, const uint8_t *s, size_t n,
                        int raw, calque__hbuf *out)
{
    out->len = 0;
    /* A control byte becomes U+FFFD (3 bytes); references get shorter. */
    FORWARD_IF_ERROR(calque__hbufReserve(m, out, 3 * n + 4));
    uint8_t *const o = (uint8_t *)out->p;
    size_t w = 0, i = 0;
    while (i < n) {
        uint8_t const c = s[i];
        if (c == '&' && !raw && i + 2 < n && s[i + 1] == '#') {
            size_t j = i + 2;
            int const hex = s[j] == 'x' || s[j] == 'X';
            j += (size_t)hex;
            uint32_t cp = 0;
            size_t const digits = j;
            for (; j < n; j++) {
                int d = -1;
                if (s[j] >= '0' && s[j] <= '9') d = s[j] - '0';
                else if (hex && (s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'f')
                    d = (s[j] | 0x20) - 'a' + 10;
                if (d < 0) break;
                cp = cp * (hex ? 16 : 10) + (uint32_t)d;
                if (cp > 0x10FFFF) cp = 0x110000; /* saturate */
            }
            if (j > digits) {
                if (j < n && s[j] == ';') j++;
                w += blkUtf8(o + w, blkNumericRef(cp));
                i = j;
                continue;
            }
        }
        if (c == 0) {
            if (raw) w += blkUtf8(o + w, 0xFFFD);
            i++;
            continue;
        }
        int const k = blkInvalidChar(s + i, n - i);
        if (k > 0) {
            w += blkUtf8(o + w, 0xFFFD);
            i += (size_t)k;
        } else {
            memcpy(o + w, s + i, (size_t)-k);
            w += (size_t)-k;
            i += (size_t)-k;
        }
    }
    out->len = w;
    return 0;
}

/* The text of run @idx (bs->runs): in the page, or decoded into
 * bs->scratch. *t is NULL for a run that does not exist. *link tells a
 * run inside a link the pre-pass left out. @return 0 or CALQUE_ENOMEM. */
static int blkRunText(calque__blockSet *bs, size_t idx, const uint8_t **t,
                      size_t *n, int *link)
{
    *t = NULL;
    *n = 0;
    *link = 0;
    if (bs->runs == NULL || idx >= bs->runs->n) return 0;
    calque__htmlRun const r = bs->runs->runs[idx];
    const uint8_t *const s = bs->src + r.at;
    size_t const len = CALQUE__RUN_LEN(r);
    int const raw = (r.len & CALQUE__RUN_RAW) != 0;
    *link = (r.len & CALQUE__RUN_LINK) != 0;
    if (!blkRunNeedsDecoding(s, len, raw)) {
        *t = s;
        *n = len;
        return 0;
    }
    FORWARD_IF_ERROR(blkDecodeRun(bs->mem, s, len, raw, &bs->scratch));
    *t = (const uint8_t *)bs->scratch.p;
    *n = bs->scratch.len;
    return 0;
}

/* Appends the text of run @idx to the open block. */
static void blkRun(blkWalk *st, size_t idx)
{
    const uint8_t *t;
    size_t n;
    int link;
    if (st->err || (st->err = blkRunText(st->bs, idx, &t, &n, &link)) != 0 ||
        t == NULL)
        return;
    st->links += (unsigned)link;
    blkAppend(st, t, n);
    st->links -= (unsigned)link;
}

/* If a placeholder code point starts at @s (@n bytes left), its kind (1:
 * plane 15, a digit; 2: plane 16, a prefix) and value in *v; else 0. */
static int blkPlaceholder(const uint8_t *s, size_t n, uint32_t *v)
{
    if (n < 4) return 0;
    uint32_t const low = ((uint32_t)(s[1] & 0x3F) << 12) |
                         ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    if (s[0] == 0xF3 && s[1] >= 0xB0) {
        *v = low - 0x30000;
        return 1;
    }
    if (s[0] == 0xF4 && s[1] < 0x90) {
        *v = low;
        return 2;
    }
    return 0;
}

/* Finds the next placeholder of s[*k, n): @return its offset (n when
 * there is none), with *k past it and its run in *idx (SIZE_MAX for a
 * prefix without its digit). */
static size_t blkNextRun(const uint8_t *s, size_t n, size_t *k, size_t *idx)
{
    for (size_t i = *k; i < n; i++) {
        uint32_t v;
        int const kind = s[i] >= 0xF3 ? blkPlaceholder(s + i, n - i, &v) : 0;
        if (kind == 0) continue;
        size_t j = i + 4;
        *idx = v;
        if (kind == 2) {
            uint32_t lo;
            *idx = SIZE_MAX;
            if (blkPlaceholder(s + j, n - j, &lo) == 1) {
                *idx = (size_t)v * CALQUE__RUN_DIGITS + lo;
                j += 4;
            }
        }
        *k = j;
        return i;
    }
    *k = n;
    return n;
}

/* Appends the text of a text node to the open block (opening one),
 * replacing placeholders by the text of their runs. */
static void blkText(blkWalk *st, const char *text, size_t n)
{
    calque__blockSet *const bs = st->bs;
    if (st->err) return;
    if (!st->open) {
        st->open = 1;
        st->start = bs->text.len;
        st->chars = st->linkChars = 0;
        st->blockFlags = (uint8_t)((st->headings ? CALQUE__BLK_HEADING : 0) |
                                   (st->items ? CALQUE__BLK_ITEM : 0) |
                                   (st->form ? CALQUE__BLK_FORM : 0));
        st->blockForm = st->form;
    }
    const uint8_t *const s = (const uint8_t *)text;
    for (size_t k = 0; k < n;) {
        size_t const from = k;
        size_t idx;
        size_t const at = blkNextRun(s, n, &k, &idx);
        blkAppend(st, s + from, at - from);
        if (at < n && idx != SIZE_MAX) blkRun(st, idx);
    }
}

/* ---- Attributes ------------------------------------------------------ */
static int blkLower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Do the @n bytes at @s equal lower-case @w, ignoring ASCII case? */
static int blkEqualsLower(const char *s, const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (blkLower((unsigned char)s[i]) != w[i]) return 0;
    return 1;
}

/* Should the element be skipped for its attributes? (names.c decides.) */
static int blkAttrsDrop(const calque__htmlWords *t, const GumboElement *el)
{
    calque__htmlAttrs a;
    memset(&a, 0, sizeof a);
    for (unsigned k = 0; k < el->attributes.length; k++) {
        const GumboAttribute *const at = el->attributes.data[k];
        const char *const nm = at->name, *const v = at->value;
        if (strcmp(nm, "class") == 0) {
            a.cls = v;
            a.clsLen = strlen(v);
        } else if (strcmp(nm, "id") == 0) {
            a.id = v;
            a.idLen = strlen(v);
        } else if (strcmp(nm, "style") == 0) {
            a.style = v;
            a.styleLen = strlen(v);
        } else if (strcmp(nm, "role") == 0) {
            a.role = v;
            a.roleLen = strlen(v);
        } else if (strcmp(nm, "aria-hidden") == 0) {
            a.aria = v;
            a.ariaLen = strlen(v);
        } else if (strcmp(nm, "hidden") == 0) {
            a.hidden = 1;
        }
    }
    return calque__htmlAttrsHide(
        t, &a, el->tag == GUMBO_TAG_HTML || el->tag == GUMBO_TAG_BODY);
}

/* Does the subtree of @n hold an <h1>? Looks at most at 4000 nodes and 64
 * levels: a site header that hides its <h1> deeper is dropped. */
static int blkHasH1(const GumboNode *n)
{
    const GumboNode *stack[64];
    unsigned idx[64];
    size_t depth = 1, visited = 0;
    stack[0] = n;
    idx[0] = 0;
    while (depth && visited < 4000) {
        const GumboVector *const ch = &stack[depth - 1]->v.element.children;
        if (idx[depth - 1] >= ch->length) {
            depth--;
            continue;
        }
        const GumboNode *const c = ch->data[idx[depth - 1]++];
        visited++;
        if (c->type != GUMBO_NODE_ELEMENT) continue;
        if (c->v.element.tag == GUMBO_TAG_H1) return 1;
        if (depth < 64) {
            stack[depth] = c;
            idx[depth] = 0;
            depth++;
        }
    }
    return 0;
}

/* ---- Title ----------------------------------------------------------- */
/* Appends @n bytes of a title's text node to the title buffer, with its
 * placeholders replaced by the text of their runs. */
static int blkTitleAppend(calque__blockSet *bs, const uint8_t *s, size_t n,
                          int *pending)
{
    uint32_t chars = 0;
    for (size_t k = 0; k < n;) {
        size_t const from = k;
        size_t idx;
        size_t const at = blkNextRun(s, n, &k, &idx);
        FORWARD_IF_ERROR(blkAppendText(bs->mem, &bs->title, 0, pending,
                                       s + from, at - from, &chars));
        if (at == n || idx == SIZE_MAX) continue;
        const uint8_t *t;
        size_t tn;
        int link;
        FORWARD_IF_ERROR(blkRunText(bs, idx, &t, &tn, &link));
        if (t)
            FORWARD_IF_ERROR(blkAppendText(bs->mem, &bs->title, 0, pending, t,
                                           tn, &chars));
    }
    return 0;
}

/* Appends the text under @n (a title or similar) to the title buffer. */
static int blkTitleText(calque__blockSet *bs, const GumboNode *n,
                        int *pending)
{
    const GumboVector *const ch = &n->v.element.children;
    for (unsigned k = 0; k < ch->length; k++) {
        const GumboNode *const c = ch->data[k];
        if (c->type != GUMBO_NODE_TEXT && c->type != GUMBO_NODE_WHITESPACE &&
            c->type != GUMBO_NODE_CDATA)
            continue;
        FORWARD_IF_ERROR(blkTitleAppend(bs, (const uint8_t *)c->v.text.text,
                                        strlen(c->v.text.text), pending));
    }
    return 0;
}

/* Takes the <title> from the children of <head>, and og:title as a
 * fallback when there is no <title>. */
static int blkHead(calque__blockSet *bs, const GumboNode *head)
{
    const GumboVector *const ch = &head->v.element.children;
    const char *og = NULL;
    for (unsigned k = 0; k < ch->length; k++) {
        const GumboNode *const c = ch->data[k];
        if (c->type != GUMBO_NODE_ELEMENT) continue;
        const GumboElement *const el = &c->v.element;
        if (el->tag == GUMBO_TAG_TITLE && bs->title.len == 0) {
            int pending = 0;
            FORWARD_IF_ERROR(blkTitleText(bs, c, &pending));
        } else if (el->tag == GUMBO_TAG_META && og == NULL) {
            const GumboAttribute *const p =
                gumbo_get_attribute(&el->attributes, "property");
            const GumboAttribute *const v =
                gumbo_get_attribute(&el->attributes, "content");
            if (p && v && strcmp(p->value, "og:title") == 0) og = v->value;
        }
    }
    if (bs->title.len == 0 && og != NULL) {
        int pending = 0;
        uint32_t chars = 0;
        FORWARD_IF_ERROR(blkAppendText(bs->mem, &bs->title, 0, &pending,
                                       (const uint8_t *)og, strlen(og),
                                       &chars));
    }
    return 0;
}

/* ---- The walk -------------------------------------------------------- */
/* Decides what entering element @n does. @return the B_* flags to apply
 * and undo later, or B_DROP to skip it. */
static uint8_t blkEnter(blkWalk *st, const GumboNode *n)
{
    const GumboElement *const el = &n->v.element;
    uint8_t f = blkTagFlags[el->tag];
    if (el->tag_namespace != GUMBO_NAMESPACE_HTML) return B_DROP;
    if (el->tag == GUMBO_TAG_HEAD) {
        st->err = blkHead(st->bs, n);
        return B_DROP;
    }
    if (el->tag == GUMBO_TAG_TITLE) {
        if (st->bs->title.len == 0) {
            int pending = 0;
            st->err = blkTitleText(st->bs, n, &pending);
        }
        return B_DROP;
    }
    if (el->tag == GUMBO_TAG_UNKNOWN) {
        /* gumbo 0.10 predates <dialog>: cookie and login boxes. */
        GumboStringPiece name = el->original_tag;
        gumbo_tag_from_original_text(&name);
        if (name.length == 6 && blkEqualsLower(name.data, "dialog", 6))
            return B_DROP;
    }
    if (f & B_DROP) return B_DROP;
    if (el->attributes.length && blkAttrsDrop(st->bs->words, el))
        return B_DROP;
    if (el->tag == GUMBO_TAG_HEADER && st->articles == 0 &&
        !blkHasH1(n))
        return B_DROP;
    if (el->tag == GUMBO_TAG_BR) {
        if (st->lastBr) {
            blkFlush(st);
        } else {
            st->pendingSpace = 1;
            st->lastBr = 1;
        }
        return 0;
    }
    if (el->tag == GUMBO_TAG_FORM && st->form) f &= (uint8_t)~B_FORM;
    return f;
}

/* Applies the effects of entering an element with flags @f. */
static void blkApply(blkWalk *st, blkFrame *fr, uint8_t f)
{
    if (f & B_BLOCK) blkFlush(st);
    if (f & B_HEADING) st->headings++;
    if (f & B_ITEM) st->items++;
    if (f & B_LINK) st->links++;
    if (f & B_ARTICLE) st->articles++;
    if (f & B_FORM) {
        fr->form = st->form;
        st->form = ++st->forms;
    }
    fr->flags = f;
}

/* Undoes them when leaving the element. */
static void blkLeave(blkWalk *st, const blkFrame *fr)
{
    uint8_t const f = fr->flags;
    if (f & B_BLOCK) blkFlush(st);
    if (f & B_HEADING) st->headings--;
    if (f & B_ITEM) st->items--;
    if (f & B_LINK) st->links--;
    if (f & B_ARTICLE) st->articles--;
    if (f & B_FORM) st->form = fr->form;
}

/* Clears the form flag of blocks in forms that hold most of the page's
 * text: such forms wrap the whole page (ASP.NET does this). */
static void blkWrapperForms(calque__blockSet *bs, uint32_t forms)
{
    if (forms == 0) return;
    uint64_t total = 0;
    for (size_t i = 0; i < bs->nblocks; i++) total += bs->blocks[i].chars;
    /* Forms are numbered in document order and do not nest, so the blocks
     * of one form are contiguous. */
    size_t i = 0;
    while (i < bs->nblocks) {
        uint32_t const f = bs->blocks[i].form;
        size_t j = i;
        uint64_t chars = 0;
        while (j < bs->nblocks && bs->blocks[j].form == f)
            chars += bs->blocks[j++].chars;
        if (f != 0 && chars * 2 >= total)
            for (size_t k = i; k < j; k++)
                bs->blocks[k].flags &= (uint8_t)~CALQUE__BLK_FORM;
        i = j;
    }
}

int calque__htmlBlocks(calque__blockSet *bs, const void *rootp)
{
    const GumboNode *const root = rootp;
    bs->text.len = 0;
    bs->title.len = 0;
    bs->nblocks = 0;
    blkWalk st;
    memset(&st, 0, sizeof st);
    st.bs = bs;
    blkFrame *stack = bs->stack;
    size_t depth = 0;
    FORWARD_IF_ERROR(CALQUE_GROW(bs->mem, &stack, &bs->capStack, 16));
    bs->stack = stack;
    stack[depth++] = (blkFrame){root, 0, 0, 0};
    while (depth && st.err == 0) {
        blkFrame *const fr = &stack[depth - 1];
        const GumboVector *const ch = fr->node->type == GUMBO_NODE_DOCUMENT
                                          ? &fr->node->v.document.children
                                          : &fr->node->v.element.children;
        if (fr->next >= ch->length) {
            blkLeave(&st, fr);
            depth--;
            continue;
        }
        const GumboNode *const c = ch->data[fr->next++];
        switch (c->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            blkText(&st, c->v.text.text, strlen(c->v.text.text));
            break;
        case GUMBO_NODE_ELEMENT: {
            uint8_t const f = blkEnter(&st, c);
            if (f & B_DROP) break;
            if (depth == bs->capStack) {
                st.err = CALQUE_GROW(bs->mem, &stack, &bs->capStack,
                                     depth + 1);
                bs->stack = stack;
                if (st.err) break;
            }
            blkFrame *const nf = &stack[depth++];
            *nf = (blkFrame){c, 0, 0, 0};
            blkApply(&st, nf, f);
            break;
        }
        default: /* comments, templates, the document */
            break;
        }
    }
    blkFlush(&st);
    if (st.err) return st.err;
    blkWrapperForms(bs, st.forms);
    return 0;
}
