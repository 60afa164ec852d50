/*
 * classify.c - jusText's block classification (Pomikálek, "Removing
 * Boilerplate and Duplicate Content from Web Corpora", 2011), in linear
 * time.
 *
 * The language is the one whose stop words are most frequent in the
 * prose-like blocks of the page, unless the caller fixed it; when no list
 * covers 10% of their words (another language or script), the stop-word
 * thresholds are 0 and only length and links decide, as in jusText's
 * language-independent mode.
 *
 * Context-free class of each block, in this order:
 *   link density > maxLinkDensity                      -> bad
 *   contains "©", or sits in a small <form>            -> bad
 *   shorter than lengthLow: bad if it has links, else  -> short
 *   stop-word density >= stopHigh: longer than lengthHigh -> good,
 *                                  else               -> near-good
 *   stop-word density >= stopLow                       -> near-good
 *   otherwise                                          -> bad
 *
 * Then the context-sensitive passes, exactly as jusText orders them:
 *   1. a short heading followed by good text within maxHeadingDistance
 *      characters becomes near-good;
 *   2. short blocks take the class of their neighbours (nearest blocks
 *      that are neither short nor near-good; the page edges count as bad):
 *      good if both are good, bad if both are bad, and between a good and
 *      a bad one, good only if the bad side is adjacent to a near-good
 *      block;
 *   3. near-good blocks become bad between two bad blocks, else good;
 *   4. a heading that ended bad, but was not bad context-free, becomes
 *      good if good text follows within maxHeadingDistance characters.
 * jusText searches neighbours block by block (quadratic over long runs of
 * short blocks); here they come from one backward sweep.
 */
#include "html/html.h"

/* Picks the language of the page: the one with most stop words in the
 * blocks that look like prose (at least @minChars long, under a fifth of
 * link text; all blocks when there are none). None when it covers under
 * a tenth of their words: prose in a listed language has 35-55%. */
static int clsLanguage(const calque__blockSet *bs, unsigned minChars)
{
    for (int pass = 0; pass < 2; pass++) {
        uint64_t total[CALQUE__NLANG] = {0}, words = 0;
        for (size_t i = 0; i < bs->nblocks; i++) {
            const calque__block *const b = &bs->blocks[i];
            if (pass == 0 && (b->chars < minChars ||
                              (uint64_t)b->linkChars * 5 >= b->chars))
                continue;
            words += b->words;
            for (int l = 0; l < CALQUE__NLANG; l++) total[l] += b->stops[l];
        }
        if (words == 0) continue;
        int best = 0;
        for (int l = 1; l < CALQUE__NLANG; l++)
            if (total[l] > total[best]) best = l;
        return total[best] * 10 >= words ? best : CALQUE__NLANG;
    }
    return CALQUE__NLANG;
}

static uint8_t clsContextFree(const calque__block *b, int lang,
                              const calque__classifyParams *p)
{
    double const links = b->chars ? (double)b->linkChars / b->chars : 0.0;
    double const stops =
        lang < CALQUE__NLANG && b->words ? (double)b->stops[lang] / b->words
                                         : 0.0;
    double const low = lang < CALQUE__NLANG ? p->stopLow : 0.0;
    double const high = lang < CALQUE__NLANG ? p->stopHigh : 0.0;
    if (links > p->maxLinkDensity) return CALQUE__BAD;
    if (b->flags & (CALQUE__BLK_COPY | CALQUE__BLK_FORM)) return CALQUE__BAD;
    if (b->chars < p->lengthLow)
        return b->linkChars > 0 ? CALQUE__BAD : CALQUE__SHORT;
    if (stops >= high)
        return b->chars > p->lengthHigh ? CALQUE__GOOD : CALQUE__NEARGOOD;
    if (stops >= low) return CALQUE__NEARGOOD;
    return CALQUE__BAD;
}

/* Is there a good block after @i within @maxDist characters? */
static int clsGoodFollows(const calque__blockSet *bs, size_t i,
                          unsigned maxDist)
{
    uint64_t dist = 0;
    for (size_t j = i + 1; j < bs->nblocks && dist <= maxDist; j++) {
        if (bs->blocks[j].cls == CALQUE__GOOD) return 1;
        dist += bs->blocks[j].chars;
    }
    return 0;
}

