/*
 * test_reader.c - unit tests of the streaming readers (calque_openReader
 * and friends): JSONL parsing, ids echoed exactly, escapes and UTF-8
 * repair, error recovery, line numbers, gzip and zstd (compressed here with
 * zlib and libzstd), size limits and the text format.
 *
 * Inputs are written to unlinked temporary files made with mkstemp, or
 * streamed through a pipe by a child process for the large ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "calque.h"
#include "io/io.h"
#include "test.h"

/* ---- Helpers ---------------------------------------------------------- */

/* An unlinked temporary file holding [data, data + n), positioned at 0. */
static int tempFd(const void *data, size_t n)
{
    char path[] = "/tmp/calque-reader-XXXXXX";
    int const fd = mkstemp(path);
    ASSERT(fd >= 0);
    unlink(path);
    const char *p = data;
    while (n > 0) {
        ssize_t const w = write(fd, p, n);
        ASSERT(w > 0);
        p += w;
        n -= (size_t)w;
    }
    ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

typedef struct {
    int fd;
    calque_reader *r;
} input;

/* A reader over @n bytes of @data, with @name and options (may be NULL). */
static input openBytes(const void *data, size_t n, const char *name,
                       const calque_readerOptions *opt)
{
    input in;
    int err = 1;
    in.fd = tempFd(data, n);
    in.r = calque_openReader(in.fd, name, opt, NULL, &err);
    ASSERT(in.r != NULL);
    ASSERT_EQ(err, 0);
    return in;
}

static input openStr(const char *s)
{
    return openBytes(s, strlen(s), NULL, NULL);
}

static void closeInput(input in)
{
    calque_freeReader(in.r);
    close(in.fd);
}

/* Reads one record and checks it is good. */
static calque_record next(calque_reader *r)
{
    calque_record rec;
    memset(&rec, 0, sizeof rec);
    int const rc = calque_readRecord(r, &rec);
    if (rc != 1)
        TEST_FAIL_("readRecord: %d (%s), line %" PRIu64 ": %s", rc,
                   calque_errorName(rc), calque_readerLine(r),
                   calque_readerDetail(r));
    return rec;
}

static int status(calque_reader *r)
{
    calque_record rec;
    return calque_readRecord(r, &rec);
}

#define ASSERT_SPAN(p, n, s)                                                  \
    do {                                                                      \
        ASSERT((p) != NULL);                                                  \
        ASSERT_EQ((n), strlen(s));                                            \
        ASSERT_MEM_EQ((p), (s), strlen(s));                                   \
    } while (0)

/* gzip of [src, src + n) as one member. *outLen gets its size. */
static unsigned char *gzipBytes(const void *src, size_t n, size_t *outLen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
                           Z_DEFAULT_STRATEGY), Z_OK);
    size_t const cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *const out = malloc(cap);
    ASSERT(out != NULL);
    z.next_in = (unsigned char *)(uintptr_t)src;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outLen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

/* zstd of [src, src + n) as one frame with a checksum. */
static unsigned char *zstdBytes(const void *src, size_t n, size_t *outLen)
{
    ZSTD_CCtx *const c = ZSTD_createCCtx();
    ASSERT(c != NULL);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    size_t const cap = ZSTD_compressBound(n);
    unsigned char *const out = malloc(cap);
    ASSERT(out != NULL);
    size_t const r = ZSTD_compress2(c, out, cap, src, n);
    ASSERT(!ZSTD_isError(r));
    ZSTD_freeCCtx(c);
    *outLen = r;
    return out;
}

/* Concatenates [a, a + na) and [b, b + nb) into a new buffer. */
static unsigned char *concat(const void *a, size_t na, const void *b,
                             size_t nb)
{
    unsigned char *const out = malloc(na + nb + 1);
    ASSERT(out != NULL);
    memcpy(out, a, na);
    memcpy(out + na, b, nb);
    return out;
}

static const char twoRecords[] = "{\"id\":\"a\",\"text\":\"premier texte\"}\n"
                                 "{\"id\":2,\"text\":\"second texte\"}\n";

/* Checks that @r yields the two records of twoRecords, then the end. */
static void expectTwoRecords(calque_reader *r)
{
    calque_record rec = next(r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"a\"");
    ASSERT_SPAN(rec.text, rec.textLen, "premier texte");
    rec = next(r);
    ASSERT_SPAN(rec.id, rec.idLen, "2");
    ASSERT_SPAN(rec.text, rec.textLen, "second texte");
    ASSERT_EQ(status(r), 0);
    ASSERT_EQ(status(r), 0);
}

/* Reads @r to its end. @return the first negative status, or 0. */
static int drain(calque_reader *r)
{
    int rc;
    while ((rc = status(r)) == 1) continue;
    return rc;
}

/* ---- JSONL fields ----------------------------------------------------- */

TEST(reader_ids_echoed_exactly)
{
    input in = openStr(
        "{\"id\":\"a\\\"b\\u00e9\",\"text\":\"x\"}\n"
        "{\"id\":42,\"text\":\"y\"}\n"
        "{ \"text\" : \"z\" , \"id\" : -1.5e+3 }\n"
        "{\"text\":\"w\"}\n"
        "{\"id\":\"\",\"text\":\"v\"}\n");
    calque_record rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"a\\\"b\\u00e9\"");
    ASSERT_SPAN(rec.text, rec.textLen, "x");
    ASSERT_U64_EQ(rec.number, 1);
    ASSERT_U64_EQ(rec.line, 1);
    ASSERT_SPAN(rec.raw, rec.rawLen,
                "{\"id\":\"a\\\"b\\u00e9\",\"text\":\"x\"}");
    rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "42");
    rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "-1.5e+3");
    ASSERT_SPAN(rec.text, rec.textLen, "z");
    rec = next(in.r);
    ASSERT(rec.id == NULL);
    ASSERT_EQ(rec.idLen, 0);
    ASSERT_U64_EQ(rec.number, 4);
    rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"\"");
    ASSERT_EQ(status(in.r), 0);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_JSONL);
    closeInput(in);
}

