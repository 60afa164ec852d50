/*
 * extract.c - calque_extractHtml(): the main text and title of a web page.
 *
 * The stages are described in html.h: charset detection and conversion
 * to UTF-8 (charset.c), the pre-pass that bounds gumbo's work (tame.c),
 * parsing with gumbo, the walk into blocks (blocks.c) and jusText's
 * classification (classify.c). The kept blocks are joined with "\n\n".
 *
 * gumbo allocates through hooks and never checks for failure, so it gets
 * a bump arena owned by the extractor: small allocations come from chunks
 * that are kept from page to page, large ones (64 KiB and more) from the
 * user's allocator and are really freed; gumbo's frees of small blocks
 * only give back the most recent one. The tree is never destroyed node by
 * node (gumbo's destructor recurses over the depth of the tree): the
 * arena is reset instead. When the allocator fails, or the page would use
 * more than maxMemory, the hook longjmp()s back to calque_extractHtml(),
 * which is safe because everything gumbo allocated lives in the arena and
 * gumbo keeps no other state.
 */
#include <gumbo.h>
#include <setjmp.h>

#include "html/html.h"

#define HTML_MAX_INPUT ((size_t)1 << 30) /* gumbo counts offsets in 32 bits */
#define HTML_BIG ((size_t)64 << 10)       /* arena: direct allocations */
#define HTML_CHUNK_MIN ((size_t)64 << 10)
#define HTML_CHUNK_MAX ((size_t)4 << 20)

typedef struct htmlChunk_s {
    struct htmlChunk_s *next; /* older chunk */
    size_t size;              /* usable bytes after this header */
} htmlChunk;

/* Header of a direct allocation; the user pointer follows it and its last
 * field, like every small allocation's size word, precedes that pointer. */
typedef struct htmlBig_s {
    struct htmlBig_s *prev, *next;
    size_t size;
    size_t tag; /* size | 1: marks a direct allocation */
} htmlBig;

struct calque_htmlExtractor_s {
    calque__mem mem;
    calque_htmlParams params;
    calque__classifyParams cls;
    calque__stopSet stops;
    calque__iconvCache iconv;
    calque__hbuf conv;  /* the page in UTF-8, when it had to be converted */
    calque__hbuf tamed; /* the page as given to gumbo */
    calque__tamer *tamer; /* the pre-pass's state */
    calque__htmlRuns runs;  /* the text runs the placeholders stand for */
    calque__htmlWords words; /* index of the class-name words */
    int tame;           /* see calque__htmlSetTame() */
    calque__hbuf out;   /* the text returned */
    calque__blockSet bs;
    /* gumbo's arena */
    htmlChunk *chunks;  /* newest first */
    char *cur, *end;    /* free space in the newest chunk */
    htmlBig *bigs;      /* live direct allocations */
    size_t used;        /* bytes held for gumbo: chunks and direct ones */
    size_t limit;       /* most bytes gumbo may hold for this page */
    jmp_buf jmp;        /* where the hooks go back to on failure */
    int jmpErr;
    /* about the last page */
    calque_htmlInfo info;
    char charset[CALQUE__CS_NAME_MAX];
};

/* ---- gumbo's arena ------------------------------------------------------ */
static void htmlFail(calque_htmlExtractor *ex, int err)
{
    ex->jmpErr = err;
    longjmp(ex->jmp, 1);
}

static void *htmlArenaAlloc(void *opaque, size_t size)
{
    calque_htmlExtractor *const ex = opaque;
    if (size > SIZE_MAX / 2) htmlFail(ex, CALQUE_ENOMEM);
    size_t const need = (size + 7) & ~(size_t)7;
    if (need >= HTML_BIG) {
        if (need > ex->limit - ex->used) htmlFail(ex, CALQUE_ETOOBIG);
        htmlBig *const b = calque__malloc(&ex->mem, sizeof *b + need);
        if (b == NULL) htmlFail(ex, CALQUE_ENOMEM);
        b->prev = NULL;
        b->next = ex->bigs;
        if (ex->bigs) ex->bigs->prev = b;
        ex->bigs = b;
        b->size = need;
        b->tag = need | 1;
        ex->used += need;
        return b + 1;
    }
    if ((size_t)(ex->end - ex->cur) < need + sizeof(size_t)) {
        size_t size2 = ex->chunks ? ex->chunks->size * 2 : HTML_CHUNK_MIN;
        if (size2 > HTML_CHUNK_MAX) size2 = HTML_CHUNK_MAX;
        if (size2 > ex->limit - ex->used) htmlFail(ex, CALQUE_ETOOBIG);
        htmlChunk *const c = calque__malloc(&ex->mem, sizeof *c + size2);
        if (c == NULL) htmlFail(ex, CALQUE_ENOMEM);
        c->next = ex->chunks;
        c->size = size2;
        ex->chunks = c;
        ex->cur = (char *)(c + 1);
        ex->end = ex->cur + size2;
        ex->used += size2;
    }
    size_t *const h = (size_t *)(void *)ex->cur;
    *h = need;
    ex->cur += sizeof *h + need;
    return h + 1;
}

