/*
 * util.c - messages, option values, output files written through a
 * temporary file, JSON strings, and the progress line.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_progName = "calque";

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: %s", cli_progName, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning: ", fmt, ap);
    va_end(ap);
}

void cli_usageError(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", cli_progName);
    exit(EX_USAGE);
}

void cli_initCommon(cli_common *c)
{
    memset(c, 0, sizeof *c);
    c->format = CALQUE_FORMAT_AUTO;
    c->idField = "id";
    c->textField = "text";
    c->ngram = 5;
}

unsigned long cli_parseUnsigned(const char *opt, const char *arg,
                                unsigned long lo, unsigned long hi)
{
    char *end;
    errno = 0;
    unsigned long const v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < lo || v > hi)
        cli_usageError("%s: expected a whole number from %lu to %lu, not '%s'",
                       opt, lo, hi, arg);
    return v;
}

double cli_parseDouble(const char *opt, const char *arg, double lo, double hi)
{
    char *end;
    errno = 0;
    double const v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v >= lo && v <= hi))
        cli_usageError("%s: expected a number from %g to %g, not '%s'", opt,
                       lo, hi, arg);
    return v;
}

calque_format cli_parseFormat(const char *arg)
{
    if (strcmp(arg, "auto") == 0) return CALQUE_FORMAT_AUTO;
    if (strcmp(arg, "jsonl") == 0) return CALQUE_FORMAT_JSONL;
    if (strcmp(arg, "text") == 0) return CALQUE_FORMAT_TEXT;
    if (strcmp(arg, "warc") == 0) return CALQUE_FORMAT_WARC;
    if (strcmp(arg, "wet") == 0) return CALQUE_FORMAT_WET;
    if (strcmp(arg, "html") == 0) return CALQUE_FORMAT_HTML;
    cli_usageError("--format: expected auto, jsonl, text, warc, wet or "
                   "html, not '%s'", arg);
}

/* ---- Output --------------------------------------------------------- */

int cli_openOutput(cli_out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (path == NULL || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->path = path;
    size_t const n = strlen(path) + 16;
    o->tmp = malloc(n);
    if (o->tmp == NULL) return EX_OSERR;
    snprintf(o->tmp, n, "%s.tmp-XXXXXX", path);
    int const fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("%s: cannot create: %s", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return EX_CANTCREAT;
    }
    fchmod(fd, 0644 & ~(mode_t)0);
    o->f = fdopen(fd, "w");
    if (o->f == NULL) {
        close(fd);
        unlink(o->tmp);
        return EX_CANTCREAT;
    }
    setvbuf(o->f, NULL, _IOFBF, 1 << 16);
    return 0;
}

int cli_commitOutput(cli_out *o)
{
    int bad = fflush(o->f) != 0 || ferror(o->f);
    if (o->tmp == NULL) {
        if (bad) cli_error("write error on standard output: %s",
                           strerror(errno));
        return bad ? EX_IOERR : 0;
    }
    bad |= fsync(fileno(o->f)) != 0 && errno != EINVAL;
    bad |= fclose(o->f) != 0;
    o->f = NULL;
    if (bad || rename(o->tmp, o->path) != 0) {
        cli_error("%s: cannot write: %s", o->path, strerror(errno));
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return EX_IOERR;
    }
    free(o->tmp);
    o->tmp = NULL;
    return 0;
}

void cli_abortOutput(cli_out *o)
{
    if (o->tmp == NULL) return;
    if (o->f) fclose(o->f);
    unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    o->f = NULL;
}

void cli_putJsonString(FILE *f, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char const c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        fwrite(s + run, 1, i - run, f);
        run = i + 1;
        putc('\\', f);
        switch (c) {
        case '"': putc('"', f); break;
        case '\\': putc('\\', f); break;
        case '\n': putc('n', f); break;
        case '\t': putc('t', f); break;
        case '\r': putc('r', f); break;
        default:
            fputs("u00", f);
            putc(hex[c >> 4], f);
            putc(hex[c & 15], f);
        }
    }
    fwrite(s + run, 1, len - run, f);
    putc('"', f);
}

/* ---- Progress ------------------------------------------------------- */

double cli_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void cli_startProgress(cli_progress *p, const cli_common *c)
{
    memset(p, 0, sizeof *p);
    p->start = p->last = cli_now();
    p->enabled = !c->quiet && isatty(2);
    /* The total size is known for plain regular files only. */
    for (int i = 0; i < c->nfiles; i++) {
        struct stat st;
        const char *const f = c->files[i];
        size_t const n = strlen(f);
        if (stat(f, &st) != 0 || !S_ISREG(st.st_mode) ||
            (n > 3 && strcmp(f + n - 3, ".gz") == 0) ||
            (n > 4 && strcmp(f + n - 4, ".zst") == 0)) {
            p->totalBytes = 0;
            return;
        }
        p->totalBytes += (uint64_t)st.st_size;
    }
}

void cli_showProgress(cli_progress *p, uint64_t docs, uint64_t bytes)
{
    if (!p->enabled || (docs & 255) != 0) return;
    double const t = cli_now();
    if (t - p->last < 0.25) return;
    p->last = t;
    double const mb = (double)bytes / 1e6;
    double const rate = mb / (t - p->start + 1e-9);
    fprintf(stderr, "\r%s: %llu docs, %.1f MB, %.1f MB/s", cli_progName,
            (unsigned long long)docs, mb, rate);
    if (p->totalBytes && bytes < p->totalBytes && rate > 0) {
        double const eta = ((double)(p->totalBytes - bytes) / 1e6) / rate;
        fprintf(stderr, ", %.0f%%, ETA %.0f s",
                100.0 * (double)bytes / (double)p->totalBytes, eta);
    }
    fputs("\033[K", stderr);
}

void cli_showPhase(void *opaque, const char *phase, uint64_t done,
                   uint64_t total)
{
    cli_progress *const p = opaque;
    if (!p->enabled) return;
    double const t = cli_now();
    if (t - p->last < 0.25 && p->phase == phase) return;
    p->last = t;
    p->phase = phase;
    fprintf(stderr, "\r%s: %s %llu/%llu\033[K", cli_progName, phase,
            (unsigned long long)done, (unsigned long long)total);
}

void cli_endProgress(cli_progress *p)
{
    if (p->enabled) fputs("\r\033[K", stderr);
}
