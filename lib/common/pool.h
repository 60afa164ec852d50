/*
 * pool.h - a fixed pool of worker threads running submitted jobs.
 *
 * A pool of 1 thread runs every job inline in calque__poolSubmit(), so a
 * single-threaded run has no thread at all. Submission blocks while
 * 2 * threads jobs are waiting, which bounds the memory of queued work.
 */
#ifndef CALQUE_POOL_H
#define CALQUE_POOL_H

#include "common/common.h"

typedef struct calque__pool_s calque__pool;
typedef void (*calque__job)(void *arg, unsigned worker);

/* @threads >= 1. @return NULL with *err set on failure. */
calque__pool *calque__createPool(const calque__mem *mem, unsigned threads,
                                 int *err);
/* Waits for every job, then stops the threads. Accepts NULL. */
void calque__freePool(calque__pool *p);
unsigned calque__poolThreads(const calque__pool *p);
/* Runs fn(arg, worker) on some worker; worker is in [0, threads). */
int calque__poolSubmit(calque__pool *p, calque__job fn, void *arg);
/* Like calque__poolSubmit(), but when the queue is full the caller runs
 * the job itself, as worker number `threads` (so the caller needs state
 * for threads + 1 workers): the submitting thread never sits idle. */
int calque__poolSubmitOrRun(calque__pool *p, calque__job fn, void *arg);
/* Waits until every submitted job has finished. */
void calque__poolWait(calque__pool *p);

#endif
