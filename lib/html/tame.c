/*
 * tame.c - a pre-pass that rewrites the UTF-8 page into a much shorter
 * one for gumbo, leaving out what the walk (blocks.c) would skip anyway
 * and what gumbo would spend quadratic time on.
 *
 * gumbo costs about a microsecond per tag and tens of nanoseconds per byte
 * of text (its tokenizer handles one code point at a time and emits one
 * token per character), and a news page is mostly scripts, styles, menus,
 * icons, footers and attributes around a small article. So this pass
 * tokenizes the page the way the HTML tokenizer does (tags, quoted
 * attribute values, comments, raw text elements, script escapes), keeps a
 * model of the stack of open elements, and writes for gumbo:
 *
 *   - tags without their attributes, except those the walk reads on
 *     elements it would skip for them (class, id, style, hidden,
 *     aria-hidden, role; see names.c), and <meta> only for an og:title
 *     before any <title>; end tags as "</name>";
 *   - instead of the whole subtree of an element the walk skips (by tag:
 *     nav, aside, footer, menu, svg, math, select, button, noscript,
 *     template, figcaption, label, video...; by attribute: hidden or
 *     boilerplate-named elements; a <header> outside <article>/<main>
 *     holding no <h1>), "<name hidden></name>", so the elements around it
 *     are closed the same way, or nothing when its start tag closes none;
 *   - nothing of inline elements the walk reads nothing from (TM_INLINE:
 *     span, b, em, code, font...) unless their attributes may hide them,
 *     nothing of links either (their text runs are marked as link text),
 *     and nothing of elements that stay empty where that changes nothing
 *     for the walk (no implied end tag, no text waiting in a block);
 *   - nothing of comments, processing instructions, script, style,
 *     iframe, textarea, noembed, noframes and of images and other void
 *     elements the walk ignores;
 *   - each run of text (the title's too) as one placeholder character (a
 *     code point of the private use planes 15 and 16 numbering the run;
 *     see html.h), a run of whitespace as one whitespace character (none
 *     where the walk has no text in its block), and named character
 *     references ("&eacute;") as they are, for gumbo to decode: text ends
 *     up in the same elements, the walk puts the runs back (decoding
 *     numeric references itself) when it reads the text nodes;
 *   - no start tag that would make the model stack deeper than
 *     CALQUE__TAME_MAX_DEPTH (gumbo searches its stacks linearly: 100,000
 *     nested <div> took 18 s).
 *
 * The model follows the standard's tree construction closely enough to
 * know when a skipped element closes: implied end tags of p, li, dd, dt,
 * cells, rows and options; end tags that close through inline elements
 * but not through special ones; headings closing each other; table end
 * tags closing open cells; formatting elements that gumbo reopens and
 * those the adoption agency ends; foreign content and the tags that leave
 * it. Where an element it left out changes what gumbo would do (a
 * formatting element reopened after a removed subtree, a heading starting
 * while a left-out element in a heading is the current node), it writes
 * the tags gumbo needs at that point. It does not model foster parenting,
 * so no element directly inside a table part is skipped. Should a skipped
 * subtree run to the end of the page (a truncated page, or the model
 * closing later than gumbo would), the page is tamed again with no
 * subtree removed from that point on: the walk then skips it itself, and
 * the extracted text is the same either way.
 */
#include <assert.h>
#include <pthread.h>

#include <xxhash.h>

#include "html/html.h"

/* Properties of the tags the model knows. */
enum {
    TM_VOID = 1 << 0,      /* never has content */
    TM_FMT = 1 << 1,       /* formatting element (reopened by gumbo) */
    TM_SPECIAL = 1 << 2,   /* "special" category of the standard */
    TM_SCOPE = 1 << 3,     /* limits "has an element in scope" */
    TM_PCLOSE = 1 << 4,    /* its start tag closes an open <p> */
    TM_RAW = 1 << 5,       /* raw text, contents removed */
    TM_RCDATA = 1 << 6,    /* raw text, contents kept (title) */
    TM_IGNORED = 1 << 7,   /* html, head, body, frameset: not modelled */
    TM_FOREIGN = 1 << 8,   /* svg, math */
    TM_CELL = 1 << 9,      /* td, th */
    TM_BREAKOUT = 1 << 10, /* leaves foreign content */
    TM_HEADING = 1 << 11,  /* h1-h6 */
    TM_TPART = 1 << 12,    /* tbody, thead, tfoot */
    TM_ITEM = 1 << 13,     /* li */
    TM_DEF = 1 << 14,      /* dd, dt */
    TM_PLAIN = 1 << 15,    /* plaintext: the rest is text */
    TM_TABLE = 1 << 16,    /* table */
    TM_ROW = 1 << 17,      /* tr */
    TM_NONEST = 1 << 18,   /* a, nobr, button, select, option: a new one
                              closes the open one */
    TM_FORM = 1 << 19,     /* form: ignored inside a form */
    TM_LISTOK = 1 << 20,   /* address, div, p: a new li closes the li
                              around them */
    TM_DROP = 1 << 21,     /* the walk skips it with its subtree */
    TM_HEADER = 1 << 22,   /* header: skipped unless it holds an h1 */
    TM_ARTICLE = 1 << 23,  /* article, main: headers inside are kept */
    TM_META = 1 << 24,     /* meta: property and content are kept */
    TM_SILENT = 1 << 25,   /* not written at all (the walk ignores it) */
    TM_SELCLOSE = 1 << 26, /* input, keygen, textarea: close a select */
    TM_H1 = 1 << 27,       /* h1 */
    TM_INLINE = 1 << 28,   /* the walk reads nothing of it but attributes:
                              left out when they do not hide it */
    TM_WBLOCK = 1 << 29    /* the walk ends a block when entering or
                              leaving it */
};

#define SP TM_SPECIAL
#define PC (TM_SPECIAL | TM_PCLOSE)
#define PCB (TM_SPECIAL | TM_PCLOSE | TM_BREAKOUT)
#define VS (TM_VOID | TM_SPECIAL)
#define DR TM_DROP
#define SL TM_SILENT

