/*
 * test_clean.c - corpus-level boilerplate removal through the public API:
 * line normalisation (case, accents, digits, punctuation, spacing), the
 * line counter (a line counted once per document, first documents, a
 * full table, merging per-thread tables), the cleaner (boilerplate and
 * repeated lines, debris left around removed lines, blank mode, texts
 * kept whole, order independence), bad parameters, a failing allocator,
 * and the quality target on a seeded corpus of news-like articles from
 * 20 sites with their own navigation, cookie, share and footer lines.
 *
 * Every text is written here or generated from a seed.
 */
#include <stdarg.h>
#include <time.h>

#include "calque.h"
#include "test.h"

/* Counts @n texts (documents 0..n-1) into a new table. */
static calque_lineCounts *countAll(const char *const *texts, size_t n,
                                   uint64_t maxLines, int trackFirst)
{
    int err = 1;
    calque_lineCounts *const lc =
        calque_createLineCounts(maxLines, trackFirst, NULL, &err);
    ASSERT(lc != NULL);
    ASSERT_EQ(err, 0);
    for (size_t i = 0; i < n; i++)
        ASSERT_EQ(calque_lineCountsAdd(lc, i, texts[i], strlen(texts[i])), 0);
    return lc;
}

static uint32_t docsOf(const calque_lineCounts *lc, const char *line)
{
    return calque_lineCountsGet(lc, calque_lineHash(line, strlen(line)),
                                NULL);
}

/* Cleans @text as document @doc; returns a malloc'd NUL-terminated copy. */
static char *cleanOne(calque_cleaner *c, uint64_t doc, const char *text)
{
    size_t const len = strlen(text);
    char *const dst = malloc(len + 1);
    ASSERT(dst != NULL);
    size_t got = 12345;
    ASSERT_EQ(calque_cleanText(c, doc, text, len, dst, &got), 0);
    ASSERT(got <= len);
    dst[got] = 0;
    return dst;
}

/* ---- Normalisation ------------------------------------------------- */

#define H(s) calque_lineHash((s), strlen(s))

TEST(clean_hash_case_accents_digits)
{
    ASSERT_U64_EQ(H("Économie et Société"), H("economie ET societe"));
    ASSERT_U64_EQ(H("Mis à jour le 12/03/2024 - 14h05"),
                  H("MIS A JOUR LE 01.01.2023, 09h30"));
    /* Decomposed accents equal precomposed ones; ligatures split. */
    ASSERT_U64_EQ(H("e\xCC\x81t\xC3\xA9"), H("\xC3\xA9t\xC3\xA9"));
    ASSERT_U64_EQ(H("\xEF\xAC\x81n"), H("fin")); /* U+FB01 ligature */
    /* Digits of any script, superscripts too, are 0. */
    ASSERT_U64_EQ(H("page \xD9\xA3"), H("page 7")); /* Arabic-Indic 3 */
    ASSERT_U64_EQ(H("m\xC2\xB2"), H("m2"));
    /* A run of digits is one 0, whatever its width. */
    ASSERT_U64_EQ(H("7 commentaires"), H("1234 commentaires"));
    ASSERT_U64_EQ(H("a1b"), H("A987B"));
    ASSERT(H("1 2 commentaires") != H("12 commentaires"));
    /* Punctuation separates words; spacing does not matter. */
    ASSERT_U64_EQ(H("  Accueil | Sport|Culture  "), H("accueil sport culture"));
    ASSERT_U64_EQ(H("l'actu\t\r"), H("l actu"));
    ASSERT_U64_EQ(H("a\xC2\xA0" "b"), H("a b")); /* no-break space */
    /* Soft hyphen and zero width space vanish inside a word. */
    ASSERT_U64_EQ(H("co\xC2\xAD" "op"), H("coop"));
    /* Different words, or words run together, differ. */
    ASSERT(H("accueil sport") != H("accueil sports"));
    ASSERT(H("a b") != H("ab"));
    ASSERT(H("12 mars") != H("12 avril"));
    /* Greek and Cyrillic fold case too; CJK stays as is. */
    ASSERT_U64_EQ(H("\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91"),
                  H("\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1"));
    ASSERT_U64_EQ(H("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90"),
                  H("\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"));
    ASSERT(H("\xE4\xB8\xAD\xE6\x96\x87") != 0);
    ASSERT(H("\xE4\xB8\xAD\xE6\x96\x87") != H("\xE4\xB8\xAD"));
}

