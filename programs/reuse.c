/*
 * reuse.c - `calque reuse`: passages shared between documents, and
 * `calque show`: two documents with their shared passages highlighted.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { EMIT_PAIRS, EMIT_GROUPS };

static void usage(void)
{
    printf(
"Usage: calque reuse [OPTIONS] [FILE...]\n"
"\n"
"Finds the passages that documents share, even when the documents as\n"
"wholes differ: each passage with its byte offsets in both original\n"
"texts. Inputs as for calque dedup.\n"
"\n"
"Matching:\n"
"      --max-df N        n-grams in more than N documents never seed a\n"
"                        match (default 100; a fraction like 0.001 is a\n"
"                        share of the documents)\n"
"      --min-seeds N     shared n-grams to align a pair (default 3)\n"
"      --min-words N     shortest passage in words (default 20)\n"
"      --min-identity X  least share of equal words (default 0.9)\n"
"      --paraphrase-identity X  the floor for pairs that share no passage\n"
"                        at --min-identity: paraphrase (default 0.6)\n"
"      --min-group-words N  words two documents must share to be in one\n"
"                        group (default 40)\n"
"      --emit WHAT       pairs (default) or groups\n"
"\n%s", cli_commonHelp);
}

static void showUsage(void)
{
    printf(
"Usage: calque show [OPTIONS] FILE... --a ID --b ID\n"
"\n"
"Prints documents ID and ID with the passages they share highlighted\n"
"(colours on a terminal, [[ ]] otherwise), and the figures of the pair.\n"
"IDs are matched against the ids of the input as written there (a string\n"
"id with or without its quotes). Options of calque reuse apply.\n"
"\n%s", cli_commonHelp);
}

enum { O_MAXDF = CLI_O_OWN, O_SEEDS, O_WORDS, O_IDENTITY, O_PARAPHRASE,
       O_GROUP, O_EMIT, O_A, O_B };

typedef struct {
    calque_reuseParams *p;
    int emit;
    const char *a, *b; /* show */
} optCtx;

static void onOption(void *opaque, int o, const char *arg)
{
    optCtx *const x = opaque;
    calque_reuseParams *const p = x->p;
    switch (o) {
    case O_MAXDF:
        p->maxDf = cli_parseDouble("--max-df", arg, 1e-9, 4e9);
        if (p->maxDf >= 1.0 && p->maxDf != (double)(uint64_t)p->maxDf)
            cli_usageError("--max-df: a count must be a whole number, not "
                           "'%s'", arg);
        break;
    case O_SEEDS:
        p->minSeeds = (unsigned)cli_parseUnsigned("--min-seeds", arg, 1,
                                                  100000);
        break;
    case O_WORDS:
        p->minWords = (unsigned)cli_parseUnsigned("--min-words", arg, 1,
                                                  1000000);
        break;
    case O_IDENTITY:
        p->minIdentity = cli_parseDouble("--min-identity", arg, 0.0, 1.0);
        break;
    case O_PARAPHRASE:
        p->paraphraseIdentity =
            cli_parseDouble("--paraphrase-identity", arg, 0.0, 1.0);
        break;
    case O_GROUP:
        p->minGroupWords = (unsigned)cli_parseUnsigned("--min-group-words",
                                                       arg, 1, 100000000);
        break;
    case O_EMIT:
        if (strcmp(arg, "pairs") == 0) x->emit = EMIT_PAIRS;
        else if (strcmp(arg, "groups") == 0) x->emit = EMIT_GROUPS;
        else cli_usageError("--emit: expected pairs or groups, not '%s'",
                            arg);
        break;
    case O_A: x->a = arg; break;
    case O_B: x->b = arg; break;
    }
}

static const struct option reuseOpts[] = {
    {"max-df", required_argument, 0, O_MAXDF},
    {"min-seeds", required_argument, 0, O_SEEDS},
    {"min-words", required_argument, 0, O_WORDS},
    {"min-identity", required_argument, 0, O_IDENTITY},
    {"paraphrase-identity", required_argument, 0, O_PARAPHRASE},
    {"min-group-words", required_argument, 0, O_GROUP},
    {"emit", required_argument, 0, O_EMIT},
    {"a", required_argument, 0, O_A},
    {"b", required_argument, 0, O_B},
    {0, 0, 0, 0}};

/* Parses the options of reuse or show into @c, @p and @x. */
static void parse(int argc, char **argv, cli_common *c,
                  calque_reuseParams *p, optCtx *x, void (*use)(void))
{
    cli_initCommon(c);
    calque_initReuseParams(p);
    x->p = p;
    x->emit = EMIT_PAIRS;
    x->a = x->b = NULL;
    cli_parseOptions(argc, argv, c, reuseOpts, "", onOption, x, use);
    p->ngram = c->ngram;
    p->threads = c->threads;
    p->keepAccents = c->keepAccents;
}

