/*
 * tame.c - a pre-pass over the UTF-8 page that removes what gumbo does not
 * need or would spend quadratic time on.
 *
 * gumbo follows the HTML standard's tree construction, which walks the
 * stack of open elements (and the list of active formatting elements) on
 * most tags; both can grow with the input, so 100,000 nested <div>s take
 * 18 s, <b><i><u> repeated 100,000 times 26 s, and a tag with 20,000
 * attributes a second (duplicate attributes are found by linear search).
 * Browsers cap the tree depth (Chrome at 512); gumbo does not. So this
 * pass tokenizes the page the way the HTML tokenizer does (tags, quoted
 * attribute values, comments, raw text elements, script escapes), keeps
 * an approximate model of the stack of open elements (implied end tags of
 * p, li, dd, dt, cells and options; end tags that close through inline
 * elements; formatting elements reopened after misnesting; foreign
 * content) and copies the page to a new buffer, leaving out:
 *
 *   - start tags that would make the model stack deeper than
 *     CALQUE__TAME_MAX_DEPTH (their content stays, in the parent);
 *   - attributes the extractor does not read (all but class, id, style,
 *     hidden, aria-hidden, role, property, content), and those after the
 *     first CALQUE__TAME_MAX_ATTRS of a tag;
 *   - the contents of <script>, <style>, <iframe>, <xmp>, <noembed>,
 *     <noframes> (the extractor drops these elements; their text is a
 *     third of a typical page) and comments.
 *
 * On ordinary pages only the last two items change anything. The model only
 * has to be right within a constant factor: it bounds the depth gumbo
 * sees, it does not build the tree.
 */
#include <assert.h>

#include "html/html.h"

/* Properties of the tags the model knows. */
enum {
    TM_VOID = 1 << 0,      /* never has content */
    TM_FMT = 1 << 1,       /* formatting element (reopened by gumbo) */
    TM_SPECIAL = 1 << 2,   /* "special" category of the standard */
    TM_SCOPE = 1 << 3,     /* limits "has an element in scope" */
    TM_PCLOSE = 1 << 4,    /* its start tag closes an open <p> */
    TM_RAW = 1 << 5,       /* raw text, contents removed */
    TM_RCDATA = 1 << 6,    /* raw text, contents kept */
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
    TM_LISTOK = 1 << 20    /* address, div, p: a new li closes the li
                              around them */
};

#define SP TM_SPECIAL
#define PC (TM_SPECIAL | TM_PCLOSE)
#define PCB (TM_SPECIAL | TM_PCLOSE | TM_BREAKOUT)
#define VS (TM_VOID | TM_SPECIAL)