TEST(reader_id_of_wrong_type_is_field_error)
{
    input in = openStr("{\"id\":null,\"text\":\"a\"}\n"
                       "{\"id\":[1],\"text\":\"b\"}\n"
                       "{\"id\":{\"x\":1},\"text\":\"c\"}\n"
                       "{\"id\":true,\"text\":\"d\"}\n"
                       "{\"id\":7,\"text\":\"e\"}\n");
    for (int k = 1; k <= 4; k++) {
        ASSERT_EQ(status(in.r), CALQUE_EFIELD);
        ASSERT_U64_EQ(calque_readerLine(in.r), k);
        ASSERT_STR_EQ(calque_readerDetail(in.r),
                      "field \"id\" must be a string or number");
    }
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "7");
    ASSERT_U64_EQ(rec.number, 5); /* bad records keep their numbers */
    closeInput(in);
}

TEST(reader_text_field_missing_or_not_string)
{
    input in = openStr("{\"id\":1}\n"
                       "{\"id\":2,\"text\":3}\n"
                       "{\"id\":3,\"text\":null}\n"
                       "{}\n"
                       "{\"id\":5,\"text\":\"ok\"}\n");
    ASSERT_EQ(status(in.r), CALQUE_EFIELD);
    ASSERT_STR_EQ(calque_readerDetail(in.r), "missing field \"text\"");
    ASSERT_EQ(status(in.r), CALQUE_EFIELD);
    ASSERT_STR_EQ(calque_readerDetail(in.r),
                  "field \"text\" is not a string");
    ASSERT_U64_EQ(calque_readerLine(in.r), 2);
    ASSERT_EQ(status(in.r), CALQUE_EFIELD);
    ASSERT_EQ(status(in.r), CALQUE_EFIELD);
    ASSERT_U64_EQ(calque_readerLine(in.r), 4);
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "ok");
    ASSERT_U64_EQ(calque_readerLine(in.r), 5);
    closeInput(in);
}

TEST(reader_custom_field_names)
{
    calque_readerOptions opt = {CALQUE_FORMAT_JSONL, "url", "body", 0, NULL, 0};
    static const char data[] =
        "{\"id\":\"no\",\"text\":\"no\",\"url\":\"http://x\",\"body\":\"b\"}\n"
        "{\"url\":\"u\",\"text\":\"t\"}\n";
    input in = openBytes(data, strlen(data), "ignored.txt", &opt);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_JSONL);
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"http://x\"");
    ASSERT_SPAN(rec.text, rec.textLen, "b");
    ASSERT_EQ(status(in.r), CALQUE_EFIELD);
    ASSERT_STR_EQ(calque_readerDetail(in.r), "missing field \"body\"");
    closeInput(in);
}

TEST(reader_keys_with_escapes_and_repeated_fields)
{
    input in = openStr("{\"t\\u0065xt\":\"escaped key\",\"\\u0069d\":9}\n"
                       "{\"text\":\"first\",\"text\":\"last\"}\n"
                       "{\"te\\nxt\":\"not it\",\"text\":\"it\"}\n");
    calque_record rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "escaped key");
    ASSERT_SPAN(rec.id, rec.idLen, "9");
    rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "last");
    rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "it");
    closeInput(in);
}

TEST(reader_skips_other_values_of_any_type)
{
    input in = openStr(
        "{\"meta\":{\"a\":[1,{\"b\":\"}\\\"]\"},[],{}],\"c\":null},"
        "\"text\":\"t\",\"n\":[true,false,-0.5E+2,0,1e9,\"\\u12aB\"],"
        "\"deep\":[[[[[{\"x\":[[]]}]]]]],\"s\":\"\\\\\"}\n");
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "t");
    ASSERT(rec.id == NULL);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

/* ---- Strings ---------------------------------------------------------- */

TEST(reader_decodes_escapes_and_surrogates)
{
    input in = openStr(
        "{\"text\":\"a\\nb\\t\\\"\\\\\\/\\b\\f\\r"
        "\\u00e9\\u20AC\\ud83d\\ude00\"}\n"
        "{\"text\":\"x\\ud800y\\udc00z\\ud800\\ud83d\\ude00\\ude00\"}\n"
        "{\"text\":\"\\ud83d\"}\n");
    calque_record rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen,
                "a\nb\t\"\\/\b\f\r\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen,
                "x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD\xF0\x9F\x98\x80"
                "\xEF\xBF\xBD");
    rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "\xEF\xBF\xBD");
    ASSERT_U64_EQ(calque_readerInvalidUtf8(in.r), 0); /* not UTF-8 errors */
    closeInput(in);
}

TEST(reader_text_without_escapes_is_exact)
{
    /* Long enough for several scanner words, with accents between. */
    static const char text[] =
        "L\xC3\xA9o a \xC3\xA9t\xC3\xA9 \xC3\xA0 la plage, \xE2\x80\x99"
        "apr\xC3\xA8s-midi \xE2\x80\x94 ensuite \xE4\xB8\xAD\xE6\x96\x87 "
        "et \xF0\x9F\x98\x80 fin d'une phrase assez longue pour le test.";
    char line[512];
    snprintf(line, sizeof line, "{\"id\":1,\"text\":\"%s\"}\n", text);
    input in = openStr(line);
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, text);
    ASSERT_U64_EQ(calque_readerInvalidUtf8(in.r), 0);
    closeInput(in);
}

