/*
 * test_text.c - normalisation, tokens and their byte spans, shingles.
 */
#include "calque.h"
#include "test.h"

/* Tokenises @s and returns the tokens; the tokenizer is kept static. */
static const calque_token *tok(const char *s, size_t *n, int keepAccents)
{
    static calque_tokenizer *tk[2];
    if (tk[keepAccents] == NULL) {
        calque_textOptions const o = {keepAccents};
        tk[keepAccents] = calque_createTokenizer(&o, NULL);
    }
    const calque_token *t;
    ASSERT_EQ(calque_tokenize(tk[keepAccents], s, strlen(s), &t, n), 0);
    return t;
}

static const char *norm(const char *s)
{
    static calque_tokenizer *tk;
    static char buf[1024];
    if (tk == NULL) tk = calque_createTokenizer(NULL, NULL);
    const calque_token *t;
    size_t n;
    ASSERT_EQ(calque_tokenize(tk, s, strlen(s), &t, &n), 0);
    const char *p;
    size_t len;
    calque_normalizedText(tk, &p, &len);
    ASSERT(len < sizeof buf);
    memcpy(buf, p, len);
    buf[len] = 0;
    return buf;
}

/* The words of @s, as the original substrings joined by '|'. */
static const char *spans(const char *s)
{
    static char buf[1024];
    size_t n;
    const calque_token *t = tok(s, &n, 0);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        ASSERT(t[i].start < t[i].end && t[i].end <= strlen(s));
        if (i) buf[k++] = '|';
        memcpy(buf + k, s + t[i].start, t[i].end - t[i].start);
        k += t[i].end - t[i].start;
    }
    buf[k] = 0;
    return buf;
}

static int sameTokens(const char *a, const char *b, int keepAccents)
{
    size_t na, nb;
    const calque_token *ta = tok(a, &na, keepAccents);
    uint64_t ha[64];
    ASSERT(na < 64);
    for (size_t i = 0; i < na; i++) ha[i] = ta[i].hash;
    const calque_token *tb = tok(b, &nb, keepAccents);
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (ha[i] != tb[i].hash) return 0;
    return 1;
}

TEST(text_ascii_spans)
{
    ASSERT_STR_EQ(spans("  Hello, World! 42 times"), "Hello|World|42|times");
    ASSERT_STR_EQ(spans(""), "");
    ASSERT_STR_EQ(spans("...!"), "");
    ASSERT_STR_EQ(spans("don't"), "don|t");
}

TEST(text_normalised_text)
{
    ASSERT_STR_EQ(norm("  Hello,\t\n  WORLD  "), "hello,world");
    ASSERT_STR_EQ(norm("Hello , world"), "hello,world");
    ASSERT_STR_EQ(norm("L’été « chaud » — déjà"), "l'ete\"chaud\"-deja");
    ASSERT_STR_EQ(norm("un  deux\ttrois"), "un deux trois");
    ASSERT_STR_EQ(norm("a\xC2\xA0" "b\xE2\x80\x89" "c"), "a b c"); /* NBSP */
    ASSERT_STR_EQ(norm("ﬁn Ｆｕｌｌ"), "fin full"); /* NFKC */
    ASSERT_STR_EQ(norm("STRASSE Straße"), "strasse strasse");
}

TEST(text_typographic_variants_match)
{
    ASSERT(sameTokens("l'homme d'État", "l’homme d’état", 0));
    ASSERT(sameTokens("«Bonjour»", "\"bonjour\"", 0));
    ASSERT(sameTokens("Ça déjà", "CA DEJA", 0));
    ASSERT(!sameTokens("Ça déjà", "CA DEJA", 1)); /* --keep-accents */
    ASSERT(sameTokens("Ça déjà", "ça déjà", 1));
    /* Composed and decomposed accents match either way. */
    ASSERT(sameTokens("caf\xC3\xA9", "cafe\xCC\x81", 1));
    ASSERT(sameTokens("caf\xC3\xA9", "cafe\xCC\x81", 0));
    ASSERT(!sameTokens("chat", "chats", 0));
}

TEST(text_accent_span_covers_original_bytes)
{
    /* "été" is 5 bytes; the combining accent stays inside its word. */
    ASSERT_STR_EQ(spans("un été là"), "un|été|là");
    ASSERT_STR_EQ(spans("cafe\xCC\x81 noir"), "cafe\xCC\x81|noir");
}

TEST(text_cjk_each_ideograph_a_token)
{
    ASSERT_STR_EQ(spans("東京は晴れ"), "東|京|は|晴|れ");
    ASSERT_STR_EQ(spans("한국어 text"), "한|국|어|text");
    ASSERT_STR_EQ(spans("abc東def"), "abc|東|def");
}