/* Sorted by name for bsearch. Index 0 is reserved for unknown names. */
static const struct {
    const char *name;
    uint32_t flags;
} tameTags[] = {
    {"", 0},
    {"a", TM_FMT | TM_NONEST},
    {"address", PC | TM_LISTOK},
    {"applet", SP | TM_SCOPE},
    {"area", VS},
    {"article", PC},
    {"aside", PC},
    {"b", TM_FMT | TM_BREAKOUT},
    {"base", VS},
    {"basefont", VS},
    {"bgsound", VS},
    {"big", TM_FMT | TM_BREAKOUT},
    {"blockquote", PCB},
    {"body", TM_IGNORED | SP | TM_BREAKOUT},
    {"br", VS | TM_BREAKOUT},
    {"button", SP | TM_NONEST},
    {"caption", SP | TM_SCOPE},
    {"center", PCB},
    {"code", TM_FMT | TM_BREAKOUT},
    {"col", VS},
    {"colgroup", SP},
    {"dd", PCB | TM_DEF},
    {"details", PC},
    {"dialog", PC},
    {"dir", PC},
    {"div", PCB | TM_LISTOK},
    {"dl", PCB},
    {"dt", PCB | TM_DEF},
    {"em", TM_FMT | TM_BREAKOUT},
    {"embed", VS | TM_BREAKOUT},
    {"fieldset", PC},
    {"figcaption", PC},
    {"figure", PC},
    {"font", TM_FMT},
    {"footer", PC},
    {"form", PC | TM_FORM},
    {"frame", VS},
    {"frameset", TM_IGNORED | SP},
    {"h1", PCB | TM_HEADING},
    {"h2", PCB | TM_HEADING},
    {"h3", PCB | TM_HEADING},
    {"h4", PCB | TM_HEADING},
    {"h5", PCB | TM_HEADING},
    {"h6", PCB | TM_HEADING},
    {"head", TM_IGNORED | SP | TM_BREAKOUT},
    {"header", PC},
    {"hgroup", PC},
    {"hr", VS | TM_PCLOSE | TM_BREAKOUT},
    {"html", TM_IGNORED | SP | TM_SCOPE},
    {"i", TM_FMT | TM_BREAKOUT},
    {"iframe", SP | TM_RAW},
    {"image", VS | TM_BREAKOUT},
    {"img", VS | TM_BREAKOUT},
    {"input", VS},
    {"keygen", VS},
    {"li", PCB | TM_ITEM},
    {"link", VS},
    {"listing", PCB},
    {"main", PC},
    {"marquee", SP | TM_SCOPE},
    {"math", TM_FOREIGN},
    {"menu", PCB},
    {"meta", VS | TM_BREAKOUT},
    {"nav", PC},
    {"nobr", TM_FMT | TM_BREAKOUT | TM_NONEST},
    {"noembed", SP | TM_RAW},
    {"noframes", SP | TM_RAW},
    {"noscript", SP},
    {"object", SP | TM_SCOPE},
    {"ol", PCB},
    {"optgroup", TM_NONEST},
    {"option", TM_NONEST},
    {"p", PCB | TM_LISTOK},
    {"param", VS},
    {"plaintext", PC | TM_PLAIN},
    {"pre", PCB},
    {"ruby", TM_BREAKOUT},
    {"s", TM_FMT | TM_BREAKOUT},
    {"script", SP | TM_RAW},
    {"section", PC},
    {"select", SP | TM_NONEST},
    {"small", TM_FMT | TM_BREAKOUT},
    {"source", VS},
    {"span", TM_BREAKOUT},
    {"strike", TM_FMT | TM_BREAKOUT},
    {"strong", TM_FMT | TM_BREAKOUT},
    {"style", SP | TM_RAW},
    {"sub", TM_BREAKOUT},
    {"summary", PC},
    {"sup", TM_BREAKOUT},
    {"svg", TM_FOREIGN},
    {"table", PCB | TM_SCOPE | TM_TABLE},
    {"tbody", SP | TM_TPART},
    {"td", SP | TM_SCOPE | TM_CELL},
    {"template", SP | TM_SCOPE},
    {"textarea", SP | TM_RCDATA},
    {"tfoot", SP | TM_TPART},
    {"th", SP | TM_SCOPE | TM_CELL},
    {"thead", SP | TM_TPART},
    {"title", SP | TM_RCDATA},
    {"tr", SP | TM_ROW},
    {"track", VS},
    {"tt", TM_FMT | TM_BREAKOUT},
    {"u", TM_FMT | TM_BREAKOUT},
    {"ul", PCB},
    {"var", TM_BREAKOUT},
    {"wbr", VS},
    {"xmp", PCB | TM_RAW},
};

#define TM_NTAGS (sizeof tameTags / sizeof tameTags[0])
#define TM_REOPEN 12 /* formatting elements remembered for reopening */

typedef struct {
    uint32_t hash; /* FNV-1a of the lower-case name */
    uint8_t id;    /* index in tameTags, 0 when unknown */
} tameElem;

typedef struct {
    tameElem stack[CALQUE__TAME_MAX_DEPTH]; /* the model of open elements */
    size_t depth;
    size_t onStack[TM_NTAGS]; /* how many of each known tag are open */
    size_t foreign;           /* open svg and math elements */
    tameElem reopen[TM_REOPEN]; /* formatting elements gumbo will reopen */
    size_t nreopen;
    uint32_t hashP;             /* hash of "p" */
    uint8_t idP;                /* tameTags index of "p" */
} tameModel;

static int tmLower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int tmAlpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int tmSpace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static uint32_t tmFlags(uint8_t id)
{
    return tameTags[id].flags;
}