TEST(clean_hash_empty_lines)
{
    /* No letter or digit: not a line to count. */
    ASSERT_U64_EQ(H(""), 0);
    ASSERT_U64_EQ(H("   \t\r"), 0);
    ASSERT_U64_EQ(H("----- * * * |"), 0);
    ASSERT_U64_EQ(H("\xC2\xA9 \xE2\x80\x94"), 0); /* "© —" */
    ASSERT_U64_EQ(calque_lineHash(NULL, 0), 0);
    /* Invalid UTF-8 is a symbol, not a letter. */
    ASSERT_U64_EQ(H("\xFF\xFE"), 0);
    ASSERT_U64_EQ(H("a\xFF" "b"), H("a b"));
    ASSERT(H("0") != 0);
}

/* ---- Counting -------------------------------------------------------- */

TEST(clean_count_once_per_document)
{
    const char *const t[] = {
        "Partager sur Facebook\nUn article.\nPartager sur Facebook\n",
        "PARTAGER SUR FACEBOOK\n\nUn autre article.\n",
        "Un troisieme, sans bouton.",
    };
    calque_lineCounts *const lc = countAll(t, 3, 0, 1);
    ASSERT_EQ(docsOf(lc, "partager sur facebook"), 2);
    ASSERT_EQ(docsOf(lc, "Un article."), 1);
    ASSERT_EQ(docsOf(lc, "Jamais vu"), 0);
    uint64_t first = 0;
    ASSERT_EQ(calque_lineCountsGet(lc, H("Un autre article"), &first), 1);
    ASSERT_U64_EQ(first, 1);
    calque_lineCountsGet(lc, H("Jamais vu"), &first);
    ASSERT_U64_EQ(first, UINT64_MAX);
    calque_lineCountsStats st;
    calque_lineCountsGetStats(lc, &st);
    ASSERT_U64_EQ(st.documents, 3);
    ASSERT_U64_EQ(st.lines, 6); /* the blank line is not a line to count */
    ASSERT_U64_EQ(st.distinctLines, 4);
    ASSERT_U64_EQ(st.droppedLines, 0);
    ASSERT_U64_EQ(st.tableBytes, st.slots * 16);
    calque_freeLineCounts(lc);
    /* Without first documents: 12 bytes a slot, first unknown. */
    calque_lineCounts *const lc2 = countAll(t, 3, 0, 0);
    calque_lineCountsGetStats(lc2, &st);
    ASSERT_U64_EQ(st.tableBytes, st.slots * 12);
    ASSERT_EQ(calque_lineCountsGet(lc2, H("Un article"), &first), 1);
    ASSERT_U64_EQ(first, UINT64_MAX);
    calque_freeLineCounts(lc2);
}

TEST(clean_count_first_document_is_least)
{
    int err;
    calque_lineCounts *const lc = calque_createLineCounts(0, 1, NULL, &err);
    ASSERT(lc != NULL);
    ASSERT_EQ(calque_lineCountsAdd(lc, 7, "pied de page", 12), 0);
    ASSERT_EQ(calque_lineCountsAdd(lc, 3, "Pied de page!", 13), 0);
    ASSERT_EQ(calque_lineCountsAdd(lc, 5, "pied  de  page", 14), 0);
    uint64_t first;
    ASSERT_EQ(calque_lineCountsGet(lc, H("pied de page"), &first), 3);
    ASSERT_U64_EQ(first, 3);
    /* First documents are 32-bit. */
    ASSERT_EQ(calque_lineCountsAdd(lc, UINT32_MAX, "x", 1), CALQUE_EPARAM);
    ASSERT_EQ(calque_lineCountsAdd(NULL, 0, "x", 1), CALQUE_EPARAM);
    ASSERT_EQ(calque_lineCountsAdd(lc, 0, NULL, 1), CALQUE_EPARAM);
    ASSERT_EQ(calque_lineCountsAdd(lc, 0, NULL, 0), 0);
    calque_freeLineCounts(lc);
}

