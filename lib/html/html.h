/*
 * html.h - internal interfaces of the HTML article extractor (lib/html/).
 *
 * calque_extractHtml() (extract.c) runs four stages over one page:
 *
 *   1. charset.c  picks the encoding (BOM, caller's hint, <meta> in the
 *                 first 4 KiB, else UTF-8 when valid, else windows-1252),
 *                 converts to valid UTF-8 and refuses binary bodies;
 *   2. tame.c     rewrites the UTF-8 text before gumbo sees it: removes
 *                 what the walk would skip (scripts, styles, comments,
 *                 navigation, footers, hidden and boilerplate-named
 *                 subtrees, attributes), replaces text by placeholders
 *                 and removes start tags that would nest deeper than a
 *                 limit, so that gumbo's parse is short and linear;
 *   3. blocks.c   walks gumbo's tree without recursion, puts the text
 *                 back in place of the placeholders and cuts it
 *                 into blocks (paragraphs, headings, list items, cells),
 *                 skipping navigation, forms, hidden and boilerplate-named
 *                 elements; it also finds the <title>;
 *   4. classify.c counts stop words per language (stopwords.c) and marks
 *                 blocks good or bad the way jusText does.
 */
#ifndef CALQUE_HTML_H
#define CALQUE_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* ---- Byte buffer -------------------------------------------------------- */
typedef struct {
    char *p;    /* bytes, owned, allocated with the module's calque__mem */
    size_t len; /* bytes in use */
    size_t cap; /* bytes allocated */
} calque__hbuf;

/* Makes room for @extra more bytes. @return 0 or CALQUE_ENOMEM. */
int calque__hbufReserve(const calque__mem *m, calque__hbuf *b, size_t extra);
/* Appends @n bytes. @return 0 or CALQUE_ENOMEM. */
int calque__hbufAppendGrow(const calque__mem *m, calque__hbuf *b,
                           const void *src, size_t n);
static inline int calque__hbufAppend(const calque__mem *m, calque__hbuf *b,
                                     const void *src, size_t n)
{
    if (n >= b->cap - b->len) return calque__hbufAppendGrow(m, b, src, n);
    memcpy(b->p + b->len, src, n); /* cap > len always: the spare byte */
    b->len += n;
    return 0;
}
void calque__hbufFree(const calque__mem *m, calque__hbuf *b);

/* ---- Character sets (charset.c) ----------------------------------------- */
typedef enum {
    CALQUE__CS_DEFAULT = 0, /* nothing declared, bytes are valid UTF-8 */
    CALQUE__CS_BOM,         /* byte order mark */
    CALQUE__CS_HINT,        /* the caller's hint (HTTP header) */
    CALQUE__CS_META,        /* <meta> or <?xml?> in the first 4 KiB */
    CALQUE__CS_FALLBACK     /* nothing declared, not UTF-8: windows-1252 */
} calque__csSource;

#define CALQUE__CS_NAME_MAX 40 /* room for an encoding name, with the NUL */

/* Chooses the encoding of @p (@len bytes). @hint may be NULL. Writes the
 * iconv name ("UTF-8", "WINDOWS-1252", "UTF-16LE", ...) into @name and
 * the length of a byte order mark to skip into *bomLen.
 * @return where the choice came from. */
calque__csSource calque__htmlSniffCharset(const uint8_t *p, size_t len,
                                          const char *hint,
                                          char name[CALQUE__CS_NAME_MAX],
                                          size_t *bomLen);

/* Maps an encoding label (as found in HTTP headers and <meta>) to an
 * iconv name in @name, following the WHATWG aliases where they differ
 * from iconv (latin1 and ASCII mean windows-1252). Labels that are empty
 * or too long give 0. @return 1 when @name was written. */
int calque__htmlCharsetName(const char *label, size_t len,
                            char name[CALQUE__CS_NAME_MAX]);

/* @return 1 when @p is valid UTF-8 (no overlongs, no surrogates). */
int calque__utf8Valid(const uint8_t *p, size_t len);

/* Appends @p to @out as UTF-8, replacing each maximal invalid subpart by
 * U+FFFD and adding the number of replacements to *replaced.
 * @return 0 or CALQUE_ENOMEM. */
int calque__utf8Repair(const calque__mem *m, const uint8_t *p, size_t len,
                       calque__hbuf *out, uint64_t *replaced);

/* A cached iconv descriptor for one source encoding. */
typedef struct {
    void *cd;                        /* iconv_t, or NULL when closed */
    char name[CALQUE__CS_NAME_MAX];  /* its source encoding */
} calque__iconvCache;