/* ---- Reading into a reuse context ----------------------------------- */

typedef struct {
    calque_reuse *r;
    cli_docs *docs;
    cli_progress *prog;
    const char *wantA, *wantB; /* show: only these ids */
    int64_t docA, docB;        /* show: their indices, or -1 */
} addCtx;

/* Does the JSON id @id (@n bytes) match the user's @want? A string id
 * matches with or without its quotes. */
static int idMatches(const char *id, size_t n, const char *want)
{
    size_t const w = strlen(want);
    if (n == w && memcmp(id, want, n) == 0) return 1;
    return n == w + 2 && id[0] == '"' && memcmp(id + 1, want, w) == 0;
}

static int onDoc(void *opaque, uint64_t doc, const calque_record *rec)
{
    addCtx *const a = opaque;
    (void)rec;
    if (a->wantA) { /* show: keep the two documents only */
        size_t n;
        const char *const id = cli_id(a->docs, doc, &n);
        int const isA = a->docA < 0 && idMatches(id, n, a->wantA);
        int const isB = !isA && a->docB < 0 && idMatches(id, n, a->wantB);
        if (!isA && !isB) return 0;
        if (isA) a->docA = (int64_t)doc;
        else a->docB = (int64_t)doc;
    }
    int const e = calque_reuseAdd(a->r, rec->text, rec->textLen);
    if (e < 0) {
        cli_error("document %llu: %s", (unsigned long long)doc + 1,
                  calque_errorName(e));
        return e == CALQUE_ENOMEM ? EX_OSERR : EX_DATAERR;
    }
    cli_showProgress(a->prog, a->docs->ndocs, a->docs->bytes);
    return 0;
}

/* The text source of a context that holds a subset of the documents:
 * reuse document k is input document map[k]. */
typedef struct {
    calque_textSource inner;
    const uint64_t *map;
} subsetSource;

static int fetchSubset(void *opaque, uint64_t doc, char *dst, size_t len)
{
    const subsetSource *const s = opaque;
    return s->inner.fetch(s->inner.opaque, s->map[doc], dst, len);
}

static void putNumber(FILE *f, double x)
{
    if (x >= 1.0) fputs("1.0", f);
    else fprintf(f, "%.4f", x);
}

/* ---- calque reuse --------------------------------------------------- */

static void writePairs(const calque_reuse *r, cli_docs *docs, FILE *f)
{
    uint64_t const np = calque_reusePairCount(r);
    for (uint64_t k = 0; k < np; k++) {
        calque_reusePairInfo pi;
        calque_reusePair(r, k, &pi);
        size_t n;
        const char *id = cli_id(docs, pi.a, &n);
        fputs("{\"a\": ", f);
        fwrite(id, 1, n, f);
        fputs(", \"b\": ", f);
        id = cli_id(docs, pi.b, &n);
        fwrite(id, 1, n, f);
        fputs(", \"a_coverage\": ", f);
        putNumber(f, pi.aCoverage);
        fputs(", \"b_coverage\": ", f);
        putNumber(f, pi.bCoverage);
        fputs(", \"passages\": [", f);
        for (uint64_t q = 0; q < pi.passages; q++) {
            calque_reusePassage ps;
            calque_reusePassageAt(r, k, q, &ps);
            fprintf(f, "%s{\"a_start\": %llu, \"a_end\": %llu, "
                    "\"b_start\": %llu, \"b_end\": %llu, \"words\": %llu, "
                    "\"identity\": ", q ? ", " : "",
                    (unsigned long long)ps.aStart, (unsigned long long)ps.aEnd,
                    (unsigned long long)ps.bStart, (unsigned long long)ps.bEnd,
                    (unsigned long long)ps.words);
            putNumber(f, ps.identity);
            putc('}', f);
        }
        fputs("]}\n", f);
    }
}

static void writeGroups(const calque_reuse *r, cli_docs *docs, FILE *f)
{
    for (uint64_t i = 0; i < docs->ndocs; i++) {
        calque_reuseDocInfo di;
        calque_reuseDoc(r, i, &di);
        size_t n;
        const char *id = cli_id(docs, i, &n);
        fputs("{\"id\": ", f);
        fwrite(id, 1, n, f);
        fputs(", \"group\": ", f);
        id = cli_id(docs, di.group, &n);
        fwrite(id, 1, n, f);
        fprintf(f, ", \"reused_words\": %llu",
                (unsigned long long)di.reusedWords);
        cli_putMeta(f, docs, i);
        fputs("}\n", f);
    }
}