TEST(reader_replaces_and_counts_invalid_utf8)
{
    /* FF: 1; C3 '(': 1; E2 82 then quote: 1 (maximal subpart); ED A0 80
     * (an encoded surrogate): 3; C0 AF and E0 80 80 (overlong): 2 + 3;
     * F4 90 80 80 (above U+10FFFF): 4; then a valid 'é'. 15 in all, with
     * an escape too. */
    static const char data[] =
        "{\"id\":\"\xFF\",\"text\":\"a\xFF" "b\xC3(\xED\xA0\x80"
        "\xC0\xAF\xE0\x80\x80\xF4\x90\x80\x80\xC3\xA9\\n\xE2\x82\"}\n"
        "{\"text\":\"\xE2\x82\xAC ok\"}\n";
    input in = openBytes(data, sizeof data - 1, NULL, NULL);
    calque_record rec = next(in.r);
    ASSERT_SPAN(rec.id, rec.idLen, "\"\xFF\""); /* raw, as in the input */
#define R "\xEF\xBF\xBD" /* U+FFFD */
    ASSERT_SPAN(rec.text, rec.textLen,
                "a" R "b" R "(" R R R R R R R R R R R R "\xC3\xA9\n" R);
#undef R
    ASSERT_U64_EQ(calque_readerInvalidUtf8(in.r), 15);
    rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "\xE2\x82\xAC ok");
    ASSERT_U64_EQ(calque_readerInvalidUtf8(in.r), 15);
    closeInput(in);
}

