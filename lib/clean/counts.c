/*
 * counts.c - calque_lineCounts: for every distinct normalised line of a
 * collection, the number of documents it occurs in.
 *
 * The table is open addressing with linear probing, kept as parallel
 * arrays: the 64-bit line hash (0 marks an empty slot), a saturating
 * 32-bit document count and, when asked for, the 32-bit first document.
 * That is 12 bytes a slot (16 with first documents). The home slot of a
 * hash is ((hash >> 32) * slots) >> 32, so the table can have any number
 * of slots: it grows by half (never more than 3/4 of the slots in use),
 * and once it may hold maxLines lines it stops growing exactly at
 * ceil(maxLines * 4 / 3) slots. A full table holds 16 bytes (21.3 with
 * first documents) per distinct line; a growing one 16 to 24 (21.3 to
 * 32). Growing briefly needs the old and the new arrays together.
 *
 * When maxLines lines are in, the lines already there are still counted
 * and new ones are not added: each occurrence not counted is counted in
 * droppedLines. A dropped line is then never boilerplate, so a bounded
 * table only ever keeps more text, never removes more.
 */
#include "clean/clean.h"

#define DEFAULT_MAX_LINES (64ULL << 20)
#define MAX_MAX_LINES 3000000000ULL /* slots must stay below 2^32 */

struct calque_lineCounts_s {
    calque__mem mem;
    uint64_t *key;      /* line hashes, 0: empty */
    uint32_t *count;    /* documents, saturating */
    uint32_t *first;    /* first documents, NULL unless tracked */
    size_t slots, used;
    size_t maxSlots;    /* ceil(maxLines * 4 / 3) */
    uint64_t maxLines;
    calque_lineCountsStats st;
    calque__lines scan; /* scratch of calque_lineCountsAdd() */
    calque__hashSet seen;
};

static inline size_t home(uint64_t h, size_t slots)
{
    return (size_t)(((h >> 32) * (uint64_t)slots) >> 32);
}

/* The slot of @h, or of the empty slot where it would go. */
static inline size_t probe(const uint64_t *key, size_t slots, uint64_t h)
{
    size_t i = home(h, slots);
    while (key[i] != 0 && key[i] != h) i = i + 1 == slots ? 0 : i + 1;
    return i;
}

/* Allocates the arrays for @slots slots. @return 0 or CALQUE_ENOMEM. */
static int allocSlots(const calque__mem *mem, size_t slots, int trackFirst,
                      uint64_t **key, uint32_t **count, uint32_t **first)
{
    *key = calque__calloc(mem, slots, sizeof **key);
    *count = calque__malloc(mem, slots * sizeof **count);
    *first = trackFirst ? calque__malloc(mem, slots * sizeof **first) : NULL;
    if (*key && *count && (*first || !trackFirst)) return 0;
    calque__free(mem, *key);
    calque__free(mem, *count);
    calque__free(mem, *first);
    return CALQUE_ENOMEM;
}

/* Moves every line into arrays of @slots slots. */
static int rehash(calque_lineCounts *lc, size_t slots)
{
    uint64_t *key;
    uint32_t *count, *first;
    FORWARD_IF_ERROR(allocSlots(&lc->mem, slots, lc->first != NULL, &key,
                                &count, &first));
    for (size_t i = 0; i < lc->slots; i++) {
        if (lc->key[i] == 0) continue;
        size_t const j = probe(key, slots, lc->key[i]);
        key[j] = lc->key[i];
        count[j] = lc->count[i];
        if (first) first[j] = lc->first[i];
    }
    calque__free(&lc->mem, lc->key);
    calque__free(&lc->mem, lc->count);
    calque__free(&lc->mem, lc->first);
    lc->key = key;
    lc->count = count;
    lc->first = first;
    lc->slots = slots;
    lc->st.slots = slots;
    lc->st.tableBytes = (uint64_t)slots * (first ? 16 : 12);
    return 0;
}

/* Makes room for one more line when the load would pass 3/4. @return 1
 * when there is room, 0 when the table is at its bound, or
 * CALQUE_ENOMEM. */
static int makeRoom(calque_lineCounts *lc)
{
    if (lc->used >= lc->maxLines) return 0;
    if ((uint64_t)(lc->used + 1) * 4 <= (uint64_t)lc->slots * 3) return 1;
    size_t slots = lc->slots + lc->slots / 2;
    if (slots > lc->maxSlots) slots = lc->maxSlots;
    if (slots <= lc->slots) return 0;
    FORWARD_IF_ERROR(rehash(lc, slots));
    return 1;
}

