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

#define MAX_OPEN_INPUTS 256 /* inputs kept open for re-reading */

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

/* Creates the spool the first time an input needs it. */
static int openSpool(cli_docs *d)
{
    if (d->spool) return 0;
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
    d->spoolBuf = xrealloc(NULL, 1 << 20);
    setvbuf(d->spool, d->spoolBuf, _IOFBF, 1 << 20);
    return 0;
}

static void addMeta(cli_docs *d, const calque_record *r);

static void addDoc(cli_docs *d, const calque_record *r, uint32_t input,
                   uint64_t offset, uint64_t globalNo)
{
    const cli_input *const in = &d->inputs[input];
    if (d->ndocs + 1 >= d->cap) {
        d->cap = d->cap ? 2 * d->cap : 1024;
        d->idOff = xrealloc(d->idOff, (d->cap + 1) * sizeof *d->idOff);
        d->off = xrealloc(d->off, d->cap * sizeof *d->off);
        d->input = xrealloc(d->input, d->cap * sizeof *d->input);
        d->textLen = xrealloc(d->textLen, d->cap * sizeof *d->textLen);
        d->rawLen = xrealloc(d->rawLen, d->cap * sizeof *d->rawLen);
        d->metaOff = xrealloc(d->metaOff, (d->cap + 1) * sizeof *d->metaOff);
    }
    /* The id as a JSON value. */
    char num[32];
    const char *id = r->id;
    size_t idLen = r->idLen;
    char *esc = NULL;
    if (id == NULL && (in->format == CALQUE_FORMAT_TEXT ||
                       in->format == CALQUE_FORMAT_HTML)) { /* the path */
        size_t len = 0;
        FILE *const m = open_memstream(&esc, &len);
        cli_putJsonString(m, in->path, strlen(in->path));
        fclose(m);
        id = esc;
        idLen = len;
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
    addMeta(d, r);
    /* Where the text can be had again. */
    d->input[d->ndocs] = input;
    d->textLen[d->ndocs] = (uint32_t)r->textLen;
    d->rawLen[d->ndocs] = (uint32_t)r->rawLen;
    if (in->direct) {
        d->off[d->ndocs] = offset;
    } else {
        d->off[d->ndocs] = d->spoolLen;
        spoolWrite(d, r->text, r->textLen);
        if (d->keepRaw) spoolWrite(d, r->raw, r->rawLen);
    }
    d->ndocs++;
}

/* Renders the url and date of @r, when known, for cli_putMeta(). */
static void addMeta(cli_docs *d, const calque_record *r)
{
    if (d->ndocs == 0) d->metaOff[0] = 0;
    if (r->url || r->date) {
        char *buf = NULL;
        size_t len = 0;
        FILE *const m = open_memstream(&buf, &len);
        if (r->url) {
            fputs(", \"url\": ", m);
            cli_putJsonString(m, r->url, r->urlLen);
        }
        if (r->date) {
            fputs(", \"date\": ", m);
            cli_putJsonString(m, r->date, r->dateLen);
        }
        fclose(m);
        if (d->metaLen + len > d->metaCap) {
            d->metaCap = 2 * (d->metaLen + len) + 4096;
            d->meta = xrealloc(d->meta, d->metaCap);
        }
        memcpy(d->meta + d->metaLen, buf, len);
        d->metaLen += len;
        free(buf);
    }
    d->metaOff[d->ndocs + 1] = d->metaLen;
}

void cli_putMeta(FILE *f, const cli_docs *d, uint64_t doc)
{
    uint64_t const a = d->metaOff[doc], b = d->metaOff[doc + 1];
    if (b > a) fwrite(d->meta + a, 1, b - a, f);
}

void cli_putInputFigures(FILE *f, const cli_docs *d)
{
    if (d->badRecords)
        fprintf(f, "; %llu bad records skipped",
                (unsigned long long)d->badRecords);
    if (d->invalidUtf8)
        fprintf(f, "; %llu invalid UTF-8 sequences replaced",
                (unsigned long long)d->invalidUtf8);
    if (d->unused)
        fprintf(f, "; %llu records not used (other WARC types, not HTML, "
                "HTTP errors, binary or empty pages)",
                (unsigned long long)d->unused);
    if (d->damaged)
        fprintf(f, "; %llu damaged WARC records",
                (unsigned long long)d->damaged);
    if (d->badDates)
        fprintf(f, "; %llu unparseable dates",
                (unsigned long long)d->badDates);
}

void cli_freeDocs(cli_docs *d)
{
    for (size_t i = 0; i < d->ninputs; i++)
        if (d->inputs[i].fd >= 0) close(d->inputs[i].fd);
    free(d->meta);
    free(d->metaOff);
    cli_freeCleaning(d->clean);
    for (size_t i = 0; i < d->ninputs; i++) free(d->inputs[i].path);
    free(d->inputs);
    free(d->ids);
    free(d->idOff);
    free(d->off);
    free(d->input);
    free(d->textLen);
    free(d->rawLen);
    if (d->spool) fclose(d->spool);
    free(d->spoolBuf);
    if (d->spoolFd > 0) close(d->spoolFd);
    memset(d, 0, sizeof *d);
}

/* Reads @len bytes at @at of @fd into @dst. @return 0 or -1. */
static int readAt(int fd, char *dst, size_t len, uint64_t at)
{
    size_t got = 0;
    while (got < len) {
        ssize_t const r = pread(fd, dst + got, len - got, (off_t)(at + got));
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

/* The raw bytes of @doc from its plain file, in a malloc'd buffer. */
static char *readRaw(const cli_docs *d, uint64_t doc)
{
    const cli_input *const in = &d->inputs[d->input[doc]];
    int const fd = in->fd >= 0 ? in->fd : open(in->path, O_RDONLY);
    if (fd < 0) return NULL;
    char *raw = malloc((size_t)d->rawLen[doc] + 1);
    if (raw && readAt(fd, raw, d->rawLen[doc], d->off[doc]) != 0) {
        free(raw);
        raw = NULL;
    }
    if (fd != in->fd) close(fd);
    return raw;
}

static int fetchText(void *opaque, uint64_t doc, char *dst, size_t len)
{
    cli_docs *const d = opaque;
    if (doc >= d->ndocs || len != d->textLen[doc]) return -1;
    const cli_input *const in = &d->inputs[d->input[doc]];
    if (!in->direct) return readAt(d->spoolFd, dst, len, d->off[doc]);
    /* Read the record again and extract its text as the reader did. */
    char *const raw = readRaw(d, doc);
    if (raw == NULL) return -1;
    calque_readerOptions const opt = {in->format, d->common->idField,
                                      d->common->textField, 0,
                                      d->common->dateField, 0};
    size_t got = 0;
    int const rc = calque_recordText(&opt, raw, d->rawLen[doc], dst, len,
                                     &got, NULL);
    free(raw);
    return rc == 0 && got == len ? 0 : -1;
}

calque_textSource cli_originalSource(cli_docs *d)
{
    if (d->spool) fflush(d->spool);
    /* Keep the files open for re-reading, unless there are very many. */
    if (d->ninputs <= MAX_OPEN_INPUTS)
        for (size_t i = 0; i < d->ninputs; i++)
            if (d->inputs[i].direct && d->inputs[i].fd < 0)
                d->inputs[i].fd = open(d->inputs[i].path, O_RDONLY);
    calque_textSource const s = {fetchText, d};
    return s;
}

calque_textSource cli_textSource(cli_docs *d)
{
    return d->clean ? cli_cleanedSource(d) : cli_originalSource(d);
}

char *cli_rawRecord(cli_docs *d, uint64_t doc, size_t *len)
{
    const cli_input *const in = &d->inputs[d->input[doc]];
    if (in->format == CALQUE_FORMAT_TEXT ||
        in->format == CALQUE_FORMAT_HTML) {
        *len = strlen(in->path);
        return strdup(in->path);
    }
    *len = d->rawLen[doc];
    char *p;
    if (in->direct) {
        p = readRaw(d, doc);
    } else {
        if (d->spool) fflush(d->spool);
        p = xrealloc(NULL, *len + 1);
        if (readAt(d->spoolFd, p, *len, d->off[doc] + d->textLen[doc])) {
            free(p);
            p = NULL;
        }
    }
    if (p == NULL) {
        cli_error("%s: cannot read the record again: %s", in->path,
                  strerror(errno));
        exit(EX_IOERR);
    }
    return p;
}

/* ---- Reading --------------------------------------------------------- */

/* Reads one input. @return 0 or an exit status. */
static int readOne(const cli_common *c, cli_docs *docs, uint32_t input,
                   cli_onDoc on, void *opaque, uint64_t *recordNo)
{
    cli_input *const in = &docs->inputs[input];
    int const isStdin = strcmp(in->path, "-") == 0;
    const char *const shown = isStdin ? "<stdin>" : in->path;
    int const fd = isStdin ? 0 : open(in->path, O_RDONLY);
    if (fd < 0) {
        cli_error("%s: %s", in->path, strerror(errno));
        return EX_NOINPUT;
    }
    struct stat st;
    int const regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!isStdin && !regular && S_ISDIR(st.st_mode)) {
        close(fd);
        cli_error("%s: is a directory", in->path);
        return EX_NOINPUT;
    }
    long const cores = sysconf(_SC_NPROCESSORS_ONLN);
    calque_readerOptions opt = {c->format, c->idField, c->textField, 0,
                                c->dateField,
                                c->threads      ? c->threads
                                : cores > 0 ? (unsigned)cores
                                            : 1};
    int err = 0;
    calque_reader *const r =
        calque_openReader(fd, isStdin ? NULL : in->path, &opt, NULL, &err);
    if (r == NULL) {
        cli_error("%s: %s", shown, calque_errorName(err));
        if (!isStdin) close(fd);
        return err == CALQUE_ENOMEM ? EX_OSERR : EX_NOINPUT;
    }
    int rc = 0, first = 1;
    for (;;) {
        calque_record rec;
        int const got = calque_readRecord(r, &rec);
        if (got == 0) break;
        if (got < 0) {
            int const recoverable = got == CALQUE_EJSON ||
                                    got == CALQUE_EFIELD ||
                                    got == CALQUE_ETOOBIG ||
                                    got == CALQUE_EWARC;
            const char *detail = calque_readerDetail(r);
            if (detail && strcmp(detail, calque_errorName(got)) == 0)
                detail = NULL;
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
        if (first) { /* now the reader knows its format and whether it
                        decompresses */
            first = 0;
            in->format = calque_readerFormat(r);
            in->direct = regular && !isStdin && !calque_readerCompressed(r);
            if (!in->direct && (rc = openSpool(docs)) != 0) break;
        }
        ++*recordNo;
        uint64_t const doc = docs->ndocs;
        addDoc(docs, &rec, input, calque_readerOffset(r), *recordNo);
        docs->bytes += rec.rawLen + 1;
        if (on && (rc = on(opaque, doc, &rec)) != 0) break;
    }
    docs->invalidUtf8 += calque_readerInvalidUtf8(r);
    calque_readerStats rs;
    calque_readerGetStats(r, &rs);
    docs->unused += rs.skippedType + rs.skippedMedia + rs.skippedStatus +
                    rs.skippedBinary + rs.skippedHttp + rs.skippedEmpty;
    docs->damaged += rs.malformed + rs.truncated;
    docs->badDates += rs.badDates;
    calque_freeReader(r);
    if (!isStdin) close(fd);
    return rc;
}

static void addInput(cli_docs *d, char *path)
{
    if (d->ninputs == d->inputCap) {
        d->inputCap = d->inputCap ? 2 * d->inputCap : 16;
        d->inputs = xrealloc(d->inputs, d->inputCap * sizeof *d->inputs);
    }
    cli_input const in = {path, CALQUE_FORMAT_JSONL, 0, -1};
    d->inputs[d->ninputs++] = in;
}

int cli_readInputs(const cli_common *c, cli_docs *docs, cli_onDoc on,
                   void *opaque)
{
    int rc = 0;
    docs->common = c;
    strList paths = {0};
    if (c->nfiles == 0) pushPath(&paths, strdup("-"));
    for (int i = 0; i < c->nfiles && rc == 0; i++) {
        struct stat st;
        if (strcmp(c->files[i], "-") != 0 && stat(c->files[i], &st) == 0 &&
            S_ISDIR(st.st_mode))
            rc = walk(c->files[i], &paths);
        else pushPath(&paths, strdup(c->files[i]));
    }
    for (size_t i = 0; i < paths.n; i++) addInput(docs, paths.v[i]);
    free(paths.v);
    if (docs->ninputs >= UINT32_MAX) {
        cli_error("too many input files");
        return EX_USAGE;
    }
    /* --clean: this pass counts lines, a second one feeds @on. */
    if (c->clean && (rc = cli_startCleaning(c, docs)) != 0) return rc;
    cli_onDoc const first = c->clean ? cli_countLines : on;
    void *const firstOpaque = c->clean ? (void *)docs : opaque;
    uint64_t recordNo = 0;
    for (size_t i = 0; i < docs->ninputs && rc == 0; i++)
        rc = readOne(c, docs, (uint32_t)i, first, firstOpaque, &recordNo);
    if (rc == 0 && docs->spool && fflush(docs->spool) != 0) {
        cli_error("cannot write the temporary spool file: %s",
                  strerror(errno));
        rc = EX_CANTCREAT;
    }
    if (rc == 0 && c->clean) rc = cli_feedCleaned(docs, on, opaque);
    return rc;
}
