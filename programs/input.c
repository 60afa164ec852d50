/*
 * input.c - the inputs of every command: files, directories walked in
 * sorted order, or stdin; each read through the library's streaming
 * reader. Ids are kept in memory, texts go to an unlinked spool file from
 * which the library gets them back (calque_textSource) when it verifies.
 *
 * Bad records: without --skip-bad the first one stops the run with
 * "FILE:LINE: what" and EX_DATAERR; with it, each is reported, skipped and
 * counted. Invalid UTF-8 is replaced by the reader and only counted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void *xrealloc(void *p, size_t n)
{
    void *const q = realloc(p, n ? n : 1);
    if (q == NULL) {
        cli_error("out of memory");
        exit(EX_OSERR);
    }
    return q;
}

/* ---- Directory walk -------------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
} strList;

static void pushPath(strList *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static int byName(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files below @dir, in byte order of their names. */
static int walk(const char *dir, strList *out)
{
    DIR *const d = opendir(dir);
    if (d == NULL) {
        cli_error("%s: %s", dir, strerror(errno));
        return EX_NOINPUT;
    }
    strList names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* hidden files and . .. */
        size_t const n = strlen(dir) + strlen(e->d_name) + 2;
        char *const p = xrealloc(NULL, n);
        snprintf(p, n, "%s%s%s", dir,
                 dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        pushPath(&names, p);
    }
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, byName);
    int rc = 0;
    for (size_t i = 0; i < names.n; i++) {
        struct stat st;
        if (rc == 0 && stat(names.v[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = walk(names.v[i], out);
            free(names.v[i]);
        } else if (rc == 0) {
            pushPath(out, names.v[i]);
        } else {
            free(names.v[i]);
        }
    }
    free(names.v);
    return rc;
}

/* ---- Document store -------------------------------------------------- */

static void spoolWrite(cli_docs *d, const char *p, size_t n)
{
    if (n && fwrite(p, 1, n, d->spool) != n) {
        cli_error("cannot write the temporary spool file: %s",
                  strerror(errno));
        exit(EX_CANTCREAT);
    }
    d->spoolLen += n;
}

static int openSpool(cli_docs *d)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == 0) dir = "/tmp";
    size_t const n = strlen(dir) + 32;
    char *const path = xrealloc(NULL, n);
    snprintf(path, n, "%s/calque-spool-XXXXXX", dir);
    d->spoolFd = mkstemp(path);
    if (d->spoolFd < 0) {
        cli_error("cannot create a temporary file in %s: %s", dir,
                  strerror(errno));
        free(path);
        return EX_CANTCREAT;
    }
    unlink(path);
    free(path);
    d->spool = fdopen(dup(d->spoolFd), "w");
    if (d->spool == NULL) return EX_CANTCREAT;
    setvbuf(d->spool, NULL, _IOFBF, 1 << 20);
    return 0;
}