calque_lineCounts *calque_createLineCounts(uint64_t maxLines, int trackFirst,
                                           const calque_customMem *cmem,
                                           int *err)
{
    int dummy;
    if (err == NULL) err = &dummy;
    if (maxLines == 0) maxLines = DEFAULT_MAX_LINES;
    if (maxLines > MAX_MAX_LINES) {
        *err = CALQUE_EPARAM;
        return NULL;
    }
    calque__mem const mem = calque__memFrom(cmem);
    calque_lineCounts *const lc = calque__calloc(&mem, 1, sizeof *lc);
    if (lc == NULL) {
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    lc->mem = mem;
    lc->maxLines = maxLines;
    lc->maxSlots = (size_t)((maxLines * 4 + 2) / 3);
    calque__initLines(&lc->scan, &mem);
    size_t const slots = CALQUE_MIN((size_t)1024, lc->maxSlots);
    if (allocSlots(&mem, slots, trackFirst != 0, &lc->key, &lc->count,
                   &lc->first) != 0) {
        calque__free(&mem, lc);
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    lc->slots = slots;
    lc->st.slots = slots;
    lc->st.tableBytes = (uint64_t)slots * (trackFirst ? 16 : 12);
    *err = 0;
    return lc;
}

void calque_freeLineCounts(calque_lineCounts *lc)
{
    if (lc == NULL) return;
    calque__freeLines(&lc->scan);
    calque__hashSetFree(&lc->seen, &lc->mem);
    calque__free(&lc->mem, lc->key);
    calque__free(&lc->mem, lc->count);
    calque__free(&lc->mem, lc->first);
    calque__free(&lc->mem, lc);
}

/* Counts @docs more documents for line @h, first seen in @first.
 * @return 0 or CALQUE_ENOMEM; a line that finds no room is dropped. */
static int countLine(calque_lineCounts *lc, uint64_t h, uint32_t docs,
                     uint32_t first)
{
    size_t i = probe(lc->key, lc->slots, h);
    if (lc->key[i] == 0) {
        int const room = makeRoom(lc);
        FORWARD_IF_ERROR(room);
        if (!room) {
            lc->st.droppedLines += docs;
            return 0;
        }
        i = probe(lc->key, lc->slots, h); /* the table may have grown */
        lc->key[i] = h;
        lc->count[i] = 0;
        if (lc->first) lc->first[i] = first;
        lc->used++;
        lc->st.distinctLines = lc->used;
    }
    uint32_t const c = lc->count[i];
    lc->count[i] = docs > UINT32_MAX - c ? UINT32_MAX : c + docs;
    if (lc->first && first < lc->first[i]) lc->first[i] = first;
    return 0;
}

int calque_lineCountsAdd(calque_lineCounts *lc, uint64_t doc,
                         const char *text, size_t len)
{
    RETURN_ERROR_IF(lc == NULL || (text == NULL && len), CALQUE_EPARAM);
    RETURN_ERROR_IF(lc->first && doc >= UINT32_MAX, CALQUE_EPARAM);
    FORWARD_IF_ERROR(calque__scanLines(&lc->scan, text, len));
    FORWARD_IF_ERROR(calque__hashSetReset(&lc->seen, &lc->mem,
                                          lc->scan.nlines));
    for (size_t k = 0; k < lc->scan.nlines; k++) {
        uint64_t const h = lc->scan.line[k].hash;
        if (h == 0) continue; /* blank or punctuation only */
        lc->st.lines++;
        if (!calque__hashSetAdd(&lc->seen, h)) continue; /* once a doc */
        FORWARD_IF_ERROR(countLine(lc, h, 1, (uint32_t)CALQUE_MIN(
                                                 doc, UINT32_MAX)));
    }
    lc->st.documents++;
    return 0;
}

int calque_mergeLineCounts(calque_lineCounts *dst,
                           const calque_lineCounts *src)
{
    RETURN_ERROR_IF(dst == NULL || src == NULL || dst == src, CALQUE_EPARAM);
    RETURN_ERROR_IF(dst->first && !src->first, CALQUE_EPARAM);
    /* Room for both first: src is walked in slot order, which is hash
     * order, and sorted keys inserted into a table that has yet to grow
     * would pile up in one cluster at its start. */
    uint64_t const want = CALQUE_MIN((uint64_t)dst->used + src->used,
                                     dst->maxLines);
    size_t const slots = (size_t)CALQUE_MIN((want * 4 + 2) / 3,
                                            (uint64_t)dst->maxSlots);
    if (slots > dst->slots) FORWARD_IF_ERROR(rehash(dst, slots));
    for (size_t i = 0; i < src->slots; i++) {
        if (src->key[i] == 0) continue;
        uint32_t const first = src->first ? src->first[i] : UINT32_MAX;
        FORWARD_IF_ERROR(countLine(dst, src->key[i], src->count[i], first));
    }
    dst->st.documents += src->st.documents;
    dst->st.lines += src->st.lines;
    dst->st.droppedLines += src->st.droppedLines;
    return 0;
}

uint64_t calque_lineHash(const char *line, size_t len)
{
    if (line == NULL) return 0;
    return calque__lineHash(NULL, line, len);
}

int calque__lineCountsFind(const calque_lineCounts *lc, uint64_t hash,
                           uint32_t *docs, uint32_t *first)
{
    size_t const i = probe(lc->key, lc->slots, hash);
    if (hash == 0 || lc->key[i] == 0) return 0;
    *docs = lc->count[i];
    *first = lc->first ? lc->first[i] : UINT32_MAX;
    return 1;
}

uint32_t calque_lineCountsGet(const calque_lineCounts *lc, uint64_t hash,
                              uint64_t *firstDoc)
{
    uint32_t docs = 0, first = UINT32_MAX;
    if (lc == NULL || !calque__lineCountsFind(lc, hash, &docs, &first))
        docs = 0;
    if (firstDoc) *firstDoc = first == UINT32_MAX ? UINT64_MAX : first;
    return docs;
}

int calque__lineCountsTracksFirst(const calque_lineCounts *lc)
{
    return lc->first != NULL;
}

void calque_lineCountsGetStats(const calque_lineCounts *lc,
                               calque_lineCountsStats *s)
{
    if (lc == NULL) {
        memset(s, 0, sizeof *s);
        return;
    }
    *s = lc->st;
}