TEST(clean_count_table_full)
{
    /* Room for 3 distinct lines: the first 3 are kept and still counted,
     * the others are dropped and counted as dropped. */
    int err;
    calque_lineCounts *const lc = calque_createLineCounts(3, 0, NULL, &err);
    ASSERT(lc != NULL);
    const char *const d0 = "alpha\nbeta\ngamma\ndelta\nepsilon";
    ASSERT_EQ(calque_lineCountsAdd(lc, 0, d0, strlen(d0)), 0);
    const char *const d1 = "alpha\nzeta\nbeta";
    ASSERT_EQ(calque_lineCountsAdd(lc, 1, d1, strlen(d1)), 0);
    ASSERT_EQ(docsOf(lc, "alpha"), 2);
    ASSERT_EQ(docsOf(lc, "beta"), 2);
    ASSERT_EQ(docsOf(lc, "gamma"), 1);
    ASSERT_EQ(docsOf(lc, "delta"), 0);
    ASSERT_EQ(docsOf(lc, "zeta"), 0);
    calque_lineCountsStats st;
    calque_lineCountsGetStats(lc, &st);
    ASSERT_U64_EQ(st.distinctLines, 3);
    ASSERT_U64_EQ(st.droppedLines, 3); /* delta, epsilon, zeta */
    ASSERT_U64_EQ(st.lines, 8);
    ASSERT(st.slots >= 4 && st.slots <= 5); /* exactly sized: 3 * 4 / 3 */
    calque_freeLineCounts(lc);
    /* A large bound is not allocated up front; growing stays within it. */
    calque_lineCounts *const big =
        calque_createLineCounts(1000000, 0, NULL, &err);
    ASSERT(big != NULL);
    calque_lineCountsGetStats(big, &st);
    ASSERT(st.tableBytes <= 16384);
    char line[64];
    for (int i = 0; i < 5000; i++) {
        int const n = snprintf(line, sizeof line, "ligne %c%c%c", 'a' + i % 26,
                               'a' + i / 26 % 26, 'a' + i / 676 % 26);
        ASSERT_EQ(calque_lineCountsAdd(big, (uint64_t)i, line, (size_t)n), 0);
    }
    calque_lineCountsGetStats(big, &st);
    ASSERT_U64_EQ(st.distinctLines, 5000);
    ASSERT(st.distinctLines * 4 <= st.slots * 3); /* load <= 3/4 */
    ASSERT(st.slots * 2 <= st.distinctLines * 4);  /* load > 1/2 */
    ASSERT_EQ(calque_createLineCounts(4000000000ULL, 0, NULL, &err), NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_freeLineCounts(big);
    calque_freeLineCounts(NULL);
}

TEST(clean_count_merge_equals_single_table)
{
    /* Documents split between two tables, then merged, count as one. */
    const char *const t[] = {"menu\nA one", "menu\nB two\nfooter",
                             "C three\nfooter\nmenu", "D four\nmenu"};
    calque_lineCounts *const all = countAll(t, 4, 0, 1);
    int err;
    calque_lineCounts *const a = calque_createLineCounts(0, 1, NULL, &err);
    calque_lineCounts *const b = calque_createLineCounts(0, 1, NULL, &err);
    for (uint64_t i = 0; i < 4; i++) {
        calque_lineCounts *const into = i % 2 ? a : b;
        ASSERT_EQ(calque_lineCountsAdd(into, i, t[i], strlen(t[i])), 0);
    }
    ASSERT_EQ(calque_mergeLineCounts(a, b), 0);
    const char *const lines[] = {"menu", "footer", "A one", "B two",
                                 "C three", "D four"};
    for (size_t k = 0; k < 6; k++) {
        uint64_t fa, fb;
        uint64_t const h = H(lines[k]);
        ASSERT_EQ(calque_lineCountsGet(a, h, &fa),
                  calque_lineCountsGet(all, h, &fb));
        ASSERT_U64_EQ(fa, fb);
    }
    ASSERT_EQ(docsOf(a, "menu"), 4);
    calque_lineCountsStats sa, sall;
    calque_lineCountsGetStats(a, &sa);
    calque_lineCountsGetStats(all, &sall);
    ASSERT_U64_EQ(sa.documents, 4);
    ASSERT_U64_EQ(sa.lines, sall.lines);
    ASSERT_U64_EQ(sa.distinctLines, sall.distinctLines);
    /* A table that tracks first documents needs them from its sources. */
    calque_lineCounts *const nofirst = countAll(t, 1, 0, 0);
    ASSERT_EQ(calque_mergeLineCounts(a, nofirst), CALQUE_EPARAM);
    ASSERT_EQ(calque_mergeLineCounts(nofirst, a), 0);
    ASSERT_EQ(docsOf(nofirst, "menu"), 5);
    ASSERT_EQ(calque_mergeLineCounts(a, a), CALQUE_EPARAM);
    /* A big table merged into an empty one: linear time (its slots are
     * in hash order; inserting them into a small table that grows would
     * pile them up in one cluster: minutes instead of milliseconds). */
    calque_lineCounts *const big = calque_createLineCounts(0, 1, NULL, &err);
    char line[32];
    for (int i = 0; i < 200000; i++) {
        int const n = snprintf(line, sizeof line, "l%c%c%c%c", 'a' + i % 26,
                               'a' + i / 26 % 26, 'a' + i / 676 % 26,
                               'a' + i / 17576 % 26);
        ASSERT_EQ(calque_lineCountsAdd(big, (uint64_t)i, line, (size_t)n), 0);
    }
    calque_lineCounts *const empty = calque_createLineCounts(0, 1, NULL, &err);
    clock_t const t0 = clock();
    ASSERT_EQ(calque_mergeLineCounts(empty, big), 0);
    double const secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ASSERT(secs < 2.0);
    calque_lineCountsStats se;
    calque_lineCountsGetStats(empty, &se);
    ASSERT_U64_EQ(se.distinctLines, 200000);
    ASSERT(se.distinctLines * 4 <= se.slots * 3);
    uint64_t f;
    ASSERT_EQ(calque_lineCountsGet(empty, H("lbaaa"), &f), 1);
    ASSERT_U64_EQ(f, 1);
    calque_freeLineCounts(empty);
    calque_freeLineCounts(big);
    calque_freeLineCounts(nofirst);
    calque_freeLineCounts(a);
    calque_freeLineCounts(b);
    calque_freeLineCounts(all);
}

/* ---- Cleaning -------------------------------------------------------- */

/* Twelve documents sharing a navigation line and a footer whose year
 * changes; each has its own article. */
static char *siteDoc(int i)
{
    char *s = NULL;
    size_t n = 0;
    FILE *const f = open_memstream(&s, &n);
    fprintf(f, "Accueil | Monde | Sport\n\n"
               "Article %c numero %d : le conseil a vote.\n\n"
               "Second paragraphe de l'article %c.\n"
               "---\n"
               "\xC2\xA9 %d Le Quotidien - tous droits "
               "r\xC3\xA9serv\xC3\xA9s\n",
            'A' + i, i, 'A' + i, 2000 + i);
    fclose(f);
    return s;
}

TEST(clean_removes_boilerplate_without_debris)
{
    char *t[12];
    for (int i = 0; i < 12; i++) t[i] = siteDoc(i);
    calque_lineCounts *const lc = countAll((const char *const *)t, 12, 0, 0);
    ASSERT_EQ(docsOf(lc, "accueil monde sport"), 12);
    ASSERT_EQ(docsOf(lc, "(c) 1999 le quotidien, tous droits reserves"), 0);
    ASSERT_EQ(docsOf(lc, "\xC2\xA9 1999 le quotidien tous droits reserves"),
              12);
    int err;
    calque_cleaner *const c = calque_createCleaner(lc, NULL, NULL, &err);
    ASSERT(c != NULL);
    char *const out = cleanOne(c, 3, t[3]);
    /* The leading blank line and the "---" before the footer are debris;
     * the paragraph break between the article's lines stays. */
    ASSERT_STR_EQ(out, "Article D numero 3 : le conseil a vote.\n\n"
                       "Second paragraphe de l'article D.\n");
    free(out);
    calque_cleanStats st;
    calque_cleanerGetStats(c, &st);
    ASSERT_U64_EQ(st.documents, 1);
    ASSERT_U64_EQ(st.lines, 4);
    ASSERT_U64_EQ(st.boilerplateLines, 2);
    ASSERT_U64_EQ(st.repeatedLines, 0);
    ASSERT_U64_EQ(st.bytesIn, strlen(t[3]));
    calque_freeCleaner(c);
    /* With minDocs 13 nothing is boilerplate: the text is unchanged. */
    calque_cleanParams p;
    calque_initCleanParams(&p);
    ASSERT_EQ(p.minDocs, 10);
    p.minDocs = 13;
    calque_cleaner *const c13 = calque_createCleaner(lc, &p, NULL, &err);
    char *const same = cleanOne(c13, 3, t[3]);
    ASSERT_STR_EQ(same, t[3]);
    free(same);
    calque_freeCleaner(c13);
    calque_freeLineCounts(lc);
    for (int i = 0; i < 12; i++) free(t[i]);
}

/* Counts "nav" and "foot" in 10 documents so that they are boilerplate,
 * then cleans @text as document 99 with @p. */
static char *cleanWithNavFoot(const char *text, const calque_cleanParams *p)
{
    int err;
    calque_lineCounts *const lc = calque_createLineCounts(0, 1, NULL, &err);
    for (uint64_t i = 0; i < 10; i++)
        ASSERT_EQ(calque_lineCountsAdd(lc, i, "nav\nfoot\n", 9), 0);
    calque_cleaner *const c = calque_createCleaner(lc, p, NULL, &err);
    ASSERT(c != NULL);
    char *const out = cleanOne(c, 99, text);
    calque_freeCleaner(c);
    calque_freeLineCounts(lc);
    return out;
}

TEST(clean_debris_and_line_ends)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        /* Nothing removed: unchanged, blank lines and all. */
        {"\n\nA\n\n\n\nB\n\n", "\n\nA\n\n\n\nB\n\n"},
        {"", ""},
        {"\n", "\n"},
        /* A removed line between two kept ones: the longest run of blank
         * lines around it stays, once. */
        {"A\n\nnav\n\nB\n", "A\n\nB\n"},
        {"A\nnav\n\n\nB", "A\n\n\nB"},
        {"A\nnav\nB", "A\nB"},
        {"A\r\n\r\nnav\r\n| |\r\nB\r\n", "A\r\n\r\nB\r\n"},
        /* At the start or end: nothing around it stays, and the text ends
         * as it ended. */
        {"nav\n\n---\nA\n", "A\n"},
        {"A\n\nfoot", "A"},
        {"A\n\nfoot\n", "A\n"},
        {"A\nfoot\n\n", "A\n"},
        /* Only boilerplate: nothing at all. */
        {"nav\n\nfoot\n", ""},
        /* Empty and punctuation-only lines are not boilerplate. */
        {"\n* * *\n\n", "\n* * *\n\n"},
        /* Kept lines keep their bytes, case and spacing. */
        {"  NAV  \n  Keep  ME \t\n", "  Keep  ME \t\n"},
    };
    calque_cleanParams p;
    calque_initCleanParams(&p);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *const out = cleanWithNavFoot(cases[i].in, &p);
        if (strcmp(out, cases[i].out) != 0)
            TEST_FAIL_("case %zu: \"%s\" gave \"%s\", expected \"%s\"", i,
                       cases[i].in, out, cases[i].out);
        free(out);
    }
}