/* Creates the context, reads the inputs and finishes. @return 0 or an
 * exit status. */
static int runReuse(cli_common *c, calque_reuseParams *p, addCtx *a,
                    cli_docs *docs, cli_progress *prog)
{
    cli_startProgress(prog, c);
    p->progress = cli_showPhase;
    p->progressOpaque = prog;
    int err = 0;
    a->r = calque_createReuse(p, NULL, &err);
    if (a->r == NULL) {
        cli_error("%s", calque_errorName(err));
        return err == CALQUE_EPARAM ? EX_USAGE : EX_OSERR;
    }
    a->docs = docs;
    a->prog = prog;
    int rc = cli_readInputs(c, docs, onDoc, a);
    if (rc) return rc;
    calque_textSource const inner = cli_textSource(docs);
    uint64_t map[2] = {(uint64_t)a->docA, (uint64_t)a->docB};
    if (a->wantA && a->docA > a->docB) { /* added in input order */
        map[0] = (uint64_t)a->docB;
        map[1] = (uint64_t)a->docA;
    }
    subsetSource sub = {inner, map};
    calque_textSource const src = {fetchSubset, &sub};
    int const e = calque_reuseFinish(a->r, a->wantA ? &src : &inner);
    cli_endProgress(prog);
    if (e < 0) {
        cli_error("%s", calque_errorName(e));
        return e == CALQUE_ENOMEM ? EX_OSERR : EX_SOFTWARE;
    }
    return 0;
}

int cli_reuse(int argc, char **argv)
{
    cli_progName = "calque reuse";
    cli_common c;
    calque_reuseParams p;
    optCtx x;
    parse(argc, argv, &c, &p, &x, usage);
    if (x.a || x.b) cli_usageError("--a and --b belong to calque show");
    cli_docs docs = {0};
    cli_progress prog;
    addCtx a = {0};
    a.docA = a.docB = -1;
    int rc = runReuse(&c, &p, &a, &docs, &prog);
    cli_out out = {0};
    if (rc == 0) rc = cli_openOutput(&out, c.output);
    if (rc == 0) {
        if (x.emit == EMIT_GROUPS) writeGroups(a.r, &docs, out.f);
        else writePairs(a.r, &docs, out.f);
        rc = cli_commitOutput(&out);
    }
    if (rc != 0) cli_abortOutput(&out);
    if (rc == 0 && !c.quiet) {
        calque_reuseStats st;
        calque_reuseGetStats(a.r, &st);
        double const secs = cli_now() - prog.start;
        if (c.verbose)
            fprintf(stderr, "%s: %llu distinct %u-grams, %llu shared, %llu "
                    "over max-df %llu; %llu candidate pairs, %llu aligned; "
                    "index %.1f MB\n",
                    cli_progName, (unsigned long long)st.distinctNgrams,
                    p.ngram, (unsigned long long)st.sharedNgrams,
                    (unsigned long long)st.frequentNgrams,
                    (unsigned long long)st.maxDf,
                    (unsigned long long)st.candidatePairs,
                    (unsigned long long)st.alignedPairs,
                    (double)st.indexBytes / 1e6);
        fprintf(stderr, "%s: %llu documents, %llu pairs, %llu passages, "
                "%llu groups; %.1f MB in %.2f s (%.1f MB/s)", cli_progName,
                (unsigned long long)st.documents,
                (unsigned long long)st.pairs, (unsigned long long)st.passages,
                (unsigned long long)st.groups, (double)docs.bytes / 1e6, secs,
                (double)docs.bytes / 1e6 / (secs + 1e-9));
        cli_putInputFigures(stderr, &docs);
        fputc('\n', stderr);
    }
    calque_freeReuse(a.r);
    cli_freeDocs(&docs);
    return rc;
}

/* ---- calque show ---------------------------------------------------- */