TEST(reader_nul_bytes)
{
    static const char data[] = "{\"text\":\"a\0b\"}\n"
                               "{\"text\":\"a\\u0000b\"}\n"
                               "{\"text\":\"tab\tin string\"}\n";
    input in = openBytes(data, sizeof data - 1, NULL, NULL);
    ASSERT_EQ(status(in.r), CALQUE_EJSON);
    ASSERT_STR_EQ(calque_readerDetail(in.r),
                  "control character in string at byte 11");
    calque_record const rec = next(in.r);
    ASSERT_EQ(rec.textLen, 3);
    ASSERT_MEM_EQ(rec.text, "a\0b", 3);
    ASSERT_U64_EQ(rec.line, 2);
    ASSERT_EQ(status(in.r), CALQUE_EJSON);
    ASSERT_U64_EQ(calque_readerLine(in.r), 3);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

/* Appends one random piece of a JSON string body to @b: plain ASCII,
 * well-formed 2, 3 and 4 byte UTF-8, ill-formed bytes, or an escape. */
static size_t randomPiece(uint64_t *seed, char *b)
{
    static const char *const pieces[] = {
        "abc", "Le chat", " ", "\xC3\xA9", "\xE2\x80\x99", "\xF0\x9F\x98\x80",
        "\xE4\xB8\xAD", "\xD0\xB6", "\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80",
        "\xC0\xAF", "\xF4\x90\x80\x80", "\x80", "\xF0\x9F\x98", "\\n", "\\\"",
        "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\u0000", "\\/",
        "0123456789abcdef", "\xE0\xA0\x80", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF"};
    size_t const n = sizeof pieces / sizeof pieces[0];
    uint64_t const r = test_rand(seed);
    /* Mostly valid text, so that long runs reach the block scanner. */
    const char *const piece = pieces[r % 8 < 6 ? r / 8 % 8 : r / 8 % n];
    size_t const len = strlen(piece);
    memcpy(b, piece, len);
    return len;
}

TEST(reader_ssse3_and_portable_decoders_agree)
{
    if (!calque__ioHaveSsse3()) return; /* nothing to compare */
    enum { CAP = 4096 };
    char *const line = malloc(CAP + CALQUE__IO_PAD);
    char *const out1 = malloc(3 * CAP + CALQUE__IO_PAD);
    char *const out2 = malloc(3 * CAP + CALQUE__IO_PAD);
    char key[64];
    ASSERT(line && out1 && out2);
    calque__jsonLine a, b;
    memset(&a, 0, sizeof a);
    a.idField = "id";
    a.idFieldLen = 2;
    a.textField = "text";
    a.textFieldLen = 4;
    a.maxFieldLen = 4;
    a.key = key;
    b = a;
    a.out = out1;
    a.fast = 1;
    b.out = out2;
    b.fast = 0;
    uint64_t seed = 99;
    int invalid = 0, valid = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t const lead = test_rand(&seed) % 17; /* vary the alignment */
        memset(line, ' ', lead);
        size_t n = lead + (size_t)sprintf(line + lead, "{\"text\":\"");
        size_t const pieces = test_rand(&seed) % 40;
        for (size_t k = 0; k < pieces; k++) n += randomPiece(&seed, line + n);
        n += (size_t)sprintf(line + n, "\"}");
        line[n] = '\n';
        memset(line + n + 1, test_rand(&seed) & 1 ? 0xC3 : '"',
               CALQUE__IO_PAD - 1);
        int const ra = calque__parseLine(&a, line, n);
        int const rb = calque__parseLine(&b, line, n);
        ASSERT_EQ(ra, rb);
        ASSERT_STR_EQ(a.detail, b.detail);
        if (ra < 0) continue;
        ASSERT_EQ(a.textLen, b.textLen);
        ASSERT(memcmp(a.text, b.text, a.textLen) == 0);
        ASSERT_U64_EQ(a.invalidUtf8, b.invalidUtf8);
        if (a.invalidUtf8) invalid++;
        else valid++;
    }
    if (invalid < 1000 || valid < 1000) /* both kinds must be tried */
        TEST_FAIL_("%d with invalid UTF-8, %d without", invalid, valid);
    free(line);
    free(out1);
    free(out2);
}

/* ---- Malformed JSON --------------------------------------------------- */

TEST(reader_malformed_json_reports_and_continues)
{
    static const struct {
        const char *line, *detail;
    } bad[] = {
        {"{\"id\":1 \"text\":\"x\"}", "expected ',' or '}' at byte 9"},
        {"{\"text\" \"x\"}", "expected ':' after key at byte 9"},
        {"{\"text\":\"x\",}", "expected a key at byte 13"},
        {"{\"text\":\"x\"} tail",
         "unexpected data after the object at byte 14"},
        {"[1,2]", "expected '{' at byte 1"},
        {"  \"text\"", "expected '{' at byte 3"},
        {"{\"a\":tru,\"text\":\"x\"}", "expected a value at byte 6"},
        {"{\"a\":01,\"text\":\"x\"}", "expected ',' or '}' at byte 7"},
        {"{\"a\":1.,\"text\":\"x\"}", "expected a digit at byte 8"},
        {"{\"a\":-,\"text\":\"x\"}", "expected a value at byte 6"},
        {"{\"a\":[1,],\"text\":\"x\"}", "expected a value at byte 9"},
        {"{\"a\":[1}", "expected ',' or ']' at byte 8"},
        {"{\"a\":{\"b\"},\"text\":\"x\"}", "expected ':' after key at byte 10"},
        {"{\"text\":\"unterminated", "unterminated string at byte 22"},
        {"{\"text\":\"bad \\x escape\"}", "invalid escape at byte 14"},
        {"{\"text\":\"bad \\u12G4\"}", "invalid \\u escape at byte 14"},
        {"{\"a\":\"\\q\",\"text\":\"x\"}", "invalid escape at byte 7"},
        {"{\"text\":\"x\"", "expected ',' or '}' at byte 12"},
        {"{", "expected a key at byte 2"},
        {"{\"text\":\"x\"}}", "unexpected data after the object at byte 13"},
    };
    size_t const nbad = sizeof bad / sizeof bad[0];
    char data[4096];
    size_t n = 0;
    for (size_t i = 0; i < nbad; i++)
        n += (size_t)snprintf(data + n, sizeof data - n,
                              "%s\n{\"id\":%zu,\"text\":\"good\"}\n",
                              bad[i].line, i);
    input in = openBytes(data, n, NULL, NULL);
    for (size_t i = 0; i < nbad; i++) {
        int const rc = status(in.r);
        if (rc != CALQUE_EJSON) TEST_FAIL_("case %zu: %d", i, rc);
        ASSERT_U64_EQ(calque_readerLine(in.r), 2 * i + 1);
        ASSERT_STR_EQ(calque_readerDetail(in.r), bad[i].detail);
        calque_record const rec = next(in.r);
        ASSERT_U64_EQ(rec.line, 2 * i + 2);
        ASSERT_U64_EQ(rec.number, 2 * i + 2);
        char id[32];
        snprintf(id, sizeof id, "%zu", i);
        ASSERT_SPAN(rec.id, rec.idLen, id);
    }
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

TEST(reader_deep_nesting_is_bounded)
{
    size_t const depth = 5000;
    char *const data = malloc(2 * depth + 64);
    ASSERT(data != NULL);
    size_t n = (size_t)sprintf(data, "{\"a\":");
    memset(data + n, '[', depth);
    n += depth;
    memset(data + n, ']', depth);
    n += depth;
    n += (size_t)sprintf(data + n, ",\"text\":\"x\"}\n{\"text\":\"y\"}\n");
    input in = openBytes(data, n, NULL, NULL);
    ASSERT_EQ(status(in.r), CALQUE_EJSON);
    ASSERT(strstr(calque_readerDetail(in.r), "nesting too deep") != NULL);
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "y");
    closeInput(in);
    free(data);
}

/* ---- Lines ------------------------------------------------------------ */

TEST(reader_empty_and_blank_inputs)
{
    input in = openStr("");
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    in = openStr("\n  \n\t\r\n\r\n");
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

TEST(reader_line_ends_and_blank_lines)
{
    input in = openStr("\n  \n{\"text\":\"a\"}\r\n\t \r\n\n"
                       "{\"text\":\"b\" }  \r\n{\"text\":\"c\"}");
    calque_record rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "a");
    ASSERT_SPAN(rec.raw, rec.rawLen, "{\"text\":\"a\"}");
    ASSERT_U64_EQ(rec.line, 3);
    ASSERT_U64_EQ(rec.number, 1);
    rec = next(in.r);
    ASSERT_SPAN(rec.raw, rec.rawLen, "{\"text\":\"b\" }  ");
    ASSERT_U64_EQ(rec.line, 6);
    ASSERT_U64_EQ(rec.number, 2);
    rec = next(in.r); /* last line, no newline */
    ASSERT_SPAN(rec.text, rec.textLen, "c");
    ASSERT_SPAN(rec.raw, rec.rawLen, "{\"text\":\"c\"}");
    ASSERT_U64_EQ(rec.line, 7);
    ASSERT_U64_EQ(calque_readerLine(in.r), 7);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

TEST(reader_last_line_without_newline_after_error)
{
    input in = openStr("{\"text\":\"a\"}\n{\"text\":\"b\\");
    next(in.r);
    ASSERT_EQ(status(in.r), CALQUE_EJSON);
    ASSERT_U64_EQ(calque_readerLine(in.r), 2);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

TEST(reader_unterminated_last_line_after_window_move)
{
    /* Records up to 5 bytes before the end of the first 1 MiB read, then
     * an unterminated last line across it: its start moves to the front of
     * the window, where old records follow it; they must not be taken for
     * its end. */
    size_t const at = (1u << 20) - 5;
    char *const data = malloc(at + 64);
    ASSERT(data != NULL);
    size_t len = (size_t)sprintf(data, "{\"text\":\"abcdefghij\"}\n");
    while (len + 2 * 13 <= at)
        len += (size_t)sprintf(data + len, "{\"text\":\"a\"}\n");
    size_t const pad = at - len - 13;
    len += (size_t)sprintf(data + len, "{\"text\":\"%*s\"}\n",
                           (int)pad + 1, "a");
    ASSERT_EQ(len, at);
    len += (size_t)sprintf(data + len, "{\"text\":\"abc");
    input in = openBytes(data, len, NULL, NULL);
    ASSERT_EQ(drain(in.r), CALQUE_EJSON);
    ASSERT_STR_EQ(calque_readerDetail(in.r), "unterminated string at byte 13");
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(data);
}

TEST(reader_skips_byte_order_mark)
{
    input in = openStr("\xEF\xBB\xBF{\"text\":\"a\"}\n");
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "a");
    closeInput(in);
}

/* ---- Compression ------------------------------------------------------ */

TEST(reader_gzip)
{
    size_t n;
    unsigned char *const gz = gzipBytes(twoRecords, strlen(twoRecords), &n);
    input in = openBytes(gz, n, "news.jsonl.gz", NULL);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_JSONL);
    expectTwoRecords(in.r);
    closeInput(in);
    free(gz);
}

TEST(reader_gzip_multi_member)
{
    /* The record boundary falls inside the first member. */
    size_t const cut = 20, total = strlen(twoRecords);
    size_t n1, n2;
    unsigned char *const a = gzipBytes(twoRecords, cut, &n1);
    unsigned char *const b = gzipBytes(twoRecords + cut, total - cut, &n2);
    unsigned char *const ab = concat(a, n1, b, n2);
    input in = openBytes(ab, n1 + n2, NULL, NULL);
    expectTwoRecords(in.r);
    closeInput(in);
    free(a);
    free(b);
    free(ab);
}

TEST(reader_gzip_large_members)
{
    /* Two members of about 1.5 MB of records each, larger than one read
     * of compressed input, so members end and resume across reads. */
    uint64_t seed = 11;
    size_t const half = 3u << 19;
    char *const data = malloc(2 * half + 256);
    ASSERT(data != NULL);
    size_t n = 0;
    uint64_t count = 0;
    while (n < 2 * half) {
        n += (size_t)sprintf(data + n, "{\"id\":%" PRIu64 ",\"text\":\"",
                             ++count);
        for (int k = 0; k < 60; k++)
            data[n++] = (char)('a' + test_rand(&seed) % 26);
        n += (size_t)sprintf(data + n, "\"}\n");
    }
    size_t n1, n2;
    unsigned char *const a = gzipBytes(data, half, &n1);
    unsigned char *const b = gzipBytes(data + half, n - half, &n2);
    ASSERT(n1 > (300u << 10));
    unsigned char *const ab = concat(a, n1, b, n2);
    input in = openBytes(ab, n1 + n2, NULL, NULL);
    const char *p = data;
    for (uint64_t i = 1; i <= count; i++) {
        calque_record const rec = next(in.r);
        const char *const nl = strchr(p, '\n');
        ASSERT_EQ(rec.rawLen, (size_t)(nl - p));
        ASSERT(memcmp(rec.raw, p, rec.rawLen) == 0);
        p = nl + 1;
    }
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(a);
    free(b);
    free(ab);
    free(data);
}

TEST(reader_zstd_multi_frame)
{
    size_t const cut = 45, total = strlen(twoRecords);
    size_t n1, n2;
    unsigned char *const a = zstdBytes(twoRecords, cut, &n1);
    unsigned char *const b = zstdBytes(twoRecords + cut, total - cut, &n2);
    unsigned char *const ab = concat(a, n1, b, n2);
    input in = openBytes(ab, n1 + n2, "x.ndjson.zst", NULL);
    expectTwoRecords(in.r);
    closeInput(in);
    in = openBytes(a, n1, NULL, NULL); /* one frame alone */
    ASSERT_EQ(status(in.r), 1);
    ASSERT_EQ(status(in.r), CALQUE_EJSON); /* the cut second line */
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(a);
    free(b);
    free(ab);
}

TEST(reader_truncated_compressed_input)
{
    size_t n;
    unsigned char *const gz = gzipBytes(twoRecords, strlen(twoRecords), &n);
    size_t const cuts[] = {n - 1, n - 8, n / 2, 3};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        input in = openBytes(gz, cuts[i], NULL, NULL);
        ASSERT_EQ(drain(in.r), CALQUE_ETRUNCATED);
        ASSERT_EQ(status(in.r), CALQUE_ETRUNCATED); /* final */
        closeInput(in);
    }
    free(gz);
    unsigned char *const zs = zstdBytes(twoRecords, strlen(twoRecords), &n);
    size_t const zcuts[] = {n - 1, n - 4, n / 2, 5};
    for (size_t i = 0; i < sizeof zcuts / sizeof zcuts[0]; i++) {
        input in = openBytes(zs, zcuts[i], NULL, NULL);
        ASSERT_EQ(drain(in.r), CALQUE_ETRUNCATED);
        ASSERT_EQ(status(in.r), CALQUE_ETRUNCATED);
        closeInput(in);
    }
    free(zs);
}