TEST(text_other_scripts)
{
    ASSERT_STR_EQ(spans("Привет, мир!"), "Привет|мир");
    ASSERT(sameTokens("ΑΘΗΝΑ", "αθηνα", 0));
    ASSERT_STR_EQ(spans("مرحبا بالعالم"), "مرحبا|بالعالم");
}

TEST(text_invalid_utf8_replaced_and_counted)
{
    calque_tokenizer *const tk = calque_createTokenizer(NULL, NULL);
    const char s[] = "ab\xFF" "cd \xC3 ef \xED\xA0\x80 gh";
    const calque_token *t;
    size_t n;
    ASSERT_EQ(calque_tokenize(tk, s, sizeof s - 1, &t, &n), 0);
    ASSERT_EQ(calque_invalidUtf8(tk), 1 + 1 + 3);
    ASSERT_EQ(n, 4); /* ab cd ef gh split by U+FFFD */
    ASSERT_EQ(t[1].start, 3);
    calque_freeTokenizer(tk);
}

TEST(text_nul_is_a_separator)
{
    calque_tokenizer *const tk = calque_createTokenizer(NULL, NULL);
    const char s[] = "one\0two";
    const calque_token *t;
    size_t n;
    ASSERT_EQ(calque_tokenize(tk, s, sizeof s - 1, &t, &n), 0);
    ASSERT_EQ(n, 2);
    ASSERT_EQ(t[1].start, 4);
    calque_freeTokenizer(tk);
}

TEST(text_random_bytes_spans_in_bounds)
{
    calque_tokenizer *const tk = calque_createTokenizer(NULL, NULL);
    uint64_t seed = 7;
    char buf[512];
    for (int round = 0; round < 2000; round++) {
        size_t const len = test_rand(&seed) % sizeof buf;
        for (size_t i = 0; i < len; i++) {
            uint64_t const r = test_rand(&seed);
            /* Mostly ASCII letters and spaces, some high bytes. */
            buf[i] = (char)(r % 4 == 0 ? (int)(0x80 + r % 128)
                            : r % 4 == 1 ? ' ' : 'a' + (int)(r % 26));
        }
        const calque_token *t;
        size_t n;
        ASSERT_EQ(calque_tokenize(tk, buf, len, &t, &n), 0);
        for (size_t i = 0; i < n; i++) {
            ASSERT(t[i].start < t[i].end);
            ASSERT(t[i].end <= len);
            if (i) ASSERT(t[i].start >= t[i - 1].end);
        }
    }
    calque_freeTokenizer(tk);
}

TEST(text_normalisation_idempotent)
{
    calque_tokenizer *const tk = calque_createTokenizer(NULL, NULL);
    const char *const samples[] = {
        "L’Élysée a dit « non » — puis ﬁnalement OUI…",
        "  Straße  ½ ①  東京  Ｆｕｌｌ ", "don't stop", "x\xCC\x81y"};
    for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
        const calque_token *t;
        size_t n1, n2, l1, l2;
        const char *p;
        ASSERT_EQ(calque_tokenize(tk, samples[s], strlen(samples[s]), &t, &n1), 0);
        uint64_t h[64];
        for (size_t i = 0; i < n1; i++) h[i] = t[i].hash;
        calque_normalizedText(tk, &p, &l1);
        char once[512];
        memcpy(once, p, l1);
        ASSERT_EQ(calque_tokenize(tk, once, l1, &t, &n2), 0);
        calque_normalizedText(tk, &p, &l2);
        ASSERT_EQ(n1, n2);
        ASSERT_EQ(l1, l2);
        ASSERT_MEM_EQ(once, p, l1);
        for (size_t i = 0; i < n1; i++) ASSERT_U64_EQ(h[i], t[i].hash);
    }
    calque_freeTokenizer(tk);
}

TEST(text_shingles)
{
    ASSERT_EQ(calque_shingleCount(0, 5), 0);
    ASSERT_EQ(calque_shingleCount(3, 5), 1);
    ASSERT_EQ(calque_shingleCount(5, 5), 1);
    ASSERT_EQ(calque_shingleCount(9, 5), 5);
    size_t n;
    const calque_token *t = tok("a b c d e a b c d e", &n, 0);
    uint64_t sh[8];
    ASSERT_EQ(calque_shingleHashes(t, n, 5, sh), 6);
    ASSERT_U64_EQ(sh[0], sh[5]); /* same words, same shingle */
    ASSERT(sh[0] != sh[1]);
    /* A short text is one shingle of all its words. */
    t = tok("a b", &n, 0);
    ASSERT_EQ(calque_shingleHashes(t, n, 5, sh), 1);
    uint64_t const ab = sh[0];
    t = tok("b a", &n, 0);
    calque_shingleHashes(t, n, 5, sh);
    ASSERT(sh[0] != ab);
}
