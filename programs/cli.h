/*
 * cli.h - what the parts of the calque command share: common options,
 * the input loop, the spool of texts, output files and messages.
 * The command uses the library through include/calque.h only.
 */
#ifndef CALQUE_CLI_H
#define CALQUE_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <sysexits.h>

#include "calque.h"

/* ---- Messages --------------------------------------------------------- */
extern const char *cli_progName; /* "calque dedup" etc. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Options shared by every command ---------------------------------- */
typedef struct {
    calque_format format;
    const char *idField, *textField;
    const char *dateField; /* --date-field, or NULL */
    const char *output;     /* -o FILE, or NULL for stdout */
    unsigned threads;       /* -j, 0 = all cores */
    int quiet, verbose;
    int skipBad;
    int keepAccents;
    unsigned ngram;
    int clean;              /* --clean: boilerplate out before matching */
    unsigned minDocs;       /* --boilerplate-min-docs, 0: default (10) */
    int dedupLines;         /* --dedup-lines */
    uint64_t maxLines;      /* --max-lines, 0: the library's default */
    char **files;           /* inputs; none means stdin */
    int nfiles;
} cli_common;

void cli_initCommon(cli_common *c);

/* Option codes of the shared long options; a command's own start at
 * CLI_O_OWN. */
enum { CLI_O_ID = 256, CLI_O_TEXT, CLI_O_SKIP, CLI_O_ACCENTS, CLI_O_CLEAN,
       CLI_O_MINDOCS, CLI_O_DEDUPLINES, CLI_O_MAXLINES, CLI_O_DATE,
       CLI_O_OWN };
extern const char cli_commonHelp[];
struct option;
typedef void (*cli_onOption)(void *opaque, int opt, const char *arg);
/* Parses the shared options into @c and hands the command's own (from
 * @own, NULL-terminated, and the short letters @ownShort) to @on. Exits
 * with EX_USAGE on a bad option, after @usage() on --help. Sets c->files
 * and c->nfiles. @return the index of the first operand. */
int cli_parseOptions(int argc, char **argv, cli_common *c,
                     const struct option *own, const char *ownShort,
                     cli_onOption on, void *opaque, void (*usage)(void));

/* Parses a number option; exits with EX_USAGE on a bad value. */
unsigned long cli_parseUnsigned(const char *opt, const char *arg,
                                unsigned long lo, unsigned long hi);
double cli_parseDouble(const char *opt, const char *arg, double lo,
                       double hi);
calque_format cli_parseFormat(const char *arg);
/* Exits with EX_USAGE after a message and a hint. */
void cli_usageError(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                         noreturn));

/* ---- Documents -------------------------------------------------------- */
/* One input: a file (or stdin) and how its texts can be had again. */
typedef struct {
    char *path;            /* as given, or found in a directory */
    calque_format format;  /* JSONL or TEXT */
    int direct;            /* a plain regular file: texts are re-read from
                              it; otherwise they go to the spool */
    int fd;                /* kept open for re-reading, or -1 */
} cli_input;

/* Everything the command keeps per document; the library keeps the rest.
 * Texts come back on demand: re-read and re-parsed from plain files, or
 * from an unlinked spool file for stdin and compressed inputs. */
typedef struct {
    const cli_common *common;
    cli_input *inputs;
    size_t ninputs, inputCap;
    char *ids;             /* ids as JSON values, back to back */
    uint64_t *idOff;       /* ndocs + 1 offsets into ids */
    uint64_t *off;         /* raw offset in the file, or spool offset */
    uint32_t *input;       /* index into inputs */
    uint32_t *textLen;
    uint32_t *rawLen;
    char *meta;            /* ', "url": .., "date": ..' of each document */
    uint64_t *metaOff;     /* ndocs + 1 offsets into meta */
    size_t metaLen, metaCap;
    size_t ndocs, cap, idsLen, idsCap;
    int spoolFd;
    FILE *spool;
    char *spoolBuf;
    uint64_t spoolLen;
    int keepRaw;           /* keep raw records (for --emit unique) */
    struct cli_cleaning *clean; /* --clean: line counts and cleaners */
    /* figures */
    uint64_t bytes;        /* raw bytes read */
    uint64_t badRecords;
    uint64_t invalidUtf8;
    uint64_t unused;       /* records the readers skipped: other WARC
                              types, not HTML, HTTP errors, empty pages */
    uint64_t damaged;      /* malformed or truncated WARC records */
    uint64_t badDates;     /* dates present but unparseable */
} cli_docs;