/* Sorted by name. Index 0 is reserved for unknown names. */
static const struct {
    const char *name;
    uint32_t flags;
} tameTags[] = {
    {"", 0},
    {"a", TM_FMT | TM_NONEST},
    {"abbr", TM_INLINE},
    {"address", PC | TM_LISTOK | TM_WBLOCK},
    {"applet", SP | TM_SCOPE | DR},
    {"area", VS | SL},
    {"article", PC | TM_ARTICLE | TM_WBLOCK},
    {"aside", PC | DR},
    {"audio", DR},
    {"b", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"base", VS | SL},
    {"basefont", VS | SL},
    {"bdi", TM_INLINE},
    {"bdo", TM_INLINE},
    {"bgsound", VS | SL},
    {"big", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"blockquote", PCB | TM_WBLOCK},
    {"body", TM_IGNORED | SP | TM_BREAKOUT | TM_WBLOCK},
    {"br", VS | TM_BREAKOUT},
    {"button", SP | TM_NONEST | DR},
    {"canvas", DR},
    {"caption", SP | TM_SCOPE | TM_WBLOCK},
    {"center", PCB | TM_WBLOCK},
    {"cite", TM_INLINE},
    {"code", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"col", VS | SL},
    {"colgroup", SP},
    {"data", TM_INLINE},
    {"datalist", DR},
    {"dd", PCB | TM_DEF | TM_WBLOCK},
    {"del", TM_INLINE},
    {"details", PC | TM_WBLOCK},
    {"dfn", TM_INLINE},
    {"dialog", PC | DR},
    {"dir", PC | TM_WBLOCK},
    {"div", PCB | TM_LISTOK | TM_WBLOCK},
    {"dl", PCB | TM_WBLOCK},
    {"dt", PCB | TM_DEF | TM_WBLOCK},
    {"em", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"embed", VS | TM_BREAKOUT | SL},
    {"fieldset", PC | TM_WBLOCK},
    {"figcaption", PC | DR},
    {"figure", PC | TM_WBLOCK},
    {"font", TM_FMT | TM_INLINE},
    {"footer", PC | DR},
    {"form", PC | TM_FORM | TM_WBLOCK},
    {"frame", VS | SL},
    {"frameset", TM_IGNORED | SP},
    {"h1", PCB | TM_HEADING | TM_H1 | TM_WBLOCK},
    {"h2", PCB | TM_HEADING | TM_WBLOCK},
    {"h3", PCB | TM_HEADING | TM_WBLOCK},
    {"h4", PCB | TM_HEADING | TM_WBLOCK},
    {"h5", PCB | TM_HEADING | TM_WBLOCK},
    {"h6", PCB | TM_HEADING | TM_WBLOCK},
    {"head", TM_IGNORED | SP | TM_BREAKOUT},
    {"header", PC | TM_HEADER | TM_WBLOCK},
    {"hgroup", PC | TM_WBLOCK},
    {"hr", VS | TM_PCLOSE | TM_BREAKOUT | TM_WBLOCK},
    {"html", TM_IGNORED | SP | TM_SCOPE | TM_WBLOCK},
    {"i", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"iframe", SP | TM_RAW | SL},
    {"image", VS | TM_BREAKOUT | SL},
    {"img", VS | TM_BREAKOUT | SL},
    {"input", VS | TM_SELCLOSE | SL},
    {"ins", TM_INLINE},
    {"kbd", TM_INLINE},
    {"keygen", VS | TM_SELCLOSE | SL},
    {"label", DR},
    {"li", PCB | TM_ITEM | TM_WBLOCK},
    {"link", VS | SL},
    {"listing", PCB | TM_WBLOCK},
    {"main", PC | TM_ARTICLE | TM_WBLOCK},
    {"map", DR},
    {"mark", TM_INLINE},
    {"marquee", SP | TM_SCOPE},
    {"math", TM_FOREIGN | DR},
    {"menu", PCB | DR},
    {"menuitem", DR},
    {"meta", VS | TM_BREAKOUT | TM_META},
    {"meter", DR},
    {"nav", PC | DR},
    {"nobr", TM_FMT | TM_BREAKOUT | TM_NONEST},
    {"noembed", SP | TM_RAW | SL},
    {"noframes", SP | TM_RAW | SL},
    {"noscript", SP | DR},
    {"object", SP | TM_SCOPE | DR},
    {"ol", PCB | TM_WBLOCK},
    {"optgroup", TM_NONEST},
    {"option", TM_NONEST},
    {"output", DR},
    {"p", PCB | TM_LISTOK | TM_WBLOCK},
    {"param", VS | SL},
    {"plaintext", PC | TM_PLAIN | TM_WBLOCK},
    {"pre", PCB | TM_WBLOCK},
    {"progress", DR},
    {"q", TM_INLINE},
    {"ruby", TM_BREAKOUT},
    {"s", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"samp", TM_INLINE},
    {"script", SP | TM_RAW | SL},
    {"section", PC | TM_WBLOCK},
    {"select", SP | TM_NONEST | DR},
    {"small", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"source", VS | SL},
    {"span", TM_BREAKOUT | TM_INLINE},
    {"strike", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"strong", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"style", SP | TM_RAW | SL},
    {"sub", TM_BREAKOUT | TM_INLINE},
    {"summary", PC | TM_WBLOCK},
    {"sup", TM_BREAKOUT | TM_INLINE},
    {"svg", TM_FOREIGN | DR},
    {"table", PCB | TM_SCOPE | TM_TABLE | TM_WBLOCK},
    {"tbody", SP | TM_TPART | TM_WBLOCK},
    {"td", SP | TM_SCOPE | TM_CELL | TM_WBLOCK},
    {"template", SP | TM_SCOPE | DR},
    {"textarea", SP | TM_RAW | TM_SELCLOSE | SL},
    {"tfoot", SP | TM_TPART | TM_WBLOCK},
    {"th", SP | TM_SCOPE | TM_CELL | TM_WBLOCK},
    {"thead", SP | TM_TPART | TM_WBLOCK},
    {"time", TM_INLINE},
    {"title", SP | TM_RCDATA},
    {"tr", SP | TM_ROW | TM_WBLOCK},
    {"track", VS | SL},
    {"tt", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"u", TM_FMT | TM_BREAKOUT | TM_INLINE},
    {"ul", PCB | TM_WBLOCK},
    {"var", TM_BREAKOUT | TM_INLINE},
    {"video", DR},
    {"wbr", VS | SL},
    {"xmp", PCB | TM_RAW | TM_WBLOCK},
};

#undef SP
#undef PC
#undef PCB
#undef VS
#undef DR
#undef SL

#define TM_NTAGS (sizeof tameTags / sizeof tameTags[0])
#define TM_REOPEN 12 /* formatting elements remembered for reopening */

typedef struct {
    uint32_t hash; /* FNV-1a of the lower-case name */
    uint8_t id;    /* index in tameTags, 0 when unknown */
    uint8_t silent; /* its tags are not written (TM_INLINE, links) */
    uint8_t link;   /* a left-out link whose text is link text */
    uint8_t skipped; /* opened inside a removed subtree: not written */
    uint8_t ended;  /* its end tag came (the adoption agency kept it
                       open): gumbo does not reopen it */
    uint8_t dropped; /* the walk skips it or an element around it */
    uint32_t tagAt, tagEnd; /* its start tag in the page */
} tameElem;

typedef struct {
    size_t depth;
    size_t minDepth;          /* lowest depth since the token began */
    size_t onStack[TM_NTAGS]; /* how many of each known tag are open */
    size_t foreign;           /* open svg and math elements */
    tameElem reopen[TM_REOPEN]; /* formatting elements gumbo will reopen */
    size_t nreopen;
    tameElem p, select, header, a; /* elements it looks for by name */
    int flushed; /* an element ending a block of the walk was popped */
    size_t links; /* open left-out links (elements with .link) */
    int closedLink; /* the last start tag ended an open <a> ... */
    tameElem closed; /* ... this one */
    size_t closedAt; /* ... still at this depth (adoption agency), or
                        SIZE_MAX when popped */
    /* Not cleared between pages (tmPush() sets an element's entries):
     * the model of open elements, where each one's start tag was
     * written and the end of it when the element may be left out should
     * it stay empty (else UINT32_MAX). */
    tameElem stack[CALQUE__TAME_MAX_DEPTH];
    uint32_t outAt[CALQUE__TAME_MAX_DEPTH], outEnd[CALQUE__TAME_MAX_DEPTH];
} tameModel;

/* Judgements of class names (calque__htmlAttrsHide()) by the hash of the
 * class attribute, for elements with no other attribute it reads. */
#define TM_CACHE 256
typedef struct {
    uint64_t key; /* XXH3 of the value, 0 for an empty slot */
    int hide;
} tameJudged;

struct calque__tamer {
    tameModel model;
    tameJudged judged[TM_CACHE];
};

static int tmLower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int tmAlpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int tmAlnum(int c)
{
    return tmAlpha(c) || (c >= '0' && c <= '9');
}

/* Byte classes of the tokenizer. */
enum {
    TC_SPACE = 1, /* ends names and values: space, tab, newlines */
    TC_NAME = 2,  /* ends a tag name: a space, '/', '>' */
    TC_ATTR = 4,  /* ends an attribute name: a space, '/', '>', '=' */
    TC_VALUE = 8  /* ends an unquoted value: a space, '>' */
};
#define TC_S (TC_SPACE | TC_NAME | TC_ATTR | TC_VALUE)
static const uint8_t tmClass[256] = {
    [' '] = TC_S, ['\t'] = TC_S, ['\n'] = TC_S, ['\r'] = TC_S, ['\f'] = TC_S,
    ['/'] = TC_NAME | TC_ATTR, ['>'] = TC_NAME | TC_ATTR | TC_VALUE,
    ['='] = TC_ATTR};
#undef TC_S

static int tmSpace(int c)
{
    return tmClass[(uint8_t)c] & TC_SPACE;
}

static uint32_t tmFlags(uint8_t id)
{
    return tameTags[id].flags;
}

/* The known tags by the FNV-1a hash of their name, open addressing; built
 * once (tmName() hashes every tag name anyway). */
#define TM_SLOTS 512
static uint8_t tmSlots[TM_SLOTS];
static uint32_t tmSlotHash[TM_SLOTS];
static pthread_once_t tmOnce = PTHREAD_ONCE_INIT;

