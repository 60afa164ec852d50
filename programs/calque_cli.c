/*
 * calque_cli.c - the calque command: dispatches to its subcommands.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
"Usage: calque COMMAND [OPTIONS] [FILE...]\n"
"\n"
"Finds copies, near copies and reused passages in news and web text.\n"
"\n"
"Commands:\n"
"  dedup    exact and near-duplicate documents, clustered\n"
"  reuse    passages shared between documents, with byte offsets\n"
"  show     two documents with their shared passages highlighted\n"
"  clean    boilerplate lines (found in many documents) removed\n"
"\n"
"Run 'calque COMMAND --help' for the options of a command.\n"
"  --version   print the version\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *const cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("calque %s (library %u)\n", CALQUE_VERSION_STRING,
               calque_versionNumber());
        return 0;
    }
    if (strcmp(cmd, "dedup") == 0) return cli_dedup(argc - 1, argv + 1);
    if (strcmp(cmd, "reuse") == 0) return cli_reuse(argc - 1, argv + 1);
    if (strcmp(cmd, "show") == 0) return cli_show(argc - 1, argv + 1);
    if (strcmp(cmd, "clean") == 0) return cli_clean(argc - 1, argv + 1);
    fprintf(stderr, "calque: unknown command '%s'\n", cmd);
    usage(stderr);
    return EX_USAGE;
}
