/*
 * clean.c - calque_cleaner: removes from one text the lines that the
 * collection's line counts call boilerplate, and with dedupLines the
 * repeats of lines already seen.
 *
 * Every decision depends only on the (read-only) counts, the document's
 * number and its own text, never on the order in which texts are cleaned:
 * "already seen" means "first counted in an earlier document, or earlier
 * in this one". A text can therefore be cleaned again, on any thread, and
 * come out byte for byte the same, which lets the matching engines fetch
 * a cleaned text twice.
 *
 * Removing lines keeps the original bytes of the kept ones. Blank lines
 * and lines of punctuation only are never removed for themselves; around
 * removed lines they are debris: a stretch between two kept lines that
 * lost a line keeps only its longest run of blank lines (the paragraph
 * break that was there), and a stretch at the start or end of the text
 * that lost a line keeps nothing. A stretch that lost nothing is kept as
 * it was, so a text with nothing to remove comes out unchanged.
 */
#include "clean/clean.h"

enum { KEEP = 0, BOILERPLATE, REPEAT };

struct calque_cleaner_s {
    calque__mem mem;
    const calque_lineCounts *lc;
    calque_cleanParams p;
    calque__lines scan;    /* lines of the current text */
    calque__hashSet seen;  /* lines met earlier in the current text */
    uint8_t *verdict;      /* KEEP, BOILERPLATE or REPEAT per line */
    size_t verdictCap;
    calque_cleanStats st;
};

void calque_initCleanParams(calque_cleanParams *p)
{
    memset(p, 0, sizeof *p);
    p->minDocs = 10;
}