static uint32_t tmHash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const char *s = name; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static void tmBuildSlots(void)
{
    for (size_t id = 1; id < TM_NTAGS; id++) {
        uint32_t const h = tmHash(tameTags[id].name);
        size_t k = h & (TM_SLOTS - 1);
        while (tmSlots[k]) k = (k + 1) & (TM_SLOTS - 1);
        tmSlots[k] = (uint8_t)id;
        tmSlotHash[k] = h;
    }
}

/* Looks up a lower-case tag name of hash @h; 0 when unknown. */
static uint8_t tmLookupHash(const char *name, uint32_t h)
{
    for (size_t k = h & (TM_SLOTS - 1); tmSlots[k]; k = (k + 1) & (TM_SLOTS - 1))
        if (tmSlotHash[k] == h && strcmp(name, tameTags[tmSlots[k]].name) == 0)
            return tmSlots[k];
    return 0;
}

static uint8_t tmLookup(const char *name)
{
    return tmLookupHash(name, tmHash(name));
}

/* The element of a known tag name, with its hash. */
static tameElem tmKnown(const char *name)
{
    uint32_t const h = tmHash(name);
    return (tameElem){h, tmLookupHash(name, h), 0, 0, 0, 0, 0, 0, 0};
}

/* ---- The model ------------------------------------------------------- */
static void tmPush(tameModel *t, tameElem e)
{
    assert(t->depth < CALQUE__TAME_MAX_DEPTH);
    t->outEnd[t->depth] = UINT32_MAX;
    if (t->depth && t->stack[t->depth - 1].dropped) e.dropped = 1;
    t->links += e.link;
    t->stack[t->depth++] = e;
    t->onStack[e.id]++;
    if (tmFlags(e.id) & TM_FOREIGN) t->foreign++;
}

static void tmRemember(tameModel *t, tameElem e)
{
    /* Like the standard's "Noah's Ark" clause, at most three of a kind. */
    size_t same = 0, first = 0;
    for (size_t k = t->nreopen; k-- > 0;)
        if (t->reopen[k].hash == e.hash) {
            same++;
            first = k;
        }
    if (same >= 3 || t->nreopen == TM_REOPEN) {
        size_t const k = same >= 3 ? first : 0;
        memmove(&t->reopen[k], &t->reopen[k + 1],
                (t->nreopen - k - 1) * sizeof t->reopen[0]);
        t->nreopen--;
    }
    t->reopen[t->nreopen++] = e;
}

static void tmForget(tameModel *t, uint32_t hash)
{
    size_t w = 0;
    for (size_t k = 0; k < t->nreopen; k++)
        if (t->reopen[k].hash != hash) t->reopen[w++] = t->reopen[k];
    t->nreopen = w;
}

/* Pops the top @n elements. Formatting elements popped implicitly (all
 * but the target, when @target) are remembered: gumbo reopens them. */
static void tmPop(tameModel *t, size_t n, int target)
{
    for (size_t k = 0; k < n; k++) {
        tameElem const e = t->stack[--t->depth];
        uint32_t const f = tmFlags(e.id);
        t->onStack[e.id]--;
        t->links -= e.link;
        if (f & TM_FOREIGN) t->foreign--;
        if ((f & TM_WBLOCK) && !e.dropped) t->flushed = 1;
        if (f & (TM_CELL | TM_SCOPE)) t->nreopen = 0; /* a marker */
        else if ((f & TM_FMT) && !(target && k == n - 1) && !e.ended)
            tmRemember(t, e);
    }
    if (t->depth < t->minDepth) t->minDepth = t->depth;
}

/* Distance from the top to the nearest element with name @hash, searching
 * down until an element with any of the @stop flags; 0 when not found. */
static size_t tmFind(const tameModel *t, uint32_t hash, uint32_t stop)
{
    for (size_t k = t->depth; k-- > 0;) {
        if (t->stack[k].hash == hash) return t->depth - k;
        if (tmFlags(t->stack[k].id) & stop) return 0;
    }
    return 0;
}

/* Same, for the nearest element having one of the flags @want. */
static size_t tmFindFlag(const tameModel *t, uint32_t want, uint32_t stop)
{
    for (size_t k = t->depth; k-- > 0;) {
        uint32_t const f = tmFlags(t->stack[k].id);
        if (f & want) return t->depth - k;
        if (f & stop) return 0;
    }
    return 0;
}

/* The open li (or dd, dt) a new one closes: searching down, the standard
 * stops at any special element but address, div and p. */
static size_t tmFindItem(const tameModel *t, uint32_t want)
{
    for (size_t k = t->depth; k-- > 0;) {
        uint32_t const f = tmFlags(t->stack[k].id);
        if (f & want) return t->depth - k;
        if ((f & TM_SPECIAL) && !(f & TM_LISTOK)) return 0;
    }
    return 0;
}

/* The implied end tags a start tag with flags @f causes. */
static void tmCloseFor(tameModel *t, tameElem e, uint32_t f)
{
    size_t d;
    if (t->foreign && (f & TM_BREAKOUT)) {
        /* An HTML element inside svg or math closes them. */
        while (t->foreign && (d = tmFindFlag(t, TM_FOREIGN, 0)) != 0)
            tmPop(t, d, 0);
    }
    if (t->foreign) return;
    if ((f & TM_PCLOSE) && t->onStack[t->p.id] &&
        (d = tmFind(t, t->p.hash, TM_SCOPE | TM_FOREIGN)) != 0)
        tmPop(t, d, 1);
    if ((f & (TM_ITEM | TM_DEF)) &&
        (d = tmFindItem(t, f & (TM_ITEM | TM_DEF))) != 0)
        tmPop(t, d, 1);
    if (f & TM_HEADING) {
        /* A heading as the current node is closed (elements the
         * adoption agency ended are gone from gumbo's stack). */
        size_t k = t->depth;
        while (k > 0 && t->stack[k - 1].ended) k--;
        if (k > 0 && (tmFlags(t->stack[k - 1].id) & TM_HEADING))
            tmPop(t, t->depth - k + 1, 1);
    }
    /* Cells, rows and row groups end the previous one. */
    if ((f & TM_CELL) &&
        (d = tmFindFlag(t, TM_CELL, TM_ROW | TM_TPART | TM_TABLE)) != 0)
        tmPop(t, d, 1);
    if ((f & TM_ROW) && (d = tmFindFlag(t, TM_ROW, TM_TPART | TM_TABLE)) != 0)
        tmPop(t, d, 1);
    if ((f & TM_TPART) && (d = tmFindFlag(t, TM_TPART, TM_TABLE)) != 0)
        tmPop(t, d, 1);
    if ((f & TM_TABLE) && t->depth &&
        (tmFlags(t->stack[t->depth - 1].id) & TM_TABLE))
        tmPop(t, 1, 1); /* <table> directly in a table ends it */
    if ((f & TM_NONEST) && t->onStack[e.id] &&
        (d = tmFind(t, e.hash, TM_SCOPE)) != 0) {
        /* A new <a> (or <nobr>) ends the open one like its end tag: the
         * adoption agency keeps the stack as deep when a special element
         * was opened inside it. */
        size_t k = t->depth - d + 1;
        if (f & TM_FMT)
            while (k < t->depth && !(tmFlags(t->stack[k].id) & TM_SPECIAL))
                k++;
        t->closedLink = 1;
        t->closed = t->stack[t->depth - d];
        t->closedAt = k < t->depth ? t->depth - d : SIZE_MAX;
        if (k < t->depth) {
            tameElem *const fe = &t->stack[t->depth - d];
            t->links -= fe->link;
            fe->link = 0;
            fe->ended = 1;
            tmForget(t, e.hash);
        } else {
            tmPop(t, d, 1);
        }
    }
    if ((f & TM_SELCLOSE) && t->onStack[t->select.id] &&
        (d = tmFind(t, t->select.hash, 0)) != 0)
        tmPop(t, d, 1); /* input, keygen, textarea end a select */
}

/* Applies a start tag with flags @f. @return 1 when the element was
 * pushed, 0 when not (void, ignored), -1 when it must be removed from the
 * page because the model stack is full. */