/* Prints @text with the byte ranges [start[i], end[i]) marked. */
static void printMarked(FILE *f, const char *text, size_t len,
                        uint64_t (*ranges)[2], size_t n, int color)
{
    const char *const open = color ? "\033[1;33m" : "[[";
    const char *const close = color ? "\033[0m" : "]]";
    /* Sort the ranges and merge overlaps. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && ranges[j - 1][0] > ranges[j][0]; j--) {
            uint64_t const t0 = ranges[j][0], t1 = ranges[j][1];
            ranges[j][0] = ranges[j - 1][0];
            ranges[j][1] = ranges[j - 1][1];
            ranges[j - 1][0] = t0;
            ranges[j - 1][1] = t1;
        }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = ranges[i][0], e = ranges[i][1];
        while (i + 1 < n && ranges[i + 1][0] <= e) {
            if (ranges[i + 1][1] > e) e = ranges[i + 1][1];
            i++;
        }
        if (s < at) s = at;
        if (e > len) e = len;
        if (s >= e) continue;
        fwrite(text + at, 1, s - at, f);
        fputs(open, f);
        fwrite(text + s, 1, e - s, f);
        fputs(close, f);
        at = e;
    }
    fwrite(text + at, 1, len - at, f);
    putc('\n', f);
}

static char *fetchWhole(cli_docs *docs, uint64_t doc, size_t *len)
{
    calque_textSource const s = cli_originalSource(docs); /* not cleaned */
    *len = docs->textLen[doc];
    char *const t = malloc(*len + 1);
    if (t == NULL || s.fetch(s.opaque, doc, t, *len) != 0) {
        cli_error("cannot read document %llu again",
                  (unsigned long long)doc + 1);
        exit(EX_IOERR);
    }
    return t;
}

int cli_show(int argc, char **argv)
{
    cli_progName = "calque show";
    cli_common c;
    calque_reuseParams p;
    optCtx x;
    parse(argc, argv, &c, &p, &x, showUsage);
    if (x.a == NULL || x.b == NULL) cli_usageError("--a and --b are needed");
    if (c.nfiles == 0) cli_usageError("no input FILE");
    cli_docs docs = {0};
    cli_progress prog;
    addCtx a = {0};
    a.wantA = x.a;
    a.wantB = x.b;
    a.docA = a.docB = -1;
    c.quiet = 1;
    int rc = runReuse(&c, &p, &a, &docs, &prog);
    if (rc == 0 && (a.docA < 0 || a.docB < 0)) {
        cli_error("no document with id %s", a.docA < 0 ? x.a : x.b);
        rc = EX_DATAERR;
    }
    cli_out out = {0};
    if (rc == 0) rc = cli_openOutput(&out, c.output);
    if (rc == 0) {
        int const color = c.output == NULL && isatty(1);
        uint64_t const da = (uint64_t)a.docA, db = (uint64_t)a.docB;
        int const swapped = da > db; /* the context holds them in order */
        uint64_t const np = calque_reusePairCount(a.r);
        calque_reusePairInfo pi = {0};
        if (np) calque_reusePair(a.r, 0, &pi);
        uint64_t (*ra)[2] = calloc(pi.passages + 1, sizeof *ra);
        uint64_t (*rb)[2] = calloc(pi.passages + 1, sizeof *rb);
        FILE *const f = out.f;
        fprintf(f, "%s and %s: %llu passages, %llu words; coverage %.1f%% "
                "of %s, %.1f%% of %s\n", x.a, x.b,
                (unsigned long long)pi.passages, (unsigned long long)pi.words,
                100.0 * (swapped ? pi.bCoverage : pi.aCoverage), x.a,
                100.0 * (swapped ? pi.aCoverage : pi.bCoverage), x.b);
        for (uint64_t q = 0; q < pi.passages; q++) {
            calque_reusePassage ps;
            calque_reusePassageAt(a.r, 0, q, &ps);
            uint64_t const as = swapped ? ps.bStart : ps.aStart;
            uint64_t const ae = swapped ? ps.bEnd : ps.aEnd;
            uint64_t const bs = swapped ? ps.aStart : ps.bStart;
            uint64_t const be = swapped ? ps.aEnd : ps.bEnd;
            fprintf(f, "  passage %llu: %s bytes %llu-%llu, %s bytes "
                    "%llu-%llu, %llu words, identity %.2f\n",
                    (unsigned long long)q + 1, x.a, (unsigned long long)as,
                    (unsigned long long)ae, x.b, (unsigned long long)bs,
                    (unsigned long long)be, (unsigned long long)ps.words,
                    ps.identity);
            ra[q][0] = as;
            ra[q][1] = ae;
            rb[q][0] = bs;
            rb[q][1] = be;
        }
        size_t la, lb;
        char *const ta = fetchWhole(&docs, da, &la);
        char *const tb = fetchWhole(&docs, db, &lb);
        fprintf(f, "\n== %s ==\n", x.a);
        printMarked(f, ta, la, ra, pi.passages, color);
        fprintf(f, "\n== %s ==\n", x.b);
        printMarked(f, tb, lb, rb, pi.passages, color);
        free(ta);
        free(tb);
        free(ra);
        free(rb);
        rc = cli_commitOutput(&out);
    }
    if (rc != 0) cli_abortOutput(&out);
    calque_freeReuse(a.r);
    cli_freeDocs(&docs);
    return rc;
}