static void htmlArenaFree(void *opaque, void *p)
{
    calque_htmlExtractor *const ex = opaque;
    if (p == NULL) return;
    size_t const tag = ((const size_t *)p)[-1];
    if (tag & 1) {
        htmlBig *const b = (htmlBig *)p - 1;
        if (b->prev) b->prev->next = b->next;
        else ex->bigs = b->next;
        if (b->next) b->next->prev = b->prev;
        ex->used -= b->size;
        calque__free(&ex->mem, b);
    } else if ((char *)p + tag == ex->cur) {
        ex->cur = (char *)p - sizeof(size_t); /* the latest: give it back */
    }
}

/* Forgets everything gumbo allocated. Keeps the newest (largest) chunk
 * for the next page when it is not too big. */
static void htmlArenaReset(calque_htmlExtractor *ex, int keep)
{
    while (ex->bigs) {
        htmlBig *const b = ex->bigs;
        ex->bigs = b->next;
        calque__free(&ex->mem, b);
    }
    htmlChunk *c = ex->chunks;
    if (keep && c != NULL) {
        htmlChunk *const rest = c->next;
        c->next = NULL;
        c = rest;
    } else {
        ex->chunks = NULL;
    }
    while (c) {
        htmlChunk *const next = c->next;
        calque__free(&ex->mem, c);
        c = next;
    }
    ex->used = ex->chunks ? ex->chunks->size : 0;
    ex->cur = ex->chunks ? (char *)(ex->chunks + 1) : NULL;
    ex->end = ex->chunks ? ex->cur + ex->chunks->size : NULL;
}

/* Parses @p with gumbo into the arena and cuts it into blocks.
 * Kept apart from calque_extractHtml() so that no local of the caller
 * lives across setjmp(). */
static int htmlParse(calque_htmlExtractor *ex, const char *p, size_t len)
{
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = htmlArenaAlloc;
    opt.deallocator = htmlArenaFree;
    opt.userdata = ex;
    opt.max_errors = 0; /* do not record parse errors */
    size_t const perByte = len > (SIZE_MAX - ((size_t)64 << 20)) / 32
                               ? SIZE_MAX
                               : ((size_t)64 << 20) + 32 * len;
    ex->limit = ex->params.maxMemory ? ex->params.maxMemory : perByte;
    if (ex->used > ex->limit) htmlArenaReset(ex, 0);
    if (setjmp(ex->jmp) != 0) {
        htmlArenaReset(ex, 0);
        return ex->jmpErr;
    }
    GumboOutput *const out = gumbo_parse_with_options(&opt, p, len);
    int const err = calque__htmlBlocks(&ex->bs, out->document);
    htmlArenaReset(ex, ex->chunks && ex->chunks->size <= HTML_CHUNK_MAX);
    return err;
}

/* ---- Public API ---------------------------------------------------------- */
void calque_initHtmlParams(calque_htmlParams *p)
{
    memset(p, 0, sizeof *p);
    p->language = NULL;
    p->lengthLow = 70;
    p->lengthHigh = 200;
    p->stopwordsLow = 0.30;
    p->stopwordsHigh = 0.32;
    p->maxLinkDensity = 0.2;
    p->maxHeadingDistance = 200;
    p->maxMemory = 0;
}

