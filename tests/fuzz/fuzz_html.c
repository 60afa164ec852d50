/*
 * fuzz_html.c - libFuzzer target for calque_extractHtml().
 *
 * The first byte chooses the charset hint and the parameters, the rest is
 * the page. Checked on every input: the call returns 0 or one of the
 * documented codes; on success the text is NUL-terminated valid UTF-8
 * without control characters other than '\n', has no leading, trailing or
 * doubled spaces, no more than two newlines in a row, and the title has
 * no newline; on failure both are empty. Any violation aborts.
 *
 *     make fuzz && build/fuzz/fuzz_html tests/fuzz/corpus/html
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calque.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond) abort();
}

/* Valid UTF-8, no controls but '\n', sane spacing. */
static void checkText(const char *s, size_t len, int newlines)
{
    check(s[len] == 0);
    const uint8_t *const p = (const uint8_t *)s;
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        uint8_t const c = p[i];
        if (c < 0x80) {
            check(c >= 0x20 || (newlines && c == '\n'));
            check(c != 0x7F);
            if (c == ' ') {
                check(i > 0 && i + 1 < len && p[i + 1] != ' ' &&
                      p[i - 1] != '\n' && p[i + 1] != '\n');
            }
            run = c == '\n' ? run + 1 : 0;
            check(run <= 2);
            check(c != '\n' || (i > 0 && i + 1 < len));
            i++;
            continue;
        }
        size_t const k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        check(k != 0 && i + k <= len);
        for (size_t j = 1; j < k; j++) check((p[i + j] & 0xC0) == 0x80);
        uint32_t cp = c & (0xFF >> (k + 1));
        for (size_t j = 1; j < k; j++) cp = cp << 6 | (p[i + j] & 0x3F);
        check(cp >= (k == 2 ? 0x80u : k == 3 ? 0x800u : 0x10000u));
        check(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF));
        run = 0;
        i += k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hints[] = {NULL,       "utf-8",  "iso-8859-1",
                                        "utf-16le", "koi8-r", "shift_jis",
                                        "bogus",    NULL};
    uint8_t const mode = size ? data[0] : 0;
    if (size) {
        data++;
        size--;
    }
    calque_htmlParams p;
    calque_initHtmlParams(&p);
    p.allBlocks = (mode >> 3) & 1;
    p.language = (mode >> 4) & 1 ? "fr" : NULL;
    int err = 0;
    calque_htmlExtractor *const ex = calque_createHtmlExtractor(&p, NULL,
                                                               &err);
    check(ex != NULL);
    const char *text = NULL, *title = NULL;
    size_t len = 0, tlen = 0;
    /* Twice on the same extractor: the result must not depend on the
     * previous page. */
    char *first = NULL;
    for (int round = 0; round < 2; round++) {
        int const r = calque_extractHtml(ex, (const char *)data, size,
                                         hints[mode & 7], &text, &len, &title,
                                         &tlen);
        check(r == 0 || r == CALQUE_EBINARY || r == CALQUE_ENOMEM ||
              r == CALQUE_ETOOBIG);
        if (r != 0) {
            check(len == 0 && tlen == 0);
            break;
        }
        checkText(text, len, 1);
        checkText(title, tlen, 0);
        if (round == 0) {
            first = malloc(len + 1);
            check(first != NULL);
            memcpy(first, text, len + 1);
        } else {
            check(strcmp(first, text) == 0);
        }
    }
    free(first);
    calque_freeHtmlExtractor(ex);
    return 0;
}