TEST(reader_corrupt_compressed_input)
{
    size_t n;
    unsigned char *const gz = gzipBytes(twoRecords, strlen(twoRecords), &n);
    gz[n - 6] ^= 0x55; /* the CRC-32 of the member */
    input in = openBytes(gz, n, NULL, NULL);
    ASSERT_EQ(drain(in.r), CALQUE_ECOMPRESSED);
    ASSERT_EQ(status(in.r), CALQUE_ECOMPRESSED);
    closeInput(in);
    gz[n - 6] ^= 0x55;
    unsigned char *const junk = concat(gz, n, "junk after", 10);
    in = openBytes(junk, n + 10, NULL, NULL);
    ASSERT_EQ(drain(in.r), CALQUE_ECOMPRESSED);
    closeInput(in);
    gz[3] = 0xE0; /* reserved header flags */
    in = openBytes(gz, n, NULL, NULL);
    ASSERT_EQ(drain(in.r), CALQUE_ECOMPRESSED);
    closeInput(in);
    free(junk);
    free(gz);

    unsigned char *const zs = zstdBytes(twoRecords, strlen(twoRecords), &n);
    zs[n - 2] ^= 0x55; /* the frame checksum */
    in = openBytes(zs, n, NULL, NULL);
    ASSERT_EQ(drain(in.r), CALQUE_ECOMPRESSED);
    closeInput(in);
    free(zs);
}