/* Converts @p from encoding @name to UTF-8 into @out (replacing @out's
 * contents), reusing or reopening the descriptor in @cache. Undecodable
 * bytes become U+FFFD and are counted in *replaced.
 * @return 0, CALQUE_ENOMEM, or CALQUE_EPARAM when iconv cannot convert
 * from @name at all. */
int calque__iconvToUtf8(const calque__mem *m, calque__iconvCache *cache,
                        const char *name, const uint8_t *p, size_t len,
                        calque__hbuf *out, uint64_t *replaced);
void calque__iconvClose(calque__iconvCache *cache);

/* @return 1 when the first 8 KiB of @p (UTF-8 or another ASCII-compatible
 * encoding) look like a binary file: NUL or other control bytes than tab,
 * newlines and form feed make up more than 5% of them (and at least 8). */
int calque__looksBinary(const uint8_t *p, size_t len);

/* ---- Attributes that hide an element (names.c) ------------------------ */
/* An index of the class-name word table by first letter. */
typedef struct {
    uint8_t first[27]; /* words of letter c: first[c - 'a'] to the next */
} calque__htmlWords;

void calque__htmlWordsInit(calque__htmlWords *t);

/* The attributes of an element the extractor reads; a NULL value is an
 * absent attribute. Values need not be NUL terminated. */
typedef struct {
    const char *cls, *id, *style, *role, *aria; /* aria: aria-hidden */
    size_t clsLen, idLen, styleLen, roleLen, ariaLen;
    int hidden; /* the hidden attribute is present */
} calque__htmlAttrs;

/* @return 1 when an element with the attributes @a is skipped with its
 * subtree: hidden, aria-hidden="true", display:none or visibility:hidden,
 * a landmark role without article text, or a class or id naming
 * boilerplate and none naming content. For @root elements (html, body)
 * class and id are not looked at. */
int calque__htmlAttrsHide(const calque__htmlWords *t,
                          const calque__htmlAttrs *a, int root);

/* ---- Taming the input for gumbo (tame.c) -------------------------------- */
#define CALQUE__TAME_MAX_DEPTH 512 /* open elements kept, like browsers */

/* A text run of the page that the pre-pass replaced by a placeholder
 * character (see tame.c); the walk puts the run's text back. */
typedef struct {
    uint32_t at;  /* first byte in the page (pages are under 1 GiB) */
    uint32_t len; /* bytes, with CALQUE__RUN_RAW set for runs whose
                     character references must not be decoded, and
                     CALQUE__RUN_LINK for runs inside a link the pre-pass
                     left out */
} calque__htmlRun;

#define CALQUE__RUN_RAW 0x80000000u
#define CALQUE__RUN_LINK 0x40000000u
#define CALQUE__RUN_LEN(r) ((r).len & ~(CALQUE__RUN_RAW | CALQUE__RUN_LINK))

typedef struct {
    calque__htmlRun *runs;
    size_t n, cap;
} calque__htmlRuns;

/* Placeholders are code points of the supplementary private use planes:
 * run i < CALQUE__RUN_DIGITS is U+F0000 + i; larger ones are preceded
 * by U+100000 + i / CALQUE__RUN_DIGITS. No code point ending in FFFE or
 * FFFF is used (gumbo would replace it). */
#define CALQUE__RUN_DIGITS 0xFFFEu

typedef struct {
    size_t dropped;   /* start tags removed for nesting too deeply */
    size_t rawCut;    /* bytes of script/style/comment contents removed */
    size_t skipped;   /* bytes of subtrees removed (navigation, footers,
                         hidden and boilerplate-named elements...) */
    size_t runs;      /* text runs replaced by placeholders */
    int again;        /* a removed subtree reached the end of the page:
                         the page was tamed again without removing any
                         subtree from that point on */
} calque__tameStats;

/* What the pre-pass keeps from page to page (its model of open elements
 * and a cache of the class names it has judged). */
typedef struct calque__tamer calque__tamer;

/* Rewrites the UTF-8 page @p (@len bytes, under 1 GiB) into @out for
 * gumbo, without what the extractor does not need (see the file comment
 * of tame.c), recording the text runs it replaced in @runs. With @drop 0
 * no subtree is removed (the walk then skips them itself). @out and
 * @runs are replaced. *@tamer is allocated on the first call (NULL
 * before), for calque__htmlTamerFree(). @return 0 or CALQUE_ENOMEM. */
int calque__htmlTame(const calque__mem *m, calque__tamer **tamer,
                     const calque__htmlWords *words, const uint8_t *p,
                     size_t len, int drop, calque__hbuf *out,
                     calque__htmlRuns *runs, calque__tameStats *stats);