static void addDoc(cli_docs *d, const calque_record *r, const char *path,
                   uint64_t globalNo)
{
    if (d->ndocs + 1 >= d->cap) {
        d->cap = d->cap ? 2 * d->cap : 1024;
        d->idOff = xrealloc(d->idOff, (d->cap + 1) * sizeof *d->idOff);
        d->spoolOff = xrealloc(d->spoolOff, d->cap * sizeof *d->spoolOff);
        d->textLen = xrealloc(d->textLen, d->cap * sizeof *d->textLen);
        if (d->keepRaw)
            d->rawLen = xrealloc(d->rawLen, d->cap * sizeof *d->rawLen);
    }
    /* The id as a JSON value. */
    char num[32];
    const char *id = r->id;
    size_t idLen = r->idLen;
    char *esc = NULL;
    if (id == NULL && path != NULL) { /* text: the path as a string */
        size_t cap = 2 * strlen(path) * 3 + 3;
        esc = xrealloc(NULL, cap);
        FILE *const m = fmemopen(esc, cap, "w");
        cli_putJsonString(m, path, strlen(path));
        idLen = (size_t)ftell(m);
        fclose(m);
        id = esc;
    } else if (id == NULL) {
        idLen = (size_t)snprintf(num, sizeof num, "%llu",
                                 (unsigned long long)globalNo);
        id = num;
    }
    if (d->idsLen + idLen > d->idsCap) {
        d->idsCap = 2 * (d->idsLen + idLen) + 4096;
        d->ids = xrealloc(d->ids, d->idsCap);
    }
    if (d->ndocs == 0) d->idOff[0] = 0;
    memcpy(d->ids + d->idsLen, id, idLen);
    d->idsLen += idLen;
    d->idOff[d->ndocs + 1] = d->idsLen;
    free(esc);
    /* The text, then the raw record when asked. */
    d->spoolOff[d->ndocs] = d->spoolLen;
    d->textLen[d->ndocs] = (uint32_t)r->textLen;
    spoolWrite(d, r->text, r->textLen);
    if (d->keepRaw && path != NULL) {
        d->rawLen[d->ndocs] = CLI_RAW_IS_PATH; /* text: the id is the path */
    } else if (d->keepRaw) {
        d->rawLen[d->ndocs] = (uint32_t)r->rawLen;
        spoolWrite(d, r->raw, r->rawLen);
    }
    d->ndocs++;
}

void cli_freeDocs(cli_docs *d)
{
    free(d->ids);
    free(d->idOff);
    free(d->spoolOff);
    free(d->textLen);
    free(d->rawLen);
    if (d->spool) fclose(d->spool);
    if (d->spoolFd > 0) close(d->spoolFd);
    memset(d, 0, sizeof *d);
}