TEST(reader_read_error_is_final)
{
    int const fd = open("/tmp", O_RDONLY | O_DIRECTORY);
    ASSERT(fd >= 0);
    int err = 1;
    calque_reader *const r = calque_openReader(fd, NULL, NULL, NULL, &err);
    ASSERT(r != NULL);
    ASSERT_EQ(status(r), CALQUE_EIO);
    ASSERT_EQ(status(r), CALQUE_EIO);
    ASSERT_U64_EQ(calque_readerLine(r), 1);
    calque_freeReader(r);
    close(fd);
}

/* ---- Limits ----------------------------------------------------------- */

TEST(reader_record_too_big_is_skipped)
{
    calque_readerOptions opt = {CALQUE_FORMAT_JSONL, NULL, NULL, 100, NULL, 0};
    char data[4096];
    char big[1001];
    memset(big, 'x', 1000);
    big[1000] = 0;
    size_t const n = (size_t)snprintf(
        data, sizeof data,
        "{\"text\":\"small\"}\n{\"text\":\"%s\"}\n{\"text\":\"after\"}\n"
        "{\"text\":\"%s\"}",
        big, big);
    input in = openBytes(data, n, NULL, &opt);
    next(in.r);
    ASSERT_EQ(status(in.r), CALQUE_ETOOBIG);
    ASSERT_U64_EQ(calque_readerLine(in.r), 2);
    calque_record const rec = next(in.r);
    ASSERT_SPAN(rec.text, rec.textLen, "after");
    ASSERT_U64_EQ(rec.line, 3);
    ASSERT_U64_EQ(rec.number, 3);
    ASSERT_EQ(status(in.r), CALQUE_ETOOBIG); /* last, no newline */
    ASSERT_U64_EQ(calque_readerLine(in.r), 4);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

TEST(reader_record_too_big_across_reads)
{
    /* A 5 MB line is dropped while it streams by, the window stays small
     * (checked in reader_memory_stays_bounded); exactly maxRecord fits. */
    size_t const big = 5u << 20, limit = 4096;
    calque_readerOptions opt = {CALQUE_FORMAT_JSONL, NULL, NULL, limit, NULL, 0};
    char *const data = malloc(big + 2 * limit + 100);
    ASSERT(data != NULL);
    size_t n = (size_t)sprintf(data, "{\"text\":\"");
    memset(data + n, 'y', big);
    n += big;
    n += (size_t)sprintf(data + n, "\"}\r\n{\"text\":\"");
    size_t const fit = limit - strlen("{\"text\":\"\"}");
    memset(data + n, 'z', fit);
    n += fit;
    n += (size_t)sprintf(data + n, "\"}\r\n");
    input in = openBytes(data, n, NULL, &opt);
    ASSERT_EQ(status(in.r), CALQUE_ETOOBIG);
    ASSERT_U64_EQ(calque_readerLine(in.r), 1);
    calque_record const rec = next(in.r);
    ASSERT_EQ(rec.rawLen, limit);
    ASSERT_EQ(rec.textLen, fit);
    ASSERT_U64_EQ(rec.line, 2);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(data);
}

TEST(reader_100mb_record)
{
    size_t const len = 100u << 20;
    char *const data = malloc(len + 64);
    ASSERT(data != NULL);
    size_t n = (size_t)sprintf(data, "{\"id\":\"big\",\"text\":\"");
    size_t const start = n;
    uint64_t seed = 7;
    for (size_t i = 0; i < len; i += 8) { /* words, an accent now and then */
        uint64_t const x = test_rand(&seed);
        memcpy(data + n + i, (x & 7) ? "mot mot " : "\xC3\xA9t\xC3\xA9 ab ",
               8);
    }
    n += len;
    n += (size_t)sprintf(data + n, "\"}\n");
    input in = openBytes(data, n, NULL, NULL);
    calque_record const rec = next(in.r);
    ASSERT_EQ(rec.textLen, len);
    ASSERT(memcmp(rec.text, data + start, len) == 0);
    ASSERT_SPAN(rec.id, rec.idLen, "\"big\"");
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(data);
}

/* Counts the bytes the reader holds, through calque_customMem. */
typedef struct {
    size_t now, peak;
} memCount;

static void *countAlloc(void *opaque, size_t size)
{
    memCount *const m = opaque;
    size_t *const p = malloc(size + 16);
    if (p == NULL) return NULL;
    p[0] = size;
    m->now += size;
    if (m->now > m->peak) m->peak = m->now;
    return (char *)p + 16;
}

static void countFree(void *opaque, void *ptr)
{
    memCount *const m = opaque;
    size_t *const p = (size_t *)(void *)((char *)ptr - 16);
    m->now -= p[0];
    free(p);
}

/* The record that the many-records tests write as number @i (1-based):
 * its text has a length drawn from 0..3999 and cycles through letters. */
static size_t manyRecord(uint64_t i, char *out)
{
    uint64_t s = i * 0x9E3779B97F4A7C15ULL + 1;
    size_t const len = (size_t)(test_rand(&s) % 4000);
    size_t n = (size_t)sprintf(out, "{\"id\":%" PRIu64 ",\"text\":\"", i);
    for (size_t k = 0; k < len; k++) out[n + k] = (char)('a' + (i + k) % 26);
    n += len;
    n += (size_t)sprintf(out + n, "\"}\n");
    return n;
}

/* Forks a child that writes @count records to a pipe, then exits.
 * @return the read end. */
static int pipeOfRecords(uint64_t count, pid_t *child)
{
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    *child = fork();
    ASSERT(*child >= 0);
    if (*child == 0) {
        close(fds[0]);
        char *const buf = malloc(1 << 16);
        for (uint64_t i = 1; i <= count; i++) {
            size_t const n = manyRecord(i, buf);
            for (size_t off = 0; off < n;) {
                ssize_t const w = write(fds[1], buf + off, n - off);
                if (w <= 0) _exit(1);
                off += (size_t)w;
            }
        }
        _exit(0);
    }
    close(fds[1]);
    return fds[0];
}

TEST(reader_many_records_through_window)
{
    /* About 40 MB through a pipe: records straddle every read and
     * every move of the window; each must come back intact. */
    uint64_t const count = 20000;
    pid_t child;
    int const fd = pipeOfRecords(count, &child);
    memCount mc = {0, 0};
    calque_customMem const cm = {countAlloc, countFree, &mc};
    int err;
    calque_reader *const r = calque_openReader(fd, NULL, NULL, &cm, &err);
    ASSERT(r != NULL);
    char *const expect = malloc(1 << 16);
    uint64_t offset = 0;
    for (uint64_t i = 1; i <= count; i++) {
        size_t const n = manyRecord(i, expect);
        calque_record const rec = next(r);
        ASSERT_U64_EQ(rec.number, i);
        ASSERT_U64_EQ(rec.line, i);
        ASSERT_EQ(rec.rawLen, n - 1);
        ASSERT_MEM_EQ(rec.raw, expect, n - 1);
        ASSERT_U64_EQ(calque_readerOffset(r), offset);
        offset += n;
    }
    ASSERT_EQ(status(r), 0);
    /* Memory follows the largest record, not the 40 MB of input. */
    ASSERT(mc.peak < ((size_t)4 << 20));
    calque_freeReader(r);
    ASSERT_EQ(mc.now, 0);
    close(fd);
    int st;
    waitpid(child, &st, 0);
    ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    free(expect);
}

TEST(reader_memory_stays_bounded)
{
    /* The 5 MB too-big line case again, with the allocations counted. */
    size_t const big = 5u << 20;
    calque_readerOptions opt = {CALQUE_FORMAT_JSONL, NULL, NULL, 1000, NULL, 0};
    char *const data = malloc(big + 100);
    ASSERT(data != NULL);
    memset(data, 'q', big);
    memcpy(data + big, "\n{\"text\":\"z\"}\n", 14);
    int const fd = tempFd(data, big + 14);
    memCount mc = {0, 0};
    calque_customMem const cm = {countAlloc, countFree, &mc};
    int err;
    calque_reader *const r = calque_openReader(fd, NULL, &opt, &cm, &err);
    ASSERT(r != NULL);
    ASSERT_EQ(status(r), CALQUE_ETOOBIG);
    calque_record const rec = next(r);
    ASSERT_SPAN(rec.text, rec.textLen, "z");
    ASSERT(mc.peak < ((size_t)4 << 20));
    calque_freeReader(r);
    ASSERT_EQ(mc.now, 0);
    close(fd);
    free(data);
}

/* ---- Text format ------------------------------------------------------ */

TEST(reader_text_format_whole_file)
{
    static const char data[] = "Premi\xC3\xA8re ligne.\n\"Pas\" du {JSON}\n"
                               "octet \xFF invalide\r\n\0fin";
    size_t const n = sizeof data - 1;
    input in = openBytes(data, n, "article.txt", NULL);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_TEXT);
    calque_record const rec = next(in.r);
    ASSERT(rec.id == NULL);
    ASSERT_EQ(rec.rawLen, n);
    ASSERT_MEM_EQ(rec.raw, data, n);
    ASSERT_EQ(rec.textLen, n + 2);
    ASSERT_MEM_EQ(rec.text, "Premi\xC3\xA8re ligne.\n\"Pas\" du {JSON}\n"
                            "octet \xEF\xBF\xBD invalide\r\n\0fin", n + 2);
    ASSERT_U64_EQ(rec.number, 1);
    ASSERT_U64_EQ(rec.line, 1);
    ASSERT_U64_EQ(calque_readerInvalidUtf8(in.r), 1);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
}