TEST(clean_blank_mode_keeps_offsets)
{
    calque_cleanParams p;
    calque_initCleanParams(&p);
    p.blank = 1;
    const char *const in = "nav\n\nAB cd\r\nfoot\r\nEF";
    char *const out = cleanWithNavFoot(in, &p);
    ASSERT_EQ(strlen(out), strlen(in));
    ASSERT_STR_EQ(out, "   \n\nAB cd\r\n    \r\nEF");
    free(out);
}

TEST(clean_keep_emptied)
{
    calque_cleanParams p;
    calque_initCleanParams(&p);
    p.keepEmptied = 1;
    char *const whole = cleanWithNavFoot("nav\n\nfoot\n", &p);
    ASSERT_STR_EQ(whole, "nav\n\nfoot\n");
    free(whole);
    char *const part = cleanWithNavFoot("nav\nA\n", &p);
    ASSERT_STR_EQ(part, "A\n");
    free(part);
}

TEST(clean_dedup_lines)
{
    const char *const t[] = {
        "Alpha line\nRelated: story one\nAlpha line\n",
        "Beta line\nrelated - STORY ONE\n",
        "Gamma line\n",
    };
    calque_lineCounts *const lc = countAll(t, 3, 0, 1);
    calque_cleanParams p;
    calque_initCleanParams(&p);
    p.dedupLines = 1;
    int err;
    calque_cleaner *const c = calque_createCleaner(lc, &p, NULL, &err);
    ASSERT(c != NULL);
    /* Cleaned out of order: the result does not depend on it. */
    char *const o1 = cleanOne(c, 1, t[1]);
    char *const o0 = cleanOne(c, 0, t[0]);
    char *const o1again = cleanOne(c, 1, t[1]);
    ASSERT_STR_EQ(o0, "Alpha line\nRelated: story one\n");
    ASSERT_STR_EQ(o1, "Beta line\n");
    ASSERT_STR_EQ(o1again, o1);
    calque_cleanStats st;
    calque_cleanerGetStats(c, &st);
    ASSERT_U64_EQ(st.repeatedLines, 3); /* twice in doc 1, once in doc 0 */
    ASSERT_U64_EQ(st.boilerplateLines, 0);
    free(o0);
    free(o1);
    free(o1again);
    calque_freeCleaner(c);
    /* dedupLines needs first documents. */
    calque_lineCounts *const nofirst = countAll(t, 3, 0, 0);
    ASSERT_EQ(calque_createCleaner(nofirst, &p, NULL, &err), NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_freeLineCounts(nofirst);
    calque_freeLineCounts(lc);
}

TEST(clean_bad_parameters)
{
    int err = 0;
    ASSERT_EQ(calque_createCleaner(NULL, NULL, NULL, &err), NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_lineCounts *const lc = calque_createLineCounts(0, 0, NULL, NULL);
    ASSERT(lc != NULL);
    calque_cleanParams p;
    calque_initCleanParams(&p);
    p.minDocs = 1;
    ASSERT_EQ(calque_createCleaner(lc, &p, NULL, &err), NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_cleaner *const c = calque_createCleaner(lc, NULL, NULL, NULL);
    ASSERT(c != NULL);
    char dst[4];
    size_t n;
    ASSERT_EQ(calque_cleanText(c, 0, "abc", 3, NULL, &n), CALQUE_EPARAM);
    ASSERT_EQ(calque_cleanText(c, 0, "abc", 3, dst, NULL), CALQUE_EPARAM);
    ASSERT_EQ(calque_cleanText(NULL, 0, "abc", 3, dst, &n), CALQUE_EPARAM);
    ASSERT_EQ(calque_cleanText(c, 0, NULL, 0, NULL, &n), 0);
    ASSERT_EQ(n, 0);
    /* In place. */
    char buf[] = "abc";
    ASSERT_EQ(calque_cleanText(c, 0, buf, 3, buf, &n), 0);
    ASSERT_EQ(n, 3);
    calque_cleanStats st;
    calque_cleanerGetStats(NULL, &st);
    ASSERT_U64_EQ(st.documents, 0);
    calque_freeCleaner(c);
    calque_freeCleaner(NULL);
    calque_freeLineCounts(lc);
}

/* An allocator that fails after @budget allocations. */
typedef struct {
    int budget, live;
} failAlloc;

static void *failingAlloc(void *opaque, size_t size)
{
    failAlloc *const f = opaque;
    if (f->budget-- <= 0) return NULL;
    f->live++;
    return malloc(size);
}

static void failingFree(void *opaque, void *p)
{
    failAlloc *const f = opaque;
    f->live--;
    free(p);
}

TEST(clean_failing_allocator)
{
    /* Every allocation fails in turn: errors are returned, nothing
     * leaks, and the objects stay usable. */
    char text[4096];
    size_t len = 0;
    for (int i = 0; i < 200; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "l%d\n", i);
    int sawNomem = 0, completed = 0;
    for (int budget = 0; budget < 40; budget++) {
        failAlloc f = {budget, 0};
        calque_customMem const mem = {failingAlloc, failingFree, &f};
        int err = 0;
        calque_lineCounts *const lc = calque_createLineCounts(0, 1, &mem,
                                                              &err);
        if (lc == NULL) {
            ASSERT_EQ(err, CALQUE_ENOMEM);
            sawNomem = 1;
            ASSERT_EQ(f.live, 0);
            continue;
        }
        int const e = calque_lineCountsAdd(lc, 0, text, len);
        ASSERT(e == 0 || e == CALQUE_ENOMEM);
        sawNomem |= e != 0;
        calque_cleaner *const c = calque_createCleaner(lc, NULL, &mem, &err);
        if (c) {
            char out[4096];
            size_t n;
            int const r = calque_cleanText(c, 0, text, len, out, &n);
            ASSERT(r == 0 || r == CALQUE_ENOMEM);
            if (r == 0 && e == 0) {
                ASSERT_EQ(n, len);
                completed = 1;
            }
            sawNomem |= r != 0;
        }
        calque_freeCleaner(c);
        calque_freeLineCounts(lc);
        ASSERT_EQ(f.live, 0);
    }
    ASSERT(sawNomem);
    ASSERT(completed);
}

/* ---- Quality on a generated corpus ------------------------------------ */

/* A growable string. */
typedef struct {
    char *s;
    size_t len, cap;
} str;

static void put(str *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ASSERT(b->s != NULL);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void putf(str *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void putf(str *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int const n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp, (size_t)n);
}

/* A pseudo-word of 1-4 syllables, some accented. */
static void putWord(str *b, uint64_t *rng)
{
    static const char *const syl[] = {
        "ba", "ri", "con", "ta", "lu", "mi", "s\xC3\xA9", "pr\xC3\xA9",
        "vo", "gan", "del", "tor", "ni", "qu\xC3\xA8", "sa", "mon", "fa",
        "ro", "pli", "\xC3\xA9t", "cha", "ven", "du", "lo", "gri", "pa"};
    int const n = 1 + (int)(test_rand(rng) % 4);
    for (int i = 0; i < n; i++) {
        const char *const s = syl[test_rand(rng) % 26];
        put(b, s, strlen(s));
    }
}

/* One line of article text: 1-3 sentences of 8-24 words. */
static void putParagraph(str *b, uint64_t *rng)
{
    int const sentences = 1 + (int)(test_rand(rng) % 3);
    for (int s = 0; s < sentences; s++) {
        int const words = 8 + (int)(test_rand(rng) % 17);
        for (int w = 0; w < words; w++) {
            if (w && test_rand(rng) % 9) put(b, " ", 1);
            else if (w) put(b, ", ", 2);
            putWord(b, rng);
        }
        put(b, s + 1 < sentences ? ". " : ".", s + 1 < sentences ? 2 : 1);
    }
}

#define SITES 20
#define PER_SITE 30

/* Line roles, to score the cleaner. */
enum { PLANTED, ARTICLE, SPACER };

typedef struct {
    str text;
    size_t *lineStart; /* byte offset of each line */
    int *role;
    size_t nlines, cap;
} genDoc;

static void addLine(genDoc *d, int role, const char *s, size_t n)
{
    if (d->nlines == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 32;
        d->lineStart = realloc(d->lineStart, d->cap * sizeof *d->lineStart);
        d->role = realloc(d->role, d->cap * sizeof *d->role);
    }
    d->lineStart[d->nlines] = d->text.len;
    d->role[d->nlines++] = role;
    put(&d->text, s, n);
    put(&d->text, "\n", 1);
}

/* Planted line @k of site @site (a varying date, counter or year in some),
 * or NULL when this page does not carry it (about 1 page in 10). */
static int plantedLine(str *b, int site, int k, uint64_t *rng)
{
    static const char *const name[SITES] = {
        "Le Quotidien", "La Gazette", "L'Echo", "Le Courrier", "Ouest Info",
        "Sud Matin", "Le Progr\xC3\xA8s", "La Voix", "Le R\xC3\xA9publicain",
        "L'Ind\xC3\xA9pendant", "Nord Soir", "Le T\xC3\xA9l\xC3\xA9gramme",
        "La D\xC3\xA9p\xC3\xAA" "che", "Le Journal", "L'Union", "Le Phare",
        "Le Messager", "La Montagne", "Le Littoral", "Centre Presse"};
    if (test_rand(rng) % 10 == 0) return 0;
    const char *const s = name[site];
    switch (k) {
    case 0: putf(b, "Accueil | Politique | \xC3\x89" "conomie | Sport | %s TV",
                 s); break;
    case 1: putf(b, "Nous utilisons des cookies pour am\xC3\xA9liorer votre "
                 "exp\xC3\xA9rience sur %s. En poursuivant, vous acceptez "
                 "leur utilisation.", s); break;
    case 2: putf(b, "Publi\xC3\xA9 le %02d/%02d/20%02d \xC3\xA0 %02dh%02d",
                 (int)(test_rand(rng) % 28 + 1), (int)(test_rand(rng) % 12 + 1),
                 (int)(test_rand(rng) % 10 + 15), (int)(test_rand(rng) % 24),
                 (int)(test_rand(rng) % 60)); break;
    case 3: putf(b, "%d commentaires - R\xC3\xA9" "agir \xC3\xA0 cet article "
                 "sur %s", (int)(test_rand(rng) % 900), s); break;
    case 4: put(b, "Partager sur Facebook", 21); break;
    case 5: put(b, "PARTAGER SUR TWITTER", 20); break;
    case 6: putf(b, "Abonnez-vous \xC3\xA0 la newsletter de %s : "
                 "l'essentiel de l'actualit\xC3\xA9 chaque matin", s); break;
    default: putf(b, "\xC2\xA9 %d %s - Tous droits r\xC3\xA9serv\xC3\xA9s",
                  2000 + (int)(test_rand(rng) % 25), s); break;
    }
    return 1;
}

/* Site @site's page around an article of @paras paragraph lines. */
static void makePage(genDoc *d, int site, char *const *paras, int n,
                     uint64_t *rng)
{
    str b = {0};
    for (int k = 0; k < 3; k++) { /* header: nav, cookies, date */
        b.len = 0;
        if (plantedLine(&b, site, k, rng)) addLine(d, PLANTED, b.s, b.len);
    }
    addLine(d, SPACER, "", 0);
    for (int i = 0; i < n; i++) {
        addLine(d, ARTICLE, paras[i], strlen(paras[i]));
        addLine(d, SPACER, "", 0);
    }
    for (int k = 3; k < 8; k++) { /* footer */
        b.len = 0;
        if (plantedLine(&b, site, k, rng)) addLine(d, PLANTED, b.s, b.len);
    }
    free(b.s);
}

TEST(clean_quality_generated_sites)
{
    /* 20 sites x 30 articles; 1 article in 8 is reprinted by 1-4 other
     * sites (in fewer than minDocs documents: must be kept). */
    uint64_t rng = 0x5EED5EED1234ULL;
    genDoc *docs = NULL;
    size_t ndocs = 0, cap = 0;
    for (int a = 0; a < SITES * PER_SITE; a++) {
        int const site = a % SITES;
        int const n = 3 + (int)(test_rand(&rng) % 6);
        char *paras[8];
        for (int i = 0; i < n; i++) {
            str p = {0};
            putParagraph(&p, &rng);
            paras[i] = p.s;
        }
        int const copies = test_rand(&rng) % 8 == 0
                               ? 2 + (int)(test_rand(&rng) % 4) : 1;
        for (int c = 0; c < copies; c++) {
            if (ndocs == cap) {
                cap = cap ? 2 * cap : 256;
                docs = realloc(docs, cap * sizeof *docs);
            }
            genDoc *const d = &docs[ndocs++];
            memset(d, 0, sizeof *d);
            makePage(d, (site + 7 * c) % SITES, paras, n, &rng);
        }
        for (int i = 0; i < n; i++) free(paras[i]);
    }
    ASSERT(ndocs >= 500);
    int err;
    calque_lineCounts *const lc = calque_createLineCounts(0, 0, NULL, &err);
    for (size_t i = 0; i < ndocs; i++)
        ASSERT_EQ(calque_lineCountsAdd(lc, i, docs[i].text.s,
                                       docs[i].text.len), 0);
    /* Blank mode keeps line offsets: a line is removed when its bytes
     * became spaces. */
    calque_cleanParams p;
    calque_initCleanParams(&p);
    p.blank = 1;
    calque_cleaner *const c = calque_createCleaner(lc, &p, NULL, &err);
    calque_initCleanParams(&p);
    calque_cleaner *const cr = calque_createCleaner(lc, &p, NULL, &err);
    ASSERT(c != NULL && cr != NULL);
    uint64_t planted = 0, plantedGone = 0, article = 0, articleGone = 0;
    for (size_t i = 0; i < ndocs; i++) {
        genDoc *const d = &docs[i];
        char *const out = malloc(d->text.len + 1);
        size_t n;
        ASSERT_EQ(calque_cleanText(c, i, d->text.s, d->text.len, out, &n), 0);
        ASSERT_EQ(n, d->text.len);
        int headGone = 1, inHead = 1;
        size_t firstPara = 0;
        for (size_t k = 0; k < d->nlines; k++) {
            if (d->role[k] == SPACER) {
                inHead = 0;
                continue;
            }
            size_t const at = d->lineStart[k];
            int const gone = out[at] != d->text.s[at];
            if (inHead) headGone &= gone;
            if (d->role[k] == ARTICLE && !firstPara) firstPara = at;
            if (d->role[k] == PLANTED) {
                planted++;
                plantedGone += gone;
            } else {
                article++;
                articleGone += gone;
            }
        }
        /* Removing: the article remains, without leading blank lines. */
        ASSERT_EQ(calque_cleanText(cr, i, d->text.s, d->text.len, out, &n),
                  0);
        out[n] = 0;
        ASSERT(n > 0 && out[n - 1] == '\n');
        ASSERT(strstr(out, "\n\n\n") == NULL);
        if (headGone && d->role[0] == PLANTED) { /* no debris before */
            const char *const para = d->text.s + firstPara;
            if (strncmp(out, para, strcspn(para, "\n")) != 0)
                TEST_FAIL_("doc %zu: \"%.200s\" became \"%.200s\"", i,
                           d->text.s, out);
        }
        free(out);
    }
    double const recall = (double)plantedGone / (double)planted;
    double const loss = (double)articleGone / (double)article;
    fprintf(stderr, "  %zu docs: %.2f%% of %llu planted lines removed, "
            "%.3f%% of %llu article lines\n", ndocs, 100 * recall,
            (unsigned long long)planted, 100 * loss,
            (unsigned long long)article);
    ASSERT(recall >= 0.95);
    ASSERT(loss <= 0.01);
    calque_lineCountsStats ls;
    calque_lineCountsGetStats(lc, &ls);
    ASSERT_U64_EQ(ls.documents, ndocs);
    ASSERT_U64_EQ(ls.droppedLines, 0);
    calque_freeCleaner(c);
    calque_freeCleaner(cr);
    calque_freeLineCounts(lc);
    for (size_t i = 0; i < ndocs; i++) {
        free(docs[i].text.s);
        free(docs[i].lineStart);
        free(docs[i].role);
    }
    free(docs);
}