/* Called for each document read; @doc is its index. @return 0 or an
 * exit status to stop with. */
typedef int (*cli_onDoc)(void *opaque, uint64_t doc, const calque_record *r);

/* Reads every input of @c, keeps ids and the means to get texts back
 * in @docs, and calls @on for each document.
 * With c->clean, the inputs are read once to count their lines, then @on
 * gets each document in turn with its text cleaned (removed lines blanked
 * out, so its length and byte offsets are the original's) and only id,
 * idLen, text, textLen and number set in the record.
 * @return 0 or an exit status (messages already printed). */
int cli_readInputs(const cli_common *c, cli_docs *docs, cli_onDoc on,
                   void *opaque);
void cli_freeDocs(cli_docs *docs);
/* The text source for calque_dedupFinish() and others: the texts as @on
 * got them (cleaned with --clean). */
calque_textSource cli_textSource(cli_docs *docs);
/* The texts as read, never cleaned (what `calque show` prints). */
calque_textSource cli_originalSource(cli_docs *docs);
/* The raw record of @doc in a malloc'd buffer: the line as read for
 * JSONL, the path for a text file. Exits on a read error. */
char *cli_rawRecord(cli_docs *docs, uint64_t doc, size_t *len);
/* The id of @doc as a JSON value. */
static inline const char *cli_id(const cli_docs *d, uint64_t doc, size_t *len)
{
    *len = d->idOff[doc + 1] - d->idOff[doc];
    return d->ids + d->idOff[doc];
}

/* Writes ', "url": .., "date": ..' for @doc when its input had them. */
void cli_putMeta(FILE *f, const cli_docs *d, uint64_t doc);
/* Appends to a summary line what happened to the input: bad records
 * skipped, invalid UTF-8 replaced, records not used, bad dates. */
void cli_putInputFigures(FILE *f, const cli_docs *d);

/* ---- Output ----------------------------------------------------------- */
/* stdout, or a temporary file beside -o FILE renamed over it at the end. */
typedef struct {
    FILE *f;
    const char *path;
    char *tmp;
} cli_out;

int cli_openOutput(cli_out *o, const char *path);
/* Renames the temp file into place. @return 0 or an exit status. */
int cli_commitOutput(cli_out *o);
/* Removes the temp file, leaving any old output untouched. */
void cli_abortOutput(cli_out *o);
void cli_putJsonString(FILE *f, const char *s, size_t len);

/* ---- Progress --------------------------------------------------------- */
typedef struct {
    int enabled;        /* stderr is a terminal and not --quiet */
    double start, last;
    uint64_t totalBytes; /* 0 when unknown */
    const char *phase;
} cli_progress;

double cli_now(void);
void cli_startProgress(cli_progress *p, const cli_common *c);
void cli_showProgress(cli_progress *p, uint64_t docs, uint64_t bytes);
void cli_showPhase(void *opaque, const char *phase, uint64_t done,
                   uint64_t total);
void cli_endProgress(cli_progress *p);

/* ---- --clean (clean.c) ------------------------------------------------ */
/* Prepares the line counts of --clean in docs->clean. @return 0 or an
 * exit status. */
int cli_startCleaning(const cli_common *c, cli_docs *docs);
/* The cli_onDoc of the counting pass; @opaque is the cli_docs. */
int cli_countLines(void *opaque, uint64_t doc, const calque_record *r);
/* The second pass: hands every document, cleaned, to @on. */
int cli_feedCleaned(cli_docs *docs, cli_onDoc on, void *opaque);
/* The text source of cleaned texts (thread-safe). */
calque_textSource cli_cleanedSource(cli_docs *docs);
void cli_freeCleaning(struct cli_cleaning *k);

/* ---- Commands --------------------------------------------------------- */
int cli_dedup(int argc, char **argv);
int cli_reuse(int argc, char **argv);
int cli_show(int argc, char **argv);
int cli_clean(int argc, char **argv);

#endif