TEST(reader_text_format_compressed_large_and_empty)
{
    /* 3 MB of text, zstd compressed, named so AUTO picks text. */
    size_t const n = 3u << 20;
    char *const data = malloc(n);
    ASSERT(data != NULL);
    for (size_t i = 0; i < n; i++) data[i] = (char)('a' + i % 23);
    data[n - 1] = '\xC3'; /* cut sequence at the very end */
    size_t zn;
    unsigned char *const z = zstdBytes(data, n, &zn);
    input in = openBytes(z, zn, "page.txt.zst", NULL);
    ASSERT_EQ(calque_readerFormat(in.r), CALQUE_FORMAT_TEXT);
    calque_record const rec = next(in.r);
    ASSERT_EQ(rec.rawLen, n);
    ASSERT(memcmp(rec.raw, data, n) == 0);
    ASSERT_EQ(rec.textLen, n + 2);
    ASSERT(memcmp(rec.text, data, n - 1) == 0);
    ASSERT_MEM_EQ(rec.text + n - 1, "\xEF\xBF\xBD", 3);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);

    calque_readerOptions opt = {CALQUE_FORMAT_TEXT, NULL, NULL, n - 1, NULL, 0};
    in = openBytes(data, n, NULL, &opt);
    ASSERT_EQ(status(in.r), CALQUE_ETOOBIG);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);

    in = openBytes("", 0, "empty.txt", NULL);
    calque_record const e = next(in.r);
    ASSERT_EQ(e.textLen, 0);
    ASSERT_EQ(e.rawLen, 0);
    ASSERT_EQ(status(in.r), 0);
    closeInput(in);
    free(z);
    free(data);
}

/* ---- Getting texts back ---------------------------------------------- */

