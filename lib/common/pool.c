/*
 * pool.c - worker threads with a bounded job queue (see pool.h).
 */
#include <pthread.h>

#include "common/pool.h"

typedef struct {
    calque__job fn;
    void *arg;
} job;

struct calque__pool_s {
    calque__mem mem;
    unsigned threads;
    pthread_t *tid;
    unsigned started;
    pthread_mutex_t lock;
    pthread_cond_t hasJob, hasRoom, idle;
    job *ring;             /* queue of cap jobs */
    size_t cap, head, count;
    unsigned running;      /* jobs being run */
    int stop;
};

typedef struct {
    calque__pool *pool;
    unsigned index;
} workerArg;

static void *workerMain(void *varg)
{
    calque__pool *const p = ((workerArg *)varg)->pool;
    unsigned const me = ((workerArg *)varg)->index;
    calque__free(&p->mem, varg);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->count == 0 && !p->stop) pthread_cond_wait(&p->hasJob, &p->lock);
        if (p->count == 0 && p->stop) break;
        job const j = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->count--;
        p->running++;
        pthread_cond_signal(&p->hasRoom);
        pthread_mutex_unlock(&p->lock);
        j.fn(j.arg, me);
        pthread_mutex_lock(&p->lock);
        p->running--;
        if (p->count == 0 && p->running == 0) pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

calque__pool *calque__createPool(const calque__mem *mem, unsigned threads,
                                 int *err)
{
    calque__pool *const p = calque__calloc(mem, 1, sizeof *p);
    if (p == NULL) {
        *err = CALQUE_ENOMEM;
        return NULL;
    }
    p->mem = *mem;
    p->threads = threads ? threads : 1;
    if (p->threads == 1) return p;
    p->cap = 2 * (size_t)p->threads;
    p->ring = calque__calloc(mem, p->cap, sizeof *p->ring);
    p->tid = calque__calloc(mem, p->threads, sizeof *p->tid);
    if (p->ring == NULL || p->tid == NULL) {
        *err = CALQUE_ENOMEM;
        calque__freePool(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->hasJob, NULL);
    pthread_cond_init(&p->hasRoom, NULL);
    pthread_cond_init(&p->idle, NULL);
    for (unsigned i = 0; i < p->threads; i++) {
        workerArg *const a = calque__malloc(mem, sizeof *a);
        if (a == NULL) {
            *err = CALQUE_ENOMEM;
            calque__freePool(p);
            return NULL;
        }
        a->pool = p;
        a->index = i;
        if (pthread_create(&p->tid[i], NULL, workerMain, a) != 0) {
            calque__free(mem, a);
            *err = CALQUE_ETHREAD;
            calque__freePool(p);
            return NULL;
        }
        p->started++;
    }
    return p;
}

void calque__freePool(calque__pool *p)
{
    if (p == NULL) return;
    if (p->ring != NULL && p->tid != NULL) {
        pthread_mutex_lock(&p->lock);
        p->stop = 1;
        pthread_cond_broadcast(&p->hasJob);
        pthread_mutex_unlock(&p->lock);
        for (unsigned i = 0; i < p->started; i++) pthread_join(p->tid[i], NULL);
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->hasJob);
        pthread_cond_destroy(&p->hasRoom);
        pthread_cond_destroy(&p->idle);
    }
    calque__free(&p->mem, p->ring);
    calque__free(&p->mem, p->tid);
    calque__free(&p->mem, p);
}

unsigned calque__poolThreads(const calque__pool *p)
{
    return p->threads;
}

int calque__poolSubmit(calque__pool *p, calque__job fn, void *arg)
{
    if (p->threads == 1) {
        fn(arg, 0);
        return 0;
    }
    pthread_mutex_lock(&p->lock);
    while (p->count == p->cap) pthread_cond_wait(&p->hasRoom, &p->lock);
    p->ring[(p->head + p->count) % p->cap] = (job){fn, arg};
    p->count++;
    pthread_cond_signal(&p->hasJob);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

int calque__poolSubmitOrRun(calque__pool *p, calque__job fn, void *arg)
{
    if (p->threads == 1) {
        fn(arg, 0);
        return 0;
    }
    pthread_mutex_lock(&p->lock);
    if (p->count == p->cap) {
        pthread_mutex_unlock(&p->lock);
        fn(arg, p->threads);
        return 0;
    }
    p->ring[(p->head + p->count) % p->cap] = (job){fn, arg};
    p->count++;
    pthread_cond_signal(&p->hasJob);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

void calque__poolWait(calque__pool *p)
{
    if (p->threads == 1) return;
    pthread_mutex_lock(&p->lock);
    while (p->count != 0 || p->running != 0)
        pthread_cond_wait(&p->idle, &p->lock);
    pthread_mutex_unlock(&p->lock);
}
