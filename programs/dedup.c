/*
 * dedup.c - `calque dedup`: exact and near-duplicate documents.
 *
 * Reads the inputs, hands each text to the library's dedup context (which
 * computes signatures on worker threads), then finishes it and writes the
 * clusters, the kept records or the verified pairs.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { EMIT_CLUSTERS, EMIT_UNIQUE, EMIT_PAIRS };

static void usage(void)
{
    printf(
"Usage: calque dedup [OPTIONS] [FILE...]\n"
"\n"
"Finds exact and near-duplicate documents (MinHash + LSH, verified) and\n"
"clusters them. With no FILE, or FILE '-', reads standard input. A\n"
"directory is read recursively in sorted order. gzip and zstd inputs are\n"
"decompressed on the fly.\n"
"\n"
"Matching:\n"
"  -t, --threshold T     Jaccard threshold (default 0.8)\n"
"      --perms K         MinHash permutations (default 128)\n"
"      --seed S          hash seed (default 1)\n"
"      --bands B --rows R  LSH banding (default: chosen for T)\n"
"      --verify MODE     exact (default: Jaccard recomputed from the text)\n"
"                        or estimate (from the signatures)\n"
"      --emit WHAT       clusters (default), unique or pairs\n"
"      --keep WHICH      representative: first (default) or longest\n"
"\n%s", cli_commonHelp);
}

typedef struct {
    calque_dedup *d;
    cli_docs *docs;
    cli_progress *prog;
} addCtx;

static int onDoc(void *opaque, uint64_t doc, const calque_record *r)
{
    addCtx *const a = opaque;
    int const e = calque_dedupAdd(a->d, r->text, r->textLen);
    if (e < 0) {
        cli_error("document %llu: %s", (unsigned long long)doc + 1,
                  calque_errorName(e));
        return e == CALQUE_ENOMEM ? EX_OSERR : EX_DATAERR;
    }
    cli_showProgress(a->prog, a->docs->ndocs, a->docs->bytes);
    return 0;
}

typedef struct {
    calque_dedupParams *p;
    int *emit;
} optCtx;

enum { O_PERMS = CLI_O_OWN, O_SEED, O_BANDS, O_ROWS, O_VERIFY, O_EMIT,
       O_KEEP };

static void onOption(void *opaque, int o, const char *arg)
{
    optCtx *const x = opaque;
    calque_dedupParams *const p = x->p;
    switch (o) {
    case 't':
        p->threshold = cli_parseDouble("--threshold", arg, 0.01, 1.0);
        break;
    case O_PERMS:
        p->perms = (unsigned)cli_parseUnsigned("--perms", arg, 1, 4096);
        break;
    case O_SEED:
        p->seed = cli_parseUnsigned("--seed", arg, 0, ULONG_MAX);
        break;
    case O_BANDS:
        p->bands = (unsigned)cli_parseUnsigned("--bands", arg, 1, 4096);
        break;
    case O_ROWS:
        p->rows = (unsigned)cli_parseUnsigned("--rows", arg, 1, 4096);
        break;
    case O_VERIFY:
        if (strcmp(arg, "exact") == 0) p->verifyEstimate = 0;
        else if (strcmp(arg, "estimate") == 0) p->verifyEstimate = 1;
        else cli_usageError("--verify: expected exact or estimate, not '%s'",
                            arg);
        break;
    case O_EMIT:
        if (strcmp(arg, "clusters") == 0) *x->emit = EMIT_CLUSTERS;
        else if (strcmp(arg, "unique") == 0) *x->emit = EMIT_UNIQUE;
        else if (strcmp(arg, "pairs") == 0) *x->emit = EMIT_PAIRS;
        else cli_usageError("--emit: expected clusters, unique or pairs, "
                            "not '%s'", arg);
        break;
    case O_KEEP:
        if (strcmp(arg, "first") == 0) p->keepLongest = 0;
        else if (strcmp(arg, "longest") == 0) p->keepLongest = 1;
        else cli_usageError("--keep: expected first or longest, not '%s'",
                            arg);
        break;
    }
}

static void putSimilarity(FILE *f, double s)
{
    if (s >= 1.0) fputs("1.0", f);
    else fprintf(f, "%.4f", s);
}

static int writeResults(calque_dedup *d, cli_docs *docs, int emit,
                        FILE *f)
{
    size_t n;
    const char *id;
    if (emit == EMIT_PAIRS) {
        uint64_t const np = calque_dedupPairCount(d);
        for (uint64_t k = 0; k < np; k++) {
            uint64_t a, b;
            double j;
            calque_dedupPair(d, k, &a, &b, &j);
            fputs("{\"a\": ", f);
            id = cli_id(docs, a, &n);
            fwrite(id, 1, n, f);
            fputs(", \"b\": ", f);
            id = cli_id(docs, b, &n);
            fwrite(id, 1, n, f);
            fputs(", \"jaccard\": ", f);
            putSimilarity(f, j);
            fputs("}\n", f);
        }
        return 0;
    }
    for (uint64_t i = 0; i < docs->ndocs; i++) {
        calque_dedupInfo info;
        calque_dedupResult(d, i, &info);
        if (emit == EMIT_UNIQUE) {
            if (info.duplicate) continue;
            size_t len;
            char *const raw = cli_rawRecord(docs, i, &len);
            calque_format const fmt = docs->inputs[docs->input[i]].format;
            fwrite(raw, 1, len, f);
            /* WARC records end with two CRLFs: the output is a WARC. */
            fputs(fmt == CALQUE_FORMAT_WARC || fmt == CALQUE_FORMAT_WET
                      ? "\r\n\r\n" : "\n", f);
            free(raw);
            continue;
        }
        fputs("{\"id\": ", f);
        id = cli_id(docs, i, &n);
        fwrite(id, 1, n, f);
        fputs(", \"cluster\": ", f);
        id = cli_id(docs, info.cluster, &n);
        fwrite(id, 1, n, f);
        fputs(info.duplicate ? ", \"duplicate\": true, \"similarity\": "
                             : ", \"duplicate\": false, \"similarity\": ",
              f);
        putSimilarity(f, info.similarity);
        cli_putMeta(f, docs, i);
        fputs("}\n", f);
    }
    return 0;
}