TEST(reader_offsets_and_record_text)
{
    static const char data[] =
        "\xEF\xBB\xBF{\"id\":1,\"text\":\"plain\"}\r\n\n"
        "  {\"id\":2,\"text\":\"\\u00e9t\xC3\xA9 \xFF\\n\"}\n"
        "{\"id\":3,\"body\":\"x\"}\n"
        "{\"text\":\"last\"}";
    size_t const n = sizeof data - 1;
    input in = openBytes(data, n, NULL, NULL);
    uint64_t const offsets[] = {3, 29, 0, 83};
    char dst[64];
    for (int k = 0; k < 4; k++) {
        calque_record rec;
        int const rc = calque_readRecord(in.r, &rec);
        if (k == 2) { /* no text field: EFIELD, skipped */
            ASSERT_EQ(rc, CALQUE_EFIELD);
            continue;
        }
        ASSERT_EQ(rc, 1);
        uint64_t const off = calque_readerOffset(in.r);
        ASSERT_U64_EQ(off, offsets[k]);
        ASSERT(memcmp(data + off, rec.raw, rec.rawLen) == 0);
        size_t len = 0;
        ASSERT_EQ(calque_recordText(NULL, rec.raw, rec.rawLen, dst,
                                    sizeof dst, &len, NULL), 0);
        ASSERT_EQ(len, rec.textLen);
        ASSERT_MEM_EQ(dst, rec.text, len);
        ASSERT_EQ(calque_recordText(NULL, rec.raw, rec.rawLen, dst,
                                    rec.textLen - 1, &len, NULL),
                  CALQUE_ETOOBIG);
    }
    ASSERT_EQ(calque_readerCompressed(in.r), 0);
    closeInput(in);

    size_t len = 0;
    ASSERT_EQ(calque_recordText(NULL, "{\"text\":1}", 10, dst, sizeof dst,
                                &len, NULL), CALQUE_EFIELD);
    ASSERT_EQ(calque_recordText(NULL, "{\"text\":\"a\"", 11, dst,
                                sizeof dst, &len, NULL), CALQUE_EJSON);
    calque_readerOptions const opt = {CALQUE_FORMAT_TEXT, NULL, NULL, 0, NULL, 0};
    ASSERT_EQ(calque_recordText(&opt, "a\xFF\"b", 4, dst, sizeof dst, &len,
                                NULL), 0);
    ASSERT_SPAN(dst, len, "a\xEF\xBF\xBD\"b");
    calque_readerOptions const named = {CALQUE_FORMAT_JSONL, "k", "body",
                                        0, NULL, 0};
    ASSERT_EQ(calque_recordText(&named, "{\"k\":1,\"body\":\"b\\tc\"}",
                                21, dst, sizeof dst, &len, NULL), 0);
    ASSERT_SPAN(dst, len, "b\tc");
}

TEST(reader_compressed_flag)
{
    size_t n;
    unsigned char *const gz = gzipBytes(twoRecords, strlen(twoRecords), &n);
    input in = openBytes(gz, n, NULL, NULL);
    ASSERT_EQ(status(in.r), 1);
    ASSERT_EQ(calque_readerCompressed(in.r), 1);
    ASSERT_U64_EQ(calque_readerOffset(in.r), 0);
    ASSERT_EQ(status(in.r), 1);
    ASSERT_U64_EQ(calque_readerOffset(in.r), strchr(twoRecords, '\n') + 1 -
                                                 twoRecords);
    closeInput(in);
    free(gz);
}

/* ---- Opening ---------------------------------------------------------- */

TEST(reader_format_from_name)
{
    static const struct {
        const char *name;
        calque_format format;
    } cases[] = {
        {NULL, CALQUE_FORMAT_JSONL},
        {"a.jsonl", CALQUE_FORMAT_JSONL},
        {"dir.d/A.JSONL.GZ", CALQUE_FORMAT_JSONL},
        {"b.ndjson.zst", CALQUE_FORMAT_JSONL},
        {"c.json.zstd", CALQUE_FORMAT_JSONL},
        {"d.json", CALQUE_FORMAT_JSONL},
        {"e.txt", CALQUE_FORMAT_TEXT},
        {"f.gz", CALQUE_FORMAT_TEXT},
        {"g.jsonl.txt", CALQUE_FORMAT_TEXT},
        {"jsonl", CALQUE_FORMAT_TEXT},
        {"-", CALQUE_FORMAT_TEXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int err = 1;
        calque_reader *const r =
            calque_openReader(0, cases[i].name, NULL, NULL, &err);
        ASSERT(r != NULL);
        ASSERT_EQ(calque_readerFormat(r), cases[i].format);
        calque_freeReader(r);
    }
    calque_readerOptions opt = {CALQUE_FORMAT_TEXT, NULL, NULL, 0, NULL, 0};
    int err;
    calque_reader *const r = calque_openReader(0, "x.jsonl", &opt, NULL, &err);
    ASSERT_EQ(calque_readerFormat(r), CALQUE_FORMAT_TEXT);
    calque_freeReader(r);
}

static void *failAlloc(void *opaque, size_t size)
{
    (void)opaque;
    (void)size;
    return NULL;
}

TEST(reader_open_errors)
{
    int err = 0;
    ASSERT(calque_openReader(-1, NULL, NULL, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_readerOptions opt = {(calque_format)7, NULL, NULL, 0, NULL, 0};
    ASSERT(calque_openReader(0, NULL, &opt, NULL, &err) == NULL);
    ASSERT_EQ(err, CALQUE_EPARAM);
    calque_customMem const cm = {failAlloc, countFree, NULL};
    ASSERT(calque_openReader(0, NULL, NULL, &cm, &err) == NULL);
    ASSERT_EQ(err, CALQUE_ENOMEM);
    calque_freeReader(NULL);
    ASSERT_EQ(calque_readRecord(NULL, NULL), CALQUE_EPARAM);
}
