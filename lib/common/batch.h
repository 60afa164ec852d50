/*
 * batch.h - batches of document texts handed to worker threads.
 *
 * An engine's add function copies each text into the current batch and
 * hands full batches to the pool; a worker processes one and gives it
 * back to a free list shared by all threads, so batches are allocated
 * only while the pool's queue fills and are reused after that.
 */
#ifndef CALQUE_BATCH_H
#define CALQUE_BATCH_H

#include <pthread.h>

#include "common/common.h"

#define CALQUE__BATCH_DOCS 512         /* documents per batch */
#define CALQUE__BATCH_BYTES (1u << 20) /* text bytes per batch */

typedef struct calque__batch_s calque__batch;
struct calque__batch_s {
    void *owner;          /* the engine */
    void *dest;           /* where the results go (the engine's chunk) */
    uint32_t slot;        /* index in dest of the first document */
    uint32_t first;       /* index of the first document */
    uint32_t n;           /* documents */
    size_t *off;          /* n + 1 offsets into text */
    char *text;
    size_t textLen, textCap;
    calque__batch *nextFree;
};

typedef struct {
    calque__mem mem;
    pthread_mutex_t lock;
    calque__batch *freeList;
    calque__batch *cur;   /* the batch being filled */
} calque__batches;

void calque__initBatches(calque__batches *bs, const calque__mem *mem);
/* Frees the current batch and the free list (not batches in flight). */
void calque__freeBatches(calque__batches *bs);

/* Is the current batch unable to take a text of @len more bytes? */
int calque__batchFull(const calque__batches *bs, size_t len);
/* Makes a current batch (from the free list or new) for documents from
 * @first on, going to slot @slot of @dest. @return it, or NULL. */
calque__batch *calque__startBatch(calque__batches *bs, void *owner,
                                  void *dest, uint32_t slot, uint32_t first);
/* Appends a text to the current batch. @return 0 or CALQUE_ENOMEM. */
int calque__batchAppend(calque__batches *bs, const char *text, size_t len);
/* Detaches the current batch: NULL when there is none or it is empty. */
calque__batch *calque__takeBatch(calque__batches *bs);
/* Gives a processed batch back (any thread). */
void calque__giveBatch(calque__batches *bs, calque__batch *b);

#endif