/* Looks up a lower-case tag name; 0 when unknown. */
static uint8_t tmLookup(const char *name)
{
    size_t lo = 1, hi = TM_NTAGS;
    while (lo < hi) {
        size_t const mid = lo + (hi - lo) / 2;
        int const c = strcmp(name, tameTags[mid].name);
        if (c == 0) return (uint8_t)mid;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return 0;
}

/* ---- The model ------------------------------------------------------- */
static void tmPush(tameModel *t, tameElem e)
{
    assert(t->depth < CALQUE__TAME_MAX_DEPTH);
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
        if (f & TM_FOREIGN) t->foreign--;
        if (f & (TM_CELL | TM_SCOPE)) t->nreopen = 0; /* a marker */
        else if ((f & TM_FMT) && !(target && k == n - 1)) tmRemember(t, e);
    }
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

/* Gumbo reopens remembered formatting elements before text and tags. */
static void tmReconstruct(tameModel *t)
{
    for (size_t k = 0; k < t->nreopen; k++)
        if (t->depth < CALQUE__TAME_MAX_DEPTH) tmPush(t, t->reopen[k]);
    t->nreopen = 0;
}

static uint32_t tmHashId(uint8_t id)
{
    uint32_t h = 2166136261u;
    for (const char *s = tameTags[id].name; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

/* The implied end tags a start tag causes. */
static void tmCloseFor(tameModel *t, tameElem e, uint32_t f)
{
    size_t d;
    if (t->foreign && (f & TM_BREAKOUT)) {
        /* An HTML element inside svg or math closes them. */
        while (t->foreign && (d = tmFindFlag(t, TM_FOREIGN, 0)) != 0)
            tmPop(t, d, 0);
    }
    if (t->foreign) return;
    if ((f & TM_PCLOSE) && t->onStack[t->idP] &&
        (d = tmFind(t, t->hashP, TM_SCOPE | TM_FOREIGN)) != 0)
        tmPop(t, d, 1);
    if ((f & (TM_ITEM | TM_DEF)) &&
        (d = tmFindItem(t, f & (TM_ITEM | TM_DEF))) != 0)
        tmPop(t, d, 1);
    if ((f & TM_HEADING) && t->depth &&
        (tmFlags(t->stack[t->depth - 1].id) & TM_HEADING))
        tmPop(t, 1, 1);
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
        (d = tmFind(t, e.hash, TM_SCOPE)) != 0)
        tmPop(t, d, 1);
}

/* Applies a start tag. @return 1 when it must be removed from the page
 * because the model stack is full. */
static int tmStart(tameModel *t, tameElem e, int selfClosing)
{
    uint32_t const f = tmFlags(e.id);
    if (f & TM_IGNORED) return 0;
    if (t->nreopen) tmReconstruct(t);
    tmCloseFor(t, e, f);
    if (f & TM_VOID) return 0;
    if (selfClosing && (t->foreign || (f & TM_FOREIGN))) return 0;
    if ((f & TM_FORM) && t->onStack[e.id]) return 0; /* ignored by gumbo */
    if (t->depth >= CALQUE__TAME_MAX_DEPTH) {
        /* Raw text elements hold no tags: keeping them costs nothing. */
        return (f & (TM_RAW | TM_RCDATA | TM_PLAIN)) == 0 || t->foreign;
    }
    tmPush(t, e);
    return 0;
}

/* Applies an end tag. */
static void tmEnd(tameModel *t, tameElem e)
{
    uint32_t const f = tmFlags(e.id);
    if (f & (TM_IGNORED | TM_VOID)) return;
    if (e.id && t->onStack[e.id] == 0) {
        if (f & TM_FMT) tmForget(t, e.hash);
        return;
    }
    if (t->foreign) {
        size_t const d = tmFind(t, e.hash, 0);
        if (d) tmPop(t, d, 1);
        return;
    }
    if (f & TM_FMT) {
        /* The adoption agency keeps the stack as deep when a special
         * element was opened inside the formatting element. */
        size_t const d = tmFind(t, e.hash, TM_SCOPE);
        tmForget(t, e.hash);
        if (d == 0) return;
        for (size_t k = t->depth - d + 1; k < t->depth; k++)
            if (tmFlags(t->stack[k].id) & TM_SPECIAL) return;
        tmPop(t, d, 1);
        return;
    }
    size_t const d =
        tmFind(t, e.hash, (f & TM_SPECIAL) ? TM_SCOPE : TM_SPECIAL);
    if (d) tmPop(t, d, 1);
}

/* ---- The tokenizer ---------------------------------------------------- */
typedef struct {
    const calque__mem *mem;
    const uint8_t *p;
    size_t len;
    size_t copied; /* input bytes up to here are in @out or skipped */
    calque__hbuf *out;
    calque__tameStats *st;
} tameCopy;

/* Copies the input up to @at and skips it up to @resume. */
static int tmCut(tameCopy *c, size_t at, size_t resume)
{
    assert(c->copied <= at && at <= resume);
    FORWARD_IF_ERROR(
        calque__hbufAppend(c->mem, c->out, c->p + c->copied, at - c->copied));
    c->copied = resume;
    return 0;
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
        if (p[j] != '-' || p[j + 1] != '-') continue;
        if (p[j + 2] == '>') return j + 3;
        if (j + 3 < n && p[j + 2] == '!' && p[j + 3] == '>') return j + 4;
    }
    return n;
}

/* Is an attribute one the extractor reads? The others (href, src,
 * srcset, data-*, on*...) are cut: gumbo tokenizes every byte of them. */
static int tmKeepAttr(const uint8_t *name, size_t n)
{
    static const char *const keep[] = {"class", "id", "style", "hidden",
                                       "aria-hidden", "role", "property",
                                       "content", NULL};
    for (const char *const *k = keep; *k; k++) {
        size_t const len = strlen(*k);
        if (len != n) continue;
        size_t j = 0;
        while (j < n && tmLower(name[j]) == (*k)[j]) j++;
        if (j == n) return 1;
    }
    return 0;
}

/* Reads the attributes of a tag from @i (just after its name) to its '>'.
 * Attributes the extractor does not read, and those past the limit, are
 * cut. *end receives the offset past the
 * tag (or @n when the input ends inside it), *selfClosing whether it ends
 * with "/>". */
static int tmAttrs(tameCopy *c, size_t i, size_t *end, int *selfClosing)
{
    const uint8_t *const p = c->p;
    size_t const n = c->len;
    size_t count = 0;
    *selfClosing = 0;
    while (i < n) {
        while (i < n && tmSpace(p[i])) i++;
        if (i >= n) break;
        if (p[i] == '>') {
            *end = i + 1;
            return 0;
        }
        if (p[i] == '/') {
            if (i + 1 < n && p[i + 1] == '>') *selfClosing = 1;
            i++;
            continue;
        }
        size_t const start = i++; /* the first character may be '=' */
        while (i < n && !tmSpace(p[i]) && p[i] != '/' && p[i] != '>' &&
               p[i] != '=')
            i++;
        size_t const nameEnd = i;
        size_t j = i;
        while (j < n && tmSpace(p[j])) j++;
        if (j < n && p[j] == '=') {
            j++;
            while (j < n && tmSpace(p[j])) j++;
            if (j < n && (p[j] == '"' || p[j] == '\'')) {
                uint8_t const q = p[j++];
                const uint8_t *const close = memchr(p + j, q, n - j);
                j = close ? (size_t)(close - p) + 1 : n;
            } else {
                while (j < n && !tmSpace(p[j]) && p[j] != '>') j++;
            }
            i = j;
        }
        if (!tmKeepAttr(p + start, nameEnd - start)) {
            FORWARD_IF_ERROR(tmCut(c, start, i));
        } else if (++count > CALQUE__TAME_MAX_ATTRS) {
            FORWARD_IF_ERROR(tmCut(c, start, i));
            c->st->attrsCut++;
        }
    }
    *end = n;
    return 0;
}

/* Reads a tag name at @i into @name (lower case, truncated) and its hash.
 * @return the offset after the name. */
static size_t tmName(const uint8_t *p, size_t n, size_t i, char name[16],
                     uint32_t *hash)
{
    uint32_t h = 2166136261u;
    size_t k = 0;
    while (i < n && !tmSpace(p[i]) && p[i] != '/' && p[i] != '>') {
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

int calque__htmlTame(const calque__mem *m, const uint8_t *p, size_t len,
                     calque__hbuf *out, calque__tameStats *stats)
{
    tameModel *const t = calque__malloc(m, sizeof *t);
    RETURN_ERROR_IF(t == NULL, CALQUE_ENOMEM);
    memset(t, 0, sizeof *t);
    t->idP = tmLookup("p");
    t->hashP = tmHashId(t->idP);
    memset(stats, 0, sizeof *stats);
    out->len = 0;
    tameCopy c = {m, p, len, 0, out, stats};
    int err = calque__hbufReserve(m, out, len);
    size_t i = 0;
    while (err == 0 && i < len) {
        const uint8_t *const lt = memchr(p + i, '<', len - i);
        size_t const at = lt ? (size_t)(lt - p) : len;
        if (at > i && t->nreopen) tmReconstruct(t);
        if (at + 1 >= len) break;
        uint8_t const next = p[at + 1];
        if (next == '!') {
            if (at + 3 < len && p[at + 2] == '-' && p[at + 3] == '-') {
                size_t const e = tmCommentEnd(p, len, at);
                stats->rawCut += e - at;
                err = tmCut(&c, at, e);
                i = e;
                continue;
            }
            /* Doctype, CDATA or a bogus comment: up to '>'. */
            int const cdata = t->foreign && at + 9 <= len &&
                              memcmp(p + at, "<![CDATA[", 9) == 0;
            const uint8_t *const e =
                cdata ? memmem(p + at, len - at, "]]>", 3)
                      : memchr(p + at, '>', len - at);
            i = e ? (size_t)(e - p) + 1 : len;
            continue;
        }
        if (next == '?') {
            const uint8_t *const e = memchr(p + at, '>', len - at);
            i = e ? (size_t)(e - p) + 1 : len;
            continue;
        }
        int const endTag = next == '/';
        size_t const nameAt = at + 1 + (size_t)endTag;
        if (nameAt >= len || !tmAlpha(p[nameAt])) {
            if (endTag) { /* "</>" is dropped, "</3" a bogus comment */
                const uint8_t *const e = memchr(p + at, '>', len - at);
                i = e ? (size_t)(e - p) + 1 : len;
            } else {
                i = at + 1; /* a '<' in text */
            }
            continue;
        }
        char name[16];
        tameElem e;
        size_t const afterName = tmName(p, len, nameAt, name, &e.hash);
        e.id = name[0] ? tmLookup(name) : 0;
        /* Attribute cuts may copy the start of the tag before we know
         * whether the whole tag goes: remember where it began. */
        size_t const outAtTag = out->len, copiedAtTag = c.copied;
        size_t tagEnd = len;
        int selfClosing = 0;
        err = tmAttrs(&c, afterName, &tagEnd, &selfClosing);
        if (err || tagEnd >= len) break; /* a tag cut by the end: text */
        i = tagEnd;
        if (endTag) {
            tmEnd(t, e);
            continue;
        }
        if (tmStart(t, e, selfClosing)) {
            stats->dropped++;
            out->len = outAtTag;
            c.copied = copiedAtTag;
            err = tmCut(&c, at, tagEnd);
            continue;
        }
        uint32_t const f = tmFlags(e.id);
        if (t->foreign) continue;
        if (f & TM_PLAIN) break;
        if (f & (TM_RAW | TM_RCDATA)) {
            size_t const rawEnd = tmRawEnd(p, len, tagEnd, name);
            if (f & TM_RAW) {
                stats->rawCut += rawEnd - tagEnd;
                err = tmCut(&c, tagEnd, rawEnd);
            }
            i = rawEnd;
            if (rawEnd < len) {
                /* Its end tag pops it from the model. */
                size_t const k = strlen(name);
                const uint8_t *const gt =
                    memchr(p + rawEnd + 2 + k, '>', len - rawEnd - 2 - k);
                i = gt ? (size_t)(gt - p) + 1 : len;
                tmEnd(t, e);
            }
        }
    }
    if (err == 0) err = tmCut(&c, len, len);
    calque__free(m, t);
    return err;
}