int cli_dedup(int argc, char **argv)
{
    cli_progName = "calque dedup";
    cli_common c;
    cli_initCommon(&c);
    calque_dedupParams p;
    calque_initDedupParams(&p);
    int emit = EMIT_CLUSTERS;
    static const struct option own[] = {
        {"threshold", required_argument, 0, 't'},
        {"perms", required_argument, 0, O_PERMS},
        {"seed", required_argument, 0, O_SEED},
        {"bands", required_argument, 0, O_BANDS},
        {"rows", required_argument, 0, O_ROWS},
        {"verify", required_argument, 0, O_VERIFY},
        {"emit", required_argument, 0, O_EMIT},
        {"keep", required_argument, 0, O_KEEP},
        {0, 0, 0, 0}};
    optCtx x = {&p, &emit};
    cli_parseOptions(argc, argv, &c, own, "t:", onOption, &x, usage);
    p.ngram = c.ngram;
    p.threads = c.threads;
    p.keepAccents = c.keepAccents;
    p.allPairs = emit == EMIT_PAIRS; /* verify every candidate */
    if ((p.bands == 0) != (p.rows == 0))
        cli_usageError("--bands and --rows go together");
    if ((uint64_t)p.bands * p.rows > p.perms)
        cli_usageError("--bands x --rows (%u) exceeds --perms (%u)",
                       p.bands * p.rows, p.perms);

    cli_progress prog;
    cli_startProgress(&prog, &c);
    p.progress = cli_showPhase;
    p.progressOpaque = &prog;
    int err = 0;
    calque_dedup *const d = calque_createDedup(&p, NULL, &err);
    if (d == NULL) {
        cli_error("%s", calque_errorName(err));
        return err == CALQUE_EPARAM ? EX_USAGE : EX_OSERR;
    }
    calque_dedupStats st;
    calque_dedupGetStats(d, &st);
    if (c.verbose)
        fprintf(stderr, "%s: LSH with %u bands of %u rows for threshold %.2f "
                "(%u permutations, %u-word shingles)\n", cli_progName,
                st.bands, st.rows, p.threshold, p.perms, p.ngram);

    cli_docs docs = {0};
    docs.keepRaw = emit == EMIT_UNIQUE;
    addCtx ctx = {d, &docs, &prog};
    int rc = cli_readInputs(&c, &docs, onDoc, &ctx);
    cli_out out = {0};
    if (rc == 0) {
        calque_textSource const src = cli_textSource(&docs);
        int const e = calque_dedupFinish(d, &src);
        if (e < 0) {
            cli_error("%s", calque_errorName(e));
            rc = e == CALQUE_ENOMEM ? EX_OSERR : EX_SOFTWARE;
        }
    }
    cli_endProgress(&prog);
    if (rc == 0) rc = cli_openOutput(&out, c.output);
    if (rc == 0) {
        writeResults(d, &docs, emit, out.f);
        rc = cli_commitOutput(&out);
    }
    if (rc != 0) cli_abortOutput(&out);
    if (rc == 0 && !c.quiet) {
        calque_dedupGetStats(d, &st);
        double const secs = cli_now() - prog.start;
        fprintf(stderr, "%s: %llu documents, %llu exact copies, %llu near "
                "copies, %llu clusters; %.1f MB in %.2f s (%.1f MB/s)",
                cli_progName, (unsigned long long)st.documents,
                (unsigned long long)st.exactDuplicates,
                (unsigned long long)st.nearDuplicates,
                (unsigned long long)st.clusters, (double)docs.bytes / 1e6,
                secs, (double)docs.bytes / 1e6 / (secs + 1e-9));
        cli_putInputFigures(stderr, &docs);
        fputc('\n', stderr);
    }
    cli_freeDocs(&docs);
    calque_freeDedup(d);
    return rc;
}