calque_htmlExtractor *calque_createHtmlExtractor(const calque_htmlParams *p,
                                                 const calque_customMem *mem,
                                                 int *err)
{
    int dummy;
    if (err == NULL) err = &dummy;
    calque_htmlParams def;
    calque_initHtmlParams(&def);
    if (p == NULL) p = &def;
    int lang = -1;
    if (p->language != NULL && strcmp(p->language, "auto") != 0 &&
        (lang = calque__langIndex(p->language)) < 0) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    if (!(p->stopwordsLow >= 0 && p->stopwordsLow <= 1 &&
          p->stopwordsHigh >= 0 && p->stopwordsHigh <= 1 &&
          p->maxLinkDensity >= 0 && p->maxLinkDensity <= 1)) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    calque__mem const m = calque__memFrom(mem);
    calque_htmlExtractor *const ex = calque__calloc(&m, 1, sizeof *ex);
    if (ex == NULL) {
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    ex->mem = m;
    ex->params = *p;
    ex->params.language = NULL; /* not kept: the caller's string */
    ex->cls = (calque__classifyParams){lang,
                                       p->lengthLow,
                                       p->lengthHigh,
                                       p->maxHeadingDistance,
                                       p->stopwordsLow,
                                       p->stopwordsHigh,
                                       p->maxLinkDensity};
    ex->bs.mem = &ex->mem;
    ex->bs.stops = &ex->stops;
    ex->bs.runs = &ex->runs;
    ex->bs.words = &ex->words;
    ex->tame = 2;
    calque__htmlWordsInit(&ex->words);
    if (calque__stopSetInit(&ex->mem, &ex->stops) != 0) {
        calque_freeHtmlExtractor(ex);
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    ex->info.charset = ex->info.charsetFrom = ex->info.language = "";
    *err = 0;
    return ex;
}

void calque_freeHtmlExtractor(calque_htmlExtractor *ex)
{
    if (ex == NULL) return;
    calque__mem const m = ex->mem;
    htmlArenaReset(ex, 0);
    calque__iconvClose(&ex->iconv);
    calque__stopSetFree(&m, &ex->stops);
    calque__hbufFree(&m, &ex->conv);
    calque__hbufFree(&m, &ex->tamed);
    calque__htmlTamerFree(&m, ex->tamer);
    calque__free(&m, ex->runs.runs);
    calque__hbufFree(&m, &ex->bs.scratch);
    calque__hbufFree(&m, &ex->out);
    calque__hbufFree(&m, &ex->bs.text);
    calque__hbufFree(&m, &ex->bs.title);
    calque__free(&m, ex->bs.blocks);
    calque__free(&m, ex->bs.stack);
    calque__free(&m, ex);
}

/* Converts the page to UTF-8: *utf8 points to the input itself when it is
 * valid UTF-8 already, else to ex->conv. */
static int htmlDecode(calque_htmlExtractor *ex, const uint8_t *p, size_t len,
                      const char *hint, const uint8_t **utf8, size_t *n)
{
    static const char *const from[] = {"default", "bom", "hint", "meta",
                                       "fallback"};
    size_t bom = 0;
    calque__csSource const src =
        calque__htmlSniffCharset(p, len, hint, ex->charset, &bom);
    p += bom;
    len -= bom;
    ex->info.charset = ex->charset;
    ex->info.charsetFrom = from[src];
    int const wide = strncmp(ex->charset, "UTF-16", 6) == 0 ||
                     strncmp(ex->charset, "UTF-32", 6) == 0;
    /* Binary bodies are refused before any work on them. */
    RETURN_ERROR_IF(!wide && calque__looksBinary(p, len), CALQUE_EBINARY);
    ex->conv.len = 0;
    if (strcmp(ex->charset, "UTF-8") == 0) {
        if (src == CALQUE__CS_DEFAULT || calque__utf8Valid(p, len)) {
            *utf8 = p;
            *n = len;
            return 0;
        }
        FORWARD_IF_ERROR(calque__utf8Repair(&ex->mem, p, len, &ex->conv,
                                            &ex->info.replaced));
    } else {
        int err = calque__iconvToUtf8(&ex->mem, &ex->iconv, ex->charset, p,
                                      len, &ex->conv, &ex->info.replaced);
        if (err == CALQUE_EPARAM) {
            /* iconv does not know the declared encoding: guess. */
            ex->info.replaced = 0;
            ex->conv.len = 0;
            if (calque__utf8Valid(p, len)) {
                strcpy(ex->charset, "UTF-8");
                ex->info.charsetFrom = from[CALQUE__CS_DEFAULT];
                *utf8 = p;
                *n = len;
                return 0;
            }
            strcpy(ex->charset, "WINDOWS-1252");
            ex->info.charsetFrom = from[CALQUE__CS_FALLBACK];
            err = calque__iconvToUtf8(&ex->mem, &ex->iconv, ex->charset, p,
                                      len, &ex->conv, &ex->info.replaced);
        }
        FORWARD_IF_ERROR(err);
        /* iconv may take a UTF-8 label by another name ("UTF%8") and
         * pass what its decoder lets through (code points past
         * U+10FFFF): its output is checked like any UTF-8. */
        if (!calque__utf8Valid((const uint8_t *)ex->conv.p, ex->conv.len)) {
            ex->out.len = 0;
            FORWARD_IF_ERROR(calque__utf8Repair(
                &ex->mem, (const uint8_t *)ex->conv.p, ex->conv.len, &ex->out,
                &ex->info.replaced));
            calque__hbuf const t = ex->conv;
            ex->conv = ex->out;
            ex->out = t;
            ex->out.len = 0;
        }
    }
    *utf8 = (const uint8_t *)ex->conv.p;
    *n = ex->conv.len;
    if (wide) RETURN_ERROR_IF(calque__looksBinary(*utf8, *n), CALQUE_EBINARY);
    return 0;
}

/* Joins the good blocks into ex->out. */
static int htmlJoin(calque_htmlExtractor *ex)
{
    const calque__blockSet *const bs = &ex->bs;
    ex->out.len = 0;
    int prevItem = 0, any = 0;
    for (size_t i = 0; i < bs->nblocks; i++) {
        const calque__block *const b = &bs->blocks[i];
        if (b->cls != CALQUE__GOOD && !ex->params.allBlocks) continue;
        int const item = (b->flags & CALQUE__BLK_ITEM) != 0;
        if (any)
            FORWARD_IF_ERROR(calque__hbufAppend(
                &ex->mem, &ex->out, "\n\n", item && prevItem ? 1 : 2));
        FORWARD_IF_ERROR(calque__hbufAppend(&ex->mem, &ex->out,
                                            bs->text.p + b->start, b->len));
        ex->info.goodBlocks++;
        prevItem = item;
        any = 1;
    }
    return calque__hbufReserve(&ex->mem, &ex->out, 0);
}

int calque_extractHtml(calque_htmlExtractor *ex, const char *html, size_t len,
                       const char *charsetHint, const char **text,
                       size_t *textLen, const char **title, size_t *titleLen)
{
    RETURN_ERROR_IF(ex == NULL || (html == NULL && len > 0) || text == NULL ||
                        textLen == NULL,
                    CALQUE_EPARAM);
    *text = "";
    *textLen = 0;
    if (title) *title = "";
    if (titleLen) *titleLen = 0;
    memset(&ex->info, 0, sizeof ex->info);
    ex->info.charset = ex->info.charsetFrom = ex->info.language = "";
    RETURN_ERROR_IF(len > HTML_MAX_INPUT, CALQUE_ETOOBIG);
    ex->bs.nblocks = 0;
    ex->out.len = ex->bs.title.len = 0;

    const uint8_t *utf8 = NULL;
    size_t n = 0;
    FORWARD_IF_ERROR(htmlDecode(ex, (const uint8_t *)(html ? html : ""), len,
                                charsetHint, &utf8, &n));
    ex->bs.src = utf8;
    if (ex->tame) {
        calque__tameStats ts;
        FORWARD_IF_ERROR(calque__htmlTame(&ex->mem, &ex->tamer, &ex->words,
                                          utf8, n, ex->tame > 1, &ex->tamed,
                                          &ex->runs, &ts));
        ex->info.droppedTags = ts.dropped;
        FORWARD_IF_ERROR(htmlParse(ex, ex->tamed.p, ex->tamed.len));
    } else {
        ex->runs.n = 0;
        FORWARD_IF_ERROR(htmlParse(ex, (const char *)utf8, n));
    }
    int const lang = calque__htmlClassify(&ex->bs, &ex->cls);
    ex->info.language = calque__langCode((unsigned)lang);
    ex->info.blocks = ex->bs.nblocks;
    FORWARD_IF_ERROR(htmlJoin(ex));
    FORWARD_IF_ERROR(calque__hbufReserve(&ex->mem, &ex->bs.title, 0));
    ex->out.p[ex->out.len] = 0;
    ex->bs.title.p[ex->bs.title.len] = 0;
    *text = ex->out.p;
    *textLen = ex->out.len;
    if (title) *title = ex->bs.title.p;
    if (titleLen) *titleLen = ex->bs.title.len;
    return 0;
}

void calque__htmlSetTame(calque_htmlExtractor *ex, int mode)
{
    ex->tame = mode;
}

void calque_htmlGetInfo(const calque_htmlExtractor *ex, calque_htmlInfo *info)
{
    if (ex == NULL) {
        memset(info, 0, sizeof *info);
        return;
    }
    *info = ex->info;
}