void calque__htmlTamerFree(const calque__mem *m, calque__tamer *tamer);

/* @mode 2 (the default): the pre-pass writes gumbo a short page; 1: it
 * removes no subtree (the walk skips them); 0: gumbo parses the page as
 * it is (no pre-pass: quadratic on some inputs). For tests and benchmarks
 * that compare the ways: the text and title must be the same. */
void calque__htmlSetTame(calque_htmlExtractor *ex, int mode);

/* ---- Stop words (stopwords.c) ------------------------------------------- */
#define CALQUE__NLANG 7 /* fr en de es it pt nl, bit i of a mask = lang i */

/* @return the ISO 639-1 code of language @i, or "none" for CALQUE__NLANG. */
const char *calque__langCode(unsigned i);
/* @return the index of language @code, CALQUE__NLANG for "none", or -1
 * when unknown. */
int calque__langIndex(const char *code);

#define CALQUE__STOP_MAXLEN 16 /* bytes of the longest stop word possible */

typedef struct {
    uint64_t key[2]; /* the lower-case UTF-8 word, zero-padded */
    uint8_t langs;   /* mask of the languages listing it */
} calque__stopEntry;

/* An open-addressing hash set of every stop word of every language. */
typedef struct {
    calque__stopEntry *entries; /* distinct words */
    size_t n;                   /* entries in use */
    uint32_t *slots;            /* 0 empty, else entry index + 1 */
    uint32_t mask;              /* number of slots - 1 (a power of two) */
    size_t maxLen;              /* bytes of the longest word */
} calque__stopSet;

int calque__stopSetInit(const calque__mem *m, calque__stopSet *s);
void calque__stopSetFree(const calque__mem *m, calque__stopSet *s);
/* @return the mask of languages in which the lower-case word @w (@len
 * bytes of UTF-8) is a stop word, 0 when none. */
unsigned calque__stopLookup(const calque__stopSet *s, const uint8_t *w,
                            size_t len);

/* ---- Blocks (blocks.c) and their classification (classify.c) ---------- */
enum {
    CALQUE__BLK_HEADING = 1, /* inside h1-h6 */
    CALQUE__BLK_ITEM = 2,    /* inside li, dt or dd */
    CALQUE__BLK_FORM = 4,    /* inside a form (see calque__htmlBlocks) */
    CALQUE__BLK_COPY = 8     /* contains the copyright sign */
};

enum { CALQUE__BAD = 0, CALQUE__SHORT, CALQUE__NEARGOOD, CALQUE__GOOD };

typedef struct {
    size_t start;       /* first byte in the block text buffer */
    uint32_t len;       /* bytes */
    uint32_t chars;     /* code points */
    uint32_t linkChars; /* code points inside <a> */
    uint32_t words;
    uint32_t stops[CALQUE__NLANG]; /* stop words per language */
    uint32_t form;      /* number of the enclosing form, 0 if none */
    uint8_t flags;      /* CALQUE__BLK_* */
    uint8_t cf;         /* context-free class */
    uint8_t cls;        /* final class */
} calque__block;

typedef struct {
    const calque__mem *mem;
    const uint8_t *src;          /* the page, for the runs */
    const calque__htmlRuns *runs; /* text put back for placeholders */
    const calque__htmlWords *words;
    calque__hbuf scratch;    /* a run with its character references
                                decoded */
    calque__hbuf text;       /* the blocks' text, back to back */
    calque__block *blocks;
    size_t nblocks, capBlocks;
    calque__hbuf title;      /* the page title, whitespace collapsed */
    void *stack;             /* walk stack (blocks.c) */
    size_t capStack;
    const calque__stopSet *stops;
} calque__blockSet;

/* Walks the tree @root (a GumboNode*) and fills @bs with its text blocks
 * and title (both emptied first), replacing placeholders by the text of
 * bs->runs (taken from bs->src). Counts stop words with bs->stops.
 * @return 0 or CALQUE_ENOMEM. */
int calque__htmlBlocks(calque__blockSet *bs, const void *root);

typedef struct {
    int lang;              /* language index, -1 auto, CALQUE__NLANG none */
    unsigned lengthLow, lengthHigh, maxHeadingDistance;
    double stopLow, stopHigh, maxLinkDensity;
} calque__classifyParams;

/* Sets every block's cf and cls. @return the language index used
 * (CALQUE__NLANG when no stop-word list fits the page). */
int calque__htmlClassify(calque__blockSet *bs,
                         const calque__classifyParams *p);

#endif /* CALQUE_HTML_H */
