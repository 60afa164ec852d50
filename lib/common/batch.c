/*
 * batch.c - batches of document texts for worker threads (see batch.h).
 */
#include "common/batch.h"

void calque__initBatches(calque__batches *bs, const calque__mem *mem)
{
    memset(bs, 0, sizeof *bs);
    bs->mem = *mem;
    pthread_mutex_init(&bs->lock, NULL);
}

static void freeOne(const calque__mem *m, calque__batch *b)
{
    if (b == NULL) return;
    calque__free(m, b->off);
    calque__free(m, b->text);
    calque__free(m, b);
}

void calque__freeBatches(calque__batches *bs)
{
    freeOne(&bs->mem, bs->cur);
    while (bs->freeList) {
        calque__batch *const next = bs->freeList->nextFree;
        freeOne(&bs->mem, bs->freeList);
        bs->freeList = next;
    }
    bs->cur = NULL;
    pthread_mutex_destroy(&bs->lock);
}

int calque__batchFull(const calque__batches *bs, size_t len)
{
    calque__batch const *const b = bs->cur;
    return b && (b->n == CALQUE__BATCH_DOCS ||
                 (b->n > 0 && b->textLen + len > CALQUE__BATCH_BYTES));
}

calque__batch *calque__startBatch(calque__batches *bs, void *owner,
                                  void *dest, uint32_t slot, uint32_t first)
{
    pthread_mutex_lock(&bs->lock);
    calque__batch *b = bs->freeList;
    if (b) bs->freeList = b->nextFree;
    pthread_mutex_unlock(&bs->lock);
    if (b == NULL) {
        b = calque__calloc(&bs->mem, 1, sizeof *b);
        if (b == NULL) return NULL;
        b->off = calque__malloc(&bs->mem, (CALQUE__BATCH_DOCS + 1) *
                                              sizeof *b->off);
        if (b->off == NULL) {
            calque__free(&bs->mem, b);
            return NULL;
        }
    }
    b->owner = owner;
    b->dest = dest;
    b->slot = slot;
    b->first = first;
    b->n = 0;
    b->textLen = 0;
    b->off[0] = 0;
    bs->cur = b;
    return b;
}

int calque__batchAppend(calque__batches *bs, const char *text, size_t len)
{
    calque__batch *const b = bs->cur;
    FORWARD_IF_ERROR(CALQUE_GROW(&bs->mem, &b->text, &b->textCap,
                                 b->textLen + len));
    if (len) memcpy(b->text + b->textLen, text, len);
    b->textLen += len;
    b->n++;
    b->off[b->n] = b->textLen;
    return 0;
}

calque__batch *calque__takeBatch(calque__batches *bs)
{
    calque__batch *const b = bs->cur;
    if (b == NULL || b->n == 0) return NULL;
    bs->cur = NULL;
    return b;
}

void calque__giveBatch(calque__batches *bs, calque__batch *b)
{
    pthread_mutex_lock(&bs->lock);
    b->nextFree = bs->freeList;
    bs->freeList = b;
    pthread_mutex_unlock(&bs->lock);
}