static int tmStart(tameModel *t, tameElem e, uint32_t f, int selfClosing)
{
    if (f & TM_IGNORED) return 0;
    tmCloseFor(t, e, f);
    if (f & TM_VOID) return 0;
    if (selfClosing && (t->foreign || (f & TM_FOREIGN))) return 0;
    if ((f & TM_FORM) && t->onStack[e.id]) return 0; /* ignored by gumbo */
    if (t->depth >= CALQUE__TAME_MAX_DEPTH) {
        /* Raw text elements hold no tags: keeping them costs nothing. */
        return (f & (TM_RAW | TM_RCDATA | TM_PLAIN)) == 0 || t->foreign ? -1
                                                                        : 0;
    }
    tmPush(t, e);
    return 1;
}

/* Applies an end tag. @return 1 when the element it closes was left out
 * of the page (its end tag must be too), else 0. *@kept is the depth of
 * a formatting element the tag ended but the adoption agency keeps on the
 * model stack, else SIZE_MAX. */
static int tmEnd(tameModel *t, tameElem e, size_t *kept)
{
    *kept = SIZE_MAX;
    uint32_t const f = tmFlags(e.id);
    size_t d;
    int silent = 0;
    if (f & (TM_IGNORED | TM_VOID)) return 0;
    if (t->foreign) {
        if ((d = tmFind(t, e.hash, 0)) != 0) tmPop(t, d, 1);
        return 0;
    }
    if (f & TM_HEADING) {
        /* Any heading end tag closes the open heading. */
        if ((d = tmFindFlag(t, TM_HEADING, TM_SCOPE)) != 0) tmPop(t, d, 1);
        return 0;
    }
    if (e.id && t->onStack[e.id] == 0) {
        if (f & TM_FMT) tmForget(t, e.hash);
        return 0;
    }
    if (f & (TM_TABLE | TM_TPART | TM_ROW)) {
        /* Table end tags close the open cells (table scope). */
        if ((d = tmFind(t, e.hash, TM_TABLE)) != 0) tmPop(t, d, 1);
        return 0;
    }
    if (f & TM_FMT) {
        /* The adoption agency takes the newest element of that name in
         * the list of formatting elements: one closed already and
         * waiting to be reopened is only forgotten. */
        for (size_t k = t->nreopen; k-- > 0;)
            if (t->reopen[k].hash == e.hash) {
                int const unwritten =
                    t->reopen[k].silent || t->reopen[k].skipped;
                tmForget(t, e.hash);
                return unwritten; /* gumbo has it to forget, or not */
            }
        /* It keeps the stack as deep when a special element was opened
         * inside the formatting element. */
        d = tmFind(t, e.hash, TM_SCOPE);
        tmForget(t, e.hash);
        if (d == 0) return 0;
        tameElem *const fe = &t->stack[t->depth - d];
        silent = fe->silent;
        for (size_t k = t->depth - d + 1; k < t->depth; k++)
            if (tmFlags(t->stack[k].id) & TM_SPECIAL) {
                /* The link ends here all the same. */
                t->links -= fe->link;
                fe->link = 0;
                fe->ended = 1;
                *kept = t->depth - d;
                return silent;
            }
        tmPop(t, d, 1);
        return silent;
    }
    d = tmFind(t, e.hash, (f & TM_SPECIAL) ? TM_SCOPE : TM_SPECIAL);
    if (d) {
        silent = t->stack[t->depth - d].silent;
        tmPop(t, d, 1);
    }
    return silent;
}

/* Would an element with flags @f be foster-parented (a table, row group or
 * row is the current node and it is not a table part)? */
static int tmFoster(const tameModel *t, uint32_t f, size_t parent)
{
    if (parent == 0) return 0;
    uint32_t const pf = tmFlags(t->stack[parent - 1].id);
    return (pf & (TM_TABLE | TM_TPART | TM_ROW)) &&
           !(f & (TM_CELL | TM_ROW | TM_TPART));
}

/* ---- The tokenizer ---------------------------------------------------- */
/* Attributes the pass reads, first occurrence of each (as gumbo keeps). */
enum {
    A_CLASS, A_ID, A_STYLE, A_HIDDEN, A_ARIA, A_ROLE, A_PROPERTY, A_CONTENT,
    A_N
};

typedef struct {
    size_t at[A_N], end[A_N]; /* the attribute's bytes */
    size_t vs[A_N], ve[A_N];  /* its value's */
    unsigned seen;            /* bit A_x: recorded */
    int unsure;  /* a value the walk reads holds '&' or NUL: gumbo's value
                    differs, let the walk decide */
    int fontBreak; /* color, face or size: <font> leaves foreign content */
} tameAttrs;

/* Which A_* the attribute name @s (@n bytes) is; -1 for others, -2 for
 * the attributes that make <font> leave foreign content. */
static int tmAttrKind(const uint8_t *s, size_t n)
{
    static const char *const names[A_N + 3] = {
        "class", "id", "style", "hidden", "aria-hidden", "role", "property",
        "content", "color", "face", "size"};
    /* Candidates by name length, plus one (0 ends a list). */
    static const uint8_t byLen[12][4] = {
        [2] = {A_ID + 1},
        [4] = {A_ROLE + 1, A_N + 2, A_N + 3},
        [5] = {A_CLASS + 1, A_STYLE + 1, A_N + 1},
        [6] = {A_HIDDEN + 1},
        [7] = {A_CONTENT + 1},
        [8] = {A_PROPERTY + 1},
        [11] = {A_ARIA + 1}};
    if (n >= 12) return -1;
    for (const uint8_t *c = byLen[n]; *c; c++) {
        int const k = *c - 1;
        const char *const w = names[k];
        size_t j = 0;
        while (j < n && tmLower(s[j]) == w[j]) j++;
        if (j == n) return k < A_N ? k : -2;
    }
    return -1;
}

/* Reads the attributes of a tag from @i (just after its name) to its '>',
 * recording those the pass reads into @a (when not NULL). @return the
 * offset past the tag, or @n when the input ends inside it; sets
 * *selfClosing when it ends with "/>". */
static size_t tmScanAttrs(const uint8_t *p, size_t n, size_t i, tameAttrs *a,
                          int *selfClosing)
{
    *selfClosing = 0;
    while (i < n) {
        while (i < n && tmSpace(p[i])) i++;
        if (i >= n) break;
        if (p[i] == '>') return i + 1;
        if (p[i] == '/') {
            if (i + 1 < n && p[i + 1] == '>') *selfClosing = 1;
            i++;
            continue;
        }
        size_t const start = i++; /* the first character may be '=' */
        while (i < n && !(tmClass[p[i]] & TC_ATTR)) i++;
        size_t const nameEnd = i;
        size_t j = i, vs = i, ve = i;
        while (j < n && tmSpace(p[j])) j++;
        if (j < n && p[j] == '=') {
            j++;
            while (j < n && tmSpace(p[j])) j++;
            if (j < n && (p[j] == '"' || p[j] == '\'')) {
                uint8_t const q = p[j++];
                const uint8_t *const close = memchr(p + j, q, n - j);
                vs = j;
                ve = close ? (size_t)(close - p) : n;
                j = close ? ve + 1 : n;
            } else {
                vs = j;
                while (j < n && !(tmClass[p[j]] & TC_VALUE)) j++;
                ve = j;
            }
            i = j;
        }
        if (a == NULL) continue;
        int const k = tmAttrKind(p + start, nameEnd - start);
        if (k == -2) a->fontBreak = 1;
        if (k < 0 || (a->seen >> k) & 1) continue;
        a->seen |= 1u << k;
        a->at[k] = start;
        a->end[k] = i;
        a->vs[k] = vs;
        a->ve[k] = ve;
        if (k <= A_ROLE && (memchr(p + vs, '&', ve - vs) != NULL ||
                            memchr(p + vs, 0, ve - vs) != NULL))
            a->unsure = 1;
    }
    return n;
}

/* Reads a tag name at @i into @name (lower case, truncated) and its hash.
 * @return the offset after the name. */
