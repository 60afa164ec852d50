/*
 * runner.c - runs every registered unit test in a child process with a
 * time limit, and prints "N passed, N failed" at the end.
 *
 *     test-runner            all tests
 *     test-runner PATTERN    tests whose name contains PATTERN
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#define MAX_TESTS 1024
#define TIME_LIMIT 120 /* seconds per test, generous for sanitizer builds */

typedef struct {
    const char *name, *file;
    test_fn fn;
} testEntry;
static testEntry tests[MAX_TESTS];
static int ntests;

void test_register(const char *name, test_fn fn, const char *file)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "too many tests\n");
        exit(2);
    }
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    tests[ntests].file = file;
    ntests++;
}

static int byName(const void *a, const void *b)
{
    const char *fa = ((const testEntry *)a)->file;
    const char *fb = ((const testEntry *)b)->file;
    int const c = strcmp(fa, fb);
    return c ? c : strcmp(((const testEntry *)a)->name,
                          ((const testEntry *)b)->name);
}

int main(int argc, char **argv)
{
    const char *const pattern = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    qsort(tests, (size_t)ntests, sizeof tests[0], byName);
    for (int i = 0; i < ntests; i++) {
        if (pattern && !strstr(tests[i].name, pattern)) continue;
        fflush(stdout);
        pid_t const pid = fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid == 0) {
            alarm(TIME_LIMIT);
            tests[i].fn();
            exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            passed++;
            printf("ok   %s\n", tests[i].name);
        } else {
            failed++;
            if (WIFSIGNALED(status))
                printf("FAIL %s (signal %d%s)\n", tests[i].name,
                       WTERMSIG(status),
                       WTERMSIG(status) == SIGALRM ? ", time limit" : "");
            else
                printf("FAIL %s\n", tests[i].name);
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