calque_cleaner *calque_createCleaner(const calque_lineCounts *lc,
                                     const calque_cleanParams *p,
                                     const calque_customMem *cmem, int *err)
{
    int dummy;
    if (err == NULL) err = &dummy;
    calque_cleanParams params;
    if (p) params = *p;
    else calque_initCleanParams(&params);
    if (lc == NULL || params.minDocs == 1 ||
        (params.dedupLines && !calque__lineCountsTracksFirst(lc))) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    calque__mem const mem = calque__memFrom(cmem);
    calque_cleaner *const c = calque__calloc(&mem, 1, sizeof *c);
    if (c == NULL) {
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    c->mem = mem;
    c->lc = lc;
    c->p = params;
    calque__initLines(&c->scan, &mem);
    *err = 0;
    return c;
}

void calque_freeCleaner(calque_cleaner *c)
{
    if (c == NULL) return;
    calque__freeLines(&c->scan);
    calque__hashSetFree(&c->seen, &c->mem);
    calque__free(&c->mem, c->verdict);
    calque__free(&c->mem, c);
}

/* Judges every line of the scanned text of document @doc.
 * @return the number of lines kept that have a letter or digit. */
static size_t judge(calque_cleaner *c, uint64_t doc)
{
    size_t kept = 0;
    for (size_t k = 0; k < c->scan.nlines; k++) {
        uint64_t const h = c->scan.line[k].hash;
        c->verdict[k] = KEEP;
        if (h == 0) continue; /* blank or punctuation only */
        c->st.lines++;
        uint32_t docs = 0, first = UINT32_MAX;
        int const counted = calque__lineCountsFind(c->lc, h, &docs, &first);
        int const isNew = calque__hashSetAdd(&c->seen, h);
        if (c->p.minDocs && counted && docs >= c->p.minDocs)
            c->verdict[k] = BOILERPLATE;
        else if (c->p.dedupLines && (!isNew || (counted && first < doc)))
            c->verdict[k] = REPEAT;
        else kept++;
    }
    return kept;
}

/* Copies @n bytes from @src to @dst + *out (they may overlap, dst never
 * after src). */
static void put(char *dst, size_t *out, const char *src, size_t n)
{
    if (n && dst + *out != src) memmove(dst + *out, src, n);
    *out += n;
}

/* Writes the stretch of lines [a, b) that lies between kept lines
 * (@before: one comes before it, @after: one comes after it); @lost says
 * whether a line of it was removed. */
static void putStretch(const calque_cleaner *c, const char *text, char *dst,
                       size_t *out, size_t a, size_t b, int lost, int before,
                       int after)
{
    const calque__line *const l = c->scan.line;
    if (a == b) return;
    if (!lost) {
        put(dst, out, text + l[a].start, l[b - 1].next - l[a].start);
        return;
    }
    if (!before || !after) return;
    size_t best = 0, bestLen = 0, run = 0;
    for (size_t k = a; k < b; k++) {
        run = l[k].kind == CALQUE__LINE_BLANK && c->verdict[k] == KEEP
                  ? run + 1 : 0;
        if (run > bestLen) {
            bestLen = run;
            best = k + 1 - run;
        }
    }
    if (bestLen)
        put(dst, out, text + l[best].start,
            l[best + bestLen - 1].next - l[best].start);
}

/* Removes the lines judged out, as the file comment says. */
static size_t removeLines(const calque_cleaner *c, const char *text,
                          size_t len, char *dst)
{
    const calque__line *const l = c->scan.line;
    size_t const n = c->scan.nlines;
    size_t out = 0, from = 0;
    int lost = 0, before = 0;
    for (size_t k = 0; k < n; k++) {
        if (c->verdict[k] != KEEP) lost = 1;
        if (l[k].kind != CALQUE__LINE_CONTENT || c->verdict[k] != KEEP)
            continue;
        putStretch(c, text, dst, &out, from, k, lost, before, 1);
        put(dst, &out, text + l[k].start, l[k].next - l[k].start);
        before = 1;
        from = k + 1;
        lost = 0;
    }
    putStretch(c, text, dst, &out, from, n, lost, before, 0);
    /* The text ends as it ended: without a newline if it had none. */
    if (lost && out && dst[out - 1] == '\n' && len && text[len - 1] != '\n')
        out--;
    return out;
}

int calque_cleanText(calque_cleaner *c, uint64_t doc, const char *text,
                     size_t len, char *dst, size_t *dstLen)
{
    RETURN_ERROR_IF(c == NULL || dstLen == NULL ||
                        (len && (text == NULL || dst == NULL)),
                    CALQUE_EPARAM);
    RETURN_ERROR_IF(c->p.dedupLines && doc >= UINT32_MAX, CALQUE_EPARAM);
    *dstLen = 0;
    FORWARD_IF_ERROR(calque__scanLines(&c->scan, text, len));
    size_t const n = c->scan.nlines;
    FORWARD_IF_ERROR(CALQUE_GROW(&c->mem, &c->verdict, &c->verdictCap,
                                 n ? n : 1));
    FORWARD_IF_ERROR(calque__hashSetReset(&c->seen, &c->mem, n));
    uint64_t const boiler0 = c->st.boilerplateLines;
    uint64_t const repeat0 = c->st.repeatedLines;
    size_t const kept = judge(c, doc);
    size_t removed = 0;
    for (size_t k = 0; k < n; k++) {
        if (c->verdict[k] == BOILERPLATE) c->st.boilerplateLines++;
        if (c->verdict[k] == REPEAT) c->st.repeatedLines++;
        removed += c->verdict[k] != KEEP;
    }
    c->st.documents++;
    c->st.bytesIn += len;
    if (removed && kept == 0 && c->p.keepEmptied) {
        c->st.boilerplateLines = boiler0; /* nothing is removed after all */
        c->st.repeatedLines = repeat0;
        c->st.keptWhole++;
        removed = 0;
    }
    size_t out;
    if (removed == 0) {
        if (len && dst != text) memmove(dst, text, len);
        out = len;
    } else if (c->p.blank) {
        if (dst != text) memmove(dst, text, len);
        for (size_t k = 0; k < n; k++) {
            if (c->verdict[k] == KEEP) continue;
            size_t const a = c->scan.line[k].start;
            size_t b = c->scan.line[k].end;
            if (b > a && text[b - 1] == '\r') b--; /* CRLF stays CRLF */
            memset(dst + a, ' ', b - a);
        }
        out = len;
    } else {
        out = removeLines(c, text, len, dst);
    }
    c->st.bytesOut += out;
    *dstLen = out;
    return 0;
}

void calque_cleanerGetStats(const calque_cleaner *c, calque_cleanStats *s)
{
    if (c == NULL) {
        memset(s, 0, sizeof *s);
        return;
    }
    *s = c->st;
}