static size_t tmName(const uint8_t *p, size_t n, size_t i, char name[16],
                     uint32_t *hash)
{
    uint32_t h = 2166136261u;
    size_t k = 0;
    while (i < n && !(tmClass[p[i]] & TC_NAME)) {
        int const ch = tmLower(p[i++]);
        h = (h ^ (uint8_t)ch) * 16777619u;
        if (k < 15) name[k] = (char)ch;
        k++;
    }
    name[k < 15 ? k : 15] = 0;
    if (k >= 15) name[0] = 0; /* too long to be a known tag */
    *hash = h;
    return i;
}

/* Case-insensitive match of "</name" followed by a space, '/' or '>'. */
static int tmEndTagAt(const uint8_t *p, size_t n, size_t i, const char *name)
{
    size_t const k = strlen(name);
    if (i + 2 + k >= n || p[i] != '<' || p[i + 1] != '/') return 0;
    for (size_t j = 0; j < k; j++)
        if (tmLower(p[i + 2 + j]) != name[j]) return 0;
    uint8_t const c = p[i + 2 + k];
    return tmSpace(c) || c == '/' || c == '>';
}

/* Same for "<name" (a start tag). */
static int tmStartTagAt(const uint8_t *p, size_t n, size_t i,
                        const char *name)
{
    size_t const k = strlen(name);
    if (i + 1 + k >= n || p[i] != '<') return 0;
    for (size_t j = 0; j < k; j++)
        if (tmLower(p[i + 1 + j]) != name[j]) return 0;
    uint8_t const c = p[i + 1 + k];
    return tmSpace(c) || c == '/' || c == '>';
}

/* Where the raw text of element @name that starts at @i ends: the offset
 * of its end tag, or @n. Script follows the escape states of the standard
 * ("<!--" ... "<script>" ... "</script>" ... "-->"). */
static size_t tmRawEnd(const uint8_t *p, size_t n, size_t i,
                       const char *name)
{
    int const script = strcmp(name, "script") == 0;
    int state = 0; /* 0 data, 1 escaped, 2 double escaped */
    for (; i < n; i++) {
        const uint8_t *const lt =
            state ? NULL : memchr(p + i, '<', n - i); /* fast path */
        if (!state) {
            if (lt == NULL) return n;
            i = (size_t)(lt - p);
        }
        uint8_t const c = p[i];
        if (c == '-' && state && i + 2 < n && p[i + 1] == '-' &&
            p[i + 2] == '>') {
            state = 0;
            i += 2;
            continue;
        }
        if (c != '<') continue;
        if (state != 2 && tmEndTagAt(p, n, i, name)) return i;
        if (!script) continue;
        if (state == 0 && i + 3 < n && p[i + 1] == '!' && p[i + 2] == '-' &&
            p[i + 3] == '-') {
            state = 1;
            i += 1; /* the dashes may also end it: "<!-->" */
        } else if (state == 1 && tmStartTagAt(p, n, i, "script")) {
            state = 2;
        } else if (state == 2 && tmEndTagAt(p, n, i, "script")) {
            state = 1;
        }
    }
    return n;
}

/* Where a comment starting at @i ("<!--") ends, just past it. */
static size_t tmCommentEnd(const uint8_t *p, size_t n, size_t i)
{
    if (i + 4 < n && p[i + 4] == '>') return i + 5;           /* <!--> */
    if (i + 5 < n && p[i + 4] == '-' && p[i + 5] == '>') return i + 6;
    for (size_t j = i + 4; j + 2 < n; j++) {
        const uint8_t *const dash = memchr(p + j, '-', n - 2 - j);
        if (dash == NULL) break;
        j = (size_t)(dash - p);
        if (p[j + 1] != '-') continue;
        if (p[j + 2] == '>') return j + 3;
        if (j + 3 < n && p[j + 2] == '!' && p[j + 3] == '>') return j + 4;
    }
    return n;
}

/* Past the next '>' from @i, or @n. */
static size_t tmPastGt(const uint8_t *p, size_t n, size_t i)
{
    const uint8_t *const gt = i < n ? memchr(p + i, '>', n - i) : NULL;
    return gt ? (size_t)(gt - p) + 1 : n;
}

/* ---- Writing ---------------------------------------------------------- */
typedef struct {
    const calque__mem *mem;
    const calque__htmlWords *words;
    const uint8_t *p;
    size_t len;
    size_t dropEnd;     /* subtrees starting before this offset may go */
    calque__hbuf *out;
    calque__htmlRuns *runs;
    calque__tameStats *st;
    tameModel *t;
    tameJudged *judged; /* calque__tamer.judged */
    int body;           /* a <body> tag was seen */
    int skipping;       /* inside a removed subtree */
    int textOpen;       /* text written since the walk last ended a block */
    int titled;         /* a <title> with a letter or digit was written */
    size_t skipDepth;   /* model depth with its root open */
    uint32_t skipHash;  /* its root's name */
    size_t skipAt;      /* offset of its root's start tag */
    int tent;           /* inside a header that goes unless it has an h1 */
    size_t tentDepth;   /* model depth with the header open */
    size_t tentOut;     /* output length after its start tag */
    size_t tentRuns;    /* runs recorded before it */
    size_t tentAt;      /* offset of its start tag */
    size_t tentEnds[8]; /* elements around it whose end tags came in it */
    size_t ntentEnds;
} tameState;

static int tmPut(tameState *s, const void *b, size_t n)
{
    return calque__hbufAppend(s->mem, s->out, b, n);
}

/* Gumbo reopens remembered formatting elements before text and tags.
 * One opened inside a removed subtree was never written: gumbo knows it
 * only from the page as it is, so its start tag is written now, as
 * gumbo would reopen it (a hidden <em> or a link still matters). */
static int tmReopen(tameState *s)
{
    tameModel *const t = s->t;
    for (size_t k = 0; k < t->nreopen; k++) {
        if (t->depth >= CALQUE__TAME_MAX_DEPTH) break;
        tameElem e = t->reopen[k];
        if (e.skipped && !s->skipping) {
            FORWARD_IF_ERROR(tmPut(s, s->p + e.tagAt, e.tagEnd - e.tagAt));
            e.skipped = 0;
        }
        tmPush(t, e);
    }
    t->nreopen = 0;
    return 0;
}