static int fetchText(void *opaque, uint64_t doc, char *dst, size_t len)
{
    cli_docs *const d = opaque;
    if (doc >= d->ndocs || len != d->textLen[doc]) return -1;
    size_t got = 0;
    while (got < len) {
        ssize_t const r = pread(d->spoolFd, dst + got, len - got,
                                (off_t)(d->spoolOff[doc] + got));
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

calque_textSource cli_textSource(cli_docs *d)
{
    if (d->spool) fflush(d->spool);
    calque_textSource const s = {fetchText, d};
    return s;
}

char *cli_rawRecord(cli_docs *d, uint64_t doc, size_t *len)
{
    if (d->spool) fflush(d->spool);
    if (d->rawLen[doc] == CLI_RAW_IS_PATH) { /* unescape the id */
        size_t n;
        const char *const id = cli_id(d, doc, &n);
        char *const p = xrealloc(NULL, n + 1);
        size_t k = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            if (id[i] != '\\') {
                p[k++] = id[i];
                continue;
            }
            char const e = id[++i];
            if (e == 'n') p[k++] = '\n';
            else if (e == 't') p[k++] = '\t';
            else if (e == 'r') p[k++] = '\r';
            else if (e == 'u') { /* \u00XX, as cli_putJsonString writes */
                p[k++] = (char)strtol((char[]){id[i + 3], id[i + 4], 0},
                                      NULL, 16);
                i += 4;
            } else p[k++] = e;
        }
        *len = k;
        return p;
    }
    *len = d->rawLen[doc];
    char *const p = xrealloc(NULL, *len + 1);
    size_t got = 0;
    off_t const at = (off_t)(d->spoolOff[doc] + d->textLen[doc]);
    while (got < *len) {
        ssize_t const r = pread(d->spoolFd, p + got, *len - got,
                                at + (off_t)got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            cli_error("cannot read the temporary spool file");
            exit(EX_IOERR);
        }
        got += (size_t)r;
    }
    return p;
}

/* ---- Reading --------------------------------------------------------- */

/* Reads one input. @return 0 or an exit status. */
static int readOne(const cli_common *c, cli_docs *docs, const char *path,
                   cli_onDoc on, void *opaque, uint64_t *recordNo)
{
    int const isStdin = strcmp(path, "-") == 0;
    const char *const shown = isStdin ? "<stdin>" : path;
    int const fd = isStdin ? 0 : open(path, O_RDONLY);
    if (fd < 0) {
        cli_error("%s: %s", path, strerror(errno));
        return EX_NOINPUT;
    }
    calque_readerOptions opt = {c->format, c->idField, c->textField, 0};
    int err = 0;
    calque_reader *const r =
        calque_openReader(fd, isStdin ? NULL : path, &opt, NULL, &err);
    if (r == NULL) {
        cli_error("%s: %s", shown, calque_errorName(err));
        if (!isStdin) close(fd);
        return err == CALQUE_ENOMEM ? EX_OSERR : EX_NOINPUT;
    }
    int const text = calque_readerFormat(r) == CALQUE_FORMAT_TEXT;
    int rc = 0;
    for (;;) {
        calque_record rec;
        int const got = calque_readRecord(r, &rec);
        if (got == 0) break;
        if (got < 0) {
            int const recoverable = got == CALQUE_EJSON ||
                                    got == CALQUE_EFIELD ||
                                    got == CALQUE_ETOOBIG;
            const char *const detail = calque_readerDetail(r);
            if (got == CALQUE_EIO) {
                cli_error("%s: read error: %s", shown, strerror(errno));
                rc = EX_IOERR;
                break;
            }
            if (got == CALQUE_ENOMEM) {
                cli_error("%s:%llu: out of memory", shown,
                          (unsigned long long)calque_readerLine(r));
                rc = EX_OSERR;
                break;
            }
            if (c->skipBad) {
                cli_warn("%s:%llu: %s%s%s (skipped)", shown,
                         (unsigned long long)calque_readerLine(r),
                         calque_errorName(got), detail && *detail ? ": " : "",
                         detail ? detail : "");
                docs->badRecords++;
                if (recoverable) continue;
                break; /* the rest of this input cannot be read */
            }
            cli_error("%s:%llu: %s%s%s", shown,
                      (unsigned long long)calque_readerLine(r),
                      calque_errorName(got), detail && *detail ? ": " : "",
                      detail ? detail : "");
            rc = EX_DATAERR;
            break;
        }
        if (rec.textLen >= UINT32_MAX || rec.rawLen >= UINT32_MAX) {
            cli_error("%s:%llu: record too large", shown,
                      (unsigned long long)rec.line);
            rc = EX_DATAERR;
            break;
        }
        ++*recordNo;
        uint64_t const doc = docs->ndocs;
        addDoc(docs, &rec, text ? path : NULL, *recordNo);
        docs->bytes += rec.rawLen + 1;
        if (on && (rc = on(opaque, doc, &rec)) != 0) break;
    }
    docs->invalidUtf8 += calque_readerInvalidUtf8(r);
    calque_freeReader(r);
    if (!isStdin) close(fd);
    return rc;
}

int cli_readInputs(const cli_common *c, cli_docs *docs, cli_onDoc on,
                   void *opaque)
{
    int rc = openSpool(docs);
    if (rc) return rc;
    strList paths = {0};
    static char dash[] = "-";
    if (c->nfiles == 0) pushPath(&paths, dash);
    for (int i = 0; i < c->nfiles && rc == 0; i++) {
        struct stat st;
        if (strcmp(c->files[i], "-") != 0 && stat(c->files[i], &st) == 0 &&
            S_ISDIR(st.st_mode))
            rc = walk(c->files[i], &paths);
        else pushPath(&paths, c->files[i]);
    }
    uint64_t recordNo = 0;
    for (size_t i = 0; i < paths.n && rc == 0; i++)
        rc = readOne(c, docs, paths.v[i], on, opaque, &recordNo);
    for (size_t i = 0; i < paths.n; i++) {
        int isArg = paths.v[i] == dash;
        for (int k = 0; k < c->nfiles && !isArg; k++)
            isArg = paths.v[i] == c->files[k];
        if (!isArg) free(paths.v[i]);
    }
    free(paths.v);
    if (rc == 0 && fflush(docs->spool) != 0) {
        cli_error("cannot write the temporary spool file: %s",
                  strerror(errno));
        rc = EX_CANTCREAT;
    }
    return rc;
}
