/*
 * options.c - the command-line options every command shares, parsed with
 * getopt_long over the common table followed by the command's own.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct option commonOpts[] = {
    {"format", required_argument, 0, 'f'},
    {"id-field", required_argument, 0, CLI_O_ID},
    {"text-field", required_argument, 0, CLI_O_TEXT},
    {"date-field", required_argument, 0, CLI_O_DATE},
    {"skip-bad", no_argument, 0, CLI_O_SKIP},
    {"keep-accents", no_argument, 0, CLI_O_ACCENTS},
    {"clean", no_argument, 0, CLI_O_CLEAN},
    {"boilerplate-min-docs", required_argument, 0, CLI_O_MINDOCS},
    {"dedup-lines", no_argument, 0, CLI_O_DEDUPLINES},
    {"max-lines", required_argument, 0, CLI_O_MAXLINES},
    {"ngram", required_argument, 0, 'n'},
    {"output", required_argument, 0, 'o'},
    {"threads", required_argument, 0, 'j'},
    {"quiet", no_argument, 0, 'q'},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, 'h'},
};
#define NCOMMON (sizeof commonOpts / sizeof commonOpts[0])

const char cli_commonHelp[] =
"Input:\n"
"  -f, --format FMT      auto (default), jsonl, text (one file, one doc),\n"
"                        warc, wet or html\n"
"      --id-field NAME   JSONL id field (default id)\n"
"      --text-field NAME JSONL text field (default text)\n"
"      --date-field NAME JSONL date field: ISO 8601, RFC 2822 or epoch\n"
"                        seconds, written out as ISO 8601 UTC\n"
"      --skip-bad        report and skip bad records instead of stopping\n"
"      --keep-accents    accents matter for matching\n"
"  -n, --ngram N         words per n-gram (default 5)\n"
"Cleaning (calque clean, and any command with --clean):\n"
"      --clean           remove boilerplate lines first (a counting pass\n"
"                        over the inputs; byte offsets stay the input's)\n"
"      --boilerplate-min-docs N  a line found in N or more documents is\n"
"                        boilerplate (default 10)\n"
"      --dedup-lines     also remove lines seen in an earlier document\n"
"      --max-lines N     distinct lines counted at most (default 67108864,\n"
"                        16 bytes each)\n"
"Output:\n"
"  -o, --output FILE     write to FILE (atomically) instead of stdout\n"
"  -j, --threads N       worker threads (default: all cores)\n"
"  -q, --quiet           no progress and no summary\n"
"  -v, --verbose         more detail on stderr\n"
"  -h, --help            this help\n";

int cli_parseOptions(int argc, char **argv, cli_common *c,
                     const struct option *own, const char *ownShort,
                     cli_onOption on, void *opaque, void (*usage)(void))
{
    size_t nown = 0;
    while (own && own[nown].name) nown++;
    struct option *const all = calloc(NCOMMON + nown + 1, sizeof *all);
    if (all == NULL) {
        cli_error("out of memory");
        exit(EX_OSERR);
    }
    memcpy(all, commonOpts, sizeof commonOpts);
    if (nown) memcpy(all + NCOMMON, own, nown * sizeof *own);
    char shortOpts[64];
    snprintf(shortOpts, sizeof shortOpts, ":f:n:o:j:qvh%s",
             ownShort ? ownShort : "");
    opterr = 0;
    for (;;) {
        int const o = getopt_long(argc, argv, shortOpts, all, NULL);
        if (o == -1) break;
        switch (o) {
        case 'f': c->format = cli_parseFormat(optarg); break;
        case CLI_O_ID: c->idField = optarg; break;
        case CLI_O_DATE: c->dateField = optarg; break;
        case CLI_O_TEXT: c->textField = optarg; break;
        case CLI_O_SKIP: c->skipBad = 1; break;
        case CLI_O_ACCENTS: c->keepAccents = 1; break;
        case CLI_O_CLEAN: c->clean = 1; break;
        case CLI_O_MINDOCS:
            c->minDocs = (unsigned)cli_parseUnsigned("--boilerplate-min-docs",
                                                     optarg, 2, UINT32_MAX);
            break;
        case CLI_O_DEDUPLINES: c->dedupLines = 1; break;
        case CLI_O_MAXLINES:
            c->maxLines = cli_parseUnsigned("--max-lines", optarg, 1,
                                            3000000000UL);
            break;
        case 'n':
            c->ngram = (unsigned)cli_parseUnsigned("--ngram", optarg, 1, 64);
            break;
        case 'o': c->output = optarg; break;
        case 'j':
            c->threads =
                (unsigned)cli_parseUnsigned("--threads", optarg, 1, 1024);
            break;
        case 'q': c->quiet = 1; break;
        case 'v': c->verbose = 1; break;
        case 'h':
            free(all);
            usage();
            exit(0);
        case ':':
            cli_usageError("option '%s' needs a value", argv[optind - 1]);
        case '?':
            cli_usageError("unknown option '%s'", argv[optind - 1]);
        default:
            on(opaque, o, optarg);
        }
    }
    free(all);
    c->files = argv + optind;
    c->nfiles = argc - optind;
    return optind;
}