/* Appends code point @cp (below U+110000) as UTF-8 to @b; @return bytes. */
static size_t tmUtf8(uint8_t *b, uint32_t cp)
{
    b[0] = (uint8_t)(0xF0 | (cp >> 18));
    b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Writes the piece p[from, to) of a text run: whitespace alone as one
 * whitespace character; short pieces without private-use characters as
 * they are (nothing while no text waits in a block of the walk); the
 * others as a placeholder for a new run (@raw: the run's character
 * references are not decoded). */
static int tmPiece(tameState *s, size_t from, size_t to, int raw)
{
    const uint8_t *const q = s->p + from;
    size_t const n = to - from;
    if (n == 0) return 0;
    size_t w = 0;
    while (w < n && tmSpace(q[w])) w++;
    if (w == n) {
        /* The walk writes no space at the start of a block. */
        return s->textOpen ? tmPut(s, q, 1) : 0;
    }
    s->textOpen = 1;
    calque__htmlRuns *const r = s->runs;
    size_t const idx = r->n;
    size_t const ph = idx < CALQUE__RUN_DIGITS ? 4 : 8;
    int const link = s->t->links > 0; /* in a link left out */
    if (n <= ph && !link && memchr(q, 0xF3, n) == NULL &&
        memchr(q, 0xF4, n) == NULL)
        return tmPut(s, q, n);
    if (idx == r->cap) FORWARD_IF_ERROR(CALQUE_GROW(s->mem, &r->runs,
                                                    &r->cap, idx + 1));
    r->runs[idx].at = (uint32_t)from;
    r->runs[idx].len = (uint32_t)n | (raw ? CALQUE__RUN_RAW : 0) |
                       (link ? CALQUE__RUN_LINK : 0);
    r->n++;
    s->st->runs++;
    uint8_t b[8];
    size_t k = 0;
    if (idx >= CALQUE__RUN_DIGITS)
        k = tmUtf8(b, 0x100000u + (uint32_t)(idx / CALQUE__RUN_DIGITS));
    k += tmUtf8(b + k, 0xF0000u + (uint32_t)(idx % CALQUE__RUN_DIGITS));
    return tmPut(s, b, k);
}

/* Writes the text p[from, to) for gumbo: named character references as
 * they are (gumbo decodes them), the pieces between them with tmPiece(). */
static int tmPieces(tameState *s, size_t from, size_t to)
{
    const uint8_t *const p = s->p;
    size_t piece = from, k = from;
    while (k < to) {
        const uint8_t *const amp = memchr(p + k, '&', to - k);
        if (amp == NULL) break;
        size_t const j = (size_t)(amp - p);
        k = j + 1;
        if (k >= to || !tmAlnum(p[k])) continue;
        while (k < to && tmAlnum(p[k])) k++;
        if (k < to && p[k] == ';') k++;
        FORWARD_IF_ERROR(tmPiece(s, piece, j, 0));
        FORWARD_IF_ERROR(tmPut(s, p + j, k - j));
        s->textOpen = 1;
        piece = k;
    }
    return tmPiece(s, piece, to, 0);
}

/* Writes the text p[from, to) of an element's contents. */
static int tmText(tameState *s, size_t from, size_t to)
{
    if (from >= to) return 0;
    if (s->t->nreopen) FORWARD_IF_ERROR(tmReopen(s));
    if (s->skipping) {
        s->st->skipped += to - from;
        return 0;
    }
    return tmPieces(s, from, to);
}

/* Writes the contents p[from, to) of a <title>, whose spaces all count. */
static int tmTitle(tameState *s, size_t from, size_t to)
{
    int const open = s->textOpen;
    s->textOpen = 1;
    int const err = tmPieces(s, from, to);
    s->textOpen = open;
    /* A letter or digit outside character references: the title is not
     * empty. */
    for (size_t k = from; k < to && !s->titled; k++) {
        if (s->p[k] == '&')
            while (k + 1 < to && (tmAlnum(s->p[k + 1]) || s->p[k + 1] == '#'))
                k++;
        else
            s->titled = tmAlnum(s->p[k]);
    }
    return err;
}

/* Writes a start tag: "<name", the attributes the walk reads when
 * @withAttrs (property and content always on <meta>), "/>" or ">". */
static int tmStartTag(tameState *s, size_t nameAt, size_t nameEnd,
                      const tameAttrs *a, uint32_t f, int withAttrs,
                      int selfClosing)
{
    FORWARD_IF_ERROR(tmPut(s, "<", 1));
    FORWARD_IF_ERROR(tmPut(s, s->p + nameAt, nameEnd - nameAt));
    for (int k = 0; k < A_N; k++) {
        if (!((a->seen >> k) & 1)) continue;
        int const meta = k == A_PROPERTY || k == A_CONTENT;
        if (meta ? !(f & TM_META) : !withAttrs) continue;
        FORWARD_IF_ERROR(tmPut(s, " ", 1));
        FORWARD_IF_ERROR(tmPut(s, s->p + a->at[k], a->end[k] - a->at[k]));
    }
    if (a->fontBreak) FORWARD_IF_ERROR(tmPut(s, " color", 6));
    return selfClosing ? tmPut(s, "/>", 2) : tmPut(s, ">", 1);
}

static int tmEndTag(tameState *s, size_t nameAt, size_t nameEnd)
{
    FORWARD_IF_ERROR(tmPut(s, "</", 2));
    FORWARD_IF_ERROR(tmPut(s, s->p + nameAt, nameEnd - nameAt));
    return tmPut(s, ">", 1);
}

/* Writes the end tag of model element @e (its name read again at its
 * start tag). */
static int tmEndTagOf(tameState *s, const tameElem *e)
{
    size_t const at = e->tagAt + 1;
    size_t end = at;
    while (end < s->len && !(tmClass[s->p[end]] & TC_NAME)) end++;
    return tmEndTag(s, at, end);
}

/* Does the walk skip an element for the attributes @a? 0 no, 1 yes, -1
 * it cannot be known here (a value holds a character reference). */
static int tmHides(const tameState *s, const tameAttrs *a, int root)
{
    if ((a->seen & ((1u << A_PROPERTY) - 1)) == 0) return 0;
    if (a->unsure) return -1;
    const char *const p = (const char *)s->p;
    calque__htmlAttrs h;
    memset(&h, 0, sizeof h);
#define TM_VAL(k, v, l)                                                       \
    if ((a->seen >> (k)) & 1) {                                               \
        h.v = p + a->vs[k];                                                   \
        h.l = a->ve[k] - a->vs[k];                                            \
    }
    TM_VAL(A_CLASS, cls, clsLen)
    TM_VAL(A_ID, id, idLen)
    TM_VAL(A_STYLE, style, styleLen)
    TM_VAL(A_ROLE, role, roleLen)
    TM_VAL(A_ARIA, aria, ariaLen)
#undef TM_VAL
    h.hidden = (a->seen >> A_HIDDEN) & 1;
    if (root || a->seen != 1u << A_CLASS)
        return calque__htmlAttrsHide(s->words, &h, root);
    /* A class alone: pages repeat the same few. */
    uint64_t const key = XXH3_64bits(h.cls, h.clsLen) | 1;
    tameJudged *const j = &s->judged[key % TM_CACHE];
    if (j->key != key) {
        j->key = key;
        j->hide = calque__htmlAttrsHide(s->words, &h, root);
    }
    return j->hide;
}

/* Is the <meta> with attributes @a an og:title (or may it be: its
 * property holds a character reference)? */
static int tmOgTitle(const tameState *s, const tameAttrs *a)
{
    if (!((a->seen >> A_PROPERTY) & 1)) return 0;
    size_t const n = a->ve[A_PROPERTY] - a->vs[A_PROPERTY];
    const uint8_t *const v = s->p + a->vs[A_PROPERTY];
    return (n == 8 && memcmp(v, "og:title", 8) == 0) ||
           memchr(v, '&', n) != NULL;
}

/* Ends the removed subtree and the pending header that the token just
 * read closed (the model depth went below theirs). @return 1 when the
 * token is the end tag of the element whose end tag was written. */
static int tmClosed(tameState *s, int endTag, uint32_t hash)
{
    tameModel *const t = s->t;
    if (s->tent && t->minDepth < s->tentDepth) {
        /* The header held no h1: it goes, but for its tags. */
        s->st->skipped += s->out->len - s->tentOut;
        s->st->runs -= s->runs->n - s->tentRuns;
        s->out->len = s->tentOut;
        s->runs->n = s->tentRuns;
        s->tent = 0;
        s->skipping = 0;
        /* Formatting elements opened in it are unwritten now. */
        for (size_t k = 0; k < t->nreopen; k++)
            if (t->reopen[k].tagAt > s->tentAt) t->reopen[k].skipped = 1;
        FORWARD_IF_ERROR(tmPut(s, "</header>", 9));
        /* End tags of elements around it that came inside it. */
        for (size_t k = 0; k < s->ntentEnds; k++)
            if (s->tentEnds[k] < t->depth)
                FORWARD_IF_ERROR(tmEndTagOf(s, &t->stack[s->tentEnds[k]]));
        s->ntentEnds = 0;
        return endTag && hash == t->header.hash &&
               t->minDepth == s->tentDepth - 1;
    }
    if (s->skipping && t->minDepth < s->skipDepth) {
        s->skipping = 0;
        return endTag && hash == s->skipHash &&
               t->minDepth == s->skipDepth - 1;
    }
    return 0;
}

/* Before a heading's start tag: a heading closes a heading that is the
 * current node, and an inline element left out of a heading would make
 * gumbo see the heading there. The element left out on top is written
 * now (its text so far is outside it, which changes nothing for the
 * walk). */
static int tmUnhideTop(tameState *s)
{
    tameModel *const t = s->t;
    if (s->skipping || t->depth == 0 || !t->stack[t->depth - 1].silent)
        return 0;
    size_t k = t->depth - 1;
    while (k > 0 && t->stack[k - 1].silent) k--;
    if (k == 0 || !(tmFlags(t->stack[k - 1].id) & TM_HEADING)) return 0;
    tameElem *const e = &t->stack[t->depth - 1];
    FORWARD_IF_ERROR(tmPut(s, s->p + e->tagAt, e->tagEnd - e->tagAt));
    t->links -= e->link;
    e->link = 0;
    e->silent = 0;
    return 0;
}

/* When the start tag just read, inside a removed subtree, ended an open
 * <a> written before it, writes the end tag gumbo needs. */
static int tmCloseWrittenLink(tameState *s)
{
    tameModel *const t = s->t;
    if (!t->closedLink || t->closed.silent || t->closed.skipped) return 0;
    t->closedLink = 0;
    return tmEndTagOf(s, &t->closed);
}

/* Can the link whose start tag ends at @i be left out, its text runs
 * marked instead? Not when a character reference ('&', which gumbo
 * decodes outside any run) or a comment comes before its end tag, nor
 * when that is not within 4 KiB. */
static int tmPlainLink(const uint8_t *p, size_t n, size_t i)
{
    size_t const end = n - i > 4096 ? i + 4096 : n;
    for (size_t k = i; k < end; k++) {
        if (p[k] == '&') return 0;
        if (p[k] != '<' || k + 2 >= end) continue;
        if (p[k + 1] == '!') return 0;
        if (p[k + 1] == '/' && tmLower(p[k + 2]) == 'a' &&
            (k + 3 >= n || tmClass[p[k + 3]] & TC_NAME))
            return 1;
    }
    return 0;
}

/* Handles a start tag whose name is p[nameAt, nameEnd) and which ends at
 * @tagEnd. @return where the next token starts (past the contents of raw
 * text elements), or a negative error. *stop is set at <plaintext>. */
static int64_t tmStartTagToken(tameState *s, tameElem e, const char *name,
                               size_t at, size_t nameAt, size_t nameEnd,
                               size_t tagEnd, const tameAttrs *a,
                               int selfClosing, int *stop)
{
    tameModel *const t = s->t;
    const uint8_t *const p = s->p;
    uint32_t f = tmFlags(e.id);
    if (a->fontBreak) f |= TM_BREAKOUT;
    if ((f & TM_IGNORED) && strcmp(name, "body") == 0) s->body = 1;
    size_t const foreignBefore = t->foreign;
    size_t const depthBefore = t->depth;
    size_t const reopened = t->nreopen;
    if (!(f & TM_IGNORED) && t->nreopen) FORWARD_IF_ERROR(tmReopen(s));
    if ((f & TM_HEADING) && !t->foreign) FORWARD_IF_ERROR(tmUnhideTop(s));
    t->minDepth = t->depth;
    t->flushed = 0;
    t->closedLink = 0;
    int const pushed = tmStart(t, e, f, selfClosing);
    int r = tmClosed(s, 0, e.hash);
    if (r < 0) return r;
    if (pushed == 1 && s->skipping) t->stack[t->depth - 1].skipped = 1;
    int const inForeign = t->foreign > (pushed == 1 && (f & TM_FOREIGN));
    if (s->tent && (f & TM_H1) && !inForeign) {
        /* The header stays; an h1 the walk will find in it stands for
         * one inside a removed subtree. */
        s->tent = 0;
        if (s->skipping)
            FORWARD_IF_ERROR(tmPut(s, "<h1 hidden></h1>", 16));
    }
    int writing = !s->skipping && pushed >= 0 &&
                  !((f & TM_SILENT) && !foreignBefore);
    if (s->tent && t->closedLink && t->closedAt < s->tentDepth - 1 &&
        s->ntentEnds < sizeof s->tentEnds / sizeof s->tentEnds[0])
        s->tentEnds[s->ntentEnds++] = t->closedAt; /* see tmClosed() */
    if (!writing) FORWARD_IF_ERROR(tmCloseWrittenLink(s));
    if (pushed < 0 && !s->skipping) s->st->dropped++;
    if (writing && !foreignBefore && !t->foreign && (f & TM_META) &&
        (s->titled || !tmOgTitle(s, a))) {
        /* The walk reads only og:title from <meta>, when the page has no
         * <title> before it. */
        writing = 0;
    }
    if (writing) {
        int const hide = inForeign ? 0 : tmHides(s, a, (f & TM_IGNORED) != 0);
        if (pushed == 1 && !inForeign &&
            (hide == 1 || ((f & TM_DROP) &&
                           (strcmp(name, "noscript") != 0 || s->body))))
            t->stack[t->depth - 1].dropped = 1; /* the walk skips it */
        if (hide == 0 && pushed == 1 && (f & TM_INLINE) && !inForeign &&
            s->body) {
            /* Nothing for the walk in it: gumbo never sees it. */
            t->stack[t->depth - 1].silent = 1;
            return (int64_t)tagEnd;
        }
        if (hide == 0 && pushed == 1 && e.id == t->a.id && !inForeign &&
            s->body && tmPlainLink(p, s->len, tagEnd) &&
            !(t->closedLink && !t->closed.silent && !t->closed.skipped)) {
            /* A link: its text runs say so instead (not one that ends a
             * written link: gumbo must see that). */
            t->stack[t->depth - 1].silent = 1;
            t->stack[t->depth - 1].link = 1;
            t->links++;
            return (int64_t)tagEnd;
        }
        int const canDrop = pushed == 1 && !inForeign && at < s->dropEnd &&
                            !(f & (TM_FMT | TM_RAW | TM_RCDATA | TM_PLAIN)) &&
                            !tmFoster(t, f, t->depth - 1);
        int const tagDrop = (f & TM_DROP) &&
                            (strcmp(name, "noscript") != 0 || s->body);
        /* Could an empty element be left out? Not when its start tag
         * closes or reopens elements, nor for the elements the walk or
         * this pass count (forms, h1, header). */
        int const quiet = pushed == 1 && !inForeign && !s->tent &&
                          t->minDepth == depthBefore && reopened == 0 &&
                          !t->closedLink &&
                          !(f & (TM_FORM | TM_H1 | TM_HEADER)) &&
                          !tmFoster(t, f, t->depth - 1);
        if (canDrop && (hide == 1 || tagDrop)) {
            /* The walk skips it: its tags are enough, with "hidden" when
             * the tag alone would not make the walk skip it; nothing when
             * its start tag closes nothing either. */
            if (!quiet) {
                FORWARD_IF_ERROR(tmPut(s, "<", 1));
                FORWARD_IF_ERROR(tmPut(s, p + nameAt, nameEnd - nameAt));
                if (!tagDrop) FORWARD_IF_ERROR(tmPut(s, " hidden", 7));
                FORWARD_IF_ERROR(tmPut(s, ">", 1));
                FORWARD_IF_ERROR(tmEndTag(s, nameAt, nameEnd));
                if (t->flushed) s->textOpen = 0;
            }
            s->skipping = 1;
            s->skipDepth = t->depth;
            s->skipHash = e.hash;
            s->skipAt = at;
        } else {
            size_t const before = s->out->len;
            FORWARD_IF_ERROR(tmStartTag(s, nameAt, nameEnd, a, f, hide != 0,
                                        selfClosing));
            /* Left out if it stays empty: an element the walk ends blocks
             * at only when no text is waiting in a block (which it would
             * end), an unknown one never (it may be such an element). */
            if (quiet && e.id != 0 && hide != -1 &&
                !(f & (TM_RAW | TM_RCDATA | TM_PLAIN)) &&
                (!(f & TM_WBLOCK) || !s->textOpen)) {
                t->outAt[t->depth - 1] = (uint32_t)before;
                t->outEnd[t->depth - 1] = (uint32_t)s->out->len;
            }
            if (((f & TM_WBLOCK) &&
                 (pushed != 1 || !t->stack[t->depth - 1].dropped)) ||
                t->flushed)
                s->textOpen = 0;
            if (canDrop && (f & TM_HEADER) && !s->tent &&
                t->onStack[tmLookup("article")] == 0 &&
                t->onStack[tmLookup("main")] == 0) {
                s->tent = 1;
                s->ntentEnds = 0;
                s->tentDepth = t->depth;
                s->tentOut = s->out->len;
                s->tentRuns = s->runs->n;
                s->tentAt = at;
            }
        }
    }
    if (t->foreign) return (int64_t)tagEnd;
    if (f & TM_PLAIN) {
        *stop = 1;
        if (s->skipping) {
            s->st->skipped += s->len - tagEnd;
            return (int64_t)s->len;
        }
        FORWARD_IF_ERROR(tmPiece(s, tagEnd, s->len, 1));
        return (int64_t)s->len;
    }
    if (!(f & (TM_RAW | TM_RCDATA))) return (int64_t)tagEnd;
    size_t const rawEnd = tmRawEnd(p, s->len, tagEnd, name);
    if (f & TM_RAW) s->st->rawCut += rawEnd - tagEnd;
    else if (writing) FORWARD_IF_ERROR(tmTitle(s, tagEnd, rawEnd));
    if (rawEnd >= s->len) return (int64_t)s->len;
    /* Its end tag pops it from the model. */
    t->minDepth = t->depth;
    size_t kept;
    tmEnd(t, e, &kept);
    if (writing) FORWARD_IF_ERROR(tmEndTag(s, nameAt, nameEnd));
    return (int64_t)tmPastGt(p, s->len, rawEnd + 2 + strlen(name));
}

/* Tames p[0, len) into s->out. */
static int tmRun(tameState *s)
{
    const uint8_t *const p = s->p;
    size_t const len = s->len;
    size_t text = 0; /* start of the text not yet written */
    size_t i = 0;    /* where to look for the next '<' */
    while (i < len) {
        const uint8_t *const lt = memchr(p + i, '<', len - i);
        size_t const at = lt ? (size_t)(lt - p) : len;
        if (at + 1 >= len) break; /* no markup: the rest is text */
        uint8_t const next = p[at + 1];
        if (next == '!' || next == '?') {
            FORWARD_IF_ERROR(tmText(s, text, at));
            size_t end;
            if (next == '!' && at + 3 < len && p[at + 2] == '-' &&
                p[at + 3] == '-') {
                end = tmCommentEnd(p, len, at);
                s->st->rawCut += end - at;
            } else if (next == '!' && s->t->foreign && at + 9 <= len &&
                       memcmp(p + at, "<![CDATA[", 9) == 0) {
                /* CDATA in svg or math: text, kept as it is. */
                const uint8_t *const e = memmem(p + at, len - at, "]]>", 3);
                end = e ? (size_t)(e - p) + 3 : len;
                if (!s->skipping) FORWARD_IF_ERROR(tmPut(s, p + at, end - at));
            } else {
                /* A doctype (kept: it sets quirks mode) or a bogus
                 * comment (dropped). */
                end = tmPastGt(p, len, at);
                int doctype = next == '!' && at + 9 <= len;
                for (size_t k = 0; doctype && k < 7; k++)
                    doctype = tmLower(p[at + 2 + k]) == "doctype"[k];
                if (doctype && !s->skipping)
                    FORWARD_IF_ERROR(tmPut(s, p + at, end - at));
            }
            text = i = end;
            continue;
        }
        int const endTag = next == '/';
        size_t const nameAt = at + 1 + (size_t)endTag;
        if (nameAt >= len || !tmAlpha(p[nameAt])) {
            if (endTag && nameAt < len) {
                /* "</>" is dropped, "</3" starts a bogus comment. */
                FORWARD_IF_ERROR(tmText(s, text, at));
                text = i = tmPastGt(p, len, at);
            } else {
                i = at + 1; /* a '<' in text */
            }
            continue;
        }
        FORWARD_IF_ERROR(tmText(s, text, at));
        char name[16];
        tameElem e = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        size_t const nameEnd = tmName(p, len, nameAt, name, &e.hash);
        e.id = name[0] ? tmLookupHash(name, e.hash) : 0;
        tameAttrs a;
        a.seen = 0;
        a.unsure = a.fontBreak = 0;
        int selfClosing = 0;
        size_t const tagEnd =
            tmScanAttrs(p, len, nameEnd, endTag ? NULL : &a, &selfClosing);
        if (tagEnd >= len) { /* a tag cut by the end: gumbo drops it */
            text = len;
            break;
        }
        if (a.fontBreak && strcmp(name, "font") != 0) a.fontBreak = 0;
        e.tagAt = (uint32_t)at;
        e.tagEnd = (uint32_t)tagEnd;
        if (endTag) {
            tameModel *const t = s->t;
            size_t const top = t->depth;
            t->minDepth = t->depth;
            t->flushed = 0;
            size_t kept;
            int const silent = tmEnd(t, e, &kept);
            int const own = tmClosed(s, 1, e.hash);
            if (own < 0) return own;
            if (s->skipping && !silent && kept < s->skipDepth - 1 &&
                !t->stack[kept].skipped) {
                /* It ends an element around the removed subtree: gumbo
                 * must close it too. */
                FORWARD_IF_ERROR(tmEndTag(s, nameAt, nameEnd));
                if (s->tent && kept < s->tentDepth - 1 &&
                    s->ntentEnds < sizeof s->tentEnds / sizeof s->tentEnds[0])
                    s->tentEnds[s->ntentEnds++] = kept;
            } else if (!s->skipping && !own && silent) {
                /* The left-out element closes the written ones inside it:
                 * their end tags tell gumbo (not those of formatting
                 * elements, which stay to be reopened as in gumbo). */
                for (size_t k = top; k-- > t->depth + 1;)
                    if (!t->stack[k].silent && !t->stack[k].skipped &&
                        !(tmFlags(t->stack[k].id) & TM_FMT))
                        FORWARD_IF_ERROR(tmEndTagOf(s, &t->stack[k]));
            } else if (!s->skipping && !own && !silent) {
                if (s->tent && kept < s->tentDepth - 1 &&
                    s->ntentEnds < sizeof s->tentEnds / sizeof s->tentEnds[0])
                    s->tentEnds[s->ntentEnds++] = kept; /* see tmClosed() */
                if (top && t->minDepth == top - 1 && t->depth == top - 1 &&
                    t->stack[top - 1].hash == e.hash &&
                    t->outEnd[top - 1] == s->out->len) {
                    s->out->len = t->outAt[top - 1]; /* it stayed empty */
                } else {
                    FORWARD_IF_ERROR(tmEndTag(s, nameAt, nameEnd));
                    if (t->flushed) s->textOpen = 0;
                }
            }
            text = i = tagEnd;
            continue;
        }
        int stop = 0;
        int64_t const next2 = tmStartTagToken(s, e, name, at, nameAt, nameEnd,
                                              tagEnd, &a, selfClosing, &stop);
        if (next2 < 0) return (int)next2;
        text = i = (size_t)next2;
        if (stop) break;
    }
    return tmText(s, text, len);
}

int calque__htmlTame(const calque__mem *m, calque__tamer **tamer,
                     const calque__htmlWords *words, const uint8_t *p,
                     size_t len, int drop, calque__hbuf *out,
                     calque__htmlRuns *runs, calque__tameStats *stats)
{
    assert(len < ((size_t)1 << 30));
    pthread_once(&tmOnce, tmBuildSlots);
    if (*tamer == NULL) *tamer = calque__calloc(m, 1, sizeof **tamer);
    RETURN_ERROR_IF(*tamer == NULL, CALQUE_ENOMEM);
    tameModel *const t = &(*tamer)->model;
    memset(stats, 0, sizeof *stats);
    size_t dropEnd = drop ? len + 1 : 0;
    int err = calque__hbufReserve(m, out, len / 2 + 64);
    for (int pass = 0; err == 0; pass++) {
        memset(t, 0, offsetof(tameModel, stack));
        t->p = tmKnown("p");
        t->a = tmKnown("a");
        t->select = tmKnown("select");
        t->header = tmKnown("header");
        out->len = 0;
        runs->n = 0;
        calque__tameStats const keep = *stats;
        memset(stats, 0, sizeof *stats);
        stats->again = keep.again;
        tameState s;
        memset(&s, 0, sizeof s);
        s.mem = m;
        s.words = words;
        s.p = p;
        s.len = len;
        s.dropEnd = dropEnd;
        s.out = out;
        s.runs = runs;
        s.st = stats;
        s.t = t;
        s.judged = (*tamer)->judged;
        err = tmRun(&s);
        if (err || !s.skipping || pass > 0) break;
        /* A removed subtree reached the end: the model may have missed
         * its end. Tame again, removing nothing from there on. */
        dropEnd = s.skipAt;
        stats->again = 1;
    }
    return err;
}

void calque__htmlTamerFree(const calque__mem *m, calque__tamer *tamer)
{
    calque__free(m, tamer);
}