int calque__htmlClassify(calque__blockSet *bs, const calque__classifyParams *p)
{
    calque__block *const b = bs->blocks;
    size_t const n = bs->nblocks;
    int const lang = p->lang >= 0 ? p->lang : clsLanguage(bs, p->lengthLow);
    for (size_t i = 0; i < n; i++)
        b[i].cls = b[i].cf = clsContextFree(&b[i], lang, p);

    /* 1. Short headings before good text. */
    for (size_t i = 0; i < n; i++)
        if ((b[i].flags & CALQUE__BLK_HEADING) && b[i].cls == CALQUE__SHORT &&
            clsGoodFollows(bs, i, p->maxHeadingDistance))
            b[i].cls = CALQUE__NEARGOOD;

    /* 2. Short blocks. The next neighbours are found by a backward sweep
     * and kept in the spare bits of cf: bits 2-3 the next block that is
     * neither short nor near-good, bits 4-5 the next that is not short.
     * Changes of short blocks take effect after the pass (jusText keeps
     * them aside); since short blocks are never neighbours, updating in
     * place is the same. */
    uint8_t nextFar = CALQUE__BAD, nextNear = CALQUE__BAD;
    for (size_t i = n; i-- > 0;) {
        b[i].cf = (uint8_t)(b[i].cf | nextFar << 2 | nextNear << 4);
        uint8_t const c = b[i].cls;
        if (c != CALQUE__SHORT) nextNear = c;
        if (c != CALQUE__SHORT && c != CALQUE__NEARGOOD) nextFar = c;
    }
    uint8_t prevFar = CALQUE__BAD, prevNear = CALQUE__BAD;
    for (size_t i = 0; i < n; i++) {
        uint8_t const c = b[i].cls;
        if (c != CALQUE__SHORT) {
            prevNear = c;
            if (c != CALQUE__NEARGOOD) prevFar = c;
            continue;
        }
        uint8_t const nf = (b[i].cf >> 2) & 3, nn = (b[i].cf >> 4) & 3;
        if (prevFar == CALQUE__GOOD && nf == CALQUE__GOOD)
            b[i].cls = CALQUE__GOOD;
        else if (prevFar == CALQUE__BAD && nf == CALQUE__BAD)
            b[i].cls = CALQUE__BAD;
        else if ((prevFar == CALQUE__BAD && prevNear == CALQUE__NEARGOOD) ||
                 (nf == CALQUE__BAD && nn == CALQUE__NEARGOOD))
            b[i].cls = CALQUE__GOOD;
        else
            b[i].cls = CALQUE__BAD;
    }

    /* 3. Near-good blocks: everything before i is good or bad by now, so
     * the previous neighbour is block i-1; the next comes from a sweep. */
    nextFar = CALQUE__BAD;
    for (size_t i = n; i-- > 0;) {
        b[i].cf = (uint8_t)((b[i].cf & 3) | nextFar << 2);
        if (b[i].cls != CALQUE__NEARGOOD) nextFar = b[i].cls;
    }
    for (size_t i = 0; i < n; i++) {
        if (b[i].cls != CALQUE__NEARGOOD) continue;
        uint8_t const prev = i ? b[i - 1].cls : CALQUE__BAD;
        uint8_t const next = (b[i].cf >> 2) & 3;
        b[i].cls = prev == CALQUE__BAD && next == CALQUE__BAD ? CALQUE__BAD
                                                              : CALQUE__GOOD;
    }
    for (size_t i = 0; i < n; i++) b[i].cf &= 3;

    /* 4. More good headings. */
    for (size_t i = 0; i < n; i++)
        if ((b[i].flags & CALQUE__BLK_HEADING) && b[i].cls == CALQUE__BAD &&
            b[i].cf != CALQUE__BAD &&
            clsGoodFollows(bs, i, p->maxHeadingDistance))
            b[i].cls = CALQUE__GOOD;
    return lang;
}
