/*
 * gen.c - seeded generator of synthetic news-like corpora for calque's
 * tests and benchmarks, and the two tools that score calque against them.
 *
 *   gen dedup [options] > corpus.jsonl   planted near-duplicate families
 *   gen reuse [options] > corpus.jsonl   agency articles, partial reprints
 *                                        on web pages, passage byte ranges
 *   gen check --truth F [...] < corpus   re-measures the planted Jaccards
 *                                        (or passages) from the rendered text
 *   gen eval --truth F < calque.jsonl    pair precision, recall and F1
 *
 * How the text is made (docs/bench.md has the whole model):
 *   - Two built-in "languages", French-like and English-like. Each has a
 *     vocabulary ranked by frequency: real function words first, then
 *     pseudo-words built from syllables (accented in French), numbers and
 *     proper nouns. Words are drawn from a Zipf-Mandelbrot law over the
 *     rank (alias method), mixed with the word list of the document's
 *     topic, so that same-topic documents share vocabulary.
 *   - A document is a token model: a headline, then paragraphs of 1-4
 *     sentences of 8-30 words, with commas, quotes and sentence flags.
 *     It is rendered to UTF-8 by a separate step with a "style":
 *     apostrophes, quote marks, French spacing, dropped accents, capitals,
 *     stray whitespace. Style never changes the words calque sees, so a
 *     5-gram Jaccard computed on the token model is the one calque finds.
 *   - Near duplicates are derived from a base by random edits (word
 *     substitutions, insertions, deletions, sentence moves, new and
 *     deleted sentences); the number of edits is searched until the exact
 *     Jaccard of word 5-gram sets lands in the requested range, then
 *     finished by single-word substitutions from the end of the text.
 *
 * Determinism: every document is made from its own xoshiro256** stream
 * seeded by splitmix64 from (seed, purpose, index); no rand(), no libm in
 * anything that reaches the output, so a seed gives the same bytes on
 * every machine. Output is streamed; memory is O(families) plus one
 * document's scratch.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*-************************************************************************
 *  Small utilities: fatal errors, allocation, growable byte buffers
 **************************************************************************/
static const char *progName = "gen";

/* Prints a message and exits with status 1 (2 for usage errors). This is
 * a program, not the library: dying is the right answer. */
static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", progName);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

static void *xrealloc(void *p, size_t n)
{
    void *const q = realloc(p, n ? n : 1);
    if (q == NULL) die(1, "out of memory (%zu bytes)", n);
    return q;
}

static void *xcalloc(size_t n, size_t size)
{
    void *const p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) die(1, "out of memory");
    return p;
}

/* Grows *p (an array of *cap elements of @elem bytes) to hold @need. */
static void grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    *p = xrealloc(*p, c * elem);
    *cap = c;
}
#define GROW(p, cap, need) grow((void **)&(p), &(cap), (need), sizeof *(p))

typedef struct {
    char *p;
    size_t len, cap;
} strbuf;

static void sbPut(strbuf *b, const char *s, size_t n)
{
    GROW(b->p, b->cap, b->len + n + 1);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sbPutc(strbuf *b, char c)
{
    if (b->len + 2 > b->cap) GROW(b->p, b->cap, b->len + 2);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

static void sbPuts(strbuf *b, const char *s) { sbPut(b, s, strlen(s)); }

static FILE *openOut(const char *path)
{
    FILE *const f = fopen(path, "w");
    if (f == NULL) die(1, "cannot write %s: %s", path, strerror(errno));
    return f;
}

static void closeOut(FILE *f, const char *what)
{
    if (fflush(f) != 0 || ferror(f)) die(1, "write error on %s", what);
    if (f != stdout && fclose(f) != 0) die(1, "write error on %s", what);
}

/*-************************************************************************
 *  PRNG: splitmix64 seeds xoshiro256**; one stream per purpose and index
 **************************************************************************/
typedef struct {
    uint64_t s[4];
} rng;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t splitmix64(uint64_t *x)
{
    *x += 0x9E3779B97F4A7C15ull;
    return mix64(*x);
}

/* Purposes of the random streams: documents of different purposes never
 * share a stream, so adding a feature does not shift other output. */
enum {
    S_VOCAB = 1, S_SCHED, S_FAMSIZE, S_BASE, S_MEMBER, S_SINGLE, S_EDIT,
    S_RENDER, S_STYLE, S_REUSE, S_STOCK, S_SITE
};

/* The stream for (seed, purpose, a, b). */
static rng rngFor(uint64_t seed, uint64_t purpose, uint64_t a, uint64_t b)
{
    uint64_t x = mix64(seed ^ mix64(purpose * 0x9E3779B97F4A7C15ull ^
                                    mix64(a + 0x632BE59BD9B4E019ull) ^
                                    mix64(~b)));
    rng r;
    for (int i = 0; i < 4; i++) r.s[i] = splitmix64(&x);
    return r;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rngNext(rng *r)
{
    uint64_t *const s = r->s;
    uint64_t const out = rotl(s[1] * 5, 7) * 9;
    uint64_t const t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* A number in [0, n), n < 2^32 (multiply-shift; the bias is < 2^-32). */
static uint32_t rngBelow(rng *r, uint32_t n)
{
    return (uint32_t)(((rngNext(r) >> 32) * (uint64_t)n) >> 32);
}

/* A number in [lo, hi]. */
static uint32_t rngRange(rng *r, uint32_t lo, uint32_t hi)
{
    return lo + rngBelow(r, hi - lo + 1);
}

/* A double in [0, 1) with 53 random bits. */
static double rngUnit(rng *r)
{
    return (double)(rngNext(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* 1 with probability pct/100. */
static int rngPct(rng *r, uint32_t pct) { return rngBelow(r, 100) < pct; }

/* exp(x) with basic IEEE operations only (range reduction and a Taylor
 * series), so that it is bit-identical everywhere, unlike libm's. */
static double detExp(double x)
{
    double const ln2 = 0.6931471805599453;
    double const kf = x / ln2;
    long k = (long)(kf < 0 ? kf - 0.5 : kf + 0.5);
    double const r = x - (double)k * ln2;
    double term = 1.0, sum = 1.0;
    for (int i = 1; i < 22; i++) {
        term = term * r / (double)i;
        sum += term;
    }
    for (; k > 0; k--) sum *= 2.0;
    for (; k < 0; k++) sum *= 0.5;
    return sum;
}

/* A standard normal-ish number: sum of 4 uniforms, rescaled (Irwin-Hall;
 * tails end at +-3.46, which is what a length law wants). */
static double rngNormal(rng *r)
{
    double s = 0;
    for (int i = 0; i < 4; i++) s += rngUnit(r);
    return (s - 2.0) * 1.7320508075688772;
}

/*-************************************************************************
 *  String map: interns byte strings, gives each a dense index
 **************************************************************************/
typedef struct {
    char *pool;           /* all keys, back to back */
    size_t poolLen, poolCap;
    size_t *off;          /* key i is pool[off[i] .. off[i] + len[i]) */
    uint32_t *len;
    size_t n, ncap;
    uint32_t *slot;       /* open addressing: index + 1, 0 when empty */
    size_t cap;           /* slots, a power of two */
} strmap;

static uint64_t hashBytes(const char *s, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001B3ull;
    return mix64(h);
}

static void smFree(strmap *m)
{
    free(m->pool);
    free(m->off);
    free(m->len);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

static void smRehash(strmap *m, size_t cap)
{
    free(m->slot);
    m->slot = xcalloc(cap, sizeof *m->slot);
    m->cap = cap;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = hashBytes(m->pool + m->off[i], m->len[i]) & (cap - 1);
        while (m->slot[j]) j = (j + 1) & (cap - 1);
        m->slot[j] = (uint32_t)(i + 1);
    }
}

/* @return the index of key @s, or -1 when absent (and !add); with @add,
 * inserts it, and *isNew tells whether it was. */
static long smIntern(strmap *m, const char *s, size_t n, int add, int *isNew)
{
    if (isNew) *isNew = 0;
    if (m->cap == 0) smRehash(m, 1024);
    size_t j = hashBytes(s, n) & (m->cap - 1);
    while (m->slot[j]) {
        size_t const i = m->slot[j] - 1;
        if (m->len[i] == n && memcmp(m->pool + m->off[i], s, n) == 0)
            return (long)i;
        j = (j + 1) & (m->cap - 1);
    }
    if (!add) return -1;
    if (m->n >= UINT32_MAX - 1) die(1, "too many distinct strings");
    GROW(m->pool, m->poolCap, m->poolLen + n + 1);
    memcpy(m->pool + m->poolLen, s, n);
    m->pool[m->poolLen + n] = 0;
    GROW(m->off, m->ncap, m->n + 1);
    m->len = xrealloc(m->len, m->ncap * sizeof *m->len);
    m->off[m->n] = m->poolLen;
    m->len[m->n] = (uint32_t)n;
    m->poolLen += n + 1;
    m->slot[j] = (uint32_t)(m->n + 1);
    m->n++;
    if (isNew) *isNew = 1;
    if (m->n * 2 > m->cap) smRehash(m, m->cap * 2);
    return (long)(m->n - 1);
}


/*-************************************************************************
 *  Case and accents of the Latin-1 letters we use (U+00C0 .. U+00FF)
 **************************************************************************/
/* For each code point U+00C0 + i: its base letter once accents are dropped
 * and case is folded, 0 when it has none (Æ, ß, ...), '-' for × and ÷,
 * which are symbols. The same as NFKD + case folding + mark stripping. */
static const char latin1Base[65] =
    "aaaaaa\0ceeeeiiii\0nooooo-\0uuuuy\0\0"
    "aaaaaa\0ceeeeiiii\0nooooo-\0uuuuy\0y";

/* Writes the capital of the UTF-8 character at s[0..] into @o.
 * @return the number of bytes of @s consumed. */
static size_t putUpperChar(strbuf *o, const char *s, size_t n)
{
    unsigned char const c = (unsigned char)s[0];
    if (c < 0x80) {
        sbPutc(o, (char)(c >= 'a' && c <= 'z' ? c - 32 : c));
        return 1;
    }
    if (c == 0xC3 && n >= 2) {
        unsigned char d = (unsigned char)s[1];
        if (d >= 0xA0 && d <= 0xBE && d != 0xB7) d = (unsigned char)(d - 0x20);
        sbPutc(o, (char)c);
        sbPutc(o, (char)d);
        return 2;
    }
    size_t k = 1;
    while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
    sbPut(o, s, k);
    return k;
}

/* Appends the folded form (lower case, no accents) of word @s to @o. */
static void putFolded(strbuf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char const c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < n) {
            unsigned char const d = (unsigned char)s[i + 1];
            char const b = d >= 0x80 && d <= 0xBF ? latin1Base[d - 0x80] : 0;
            if (b && b != '-') {
                sbPutc(o, b);
                i++;
                continue;
            }
        }
        sbPutc(o, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
}

/*-************************************************************************
 *  Vocabulary: lexemes, token ids, Zipf lists with alias tables
 **************************************************************************/
enum { LANG_FR, LANG_EN, NLANG };
#define NTOPIC 32        /* topics per language */
#define TOPIC_WORDS 800  /* words in a topic list */
#define TOPIC_PCT 15     /* share of running words drawn from the topic */
#define CONTENT_WORDS 50000

#define W_ELIDE 1  /* French elision: rendered "l'" glued to the next word */
#define W_PROPER 2 /* always capitalised */

/* One spelling of a word. Lexemes that calque reads as the same word
 * ("a" and "à") share a token id. */
typedef struct {
    uint32_t off;   /* display form (lower case) in the pool */
    uint32_t foff;  /* folded form: lower case, no accents */
    uint32_t tok;   /* token id: index of the folded form */
    uint8_t len, flen;
    uint8_t flags;  /* W_* */
    uint8_t vowel;  /* starts with a vowel or h (takes elision) */
} lexeme;

/* Words ranked by frequency, drawn with Zipf-Mandelbrot weights
 * C / (rank + 1.5) by Walker's alias method in integer arithmetic. */
typedef struct {
    uint32_t thr;  /* keep this column's lexeme when u < thr */
    uint32_t keep; /* the column's lexeme */
    uint32_t other; /* else this one (the alias's lexeme) */
    uint32_t pad;
} aliasCell;       /* 16 bytes: one cache line fetch per draw */

typedef struct {
    uint32_t n;
    uint32_t *lex;     /* lexeme index of each rank */
    uint32_t total;    /* sum of the weights, < 2^32 */
    aliasCell *cell;   /* the alias table */
} zipfList;

typedef struct {
    zipfList all;
    zipfList topic[NTOPIC];
    uint32_t *page;   /* (reuse) words of web page furniture */
    uint32_t npage;
    uint32_t month[12], day[7]; /* (reuse) for datelines */
    uint32_t dnum[31], year[3];  /* 1..31, 2023..2025 */
} language;

typedef struct {
    char *pool;
    size_t poolLen, poolCap;
    lexeme *lex;
    size_t nlex, lexCap;
    strmap keys; /* folded form -> token id */
    language lang[NLANG];
} vocab;

/* Builds the alias table of @z for weights 2^28 / (rank + 1.5). */
static void zipfBuild(zipfList *z)
{
    uint32_t const n = z->n;
    uint64_t *const p = xcalloc(n, sizeof *p);
    uint32_t *const small = xcalloc(n, sizeof *small);
    uint32_t *const large = xcalloc(n, sizeof *large);
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[i] = ((uint64_t)1 << 28) * 2 / (2 * (uint64_t)i + 3);
        total += p[i];
    }
    if (total >= ((uint64_t)1 << 32)) die(1, "zipf list too long");
    z->total = (uint32_t)total;
    uint32_t *const thr = xcalloc(n, sizeof *thr);
    uint32_t *const alias = xcalloc(n, sizeof *alias);
    size_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[i] *= n; /* now the average column holds exactly total */
        if (p[i] < total) small[ns++] = i;
        else large[nl++] = i;
    }
    while (ns && nl) {
        uint32_t const s = small[--ns], l = large[nl - 1];
        thr[s] = (uint32_t)p[s];
        alias[s] = l;
        p[l] = p[l] + p[s] - total;
        if (p[l] < total) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl) thr[large[--nl]] = z->total;
    while (ns) thr[small[--ns]] = z->total; /* rounding leftovers */
    z->cell = xcalloc(n, sizeof *z->cell);
    for (uint32_t i = 0; i < n; i++) {
        z->cell[i].thr = thr[i];
        z->cell[i].keep = z->lex[i];
        z->cell[i].other = z->lex[alias[i]];
    }
    free(thr);
    free(alias);
    free(p);
    free(small);
    free(large);
}

/* Draws a lexeme of @z: one 64-bit number picks the column and the coin. */
static uint32_t zipfDraw(const zipfList *z, rng *r)
{
    uint64_t const x = rngNext(r);
    uint32_t const col = (uint32_t)(((x >> 32) * z->n) >> 32);
    uint32_t const u = (uint32_t)(((x & 0xFFFFFFFFu) * z->total) >> 32);
    const aliasCell *const c = &z->cell[col];
    return u < c->thr ? c->keep : c->other;
}

/* Adds a lexeme with display form @s. With @unique, fails (returns -1)
 * when its folded form is already a word; otherwise shares its token. */
static long vocabAdd(vocab *v, const char *s, uint8_t flags, int unique)
{
    size_t const n = strlen(s);
    if (n == 0 || n > 40) return -1;
    strbuf f = {0};
    putFolded(&f, s, n);
    int isNew;
    long const tok = smIntern(&v->keys, f.p, f.len, !unique, &isNew);
    if (unique && tok >= 0) {
        free(f.p);
        return -1;
    }
    long const t = unique ? smIntern(&v->keys, f.p, f.len, 1, &isNew) : tok;
    GROW(v->pool, v->poolCap, v->poolLen + n + f.len + 2);
    GROW(v->lex, v->lexCap, v->nlex + 1);
    lexeme *const x = &v->lex[v->nlex];
    x->off = (uint32_t)v->poolLen;
    memcpy(v->pool + v->poolLen, s, n + 1);
    v->poolLen += n + 1;
    x->foff = (uint32_t)v->poolLen;
    memcpy(v->pool + v->poolLen, f.p, f.len + 1);
    v->poolLen += f.len + 1;
    x->len = (uint8_t)n;
    x->flen = (uint8_t)f.len;
    x->tok = (uint32_t)t;
    x->flags = flags;
    x->vowel = (uint8_t)(strchr("aeiouyh", f.p[0]) != NULL);
    free(f.p);
    return (long)v->nlex++;
}

/* The most frequent words, in rough frequency order. A trailing ' marks
 * an elided form, a leading * a proper noun. */
static const char *const frWords[] = {
    "de", "la", "le", "et", "les", "des", "l'", "à", "en", "un", "une",
    "du", "d'", "est", "que", "qui", "dans", "pour", "a", "au", "sur", "il",
    "pas", "plus", "par", "ne", "ce", "se", "avec", "son", "sa", "qu'",
    "ont", "ses", "aux", "mais", "elle", "ou", "été", "on", "comme",
    "sont", "n'", "cette", "leur", "nous", "s'", "ils", "y", "fait",
    "aussi", "tout", "entre", "c'", "deux", "après", "selon", "sans",
    "déjà", "même", "ces", "lors", "depuis", "encore", "avait", "bien",
    "où", "très", "dont", "était", "peut", "contre", "avant", "être",
    "leurs", "autres", "fois", "si", "tous", "sous", "alors", "faire",
    "trois", "ans", "dit", "lui", "notre", "vous", "premier", "toutes",
    "année", "doit", "donc", "moins", "pays", "président", "gouvernement",
    "ministre", "euros", "millions", "mardi", "lundi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche", "*france", "*paris", "ville",
    "projet", "première", "depuis", "cours", "jour", "selon", "part",
    "nouvelle", "nouveau", "grand", "grande", "pendant", "toujours",
    "heure", "heures", "enfants", "ainsi", "dernier", "dernière", "face",
    "semaine", "mois", "mort", "police", "état", "déclaré", "indiqué",
    "estime", "explique", "souligne", "public", "plusieurs", "quelques"
};
static const char *const enWords[] = {
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "on",
    "was", "with", "he", "as", "by", "at", "said", "from", "his", "be",
    "an", "has", "have", "are", "but", "not", "they", "this", "had",
    "were", "which", "its", "their", "been", "who", "will", "would",
    "after", "more", "one", "year", "also", "new", "two", "up", "about",
    "than", "first", "other", "she", "there", "we", "last", "out", "over",
    "into", "when", "her", "all", "people", "can", "some", "could", "no",
    "government", "time", "years", "three", "like", "if", "only", "what",
    "most", "before", "him", "them", "so", "since", "against", "between",
    "our", "during", "under", "told", "while", "may", "because", "where",
    "just", "then", "such", "made", "any", "those", "through", "now",
    "both", "week", "should", "still", "being", "several", "many",
    "police", "state", "country", "percent", "city", "million",
    "officials", "according", "minister", "president", "*monday",
    "*tuesday", "*wednesday", "*thursday", "*friday", "*saturday",
    "*sunday", "*london", "*washington", "company", "market", "public",
    "group", "report", "later", "including", "world", "day", "month",
    "police", "children", "national", "former", "local", "statement"
};

/* Syllable inventories; repeated entries are more frequent. */
static const char *const frOnset[] = {
    "", "", "", "b", "c", "d", "d", "f", "g", "j", "l", "l", "m", "m",
    "n", "p", "p", "r", "r", "s", "s", "t", "t", "v", "ch", "gr", "tr",
    "pl", "br", "cr", "pr", "qu", "fr", "bl", "cl", "dr", "vr"};
static const char *const frNucleus[] = {
    "a", "a", "e", "e", "i", "i", "o", "u", "é", "é", "è", "ou", "ai",
    "au", "eu", "on", "an", "en", "in", "oi", "ê", "â", "ie", "ui", "a",
    "o"};
static const char *const frCoda[] = {
    "", "", "", "", "", "", "n", "r", "s", "l", "t", "rt", "st"};
static const char *const frSuffix[] = {
    "tion", "ment", "eur", "ère", "ité", "age", "elle", "ique", "isme",
    "ée", "ant", "ance", "oir", "ier", "ette", "ure", "aux", "eux", "ien",
    "iste", "ement", "ées", "és"};
static const char *const enOnset[] = {
    "", "", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r",
    "s", "t", "t", "v", "w", "y", "st", "tr", "pl", "br", "cr", "pr", "sh",
    "th", "ch", "gr", "sp", "str", "fl", "bl", "cl", "dr", "wh"};
static const char *const enNucleus[] = {
    "a", "a", "e", "e", "i", "i", "o", "o", "u", "ea", "ee", "oo", "ai",
    "ou", "ay", "ow", "ie", "oa", "a", "e"};
static const char *const enCoda[] = {
    "", "", "", "n", "r", "s", "t", "d", "l", "ng", "ck", "st", "nd",
    "rt", "m", "nt", "ll", "sh"};
static const char *const enSuffix[] = {
    "ing", "ed", "er", "ly", "tion", "ness", "ment", "able", "al", "s",
    "ity", "ous", "ive", "ure", "ist", "less", "ers", "ings"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rngBelow((r), (uint32_t)COUNT(a))])

/* Makes a pseudo-word of the language; rarer ranks get longer words, as
 * in real vocabularies. */
static void pseudoWord(rng *r, int lang, uint32_t rank, strbuf *w)
{
    int const fr = lang == LANG_FR;
    uint32_t const u = rngBelow(r, 100);
    int nsyl;
    if (rank < 1000) nsyl = u < 60 ? 1 : u < 97 ? 2 : 3;
    else if (rank < 10000) nsyl = u < 35 ? 1 : u < 90 ? 2 : 3;
    else nsyl = u < 20 ? 1 : u < 75 ? 2 : u < 97 ? 3 : 4;
    int const suffix = rngPct(r, 12);
    w->len = 0;
    for (int s = 0; s < nsyl; s++) {
        const char *on = fr ? PICK(r, frOnset) : PICK(r, enOnset);
        if (s > 0 && on[0] == 0) on = fr ? "r" : "n"; /* no vowel hiatus */
        sbPuts(w, on);
        sbPuts(w, fr ? PICK(r, frNucleus) : PICK(r, enNucleus));
        if ((s + 1 == nsyl && !suffix) || rngPct(r, 10))
            sbPuts(w, fr ? PICK(r, frCoda) : PICK(r, enCoda));
    }
    if (suffix) sbPuts(w, fr ? PICK(r, frSuffix) : PICK(r, enSuffix));
}

/* Builds one language's ranked list: function words, then content words
 * (pseudo-words, some proper nouns, some numbers), then its topics. */
static void buildLanguage(vocab *v, int lang, rng *r)
{
    const char *const *const fw = lang == LANG_FR ? frWords : enWords;
    size_t const nfw = lang == LANG_FR ? COUNT(frWords) : COUNT(enWords);
    zipfList *const all = &v->lang[lang].all;
    all->lex = xcalloc(nfw + CONTENT_WORDS, sizeof *all->lex);
    uint32_t n = 0;
    for (size_t i = 0; i < nfw; i++) {
        char buf[48];
        const char *s = fw[i];
        uint8_t flags = 0;
        if (s[0] == '*') {
            flags |= W_PROPER;
            s++;
        }
        size_t len = strlen(s);
        if (len && s[len - 1] == '\'') {
            flags |= W_ELIDE;
            len--;
        }
        memcpy(buf, s, len);
        buf[len] = 0;
        all->lex[n++] = (uint32_t)vocabAdd(v, buf, flags, 0);
    }
    strbuf w = {0};
    uint32_t nextSmall = 2, nextYear = 1990, nextBig = 120;
    while (n < nfw + CONTENT_WORDS) {
        uint32_t const rank = n;
        long x;
        if (rank < 3000 && rngPct(r, 3)) { /* numbers, shared by languages */
            char buf[16];
            uint32_t val;
            if (nextSmall <= 60) val = nextSmall++;
            else if (nextYear <= 2030) val = nextYear++;
            else val = nextBig += rngRange(r, 7, 90);
            snprintf(buf, sizeof buf, "%" PRIu32, val);
            x = vocabAdd(v, buf, 0, 0);
        } else {
            pseudoWord(r, lang, rank, &w);
            x = vocabAdd(v, w.p, rngPct(r, 4) ? W_PROPER : 0, 1);
        }
        if (x >= 0) all->lex[n++] = (uint32_t)x;
    }
    free(w.p);
    all->n = n;
    zipfBuild(all);
    /* A topic: TOPIC_WORDS distinct content words of middling rank, in a
     * random order of their own. */
    uint8_t *const used = xcalloc(n, 1);
    for (int t = 0; t < NTOPIC; t++) {
        zipfList *const z = &v->lang[lang].topic[t];
        z->lex = xcalloc(TOPIC_WORDS, sizeof *z->lex);
        memset(used, 0, n);
        for (uint32_t k = 0; k < TOPIC_WORDS;) {
            uint32_t const rank = rngRange(r, (uint32_t)nfw, 15000);
            if (used[rank]) continue;
            used[rank] = 1;
            z->lex[k++] = all->lex[rank];
        }
        z->n = TOPIC_WORDS;
        zipfBuild(z);
    }
    free(used);
}

/* Words of web pages around articles (menus, datelines, footers). */
static const char *const frPage[] = {
    "accueil", "actualités", "politique", "économie", "société", "sport",
    "culture", "international", "régions", "partager", "publié", "mis",
    "jour", "lire", "aussi", "tous", "droits", "réservés", "abonnez",
    "vous", "notre", "newsletter", "suivez", "nous", "commentaires",
    "facebook", "twitter", "email", "imprimer", "publicité", "édition",
    "abonnés", "connexion", "menu", "recherche", "météo", "faits",
    "divers", "le", "à", "sur", "les", "articles", "plus"};
static const char *const enPage[] = {
    "home", "news", "politics", "business", "world", "sport", "culture",
    "opinion", "local", "share", "published", "updated", "read", "more",
    "all", "rights", "reserved", "subscribe", "to", "our", "newsletter",
    "follow", "us", "comments", "facebook", "twitter", "email", "print",
    "advertisement", "edition", "subscribers", "sign", "in", "menu",
    "search", "weather", "related", "stories", "on", "the", "latest"};
static const char *const frMonth[] = {
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"};
static const char *const enMonth[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"};
static const char *const frDay[] = {
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    "dimanche"};
static const char *const enDay[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday"};

/* The lexeme of @lang spelt @s among its most frequent words, else a new
 * one. */
static uint32_t lexNamed(vocab *v, int lang, const char *s, uint8_t flags)
{
    const zipfList *const all = &v->lang[lang].all;
    for (uint32_t i = 0; i < all->n && i < 400; i++) {
        const lexeme *const x = &v->lex[all->lex[i]];
        if (strlen(s) == x->len && memcmp(v->pool + x->off, s, x->len) == 0)
            return all->lex[i];
    }
    return (uint32_t)vocabAdd(v, s, flags, 0);
}

/* Adds the page words of a language (after both languages are built, so
 * that adding them changes nothing else). */
static void buildPageWords(vocab *v, int lang)
{
    int const fr = lang == LANG_FR;
    language *const L = &v->lang[lang];
    size_t const n = fr ? COUNT(frPage) : COUNT(enPage);
    L->page = xcalloc(n, sizeof *L->page);
    for (size_t i = 0; i < n; i++)
        L->page[i] = lexNamed(v, lang, fr ? frPage[i] : enPage[i], 0);
    L->npage = (uint32_t)n;
    for (int m = 0; m < 12; m++)
        L->month[m] = lexNamed(v, lang, fr ? frMonth[m] : enMonth[m],
                               fr ? 0 : W_PROPER);
    for (int d = 0; d < 7; d++)
        L->day[d] = lexNamed(v, lang, fr ? frDay[d] : enDay[d],
                             fr ? 0 : W_PROPER);
    for (int k = 0; k < 31 + 3; k++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", k < 31 ? k + 1 : 2023 + k - 31);
        uint32_t const x = lexNamed(v, lang, buf, 0);
        if (k < 31) L->dnum[k] = x;
        else L->year[k - 31] = x;
    }
}

/* The vocabulary is fixed (its own seed): it is "the language", and
 * corpora made with different --seed values share it. */
static void vocabInit(vocab *v)
{
    memset(v, 0, sizeof *v);
    rng r = rngFor(0x43414C515545ull, S_VOCAB, 0, 0);
    for (int l = 0; l < NLANG; l++) buildLanguage(v, l, &r);
    for (int l = 0; l < NLANG; l++) buildPageWords(v, l);
}

static void vocabFree(vocab *v)
{
    for (int l = 0; l < NLANG; l++) {
        for (int t = -1; t < NTOPIC; t++) {
            zipfList *const z = t < 0 ? &v->lang[l].all : &v->lang[l].topic[t];
            free(z->lex);
            free(z->cell);
        }
        free(v->lang[l].page);
    }
    free(v->pool);
    free(v->lex);
    smFree(&v->keys);
}

/*-************************************************************************
 *  Documents as token models
 **************************************************************************/
#define T_SENT 1   /* starts a sentence */
#define T_PARA 2   /* starts a paragraph (and a sentence) */
#define T_QOPEN 4  /* a quotation opens before this word; it closes at the
                      end of the sentence */
#define T_HEAD 8   /* belongs to the headline */
#define T_BOX 16   /* belongs to a line of page boilerplate (menu, footer) */

typedef struct {
    uint32_t lex;   /* lexeme */
    uint8_t flags;  /* T_* */
    char punct;     /* punctuation after the word: 0 , ; : . ? ! */
    uint32_t src;   /* (reuse) index + 1 of the agency word this one copies
                       unchanged, 0 if none */
} tok;

typedef struct {
    tok *t;
    size_t n, cap;
    int lang, topic;
} doc;

static void docClear(doc *d, int lang, int topic)
{
    d->n = 0;
    d->lang = lang;
    d->topic = topic;
}

static void docCopy(doc *dst, const doc *src)
{
    GROW(dst->t, dst->cap, src->n);
    memcpy(dst->t, src->t, src->n * sizeof *src->t);
    dst->n = src->n;
    dst->lang = src->lang;
    dst->topic = src->topic;
}

/* Makes room for @k tokens at @pos (uninitialised). */
static void docOpen(doc *d, size_t pos, size_t k)
{
    GROW(d->t, d->cap, d->n + k);
    memmove(d->t + pos + k, d->t + pos, (d->n - pos) * sizeof *d->t);
    d->n += k;
}

static void docCut(doc *d, size_t pos, size_t k)
{
    memmove(d->t + pos, d->t + pos + k, (d->n - pos - k) * sizeof *d->t);
    d->n -= k;
}

static int isStop(char p) { return p == '.' || p == '?' || p == '!'; }

/* Stock phrases of a language: 8-12 word sequences that many unrelated
 * articles use ("a déclaré le porte-parole du gouvernement lors d'une"). */
typedef struct {
    uint32_t n;       /* phrases */
    uint32_t *off;    /* phrase i is lex[off[i] .. off[i + 1]) */
    uint32_t *lex;
    zipfList pick;    /* which phrase: Zipf over the phrase number */
} stockSet;

/* The shared text generator: draws words of the document's language
 * and topic; with @stock, a sentence starts with a stock phrase with
 * probability stockPermille / 1000. */
typedef struct {
    const vocab *v;
    const stockSet *stock;  /* per language, or NULL */
    unsigned stockPermille;
} textGen;

/* Draws one word. @prev is the previous lexeme or UINT32_MAX; after an
 * elided word ("l'"), a vowel-initial word is preferred; a word never
 * repeats the previous one; @last forbids elided words. */
static uint32_t drawWord(const textGen *g, const doc *d, rng *r,
                         uint32_t prev, int last)
{
    const language *const L = &g->v->lang[d->lang];
    int const afterElide =
        prev != UINT32_MAX && (g->v->lex[prev].flags & W_ELIDE);
    uint32_t x = 0;
    for (int tries = 0; tries < 16; tries++) {
        const zipfList *const z =
            rngPct(r, TOPIC_PCT) ? &L->topic[d->topic] : &L->all;
        x = zipfDraw(z, r);
        const lexeme *const e = &g->v->lex[x];
        if (x == prev || (last && (e->flags & W_ELIDE))) continue;
        if (afterElide && !e->vowel && tries < 15) continue;
        break;
    }
    return x;
}

/* Appends a sentence of @len words at the end of @d; @flags go on its
 * first word (T_SENT is implied). */
static void genSentence(const textGen *g, doc *d, rng *r, unsigned len,
                        uint8_t flags)
{
    GROW(d->t, d->cap, d->n + len);
    uint32_t const quoteAt =
        rngPct(r, 8) ? rngBelow(r, len / 2 + 1) : UINT32_MAX;
    uint32_t prev = UINT32_MAX;
    for (unsigned k = 0; k < len; k++) {
        tok *const t = &d->t[d->n++];
        int const last = k + 1 == len;
        t->lex = drawWord(g, d, r, prev, last);
        prev = t->lex;
        t->flags = (uint8_t)(k == 0 ? (flags | T_SENT) : 0);
        if (k == quoteAt) t->flags |= T_QOPEN;
        t->src = 0;
        t->punct = 0;
        if (last) {
            uint32_t const u = rngBelow(r, 100);
            t->punct = u < 93 ? '.' : u < 97 ? '?' : '!';
        } else if (k > 0 && k + 2 < len &&
                   !(g->v->lex[t->lex].flags & W_ELIDE)) {
            uint32_t const u = rngBelow(r, 1000);
            t->punct = u < 70 ? ',' : u < 74 ? ';' : u < 78 ? ':' : 0;
        }
    }
    if (g->stock && rngBelow(r, 1000) < g->stockPermille) {
        const stockSet *const ss = &g->stock[d->lang];
        uint32_t const k = zipfDraw(&ss->pick, r);
        uint32_t const a = ss->off[k], b = ss->off[k + 1];
        if (b - a + 3 <= len)
            for (uint32_t i = a; i < b; i++) {
                tok *const t = &d->t[d->n - len + (i - a)];
                t->lex = ss->lex[i];
                t->punct = 0;
                t->flags &= (uint8_t)~T_QOPEN;
            }
    }
}

/* A sentence length: 8-30 words, triangular around 19. */
static unsigned sentenceLength(rng *r)
{
    return 8 + rngBelow(r, 12) + rngBelow(r, 12);
}

/* Appends a headline of 5-12 words (no final punctuation). */
static void genHeadline(const textGen *g, doc *d, rng *r)
{
    unsigned const len = rngRange(r, 5, 12);
    genSentence(g, d, r, len, T_PARA | T_HEAD);
    for (size_t i = d->n - len; i < d->n; i++) {
        d->t[i].flags = (uint8_t)((d->t[i].flags | T_HEAD) & ~T_QOPEN);
        d->t[i].punct = 0;
    }
}

/* Makes a whole article of about @words words: a headline, then
 * paragraphs of 1-4 sentences (mean 2.5) while the next sentence ends
 * nearer to @words than the text stops short of it (at least one). */
static void genArticle(const textGen *g, doc *d, rng *r, size_t words)
{
    genHeadline(g, d, r);
    size_t const head = d->n;
    for (;;) {
        unsigned const nsent = 1 + rngBelow(r, 2) + rngBelow(r, 3);
        for (unsigned s = 0; s < nsent; s++) {
            unsigned const len = sentenceLength(r);
            if (d->n > head && d->n + len / 2 > words) return;
            genSentence(g, d, r, len, s == 0 ? T_PARA : 0);
        }
    }
}

/* A document length: log-normal with the given mean, sigma 0.55,
 * clamped to [lo, hi]. */
static size_t docLength(rng *r, double mean, unsigned lo, unsigned hi)
{
    double const sigma = 0.55;
    double const median = mean / detExp(sigma * sigma / 2);
    double x = median * detExp(sigma * rngNormal(r));
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    return (size_t)(x + 0.5);
}

/*-************************************************************************
 *  Rendering: token model + style -> JSON-escaped UTF-8 text
 **************************************************************************/
typedef struct {
    uint8_t lang;
    uint8_t curlyApos;  /* ’ instead of ' */
    uint8_t quotes;     /* 0 "..."  1 “...”  2 «...» */
    uint8_t frSpace;    /* before ;:!? and inside «»: 0 none, 1 space,
                           2 U+00A0, 3 U+202F */
    uint8_t fold;       /* accents dropped */
    uint8_t upperHead;  /* headline in capitals */
    uint8_t noisy;      /* stray double spaces, tabs, trailing blanks */
    uint8_t dropCommas; /* a third of the commas left out */
} style;

/* A style typical of the language. */
static style drawStyle(rng *r, int lang)
{
    style s;
    memset(&s, 0, sizeof s);
    s.lang = (uint8_t)lang;
    if (lang == LANG_FR) {
        s.curlyApos = (uint8_t)rngPct(r, 70);
        uint32_t const q = rngBelow(r, 100);
        s.quotes = q < 60 ? 2 : q < 85 ? 0 : 1;
        uint32_t const sp = rngBelow(r, 100);
        s.frSpace = sp < 40 ? 2 : sp < 60 ? 3 : sp < 90 ? 1 : 0;
        s.fold = (uint8_t)rngPct(r, 3);
    } else {
        s.curlyApos = (uint8_t)rngPct(r, 50);
        s.quotes = (uint8_t)rngPct(r, 45);
    }
    s.upperHead = (uint8_t)rngPct(r, 5);
    s.noisy = (uint8_t)rngPct(r, 10);
    return s;
}

/* The style of a copy: each feature redrawn or toggled now and then. With
 * @force, at least one feature differs. */
static style mutateStyle(rng *r, style s, int force)
{
    style const old = s;
    style const fresh = drawStyle(r, s.lang);
    do {
        if (rngPct(r, 30)) s.curlyApos = (uint8_t)!s.curlyApos;
        if (rngPct(r, 30)) s.quotes = fresh.quotes;
        if (rngPct(r, 30)) s.frSpace = fresh.frSpace;
        if (s.lang == LANG_FR && rngPct(r, 10)) s.fold = (uint8_t)!s.fold;
        if (rngPct(r, 10)) s.upperHead = (uint8_t)!s.upperHead;
        if (rngPct(r, 20)) s.noisy = (uint8_t)!s.noisy;
        if (rngPct(r, 20)) s.dropCommas = (uint8_t)!s.dropCommas;
    } while (force && memcmp(&s, &old, sizeof s) == 0);
    return s;
}

/* Output of the renderer: the escaped text, the count of unescaped bytes
 * (offsets in the "text" string as a JSON reader decodes it). */
typedef struct {
    strbuf *o;
    size_t raw;
} rctx;

static void rPut(rctx *c, const char *s, size_t n)
{
    sbPut(c->o, s, n);
    c->raw += n;
}

/* A character that JSON needs escaped: '"', '\n' or '\t'. */
static void rEsc(rctx *c, char ch)
{
    char const e[2] = {'\\', ch == '\n' ? 'n' : ch == '\t' ? 't' : ch};
    sbPut(c->o, e, 2);
    c->raw += 1;
}

static const char *const frSpaceUtf8[] = {"", " ", "\xC2\xA0", "\xE2\x80\xAF"};

/* Writes a word: @caps 0 as is, 1 capital initial, 2 all capitals. */
static void rWord(rctx *c, const vocab *v, const lexeme *x, int fold, int caps)
{
    const char *const s = v->pool + (fold ? x->foff : x->off);
    size_t const n = fold ? x->flen : x->len;
    size_t const before = c->o->len;
    size_t i = 0;
    while (i < n && caps) {
        i += putUpperChar(c->o, s + i, n - i);
        if (caps == 1) break;
    }
    sbPut(c->o, s + i, n - i);
    c->raw += c->o->len - before;
}

static void rOpenQuote(rctx *c, const style *st)
{
    if (st->quotes == 0) rEsc(c, '"');
    else if (st->quotes == 1) rPut(c, "\xE2\x80\x9C", 3);
    else {
        rPut(c, "\xC2\xAB", 2);
        rPut(c, frSpaceUtf8[st->frSpace], strlen(frSpaceUtf8[st->frSpace]));
    }
}

static void rCloseQuote(rctx *c, const style *st)
{
    if (st->quotes == 0) rEsc(c, '"');
    else if (st->quotes == 1) rPut(c, "\xE2\x80\x9D", 3);
    else {
        rPut(c, frSpaceUtf8[st->frSpace], strlen(frSpaceUtf8[st->frSpace]));
        rPut(c, "\xC2\xBB", 2);
    }
}

static void rPunct(rctx *c, const style *st, char p)
{
    if (st->lang == LANG_FR && (p == ';' || p == ':' || p == '?' || p == '!'))
        rPut(c, frSpaceUtf8[st->frSpace], strlen(frSpaceUtf8[st->frSpace]));
    rPut(c, &p, 1);
}

/* Renders @d with style @st into @o (JSON-escaped, no surrounding quotes).
 * Stray-whitespace choices come from a stream of @seed, so the same
 * (doc, style, seed) gives the same bytes. When @start/@end are given,
 * they receive each token's byte span in the decoded text. Rendering
 * never changes the words: sentence ends always get a stop, stops in the
 * middle of a sentence are dropped, quotes close at the sentence end. */
static void renderDoc(const vocab *v, const doc *d, const style *st,
                      uint64_t seed, strbuf *o, uint32_t *start, uint32_t *end)
{
    rng r = rngFor(seed, S_RENDER, 0, 0);
    rctx c = {o, 0};
    int inQuote = 0, glued = 0;
    if (st->noisy && rngPct(&r, 20)) rPut(&c, " ", 1);
    for (size_t i = 0; i < d->n; i++) {
        const tok *const t = &d->t[i];
        const lexeme *const x = &v->lex[t->lex];
        int const last = i + 1 == d->n || (d->t[i + 1].flags & T_SENT);
        if (i > 0 && (t->flags & T_PARA) &&
            ((t->flags | d->t[i - 1].flags) & T_BOX)) {
            rEsc(&c, '\n'); /* page lines: one per line */
        } else if (i > 0 && (t->flags & T_PARA)) {
            if (st->noisy && rngPct(&r, 25)) rPut(&c, " ", 1);
            rEsc(&c, '\n');
            if (!(st->noisy && rngPct(&r, 10))) rEsc(&c, '\n');
            if (st->noisy && rngPct(&r, 10)) rEsc(&c, '\n');
        } else if (i > 0 && !glued) {
            rPut(&c, " ", 1);
            if (st->noisy && rngPct(&r, 4)) rPut(&c, " ", 1);
            if (st->noisy && rngPct(&r, 1)) rEsc(&c, '\t');
        }
        if ((t->flags & T_QOPEN) && !inQuote) {
            rOpenQuote(&c, st);
            inQuote = 1;
        }
        int const caps = (t->flags & T_HEAD) && st->upperHead ? 2
                         : (t->flags & T_SENT) || (x->flags & W_PROPER) ? 1
                                                                        : 0;
        if (start) start[i] = (uint32_t)c.raw;
        rWord(&c, v, x, st->fold, caps);
        if (end) end[i] = (uint32_t)c.raw;
        glued = 0;
        if (x->flags & W_ELIDE) {
            if (st->curlyApos) rPut(&c, "\xE2\x80\x99", 3);
            else rPut(&c, "'", 1);
            glued = !last;
        }
        char p = t->punct;
        if (last) p = (t->flags & (T_HEAD | T_BOX)) ? 0 : isStop(p) ? p : '.';
        else if (isStop(p) || glued) p = 0;
        if (p == ',' && st->dropCommas && rngPct(&r, 33)) p = 0;
        if (inQuote && last) {
            if (st->lang == LANG_EN && p) rPunct(&c, st, p);
            rCloseQuote(&c, st);
            if (st->lang != LANG_EN && p) rPunct(&c, st, p);
            inQuote = 0;
        } else if (p) {
            rPunct(&c, st, p);
        }
    }
    if (st->noisy && rngPct(&r, 30)) rPut(&c, " ", 1);
}

/* Writes one JSONL record {"id":..., "text":...}; @id needs no escaping. */
static void putRecord(FILE *out, const char *id, const strbuf *text)
{
    fputs("{\"id\":\"", out);
    fputs(id, out);
    fputs("\",\"text\":\"", out);
    fwrite(text->p, 1, text->len, out);
    fputs("\"}\n", out);
}

/*-************************************************************************
 *  Word 5-gram sets and their exact Jaccard
 **************************************************************************/
#define NGRAM 5

/* A set of 64-bit shingle hashes (open addressing, 0 = empty). */
typedef struct {
    uint64_t *slot;
    size_t cap, n;
} hset;

static void hsetReset(hset *s, size_t expect)
{
    size_t cap = 64;
    while (cap < 2 * expect + 2) cap *= 2;
    if (cap > s->cap) {
        free(s->slot);
        s->slot = xcalloc(cap, sizeof *s->slot);
        s->cap = cap;
    } else {
        cap = s->cap;
        memset(s->slot, 0, cap * sizeof *s->slot);
    }
    s->n = 0;
}

/* @return 1 when @h was added, 0 when already there. */
static int hsetAdd(hset *s, uint64_t h)
{
    if (h == 0) h = 1;
    size_t j = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == h) return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = h;
    s->n++;
    return 1;
}

static int hsetHas(const hset *s, uint64_t h)
{
    if (h == 0) h = 1;
    size_t j = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == h) return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

/* The hash of the @k token ids at @w. A text shorter than NGRAM words has
 * one shingle, the whole text. */
static uint64_t shingleHash(const uint32_t *w, size_t k)
{
    uint64_t h = 0x9AE16A3B2F90404Full;
    for (size_t i = 0; i < k; i++) h = mix64(h ^ (w[i] + 0x9E3779B9ull));
    return h;
}

/* Fills @s with the shingles of token ids @ids[0..n). */
static void shinglesOf(hset *s, const uint32_t *ids, size_t n)
{
    hsetReset(s, n);
    if (n == 0) return;
    if (n < NGRAM) {
        hsetAdd(s, shingleHash(ids, n));
        return;
    }
    for (size_t i = 0; i + NGRAM <= n; i++)
        hsetAdd(s, shingleHash(ids + i, NGRAM));
}

/* Jaccard of set @a with the shingles of @ids (built into scratch @b). */
static double jaccardWith(const hset *a, hset *b, const uint32_t *ids,
                          size_t n)
{
    shinglesOf(b, ids, n);
    size_t inter = 0;
    for (size_t j = 0; j < b->cap; j++)
        if (b->slot[j] && hsetHas(a, b->slot[j])) inter++;
    size_t const uni = a->n + b->n - inter;
    return uni ? (double)inter / (double)uni : 1.0;
}

/*-************************************************************************
 *  Edits: deriving a document at a target Jaccard from a base
 **************************************************************************/
typedef struct {
    textGen tg;
    doc base, cur;     /* a base document and the one derived from it */
    doc sent;          /* scratch: a new sentence */
    size_t *starts;    /* scratch: sentence starts */
    size_t startsCap;
    hset bset, cset;   /* shingles of base, scratch */
    uint32_t *ids;
    size_t idsCap;
    strbuf text;
    uint32_t *spanStart, *spanEnd; /* (reuse) token spans */
    size_t spanCap;
} gen;

static const uint32_t *tokenIds(gen *g, const doc *d)
{
    GROW(g->ids, g->idsCap, d->n + 1);
    for (size_t i = 0; i < d->n; i++) g->ids[i] = g->tg.v->lex[d->t[i].lex].tok;
    return g->ids;
}

static double jaccardToBase(gen *g, const doc *d)
{
    const uint32_t *const ids = tokenIds(g, d);
    return jaccardWith(&g->bset, &g->cset, ids, d->n);
}

/* [*s, *e) = the sentence holding token @pos. */
static void sentenceAt(const doc *d, size_t pos, size_t *s, size_t *e)
{
    size_t a = pos, b = pos + 1;
    while (a > 0 && !(d->t[a].flags & T_SENT)) a--;
    while (b < d->n && !(d->t[b].flags & T_SENT)) b++;
    *s = a;
    *e = b;
}

/* Starts of the body sentences (not the headline) into g->starts;
 * @return their count. */
static size_t bodySentences(gen *g, const doc *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        if ((d->t[i].flags & T_SENT) && !(d->t[i].flags & T_HEAD)) {
            GROW(g->starts, g->startsCap, k + 1);
            g->starts[k++] = i;
        }
    }
    return k;
}

static void editSubstitute(gen *g, doc *d, rng *r)
{
    size_t const pos = rngBelow(r, (uint32_t)d->n);
    size_t s, e;
    sentenceAt(d, pos, &s, &e);
    uint32_t const prev = pos > s ? d->t[pos - 1].lex : UINT32_MAX;
    d->t[pos].lex = drawWord(&g->tg, d, r, prev, pos + 1 == e);
}

/* Inserts 1-3 words after a word, inside its sentence. */
static void editInsert(gen *g, doc *d, rng *r)
{
    size_t const pos = rngBelow(r, (uint32_t)d->n);
    size_t const k = rngRange(r, 1, 3);
    docOpen(d, pos + 1, k);
    for (size_t i = 0; i < k; i++) {
        tok *const t = &d->t[pos + 1 + i];
        t->flags = (uint8_t)(d->t[pos].flags & T_HEAD);
        t->punct = 0;
        t->src = 0;
        t->lex = drawWord(&g->tg, d, r, d->t[pos + i].lex, 0);
    }
    /* The sentence's stop moves to its new last word. */
    d->t[pos + k].punct = d->t[pos].punct;
    d->t[pos].punct = 0;
}

/* Deletes 1-3 words of a sentence, leaving it at least 3 words. */
static void editDelete(gen *g, doc *d, rng *r)
{
    size_t const pos = rngBelow(r, (uint32_t)d->n);
    size_t s, e;
    sentenceAt(d, pos, &s, &e);
    size_t k = rngRange(r, 1, 3);
    if (e - s < 3 + k) {
        editSubstitute(g, d, r);
        return;
    }
    if (pos + k > e) k = e - pos;
    uint8_t const keep = d->t[pos].flags & (T_SENT | T_PARA | T_HEAD);
    char const stop = d->t[pos + k - 1].punct;
    docCut(d, pos, k);
    if (keep & T_SENT) d->t[pos].flags |= keep;
    if (pos + k == e) d->t[pos - 1].punct = stop;
}

/* Moves a body sentence in front of another one. */
static void editMove(gen *g, doc *d, rng *r)
{
    size_t const ns = bodySentences(g, d);
    size_t const *const starts = g->starts;
    if (ns < 3) {
        editSubstitute(g, d, r);
        return;
    }
    size_t const a = rngBelow(r, (uint32_t)ns);
    size_t b = rngBelow(r, (uint32_t)ns - 1);
    if (b >= a) b++;
    size_t const s = starts[a];
    size_t const e = a + 1 < ns ? starts[a + 1] : d->n;
    size_t const len = e - s;
    tok *const tmp = xcalloc(len, sizeof *tmp);
    memcpy(tmp, d->t + s, len * sizeof *tmp);
    int const wasPara = (tmp[0].flags & T_PARA) != 0;
    tmp[0].flags &= (uint8_t)~T_PARA;
    docCut(d, s, len);
    if (wasPara && s < d->n) d->t[s].flags |= T_PARA;
    size_t at = starts[b];
    if (b > a) at -= len;
    if (d->t[at].flags & T_PARA) { /* it becomes the paragraph's first */
        d->t[at].flags &= (uint8_t)~T_PARA;
        tmp[0].flags |= T_PARA;
    }
    docOpen(d, at, len);
    memcpy(d->t + at, tmp, len * sizeof *tmp);
    free(tmp);
}

/* Inserts a new sentence of 8-20 words in front of a body sentence or at
 * the end. */
static void editNewSentence(gen *g, doc *d, rng *r)
{
    size_t const ns = bodySentences(g, d);
    size_t const *const starts = g->starts;
    uint32_t const k = rngBelow(r, (uint32_t)ns + 1);
    size_t const at = k < ns ? starts[k] : d->n;
    doc *const s = &g->sent;
    docClear(s, d->lang, d->topic);
    genSentence(&g->tg, s, r, rngRange(r, 8, 20), 0);
    if (at < d->n && (d->t[at].flags & T_PARA)) {
        d->t[at].flags &= (uint8_t)~T_PARA;
        s->t[0].flags |= T_PARA;
    }
    docOpen(d, at, s->n);
    memcpy(d->t + at, s->t, s->n * sizeof *s->t);
}

/* Deletes a body sentence, when there are at least 4. */
static void editDeleteSentence(gen *g, doc *d, rng *r)
{
    size_t const ns = bodySentences(g, d);
    size_t const *const starts = g->starts;
    if (ns < 4) {
        editSubstitute(g, d, r);
        return;
    }
    size_t const a = rngBelow(r, (uint32_t)ns);
    size_t const s = starts[a];
    size_t const e = a + 1 < ns ? starts[a + 1] : d->n;
    int const wasPara = (d->t[s].flags & T_PARA) != 0;
    docCut(d, s, e - s);
    if (wasPara && s < d->n) d->t[s].flags |= T_PARA;
}

/* One random edit: mostly word-level, sometimes sentence-level. */
static void editOnce(gen *g, doc *d, rng *r)
{
    uint32_t const u = rngBelow(r, 100);
    if (d->n < 8) editInsert(g, d, r);
    else if (u < 45) editSubstitute(g, d, r);
    else if (u < 60) editInsert(g, d, r);
    else if (u < 75) editDelete(g, d, r);
    else if (u < 85) editMove(g, d, r);
    else if (u < 93) editNewSentence(g, d, r);
    else editDeleteSentence(g, d, r);
}

/* g->cur = g->base after the first @m edits of stream @seed. */
static double applyEdits(gen *g, uint64_t seed, uint32_t attempt, size_t m)
{
    docCopy(&g->cur, &g->base);
    rng r = rngFor(seed, S_EDIT, attempt, 0);
    for (size_t i = 0; i < m; i++) editOnce(g, &g->cur, &r);
    return jaccardToBase(g, &g->cur);
}

/* Replaces word @pos of @d by a word with another token (16 tries). */
static void substituteAt(gen *g, doc *d, rng *r, size_t pos)
{
    size_t s, e;
    sentenceAt(d, pos, &s, &e);
    uint32_t const before = pos > s ? d->t[pos - 1].lex : UINT32_MAX;
    uint32_t const old = g->tg.v->lex[d->t[pos].lex].tok;
    for (int tries = 0; tries < 16; tries++) {
        d->t[pos].lex = drawWord(&g->tg, d, r, before, pos + 1 == e);
        if (g->tg.v->lex[d->t[pos].lex].tok != old) break;
    }
}

/* Adds a word at the end of the last sentence of @d. */
static void appendWord(gen *g, doc *d, rng *r)
{
    size_t const n = d->n;
    docOpen(d, n, 1);
    d->t[n] = d->t[n - 1];
    d->t[n].flags &= T_HEAD;
    d->t[n].src = 0;
    d->t[n - 1].punct = 0;
    d->t[n].lex = drawWord(&g->tg, d, r, d->t[n - 1].lex, 1);
}

/* The fine stage of derive(): from g->cur at Jaccard @J >= @target, moves
 * one shingle at a time until J <= target without going below @lo:
 * substituting words from the end of the text backwards (each takes one
 * more shared shingle out and puts a new one in), or, when that would
 * fall below lo, appending a word (one new shingle, a smaller step).
 * @return the Jaccard reached (> target when neither step fits). */
static double fineSteps(gen *g, rng *r, double J, double target, double lo)
{
    size_t pos = g->cur.n;
    while (J > target && pos > 0) {
        tok const saved = g->cur.t[pos - 1];
        substituteAt(g, &g->cur, r, pos - 1);
        double const Js = jaccardToBase(g, &g->cur);
        if (Js >= lo) {
            J = Js;
            pos--;
            continue;
        }
        g->cur.t[pos - 1] = saved;
        size_t const n = g->cur.n;
        char const stop = g->cur.t[n - 1].punct;
        appendWord(g, &g->cur, r);
        double const Ja = jaccardToBase(g, &g->cur);
        if (Ja >= lo) {
            J = Ja;
            continue;
        }
        g->cur.n = n; /* undo: no step fits */
        g->cur.t[n - 1].punct = stop;
        break;
    }
    return J;
}

/* Derives g->cur from g->base (whose shingles are in g->bset) so that
 * their 5-gram Jaccard lies in [lo, hi], aiming at a target drawn
 * uniformly in the range. Searches the number m of random edits with
 * J(m) >= target > J(m + 1), then finishes with fineSteps(). Retries
 * with other edits if no step sequence fits in the range.
 * @return the Jaccard reached; it is outside [lo, hi] only when no
 * attempt could hit a range narrower than one word's effect. */
static double derive(gen *g, uint64_t seed, double lo, double hi)
{
    rng r = rngFor(seed, S_EDIT, 0xFFFF, 0);
    double const target = lo + (hi - lo) * rngUnit(&r);
    double J = 1.0;
    for (uint32_t attempt = 0; attempt < 8; attempt++) {
        size_t const n = g->base.n;
        J = 1.0;
        docCopy(&g->cur, &g->base);
        if (target < 1.0) {
            size_t mlo = 0, mhi = 0;
            size_t m = (size_t)((double)n * (1 - target) / (1 + target) / 6);
            if (m < 1) m = 1;
            for (;;) { /* bracket */
                J = applyEdits(g, seed, attempt, m);
                if (J < target) {
                    mhi = m;
                    break;
                }
                mlo = m;
                if (m > 4 * n + 64) break;
                m *= 2;
            }
            if (mhi) { /* else edits could not go below target */
                while (mhi - mlo > 1) {
                    size_t const mid = mlo + (mhi - mlo) / 2;
                    if (applyEdits(g, seed, attempt, mid) >= target) mlo = mid;
                    else mhi = mid;
                }
                J = applyEdits(g, seed, attempt, mlo);
                J = fineSteps(g, &r, J, target, lo);
            }
        }
        if (J >= lo && J <= hi) return J;
    }
    return J; /* the last attempt, out of range: the caller reports it */
}

/*-************************************************************************
 *  gen dedup: planted families of near duplicates among singletons
 **************************************************************************/
typedef struct {
    uint64_t seed;
    size_t docs, families;
    unsigned famMin, famMax, decoys;
    double jLo, jHi, unrelMax;
    double exactP, cosmeticP, frenchP;
    unsigned wMin, wMax;
    double wMean;
    const char *truthPath;
    int quiet;
} dedupOpts;

/* A Fenwick tree over the number of documents each family has left to
 * emit, to pick a random remaining family document in O(log F). */
typedef struct {
    uint32_t *t; /* 1-based */
    size_t n;
    uint64_t total;
} fenwick;

static void fwAdd(fenwick *f, size_t i, int64_t delta)
{
    f->total = (uint64_t)((int64_t)f->total + delta);
    for (size_t k = i + 1; k <= f->n; k += k & (~k + 1))
        f->t[k] = (uint32_t)((int64_t)f->t[k] + delta);
}

/* @return the index i with prefix(i) <= k < prefix(i + 1). */
static size_t fwFind(const fenwick *f, uint64_t k)
{
    size_t pos = 0, step = 1;
    while (step * 2 <= f->n) step *= 2;
    for (; step; step /= 2) {
        if (pos + step <= f->n && f->t[pos + step] <= k) {
            pos += step;
            k -= f->t[pos];
        }
    }
    return pos;
}

/* Properties of a family or a singleton drawn from its own stream. */
typedef struct {
    int lang, topic;
    size_t words;
    style st;
} docPlan;

static docPlan planDoc(const dedupOpts *o, rng *r)
{
    docPlan p;
    p.lang = rngUnit(r) < o->frenchP ? LANG_FR : LANG_EN;
    p.topic = (int)rngBelow(r, NTOPIC);
    p.words = docLength(r, o->wMean, o->wMin, o->wMax);
    p.st = drawStyle(r, p.lang);
    return p;
}

/* Regenerates the base of family @f into g->base and its shingles into
 * g->bset. @return its plan. Families keep only a few counters: their
 * bases are remade from their seed every time a member is emitted. */
static docPlan makeBase(gen *g, const dedupOpts *o, size_t f)
{
    rng r = rngFor(o->seed, S_BASE, f, 0);
    docPlan const p = planDoc(o, &r);
    docClear(&g->base, p.lang, p.topic);
    genArticle(&g->tg, &g->base, &r, p.words);
    shinglesOf(&g->bset, tokenIds(g, &g->base), g->base.n);
    return p;
}

typedef struct {
    size_t docs, bytes, words, members, outOfRange;
    double jMin, jMax;
} genStats;

static void noteJ(genStats *s, double J)
{
    if (J < s->jMin) s->jMin = J;
    if (J > s->jMax) s->jMax = J;
}

/* The number of documents the families take, decoys included: the draws
 * runDedup() makes for the family sizes. */
static uint64_t familyDocs(const dedupOpts *o)
{
    rng rs = rngFor(o->seed, S_FAMSIZE, 0, 0);
    uint64_t planted = 0;
    for (size_t f = 0; f < o->families; f++)
        planted += rngRange(&rs, o->famMin, o->famMax) + o->decoys;
    return planted;
}

/* Writes the corpus of gen dedup to stdout and its truth file. The option
 * values must have been checked, familyDocs(o) <= o->docs included. */
static void runDedup(const dedupOpts *o)
{
    vocab v;
    vocabInit(&v);
    gen g;
    memset(&g, 0, sizeof g);
    g.tg.v = &v;
    FILE *const out = stdout;
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    FILE *const truth = o->truthPath ? openOut(o->truthPath) : NULL;

    /* Family sizes and the schedule. */
    size_t const F = o->families;
    uint16_t *const size = xcalloc(F, sizeof *size);
    uint16_t *const emitted = xcalloc(F, sizeof *emitted);
    uint16_t *const decoysLeft = xcalloc(F, sizeof *decoysLeft);
    fenwick fw = {xcalloc(F + 1, sizeof(uint32_t)), F, 0};
    rng rs = rngFor(o->seed, S_FAMSIZE, 0, 0);
    for (size_t f = 0; f < F; f++) { /* same draws as familyDocs() */
        size[f] = (uint16_t)rngRange(&rs, o->famMin, o->famMax);
        decoysLeft[f] = (uint16_t)o->decoys;
        fwAdd(&fw, f, size[f] + o->decoys);
    }

    genStats st = {0, 0, 0, 0, 0, 2, -1};
    rng sched = rngFor(o->seed, S_SCHED, 0, 0);
    char id[32];
    strbuf *const text = &g.text;
    for (size_t i = 0; i < o->docs; i++) {
        snprintf(id, sizeof id, "d%06zu", i);
        text->len = 0;
        uint64_t const left = o->docs - i;
        if (fw.total && rngNext(&sched) % left < fw.total) {
            size_t const f = fwFind(&fw, rngNext(&sched) % fw.total);
            fwAdd(&fw, f, -1);
            uint16_t const j = emitted[f]++;
            docPlan const p = makeBase(&g, o, f);
            uint64_t const baseRender = mix64(o->seed ^ (f * 2 + 1));
            if (j == 0) { /* the base comes first */
                renderDoc(&v, &g.base, &p.st, baseRender, text, NULL, NULL);
                if (truth) fprintf(truth, "%s\t%zu\tbase\t%zu\t1.0000\n",
                                   id, f, f);
            } else {
                rng r = rngFor(o->seed, S_MEMBER, f, j);
                uint32_t const decoysDone = o->decoys - decoysLeft[f];
                uint32_t const membersDone = (uint32_t)(j - 1) - decoysDone;
                uint32_t const membersLeft = size[f] - 1u - membersDone;
                int const decoy =
                    rngBelow(&r, membersLeft + decoysLeft[f]) >= membersLeft;
                uint64_t const eseed = rngNext(&r);
                if (decoy) {
                    decoysLeft[f]--;
                    double lo = o->unrelMax - 0.15;
                    if (lo < 0.02) lo = 0.02;
                    double const J = derive(&g, eseed, lo, o->unrelMax);
                    if (J > o->unrelMax || J < lo) st.outOfRange++;
                    style const s2 = mutateStyle(&r, p.st, 0);
                    renderDoc(&v, &g.cur, &s2, eseed, text, NULL, NULL);
                    if (truth) fprintf(truth, "%s\t-1\tdecoy\t%zu\t%.4f\n",
                                       id, f, J);
                    st.words += g.cur.n;
                } else {
                    double const u = rngUnit(&r);
                    const char *kind;
                    double J;
                    if (u < o->exactP) {
                        kind = "exact";
                        J = 1.0;
                        docCopy(&g.cur, &g.base);
                        renderDoc(&v, &g.base, &p.st, baseRender, text, NULL,
                                  NULL);
                    } else if (u < o->exactP + o->cosmeticP && o->jHi >= 1.0) {
                        kind = "cosmetic";
                        J = 1.0;
                        docCopy(&g.cur, &g.base);
                        style const s2 = mutateStyle(&r, p.st, 1);
                        renderDoc(&v, &g.base, &s2, eseed, text, NULL, NULL);
                    } else {
                        kind = "near";
                        J = derive(&g, eseed, o->jLo, o->jHi);
                        if (J < o->jLo || J > o->jHi) st.outOfRange++;
                        style const s2 = mutateStyle(&r, p.st, 0);
                        renderDoc(&v, &g.cur, &s2, eseed, text, NULL, NULL);
                    }
                    noteJ(&st, J);
                    st.members++;
                    if (truth) fprintf(truth, "%s\t%zu\t%s\t%zu\t%.4f\n", id,
                                       f, kind, f, J);
                    st.words += g.cur.n;
                }
            }
            if (j == 0) st.words += g.base.n;
        } else {
            rng r = rngFor(o->seed, S_SINGLE, i, 0);
            docPlan const p = planDoc(o, &r);
            docClear(&g.cur, p.lang, p.topic);
            genArticle(&g.tg, &g.cur, &r, p.words);
            renderDoc(&v, &g.cur, &p.st, rngNext(&r), text, NULL, NULL);
            if (truth) fprintf(truth, "%s\t-1\tsingle\t-1\t0\n", id);
            st.words += g.cur.n;
        }
        putRecord(out, id, text);
        st.docs++;
        st.bytes += text->len;
    }
    closeOut(out, "standard output");
    if (truth) closeOut(truth, o->truthPath);
    if (!o->quiet) {
        fprintf(stderr, "%s: %zu docs, %.1f MB of text, %.0f words and "
                "%.0f bytes per doc; %zu families, %zu members",
                progName, st.docs, st.bytes / 1e6,
                st.docs ? (double)st.words / (double)st.docs : 0.0,
                st.docs ? (double)st.bytes / (double)st.docs : 0.0, F,
                st.members);
        if (st.members) fprintf(stderr, " (Jaccard %.3f-%.3f)", st.jMin,
                                st.jMax);
        fputc('\n', stderr);
    }
    if (st.outOfRange)
        fprintf(stderr, "%s: warning: %zu derived docs missed their Jaccard "
                "range (range narrower than one word of a short doc?)\n",
                progName, st.outOfRange);
    free(size);
    free(emitted);
    free(decoysLeft);
    free(fw.t);
    free(g.base.t);
    free(g.cur.t);
    free(g.sent.t);
    free(g.starts);
    free(g.bset.slot);
    free(g.cset.slot);
    free(g.ids);
    free(g.text.p);
    vocabFree(&v);
}

/*-************************************************************************
 *  gen reuse: agency articles and their partial reprints on web pages
 **************************************************************************/
typedef struct {
    uint64_t seed;
    size_t docs, groups;
    unsigned repMin, repMax, sites, nstock;
    double keepLo, keepHi, editLo, editHi, stockRate, frenchP, pageP;
    unsigned wMin, wMax;
    double wMean;
    const char *truthPath, *passagesPath;
    int quiet;
} reuseOpts;

#define MIN_PASSAGE 8 /* words: shorter shared runs are not reported */

/* Makes @n stock phrases of 8-12 words per language, from the corpus
 * seed; phrase k is used with a Zipf weight, so a few are very common. */
static void buildStock(const vocab *v, stockSet *ss, unsigned n, uint64_t seed)
{
    textGen const tg = {v, NULL, 0};
    for (int l = 0; l < NLANG; l++) {
        stockSet *const s = &ss[l];
        rng r = rngFor(seed, S_STOCK, (uint64_t)l, 0);
        s->n = n;
        s->off = xcalloc(n + 1, sizeof *s->off);
        s->lex = xcalloc((size_t)n * 12, sizeof *s->lex);
        doc d = {0};
        uint32_t k = 0;
        for (unsigned i = 0; i < n; i++) {
            docClear(&d, l, (int)(i % NTOPIC));
            uint32_t prev = UINT32_MAX;
            unsigned const len = rngRange(&r, 8, 12);
            s->off[i] = k;
            for (unsigned w = 0; w < len; w++)
                s->lex[k++] = prev = drawWord(&tg, &d, &r, prev, w + 1 == len);
        }
        s->off[n] = k;
        s->pick.n = n;
        s->pick.lex = xcalloc(n, sizeof *s->pick.lex);
        for (unsigned i = 0; i < n; i++) s->pick.lex[i] = i;
        zipfBuild(&s->pick);
    }
}

static void freeStock(stockSet *ss)
{
    for (int l = 0; l < NLANG; l++) {
        free(ss[l].off);
        free(ss[l].lex);
        free(ss[l].pick.lex);
        free(ss[l].pick.cell);
    }
}

/* A web site that reprints articles: its language, style and the fixed
 * lines of its pages (name, menu above; share line, rights, newsletter
 * below). Every page of a site repeats them: shared text that is not
 * reuse. */
typedef struct {
    int lang;
    style st;
    doc head, foot;
} site;

/* Appends a page line made of @n lexemes. */
static void addLine(doc *d, const uint32_t *lex, size_t n)
{
    GROW(d->t, d->cap, d->n + n);
    for (size_t i = 0; i < n; i++) {
        tok *const t = &d->t[d->n++];
        t->lex = lex[i];
        t->flags = (uint8_t)(T_BOX | (i == 0 ? T_PARA | T_SENT : 0));
        t->punct = 0;
        t->src = 0;
    }
}

/* Appends the page words spelt by the space-separated @words. */
static size_t pageWords(const vocab *v, int lang, const char *words,
                        uint32_t *out)
{
    const language *const L = &v->lang[lang];
    size_t n = 0;
    while (*words) {
        size_t const len = strcspn(words, " ");
        for (uint32_t i = 0; i < L->npage; i++) {
            const lexeme *const x = &v->lex[L->page[i]];
            if (x->len == len && memcmp(v->pool + x->off, words, len) == 0) {
                out[n++] = L->page[i];
                break;
            }
        }
        words += len;
        while (*words == ' ') words++;
    }
    return n;
}

static void buildSite(const textGen *tg, site *s, uint64_t seed, size_t k,
                      double frenchP)
{
    rng r = rngFor(seed, S_SITE, k, 0);
    int const fr = rngUnit(&r) < frenchP;
    const vocab *const v = tg->v;
    const language *const L = &v->lang[fr ? LANG_FR : LANG_EN];
    s->lang = fr ? LANG_FR : LANG_EN;
    s->st = drawStyle(&r, s->lang);
    s->st.upperHead = 0;
    memset(&s->head, 0, sizeof s->head);
    memset(&s->foot, 0, sizeof s->foot);
    docClear(&s->head, s->lang, (int)rngBelow(&r, NTOPIC));
    docClear(&s->foot, s->lang, s->head.topic);
    uint32_t w[16];
    size_t const nname = rngRange(&r, 1, 3);
    for (size_t i = 0; i < nname; i++)
        w[i] = drawWord(tg, &s->head, &r, i ? w[i - 1] : UINT32_MAX, 0);
    addLine(&s->head, w, nname);
    size_t const nmenu = rngRange(&r, 5, 8);
    for (size_t i = 0; i < nmenu; i++) w[i] = L->page[rngBelow(&r, 10)];
    addLine(&s->head, w, nmenu);
    size_t n = pageWords(v, s->lang, fr ? "partager facebook twitter email"
                                        : "share facebook twitter email", w);
    addLine(&s->foot, w, n);
    n = pageWords(v, s->lang, fr ? "tous droits réservés"
                                 : "all rights reserved", w);
    for (size_t i = 0; i < nname; i++) w[n++] = s->head.t[i].lex;
    addLine(&s->foot, w, n);
    n = pageWords(v, s->lang, fr ? "abonnez vous à notre newsletter"
                                 : "subscribe to our newsletter", w);
    addLine(&s->foot, w, n);
}

/* Appends the top of a page of site @s: its fixed lines and a dateline. */
static void pageTop(const vocab *v, const site *s, doc *d, rng *r)
{
    const language *const L = &v->lang[s->lang];
    uint32_t w[8];
    GROW(d->t, d->cap, d->n + s->head.n);
    memcpy(d->t + d->n, s->head.t, s->head.n * sizeof *d->t);
    d->n += s->head.n;
    size_t n = pageWords(v, s->lang, s->lang == LANG_FR ? "publié le"
                                                          : "published", w);
    w[n++] = L->day[rngBelow(r, 7)];
    w[n++] = L->dnum[rngBelow(r, 28)];
    w[n++] = L->month[rngBelow(r, 12)];
    w[n++] = L->year[rngBelow(r, 3)];
    addLine(d, w, n);
}

/* Appends the bottom of a page: a "read more" line with a random title,
 * then the site's fixed lines. */
static void pageBottom(const textGen *tg, const site *s, doc *d, rng *r)
{
    uint32_t w[16];
    size_t n = pageWords(tg->v, s->lang, s->lang == LANG_FR ? "lire aussi"
                                                            : "read more", w);
    size_t const k = rngRange(r, 5, 9);
    for (size_t i = 0; i < k; i++)
        w[n + i] = drawWord(tg, d, r, w[n + i - 1], i + 1 == k);
    addLine(d, w, n + k);
    GROW(d->t, d->cap, d->n + s->foot.n);
    memcpy(d->t + d->n, s->foot.t, s->foot.n * sizeof *d->t);
    d->n += s->foot.n;
}

/* Copies agency words [from, to) (a paragraph) to the end of @d, marking
 * each with its source index, editing a share @e of them: substituted
 * (70%), deleted (15%) or followed by an inserted word (15%). Edited and
 * inserted words have no source. */
static void copyParagraph(const textGen *tg, const doc *a, size_t from,
                          size_t to, doc *d, double e, rng *r)
{
    size_t const first = d->n;
    uint8_t pending = 0;
    for (size_t i = from; i < to; i++) {
        tok t = a->t[i];
        t.src = (uint32_t)i + 1;
        t.flags |= pending;
        pending = 0;
        int const last = i + 1 == to || (a->t[i + 1].flags & T_SENT);
        if (rngUnit(r) < e) {
            uint32_t const k = rngBelow(r, 100);
            uint32_t const prev = d->n > first ? d->t[d->n - 1].lex
                                               : UINT32_MAX;
            if (k < 70) {
                t.lex = drawWord(tg, d, r, prev, last);
                t.src = 0;
            } else if (k < 85) {
                pending = t.flags & (T_SENT | T_PARA | T_QOPEN);
                if (isStop(t.punct) && d->n > first)
                    d->t[d->n - 1].punct = t.punct;
                continue;
            } else {
                GROW(d->t, d->cap, d->n + 2);
                tok ins = t;
                ins.lex = drawWord(tg, d, r, t.lex, last);
                ins.flags = 0;
                ins.src = 0;
                t.punct = 0;
                d->t[d->n++] = t;
                d->t[d->n++] = ins;
                continue;
            }
        }
        GROW(d->t, d->cap, d->n + 1);
        d->t[d->n++] = t;
    }
}

/* The passages of reprint @d copied from its agency article: maximal runs
 * of copied words whose sources increase by at most 4 with at most 3
 * other words between two of them, of at least MIN_PASSAGE source words.
 * Writes [reprint start, end, agency start, end) byte ranges from the
 * token spans @ds/@de (reprint) and @as/@ae (agency) into @out.
 * @return the number of passages. */
static size_t findPassages(const doc *d, const uint32_t *ds,
                           const uint32_t *de, const uint32_t *as,
                           const uint32_t *ae, uint32_t (**out)[4],
                           size_t *cap)
{
    size_t np = 0;
    size_t i = 0;
    while (i < d->n) {
        if (d->t[i].src == 0) {
            i++;
            continue;
        }
        size_t const firstI = i;
        size_t lastI = i;
        uint32_t const firstS = d->t[i].src;
        uint32_t lastS = firstS;
        for (size_t j = i + 1; j < d->n && j - lastI <= 4; j++) {
            uint32_t const sj = d->t[j].src;
            if (sj == 0) continue;
            if (sj <= lastS || sj - lastS > 4) break;
            lastI = j;
            lastS = sj;
        }
        if (lastS - firstS + 1 >= MIN_PASSAGE) {
            GROW(*out, *cap, np + 1);
            (*out)[np][0] = ds[firstI];
            (*out)[np][1] = de[lastI];
            (*out)[np][2] = as[firstS - 1];
            (*out)[np][3] = ae[lastS - 1];
            np++;
        }
        i = lastI + 1;
    }
    return np;
}

/* Builds reprint @j of group @g from the agency article @a (body
 * paragraphs start at @para[0..np)): a page of a site of its language,
 * the agency headline or a new one, a share of the paragraphs (in order,
 * sometimes two swapped) with word edits, 0-2 paragraphs of its own, the
 * page's bottom lines. @return the site used. */
static const site *makeReprint(const textGen *tg, const reuseOpts *o,
                               const site *sites, const doc *a,
                               const size_t *para, size_t np, size_t g,
                               size_t j, doc *d)
{
    rng r = rngFor(o->seed, S_MEMBER, g, j);
    const site *s = &sites[rngBelow(&r, o->sites)];
    for (unsigned k = 0; k < o->sites && s->lang != a->lang; k++)
        s = &sites[(size_t)(s - sites + 1) % o->sites];
    docClear(d, a->lang, a->topic);
    pageTop(tg->v, s, d, &r);
    if (rngPct(&r, 50)) {
        for (size_t i = 0; i < (np ? para[0] : a->n); i++) {
            GROW(d->t, d->cap, d->n + 1);
            d->t[d->n] = a->t[i];
            d->t[d->n++].src = (uint32_t)i + 1;
        }
    } else {
        genHeadline(tg, d, &r);
    }
    double const keepShare =
        o->keepLo + (o->keepHi - o->keepLo) * rngUnit(&r);
    size_t keep = (size_t)(keepShare * (double)np + 0.5);
    if (keep < 1) keep = 1;
    if (keep > np) keep = np;
    size_t *const order = xcalloc(np + 3, sizeof *order);
    for (size_t i = 0; i < np; i++) order[i] = i;
    for (size_t i = 0; i < keep; i++) { /* partial Fisher-Yates */
        size_t const k = i + rngBelow(&r, (uint32_t)(np - i));
        size_t const t = order[i];
        order[i] = order[k];
        order[k] = t;
    }
    for (size_t i = 1; i < keep; i++) /* back in agency order */
        for (size_t k = i; k > 0 && order[k - 1] > order[k]; k--) {
            size_t const t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    if (keep >= 2 && rngPct(&r, 30)) {
        size_t const k = rngBelow(&r, (uint32_t)keep - 1);
        size_t const t = order[k];
        order[k] = order[k + 1];
        order[k + 1] = t;
    }
    size_t const own = rngBelow(&r, 3);
    size_t items = keep;
    for (size_t k = 0; k < own; k++) { /* SIZE_MAX: a paragraph of its own */
        size_t const at = rngBelow(&r, (uint32_t)items + 1);
        memmove(order + at + 1, order + at, (items - at) * sizeof *order);
        order[at] = SIZE_MAX;
        items++;
    }
    double const e = o->editLo + (o->editHi - o->editLo) * rngUnit(&r);
    for (size_t k = 0; k < items; k++) {
        if (order[k] == SIZE_MAX) {
            unsigned const ns = rngRange(&r, 1, 3);
            for (unsigned i = 0; i < ns; i++)
                genSentence(tg, d, &r, sentenceLength(&r), i ? 0 : T_PARA);
        } else {
            size_t const p = order[k];
            copyParagraph(tg, a, para[p], p + 1 < np ? para[p + 1] : a->n, d,
                          e, &r);
        }
    }
    free(order);
    pageBottom(tg, s, d, &r);
    return s;
}

/* Starts of the body paragraphs of @a into *para; @return their count. */
static size_t bodyParagraphs(const doc *a, size_t **para, size_t *cap)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if ((a->t[i].flags & T_PARA) && !(a->t[i].flags & T_HEAD)) {
            GROW(*para, *cap, n + 1);
            (*para)[n++] = i;
        }
    return n;
}

static void runReuse(const reuseOpts *o)
{
    vocab v;
    vocabInit(&v);
    stockSet stock[NLANG];
    buildStock(&v, stock, o->nstock, o->seed);
    textGen const tg = {&v, stock, (unsigned)(o->stockRate * 1000 + 0.5)};
    site *const sites = xcalloc(o->sites, sizeof *sites);
    for (size_t k = 0; k < o->sites; k++)
        buildSite(&tg, &sites[k], o->seed, k, o->frenchP);
    FILE *const out = stdout;
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    FILE *const truth = o->truthPath ? openOut(o->truthPath) : NULL;
    FILE *const pass = o->passagesPath ? openOut(o->passagesPath) : NULL;

    size_t const G = o->groups;
    uint16_t *const size = xcalloc(G, sizeof *size);
    uint16_t *const emitted = xcalloc(G, sizeof *emitted);
    size_t *const agencyAt = xcalloc(G, sizeof *agencyAt);
    fenwick fw = {xcalloc(G + 1, sizeof(uint32_t)), G, 0};
    rng rs = rngFor(o->seed, S_FAMSIZE, 0, 0);
    for (size_t g = 0; g < G; g++) {
        size[g] = (uint16_t)(1 + rngRange(&rs, o->repMin, o->repMax));
        fwAdd(&fw, g, size[g]);
    }
    rng sched = rngFor(o->seed, S_SCHED, 0, 0);
    doc a = {0}, d = {0};
    strbuf text = {0}, scratch = {0};
    uint32_t *as = NULL, *ae = NULL, *ds = NULL, *de = NULL;
    size_t aCap = 0, dCap = 0, paraCap = 0, pcap = 0;
    size_t *para = NULL;
    uint32_t (*pas)[4] = NULL;
    size_t bytes = 0, reprints = 0, passages = 0, noPassage = 0;
    char id[32];
    dedupOpts lens;
    memset(&lens, 0, sizeof lens);
    lens.frenchP = o->frenchP;
    lens.wMean = o->wMean;
    lens.wMin = o->wMin;
    lens.wMax = o->wMax;
    for (size_t i = 0; i < o->docs; i++) {
        snprintf(id, sizeof id, "d%06zu", i);
        text.len = 0;
        uint64_t const left = o->docs - i;
        if (fw.total && rngNext(&sched) % left < fw.total) {
            size_t const g = fwFind(&fw, rngNext(&sched) % fw.total);
            fwAdd(&fw, g, -1);
            uint16_t const j = emitted[g]++;
            rng r = rngFor(o->seed, S_BASE, g, 0);
            docPlan const p = planDoc(&lens, &r);
            docClear(&a, p.lang, p.topic);
            genArticle(&tg, &a, &r, p.words);
            uint64_t const aRender = mix64(o->seed ^ (g * 2 + 1));
            GROW(as, aCap, a.n);
            ae = xrealloc(ae, aCap * sizeof *ae);
            renderDoc(&v, &a, &p.st, aRender, j ? &scratch : &text, as, ae);
            if (j == 0) {
                agencyAt[g] = i;
                if (truth) fprintf(truth, "%s\t%zu\tagency\t-\n", id, g);
            } else {
                size_t const np = bodyParagraphs(&a, &para, &paraCap);
                const site *const s =
                    makeReprint(&tg, o, sites, &a, para, np, g, j, &d);
                GROW(ds, dCap, d.n);
                de = xrealloc(de, dCap * sizeof *de);
                renderDoc(&v, &d, &s->st, rngNext(&r) ^ j, &text, ds, de);
                size_t const n = findPassages(&d, ds, de, as, ae, &pas, &pcap);
                reprints++;
                passages += n;
                noPassage += n == 0;
                if (truth) fprintf(truth, "%s\t%zu\treprint\td%06zu\n", id, g,
                                   agencyAt[g]);
                if (pass) {
                    fprintf(pass, "{\"id\":\"%s\",\"source\":\"d%06zu\","
                            "\"group\":%zu,\"passages\":[", id, agencyAt[g], g);
                    for (size_t k = 0; k < n; k++)
                        fprintf(pass, "%s[%" PRIu32 ",%" PRIu32 ",%" PRIu32
                                ",%" PRIu32 "]", k ? "," : "", pas[k][0],
                                pas[k][1], pas[k][2], pas[k][3]);
                    fputs("]}\n", pass);
                }
            }
        } else {
            rng r = rngFor(o->seed, S_SINGLE, i, 0);
            docPlan const p = planDoc(&lens, &r);
            docClear(&d, p.lang, p.topic);
            const site *s = NULL;
            if (rngUnit(&r) < o->pageP) {
                s = &sites[rngBelow(&r, o->sites)];
                for (unsigned k = 0; k < o->sites && s->lang != p.lang; k++)
                    s = &sites[(size_t)(s - sites + 1) % o->sites];
                if (s->lang != p.lang) s = NULL;
            }
            if (s) pageTop(&v, s, &d, &r);
            genArticle(&tg, &d, &r, d.n + p.words);
            if (s) pageBottom(&tg, s, &d, &r);
            renderDoc(&v, &d, s ? &s->st : &p.st, rngNext(&r), &text, NULL,
                      NULL);
            if (truth) fprintf(truth, "%s\t-1\tunrelated\t-\n", id);
        }
        putRecord(out, id, &text);
        bytes += text.len;
    }
    closeOut(out, "standard output");
    if (truth) closeOut(truth, o->truthPath);
    if (pass) closeOut(pass, o->passagesPath);
    if (!o->quiet)
        fprintf(stderr, "%s: %zu docs, %.1f MB; %zu agency articles, %zu "
                "reprints, %.2f passages per reprint\n", progName, o->docs,
                bytes / 1e6, G, reprints,
                reprints ? (double)passages / (double)reprints : 0.0);
    if (noPassage && !o->quiet)
        fprintf(stderr, "%s: note: %zu reprints kept no passage of %d words "
                "or more\n", progName, noPassage, MIN_PASSAGE);
    for (size_t k = 0; k < o->sites; k++) {
        free(sites[k].head.t);
        free(sites[k].foot.t);
    }
    free(sites);
    free(size);
    free(emitted);
    free(agencyAt);
    free(fw.t);
    free(a.t);
    free(d.t);
    free(text.p);
    free(scratch.p);
    free(as);
    free(ae);
    free(ds);
    free(de);
    free(para);
    free(pas);
    freeStock(stock);
    vocabFree(&v);
}

/*-************************************************************************
 *  Reading JSONL: a small scanner for flat objects
 **************************************************************************/
static int hexVal(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int hex4(const char *s, size_t n, size_t i, uint32_t *cp)
{
    if (i + 4 > n) return -1;
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int const h = hexVal(s[i + (size_t)k]);
        if (h < 0) return -1;
        v = v * 16 + (uint32_t)h;
    }
    *cp = v;
    return 0;
}

static void putUtf8(strbuf *o, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) b[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 63)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 63)),
        b[2] = (char)(0x80 | (cp & 63)), n = 3;
    else
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 63)),
        b[2] = (char)(0x80 | (cp >> 6 & 63)), b[3] = (char)(0x80 | (cp & 63)),
        n = 4;
    sbPut(o, b, n);
}

/* Reads the JSON string at s[*i] == '"' into @out, unescaped (if @out is
 * not NULL); *i ends after the closing quote. @return 0, -1 malformed. */
static int jsonString(const char *s, size_t n, size_t *i, strbuf *out)
{
    size_t k = *i + 1;
    if (out) out->len = 0;
    while (k < n && s[k] != '"') {
        size_t run = k;
        while (run < n && s[run] != '"' && s[run] != '\\') run++;
        if (out) sbPut(out, s + k, run - k);
        k = run;
        if (k >= n || s[k] == '"') break;
        if (++k >= n) return -1; /* after the backslash */
        char const e = s[k++];
        char c;
        switch (e) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case '"': case '\\': case '/': c = e; break;
        case 'u': {
            uint32_t cp;
            if (hex4(s, n, k, &cp)) return -1;
            k += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && k + 6 <= n && s[k] == '\\' &&
                s[k + 1] == 'u') {
                uint32_t lo;
                if (hex4(s, n, k + 2, &lo) == 0 && lo >= 0xDC00 &&
                    lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    k += 6;
                }
            }
            if (out) putUtf8(out, cp);
            continue;
        }
        default: return -1;
        }
        if (out) sbPutc(out, c);
    }
    if (k >= n) return -1;
    *i = k + 1;
    if (out && out->p == NULL) sbPut(out, "", 0);
    return 0;
}

static void skipWs(const char *s, size_t n, size_t *i)
{
    while (*i < n && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\r' ||
                      s[*i] == '\n'))
        (*i)++;
}

/* Skips one JSON value; its text goes to @out when not NULL (unescaped
 * for a string, as written otherwise). @return 0, -1 malformed. */
static int jsonValue(const char *s, size_t n, size_t *i, strbuf *out)
{
    skipWs(s, n, i);
    if (*i >= n) return -1;
    if (s[*i] == '"') return jsonString(s, n, i, out);
    if (s[*i] == '{' || s[*i] == '[') {
        size_t const start = *i;
        int depth = 0;
        while (*i < n) {
            char const c = s[*i];
            if (c == '"') {
                if (jsonString(s, n, i, NULL)) return -1;
                continue;
            }
            if (c == '{' || c == '[') depth++;
            if (c == '}' || c == ']') depth--;
            (*i)++;
            if (depth == 0) {
                if (out) {
                    out->len = 0;
                    sbPut(out, s + start, *i - start);
                }
                return 0;
            }
        }
        return -1;
    }
    size_t const start = *i;
    while (*i < n && s[*i] != ',' && s[*i] != '}' && s[*i] != ']' &&
           s[*i] != ' ' && s[*i] != '\t' && s[*i] != '\r' && s[*i] != '\n')
        (*i)++;
    if (*i == start) return -1;
    if (out) {
        out->len = 0;
        sbPut(out, s + start, *i - start);
    }
    return 0;
}

/* Scans the object on line @s and captures the values of @keys into
 * @vals (strings unescaped, other scalars as written). @return the bit
 * mask of the keys found, -1 when the line is not a JSON object. */
static int jsonFields(const char *s, size_t n, const char *const *keys,
                      int nkeys, strbuf *vals)
{
    size_t i = 0;
    int found = 0;
    strbuf key = {0};
    skipWs(s, n, &i);
    if (i >= n || s[i] != '{') return -1;
    i++;
    skipWs(s, n, &i);
    if (i < n && s[i] == '}') return 0;
    for (;;) {
        skipWs(s, n, &i);
        if (i >= n || s[i] != '"' || jsonString(s, n, &i, &key)) goto bad;
        skipWs(s, n, &i);
        if (i >= n || s[i++] != ':') goto bad;
        int which = -1;
        for (int k = 0; k < nkeys; k++)
            if (strlen(keys[k]) == key.len && !memcmp(keys[k], key.p, key.len))
                which = k;
        if (jsonValue(s, n, &i, which >= 0 ? &vals[which] : NULL)) goto bad;
        if (which >= 0) found |= 1 << which;
        skipWs(s, n, &i);
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        if (i < n && s[i] == '}') break;
        goto bad;
    }
    free(key.p);
    return found;
bad:
    free(key.p);
    return -1;
}

static FILE *openIn(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0) return stdin;
    FILE *const f = fopen(path, "r");
    if (f == NULL) die(1, "cannot read %s: %s", path, strerror(errno));
    return f;
}

/* The ground truth written by gen dedup: id, family, kind, source family,
 * Jaccard to the source's base. Files with only the first two columns
 * (id, family) are accepted; family "-1" means a singleton. */
typedef struct {
    strmap ids;      /* document ids */
    strmap fams;     /* family labels, except -1 */
    long *fam;       /* per doc: family index, -1 singleton */
    long *src;       /* per doc: source family index or -1 */
    char *kind;      /* per doc: b(ase) e(xact) c(osmetic) n(ear) d(ecoy)
                        s(ingle) ?(unknown) */
    double *J;       /* per doc: Jaccard to the source base, -1 unknown */
    size_t cap;
} truthSet;

static void readTruth(truthSet *t, const char *path)
{
    memset(t, 0, sizeof *t);
    FILE *const f = openIn(path);
    char *line = NULL;
    size_t lcap = 0, lineNo = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        lineNo++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len == 0 || line[0] == '#') continue;
        char *col[5] = {line, NULL, NULL, NULL, NULL};
        int nc = 1;
        for (char *p = line; *p && nc < 5; p++)
            if (*p == '\t') *p = 0, col[nc++] = p + 1;
        if (nc < 2) die(1, "%s:%zu: expected id<TAB>family", path, lineNo);
        int isNew;
        long const d = smIntern(&t->ids, col[0], strlen(col[0]), 1, &isNew);
        if (!isNew) die(1, "%s:%zu: duplicate id %s", path, lineNo, col[0]);
        if ((size_t)d >= t->cap) {
            size_t c = t->cap;
            GROW(t->fam, c, (size_t)d + 1);
            t->src = xrealloc(t->src, c * sizeof *t->src);
            t->kind = xrealloc(t->kind, c * sizeof *t->kind);
            t->J = xrealloc(t->J, c * sizeof *t->J);
            t->cap = c;
        }
        t->fam[d] = strcmp(col[1], "-1") == 0
                        ? -1
                        : smIntern(&t->fams, col[1], strlen(col[1]), 1, NULL);
        t->kind[d] = nc > 2 && col[2][0] ? col[2][0] : '?';
        t->src[d] = nc > 3 && strcmp(col[3], "-1") != 0
                        ? smIntern(&t->fams, col[3], strlen(col[3]), 1, NULL)
                        : -1;
        t->J[d] = nc > 4 ? strtod(col[4], NULL) : -1;
    }
    free(line);
    if (f != stdin) fclose(f);
}

static void freeTruth(truthSet *t)
{
    smFree(&t->ids);
    smFree(&t->fams);
    free(t->fam);
    free(t->src);
    free(t->kind);
    free(t->J);
}

/*-************************************************************************
 *  gen eval: pair precision / recall / F1 of calque's output
 **************************************************************************/
static size_t ufFind(size_t *parent, size_t x)
{
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

static void ufUnion(size_t *parent, size_t a, size_t b)
{
    a = ufFind(parent, a);
    b = ufFind(parent, b);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
}

static int cmpU64(const void *a, const void *b)
{
    uint64_t const x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t pairsOf(uint64_t n) { return n * (n - (n > 0)) / 2; }

/* Reads calque's output (one {"id", "cluster"} object per document, or
 * {"a", "b"} pair objects, or both) and scores it against the truth:
 * documents are grouped by union-find (same cluster label, or a pair),
 * then a contingency table of (predicted group, true family) counts
 * gives the pairs in common without enumerating pairs. Documents missing
 * from the output are singletons. Prints one JSON line. @return the exit
 * status: 1 when F1 < @minF1. */
static int runEval(const char *truthPath, const char *inPath, double minF1)
{
    truthSet t;
    readTruth(&t, truthPath);
    size_t const n = t.ids.n;
    size_t *const parent = xcalloc(n + 1, sizeof *parent);
    uint8_t *const seen = xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) parent[i] = i;
    strmap labels = {0};
    size_t *rep = NULL, repCap = 0;
    FILE *const in = openIn(inPath);
    static const char *const keys[] = {"id", "cluster", "a", "b"};
    strbuf v[4] = {{0}, {0}, {0}, {0}};
    char *line = NULL;
    size_t lcap = 0, lineNo = 0, unknown = 0, records = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, in)) > 0) {
        lineNo++;
        int const m = jsonFields(line, (size_t)len, keys, 4, v);
        if (m < 0) die(1, "%s:%zu: not a JSON object", inPath ? inPath : "stdin",
                       lineNo);
        if ((m & 3) == 3) {
            long const d = smIntern(&t.ids, v[0].p, v[0].len, 0, NULL);
            if (d < 0) {
                unknown++;
                continue;
            }
            records++;
            seen[d] = 1;
            int isNew;
            long const l = smIntern(&labels, v[1].p, v[1].len, 1, &isNew);
            if (isNew) {
                GROW(rep, repCap, (size_t)l + 1);
                rep[l] = (size_t)d;
            }
            ufUnion(parent, (size_t)d, rep[l]);
        }
        if ((m & 12) == 12) {
            long const a = smIntern(&t.ids, v[2].p, v[2].len, 0, NULL);
            long const b = smIntern(&t.ids, v[3].p, v[3].len, 0, NULL);
            if (a < 0 || b < 0) {
                unknown++;
                continue;
            }
            records++;
            seen[a] = seen[b] = 1;
            ufUnion(parent, (size_t)a, (size_t)b);
        }
    }
    free(line);
    if (in != stdin) fclose(in);
    /* Contingency cells: (group << 32 | family), singletons get their own
     * family number beyond the real ones. */
    uint64_t *const cell = xcalloc(n + 1, sizeof *cell);
    uint32_t *const groupSize = xcalloc(n + 1, sizeof *groupSize);
    uint32_t *const famSize = xcalloc(n + t.fams.n + 1, sizeof *famSize);
    size_t missing = 0;
    for (size_t d = 0; d < n; d++) {
        size_t const g = ufFind(parent, d);
        uint64_t const fam = t.fam[d] >= 0 ? (uint64_t)t.fam[d]
                                           : t.fams.n + d;
        cell[d] = (uint64_t)g << 32 | fam;
        groupSize[g]++;
        famSize[fam]++;
        missing += !seen[d];
    }
    qsort(cell, n, sizeof *cell, cmpU64);
    uint64_t tp = 0, predPairs = 0, truePairs = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cell[j] == cell[i]) j++;
        tp += pairsOf(j - i);
        i = j;
    }
    for (size_t i = 0; i < n; i++) predPairs += pairsOf(groupSize[i]);
    for (size_t i = 0; i < n + t.fams.n; i++) truePairs += pairsOf(famSize[i]);
    double const P = predPairs ? (double)tp / (double)predPairs : 1.0;
    double const R = truePairs ? (double)tp / (double)truePairs : 1.0;
    double const F1 = P + R > 0 ? 2 * P * R / (P + R) : 0.0;
    printf("{\"docs\":%zu,\"records\":%zu,\"missing\":%zu,\"unknown\":%zu,"
           "\"true_pairs\":%" PRIu64 ",\"predicted_pairs\":%" PRIu64
           ",\"true_positives\":%" PRIu64 ",\"precision\":%.6f,"
           "\"recall\":%.6f,\"f1\":%.6f}\n",
           n, records, missing, unknown, truePairs, predPairs, tp, P, R, F1);
    closeOut(stdout, "standard output");
    for (int k = 0; k < 4; k++) free(v[k].p);
    free(parent);
    free(seen);
    free(rep);
    free(cell);
    free(groupSize);
    free(famSize);
    smFree(&labels);
    freeTruth(&t);
    return F1 < minF1 ? 1 : 0;
}

/*-************************************************************************
 *  gen check: re-measure the planted Jaccards from the rendered text
 **************************************************************************/
/* Tokenises @s the way calque does for the characters gen writes: runs of
 * letters and digits, lower case, accents of Latin-1 letters dropped;
 * ASCII punctuation, U+0080-U+00BF (no-break space, guillemets) and
 * U+2000-U+206F (typographic spaces, dashes, quotes) separate words; any
 * other character belongs to its word. Each token gets the dense id of
 * its text in @words, written to @ids; with @span, its byte span [start,
 * end) goes to span[2i], span[2i + 1]. @return the number of tokens. */
static size_t tokenizeText(const char *s, size_t n, uint32_t **ids,
                           size_t *cap, strbuf *w, strmap *words,
                           uint32_t **span, size_t *spanCap)
{
    size_t nt = 0, start = 0;
    w->len = 0;
    for (size_t i = 0; i <= n; i++) {
        size_t const at = i, before = w->len;
        unsigned char const c = i < n ? (unsigned char)s[i] : ' ';
        int sep = 0;
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                sbPutc(w, (char)c);
            else if (c >= 'A' && c <= 'Z') sbPutc(w, (char)(c + 32));
            else sep = 1;
        } else if (c == 0xC2) {
            sep = 1;
            i++;
        } else if (c == 0xC3 && i + 1 < n) {
            unsigned char const d = (unsigned char)s[++i];
            char const b = d >= 0x80 && d <= 0xBF ? latin1Base[d - 0x80] : 0;
            if (b == '-') sep = 1;
            else if (b) sbPutc(w, b);
            else {
                sbPutc(w, (char)c);
                sbPutc(w, (char)(d < 0xA0 ? d + 0x20 : d));
            }
        } else if (c == 0xE2 && i + 2 < n && ((unsigned char)s[i + 1] == 0x80 ||
                                             (unsigned char)s[i + 1] == 0x81)) {
            sep = 1;
            i += 2;
        } else {
            sbPutc(w, (char)c);
        }
        if (before == 0 && w->len) start = at;
        if (sep && w->len) {
            GROW(*ids, *cap, nt + 1);
            (*ids)[nt] = (uint32_t)smIntern(words, w->p, w->len, 1, NULL);
            if (span) {
                GROW(*span, *spanCap, 2 * nt + 2);
                (*span)[2 * nt] = (uint32_t)start;
                (*span)[2 * nt + 1] = (uint32_t)at;
            }
            nt++;
            w->len = 0;
        }
    }
    return nt;
}

/* Checks a corpus made by gen dedup against its truth file, measuring
 * each derived document's Jaccard to its base from the TEXT (not from the
 * token model): it must equal the Jaccard in the truth file, exact copies
 * must be byte-identical, near copies must be in [lo, hi], decoys and
 * consecutive singletons at most @unrelMax. Prints one JSON line.
 * @return the exit status, 1 when anything is wrong. */
static int runCheck(const char *truthPath, const char *inPath, double lo,
                    double hi, double unrelMax)
{
    truthSet t;
    readTruth(&t, truthPath);
    size_t const nf = t.fams.n;
    hset *const baseSet = xcalloc(nf + 1, sizeof *baseSet);
    uint64_t *const baseHash = xcalloc(nf + 1, sizeof *baseHash);
    hset cur = {0}, prevSingle = {0}, scratch = {0};
    strmap words = {0};
    int havePrev = 0;
    uint32_t *ids = NULL;
    size_t idsCap = 0;
    strbuf word = {0}, v[2] = {{0}, {0}};
    static const char *const keys[] = {"id", "text"};
    FILE *const in = openIn(inPath);
    char *line = NULL;
    size_t lcap = 0, lineNo = 0, docs = 0, bad = 0, mismatch = 0;
    size_t outOfRange = 0, unrelatedOver = 0, notExact = 0;
    double jNear[2] = {2, -1}, jDecoy[2] = {2, -1}, jSingle = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, in)) > 0) {
        lineNo++;
        if (jsonFields(line, (size_t)len, keys, 2, v) != 3) {
            fprintf(stderr, "%s: line %zu: no id and text\n", progName, lineNo);
            bad++;
            continue;
        }
        docs++;
        long const d = smIntern(&t.ids, v[0].p, v[0].len, 0, NULL);
        if (d < 0) {
            fprintf(stderr, "%s: %s is not in the truth file\n", progName,
                    v[0].p);
            bad++;
            continue;
        }
        size_t const nt = tokenizeText(v[1].p, v[1].len, &ids, &idsCap, &word,
                                       &words, NULL, NULL);
        char const kind = t.kind[d];
        long const src = t.src[d];
        if (kind == 's' || kind == '?') {
            if (havePrev) {
                double const J = jaccardWith(&prevSingle, &scratch, ids, nt);
                if (J > jSingle) jSingle = J;
                if (J > unrelMax) unrelatedOver++;
            }
            shinglesOf(&prevSingle, ids, nt);
            havePrev = 1;
            continue;
        }
        if (src < 0) continue;
        if (kind == 'b') {
            shinglesOf(&baseSet[src], ids, nt);
            baseHash[src] = hashBytes(v[1].p, v[1].len) | 1;
            continue;
        }
        if (baseHash[src] == 0) {
            fprintf(stderr, "%s: %s comes before its base\n", progName,
                    v[0].p);
            bad++;
            continue;
        }
        double const J = jaccardWith(&baseSet[src], &cur, ids, nt);
        if (t.J[d] >= 0 && (J - t.J[d] > 0.00006 || t.J[d] - J > 0.00006)) {
            fprintf(stderr, "%s: %s: Jaccard %.4f in the text, %.4f in the "
                    "truth\n", progName, v[0].p, J, t.J[d]);
            mismatch++;
        }
        if (kind == 'e' && (hashBytes(v[1].p, v[1].len) | 1) != baseHash[src])
            notExact++;
        if (kind == 'n') {
            if (J < jNear[0]) jNear[0] = J;
            if (J > jNear[1]) jNear[1] = J;
            if (J < lo || J > hi) outOfRange++;
        }
        if (kind == 'd') {
            if (J < jDecoy[0]) jDecoy[0] = J;
            if (J > jDecoy[1]) jDecoy[1] = J;
            if (J > unrelMax) unrelatedOver++;
        }
    }
    free(line);
    if (in != stdin) fclose(in);
    printf("{\"docs\":%zu,\"bad\":%zu,\"jaccard_mismatch\":%zu,"
           "\"not_exact\":%zu,\"near_out_of_range\":%zu,"
           "\"unrelated_over_max\":%zu,\"near_min\":%.4f,\"near_max\":%.4f,"
           "\"decoy_min\":%.4f,\"decoy_max\":%.4f,\"single_max\":%.4f}\n",
           docs, bad, mismatch, notExact, outOfRange, unrelatedOver,
           jNear[1] < 0 ? 0 : jNear[0], jNear[1] < 0 ? 0 : jNear[1],
           jDecoy[1] < 0 ? 0 : jDecoy[0], jDecoy[1] < 0 ? 0 : jDecoy[1],
           jSingle);
    closeOut(stdout, "standard output");
    for (size_t f = 0; f < nf; f++) free(baseSet[f].slot);
    free(baseSet);
    free(baseHash);
    free(cur.slot);
    free(prevSingle.slot);
    free(scratch.slot);
    free(ids);
    free(word.p);
    free(v[0].p);
    free(v[1].p);
    smFree(&words);
    int const missing = docs != t.ids.n;
    freeTruth(&t);
    return bad || mismatch || notExact || outOfRange || unrelatedOver ||
           missing;
}

/* The first token of @span (pairs [start, end) of @nt tokens, in order)
 * whose start (@end == 0) or end (@end == 1) is @pos, -1 if none. */
static long tokenAt(const uint32_t *span, size_t nt, uint32_t pos, int end)
{
    size_t lo = 0, hi = nt;
    while (lo < hi) {
        size_t const mid = lo + (hi - lo) / 2;
        if (span[2 * mid + (size_t)end] < pos) lo = mid + 1;
        else hi = mid;
    }
    return lo < nt && span[2 * lo + (size_t)end] == pos ? (long)lo : -1;
}

/* The length of the longest common subsequence of a[0..na) and b[0..nb)
 * (two rows of dynamic programming in @row, 2 * (nb + 1) entries). */
static size_t lcsLength(const uint32_t *a, size_t na, const uint32_t *b,
                        size_t nb, uint32_t *row)
{
    uint32_t *prev = row, *cur = row + nb + 1;
    memset(prev, 0, (nb + 1) * sizeof *prev);
    for (size_t i = 0; i < na; i++) {
        cur[0] = 0;
        for (size_t j = 0; j < nb; j++)
            cur[j + 1] = a[i] == b[j] ? prev[j] + 1
                         : prev[j + 1] > cur[j] ? prev[j + 1] : cur[j];
        uint32_t *const t = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}

/* A document kept in memory while its reprints are read. */
typedef struct {
    uint32_t *ids;  /* token ids */
    uint32_t *span; /* token byte spans */
    size_t nt;
    size_t len;     /* bytes of text */
} keptDoc;

/* Checks the passages file of a gen reuse corpus against the text: each
 * range [start, end) lies in its text, a word starts at start and one
 * ends at end, the passage begins and ends with the same words in the
 * reprint and the agency article, spans at least MIN_PASSAGE agency
 * words, and the two passages share at least 60% of their words in order
 * (longest common subsequence over the longer one; the kept words are
 * edited by a few percent). Every reprint of the truth file must have a
 * line. Prints one JSON line.
 * @return the exit status, 1 when anything is wrong. */
static int runCheckReuse(const char *truthPath, const char *passPath,
                         const char *inPath)
{
    truthSet t;
    readTruth(&t, truthPath);
    size_t const n = t.ids.n;
    keptDoc *const kept = xcalloc(n + 1, sizeof *kept);
    /* The passages, per reprint: source doc index and ranges. */
    long *const srcOf = xcalloc(n + 1, sizeof *srcOf);
    size_t *const first = xcalloc(n + 1, sizeof *first);
    size_t *const count = xcalloc(n + 1, sizeof *count);
    uint8_t *const listed = xcalloc(n + 1, 1);
    uint32_t (*rg)[4] = NULL;
    size_t nrg = 0, rgCap = 0, bad = 0;
    static const char *const pkeys[] = {"id", "source", "passages"};
    strbuf pv[3] = {{0}, {0}, {0}};
    FILE *const pf = openIn(passPath);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, pf)) > 0) {
        if (jsonFields(line, (size_t)len, pkeys, 3, pv) != 7) {
            bad++;
            continue;
        }
        long const d = smIntern(&t.ids, pv[0].p, pv[0].len, 0, NULL);
        long const a = smIntern(&t.ids, pv[1].p, pv[1].len, 0, NULL);
        if (d < 0 || a < 0) {
            bad++;
            continue;
        }
        listed[d] = 1;
        srcOf[d] = a;
        first[d] = nrg;
        for (const char *p = pv[2].p; (p = strchr(p, '[')) != NULL;) {
            unsigned long x[4];
            if (sscanf(p, "[%lu,%lu,%lu,%lu]", &x[0], &x[1], &x[2], &x[3]) !=
                4) {
                p++;
                continue;
            }
            GROW(rg, rgCap, nrg + 1);
            for (int k = 0; k < 4; k++) rg[nrg][k] = (uint32_t)x[k];
            nrg++;
            count[d]++;
            p++;
        }
    }
    if (pf != stdin) fclose(pf);

    static const char *const keys[] = {"id", "text"};
    strbuf v[2] = {{0}, {0}}, word = {0};
    strmap words = {0};
    uint32_t *ids = NULL, *span = NULL;
    size_t idsCap = 0, spanCap = 0, reprints = 0, passages = 0;
    size_t badRange = 0, badBoundary = 0, badEnds = 0, tooShort = 0;
    size_t unlisted = 0, empty = 0;
    double overlapMin = 1.0, overlapSum = 0;
    uint32_t *row = NULL;
    size_t rowCap = 0;
    FILE *const in = openIn(inPath);
    while ((len = getline(&line, &lcap, in)) > 0) {
        if (jsonFields(line, (size_t)len, keys, 2, v) != 3) {
            bad++;
            continue;
        }
        long const d = smIntern(&t.ids, v[0].p, v[0].len, 0, NULL);
        if (d < 0) {
            bad++;
            continue;
        }
        idsCap = spanCap = 0;
        ids = NULL;
        span = NULL;
        size_t const nt = tokenizeText(v[1].p, v[1].len, &ids, &idsCap,
                                       &word, &words, &span, &spanCap);
        if (t.kind[d] == 'a') {
            kept[d] = (keptDoc){ids, span, nt, v[1].len};
            continue;
        }
        if (t.kind[d] == 'r') {
            reprints++;
            if (!listed[d]) unlisted++;
            else if (kept[srcOf[d]].ids == NULL) bad++;
            empty += listed[d] && count[d] == 0;
            for (size_t k = 0; listed[d] && kept[srcOf[d]].ids &&
                               k < count[d]; k++) {
                const keptDoc *const a = &kept[srcOf[d]];
                const uint32_t *const x = rg[first[d] + k];
                passages++;
                if (!(x[0] < x[1] && x[1] <= v[1].len && x[2] < x[3] &&
                      x[3] <= a->len)) {
                    badRange++;
                    continue;
                }
                long const r0 = tokenAt(span, nt, x[0], 0);
                long const r1 = tokenAt(span, nt, x[1], 1);
                long const a0 = tokenAt(a->span, a->nt, x[2], 0);
                long const a1 = tokenAt(a->span, a->nt, x[3], 1);
                if (r0 < 0 || r1 < r0 || a0 < 0 || a1 < a0) {
                    badBoundary++;
                    continue;
                }
                if (ids[r0] != a->ids[a0] || ids[r1] != a->ids[a1]) badEnds++;
                if (a1 - a0 + 1 < MIN_PASSAGE) tooShort++;
                size_t const rn = (size_t)(r1 - r0 + 1);
                size_t const an = (size_t)(a1 - a0 + 1);
                GROW(row, rowCap, 2 * (an + 1));
                size_t const l = lcsLength(ids + r0, rn, a->ids + a0, an, row);
                double const c = (double)l / (double)(rn > an ? rn : an);
                overlapSum += c;
                if (c < overlapMin) overlapMin = c;
            }
        }
        free(ids);
        free(span);
    }
    if (in != stdin) fclose(in);
    printf("{\"reprints\":%zu,\"passages\":%zu,\"bad\":%zu,\"unlisted\":%zu,"
           "\"bad_range\":%zu,\"bad_boundary\":%zu,\"bad_ends\":%zu,"
           "\"too_short\":%zu,\"without_passage\":%zu,"
           "\"overlap_min\":%.4f,\"overlap_mean\":%.4f}\n", reprints,
           passages, bad, unlisted, badRange, badBoundary, badEnds, tooShort,
           empty, passages ? overlapMin : 0.0,
           passages ? overlapSum / (double)passages : 0.0);
    closeOut(stdout, "standard output");
    int const fail = bad || unlisted || badRange || badBoundary || badEnds ||
                     tooShort || (passages && overlapMin < 0.6) ||
                     passages == 0;
    for (size_t i = 0; i < n; i++) {
        free(kept[i].ids);
        free(kept[i].span);
    }
    free(kept);
    free(srcOf);
    free(first);
    free(count);
    free(listed);
    free(rg);
    free(line);
    for (int k = 0; k < 3; k++) free(pv[k].p);
    free(v[0].p);
    free(v[1].p);
    free(word.p);
    free(row);
    smFree(&words);
    freeTruth(&t);
    return fail;
}

/*-************************************************************************
 *  gen spans: the span property of calque reuse output
 **************************************************************************/
/* One passage of calque's pairs: documents and byte ranges [s, e). */
typedef struct {
    long a, b;
    unsigned long as, ae, bs, be;
} spanPair;

/* The words of document @d between bytes @s and @e (a word must start at
 * @s and one end at @e) as sorted token ids in *out. @return their
 * number, or -1 when the range is not on words. */
static long spanWords(const keptDoc *d, unsigned long s, unsigned long e,
                      uint32_t **out, size_t *cap)
{
    if (s > UINT32_MAX || e > UINT32_MAX) return -1;
    long const t0 = tokenAt(d->span, d->nt, (uint32_t)s, 0);
    long const t1 = tokenAt(d->span, d->nt, (uint32_t)e, 1);
    if (t0 < 0 || t1 < t0) return -1;
    size_t const n = (size_t)(t1 - t0 + 1);
    GROW(*out, *cap, n);
    memcpy(*out, d->ids + t0, n * sizeof **out);
    for (size_t i = 1; i < n; i++) /* insertion sort: spans are short */
        for (size_t j = i; j > 0 && (*out)[j - 1] > (*out)[j]; j--) {
            uint32_t const x = (*out)[j];
            (*out)[j] = (*out)[j - 1];
            (*out)[j - 1] = x;
        }
    return (long)n;
}

/* Checks calque reuse pairs (@pairsPath) against the corpus (@inPath):
 * each passage's byte ranges lie in the texts and start and end on words,
 * and its two spans share at least @min of their words, counted as
 * multisets over the longer span (words as tokenizeText() cuts them).
 * Prints one JSON line: pairs, passages, below (sharing less than @min),
 * the least share, bad (lines, ids or ranges that are wrong).
 * @return 1 when a passage is below @min or anything is bad, else 0. */
static int runSpans(const char *pairsPath, const char *inPath, double min)
{
    static const char *const pkeys[] = {"a", "b", "passages"};
    strbuf pv[3] = {{0}, {0}, {0}};
    strmap docs = {0};
    spanPair *ps = NULL;
    size_t nps = 0, psCap = 0, pairs = 0, bad = 0;
    FILE *const pf = openIn(pairsPath);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, pf)) > 0) {
        if (jsonFields(line, (size_t)len, pkeys, 3, pv) != 7) {
            bad++;
            continue;
        }
        pairs++;
        long const a = smIntern(&docs, pv[0].p, pv[0].len, 1, NULL);
        long const b = smIntern(&docs, pv[1].p, pv[1].len, 1, NULL);
        for (const char *q = pv[2].p; (q = strchr(q, '{')) != NULL; q++) {
            spanPair x = {a, b, 0, 0, 0, 0};
            if (sscanf(q, "{\"a_start\": %lu, \"a_end\": %lu, \"b_start\": "
                          "%lu, \"b_end\": %lu", &x.as, &x.ae, &x.bs,
                       &x.be) != 4) {
                bad++;
                continue;
            }
            GROW(ps, psCap, nps + 1);
            ps[nps++] = x;
        }
    }
    if (pf != stdin) fclose(pf);

    static const char *const keys[] = {"id", "text"};
    strbuf v[2] = {{0}, {0}}, w = {0};
    strmap words = {0};
    size_t const nd = docs.n;
    keptDoc *const kept = xcalloc(nd + 1, sizeof *kept);
    FILE *const in = openIn(inPath);
    while ((len = getline(&line, &lcap, in)) > 0) {
        if (jsonFields(line, (size_t)len, keys, 2, v) != 3) continue;
        long const d = smIntern(&docs, v[0].p, v[0].len, 0, NULL);
        if (d < 0 || kept[d].ids) continue;
        size_t idsCap = 0, spanCap = 0;
        kept[d].nt = tokenizeText(v[1].p, v[1].len, &kept[d].ids, &idsCap,
                                  &w, &words, &kept[d].span, &spanCap);
        kept[d].len = v[1].len;
        if (kept[d].ids == NULL) kept[d].ids = xcalloc(1, sizeof *kept[d].ids);
    }
    if (in != stdin) fclose(in);

    uint32_t *ia = NULL, *ib = NULL;
    size_t iaCap = 0, ibCap = 0, below = 0;
    double least = 1.0;
    for (size_t k = 0; k < nps; k++) {
        const spanPair *const x = &ps[k];
        if (!kept[x->a].ids || !kept[x->b].ids) {
            bad++;
            continue;
        }
        long const na = spanWords(&kept[x->a], x->as, x->ae, &ia, &iaCap);
        long const nb = spanWords(&kept[x->b], x->bs, x->be, &ib, &ibCap);
        if (na < 0 || nb < 0) {
            bad++;
            continue;
        }
        size_t common = 0;
        for (long i = 0, j = 0; i < na && j < nb;) {
            if (ia[i] == ib[j]) {
                common++;
                i++;
                j++;
            } else if (ia[i] < ib[j]) {
                i++;
            } else {
                j++;
            }
        }
        double const share = (double)common / (double)(na > nb ? na : nb);
        if (share < least) least = share;
        below += share < min;
    }
    printf("{\"pairs\":%zu,\"passages\":%zu,\"below\":%zu,\"min_share\":%.4f,"
           "\"bad\":%zu}\n", pairs, nps, below, nps ? least : 0.0, bad);
    closeOut(stdout, "standard output");
    for (size_t d = 0; d < nd; d++) {
        free(kept[d].ids);
        free(kept[d].span);
    }
    free(kept);
    free(ps);
    free(ia);
    free(ib);
    free(line);
    free(w.p);
    for (int k = 0; k < 3; k++) free(pv[k].p);
    for (int k = 0; k < 2; k++) free(v[k].p);
    smFree(&docs);
    smFree(&words);
    return below || bad;
}

/*-************************************************************************
 *  Command line
 **************************************************************************/
static void usage(FILE *f)
{
    fprintf(f,
"usage: gen dedup [options] > corpus.jsonl\n"
"       gen reuse [options] > corpus.jsonl\n"
"       gen check --truth FILE [--jaccard LO-HI] [--unrelated-max J] [FILE]\n"
"       gen check --truth FILE --passages FILE [FILE]     (gen reuse)\n"
"       gen eval --truth FILE [--min-f1 X] [FILE]\n"
"       gen spans --pairs FILE [--min X] [FILE]          (calque reuse)\n"
"\n"
"gen dedup writes {\"id\":\"d000123\",\"text\":...} lines: singletons and\n"
"planted families (a base, exact copies, cosmetic copies and near copies\n"
"whose word 5-gram Jaccard to the base is in the --jaccard range).\n"
"  --docs N             documents (1000)\n"
"  --seed S             seed (1); same seed, same bytes everywhere\n"
"  --families F         families (docs/20)\n"
"  --family-size A-B    documents per family, base included (2-5)\n"
"  --jaccard LO-HI      Jaccard of near copies to their base (0.85-1.0)\n"
"  --exact P            share of copies that are byte-exact (0.2)\n"
"  --cosmetic P         share of copies with only cosmetic changes (0.1)\n"
"  --decoys D           per family, documents derived from the base but\n"
"                       below --unrelated-max, labelled singletons (0)\n"
"  --unrelated-max J    Jaccard bound for decoys and unrelated docs (0.5)\n"
"  --words A-B          document length bounds in words (80-1500)\n"
"  --mean-words M       mean document length (400)\n"
"  --french P           share of French documents (0.5)\n"
"  --truth FILE         write id, family (-1 singleton), kind, source\n"
"                       family and Jaccard to its base, tab-separated\n"
"  -q                   no summary on standard error\n"
"gen reuse writes agency articles, their partial reprints on web pages\n"
"and unrelated articles (same ids, same options --docs --seed --words\n"
"--mean-words --french --truth -q), with:\n"
"  --groups G           agency articles (docs/20)\n"
"  --reprints A-B       reprints per agency article (2-6)\n"
"  --keep LO-HI         share of the agency paragraphs a reprint keeps\n"
"                       (0.3-0.9)\n"
"  --edits LO-HI        share of the kept words edited (0.01-0.05)\n"
"  --sites K            web sites: each repeats its menu and footer on\n"
"                       every page (40)\n"
"  --pages P            share of unrelated articles on site pages (0.7)\n"
"  --stock K            stock phrases of 8-12 words per language (200)\n"
"  --stock-rate P       chance a sentence starts with one (0.04)\n"
"  --truth FILE         id, group (-1 unrelated), role, agency id\n"
"  --passages FILE      per reprint, JSON: byte ranges [start, end) of\n"
"                       each shared passage in the reprint and in the\n"
"                       agency text: [[rs, re, as, ae], ...]\n"
"gen check re-measures the Jaccards of a corpus from its text and checks\n"
"them against the truth; gen eval scores calque's output (records with\n"
"id and cluster, or pairs a and b) by pair precision, recall and F1.\n"
"Both print one JSON line and exit 1 when something is wrong.\n"
"gen spans checks the pairs of calque reuse against the corpus: every\n"
"passage starts and ends on words and its two spans share at least\n"
"--min (0.9) of their words, as multisets over the longer span. One JSON\n"
"line; exits 1 when a passage is below or anything is wrong.\n");
}

/* Parses a number in [lo, hi] for option @name. */
static double argNum(const char *name, const char *s, double lo, double hi)
{
    char *end;
    errno = 0;
    double const x = strtod(s, &end);
    if (errno || end == s || *end || !(x >= lo && x <= hi))
        die(2, "%s: expected a number in [%g, %g], got '%s'", name, lo, hi, s);
    return x;
}

/* Parses "A-B" with lo <= A <= B <= hi. */
static void argRange(const char *name, const char *s, double lo, double hi,
                     double *a, double *b)
{
    char *end;
    errno = 0;
    *a = strtod(s, &end);
    if (errno || end == s || *end != '-')
        die(2, "%s: expected A-B, got '%s'", name, s);
    *b = argNum(name, end + 1, lo, hi);
    if (!(*a >= lo && *a <= *b))
        die(2, "%s: expected %g <= A <= B <= %g, got '%s'", name, lo, hi, s);
}

static int isInt(double x) { return x == (double)(long long)x; }

static const char *needArg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) die(2, "%s needs a value", argv[*i]);
    return argv[++*i];
}

static int mainDedup(int argc, char **argv)
{
    dedupOpts o = {1, 1000, (size_t)-1, 2, 5, 0, 0.85, 1.0, 0.5,
                   0.2, 0.1, 0.5, 80, 1500, 400, NULL, 0};
    for (int i = 2; i < argc; i++) {
        const char *const a = argv[i];
        double x, y;
        if (!strcmp(a, "-q")) o.quiet = 1;
        else if (!strcmp(a, "--docs"))
            o.docs = (size_t)argNum(a, needArg(argc, argv, &i), 0, 1e9);
        else if (!strcmp(a, "--seed"))
            o.seed = (uint64_t)argNum(a, needArg(argc, argv, &i), 0, 9e15);
        else if (!strcmp(a, "--families"))
            o.families = (size_t)argNum(a, needArg(argc, argv, &i), 0, 1e9);
        else if (!strcmp(a, "--family-size")) {
            argRange(a, needArg(argc, argv, &i), 1, 10000, &x, &y);
            o.famMin = (unsigned)x;
            o.famMax = (unsigned)y;
            if (!isInt(x) || !isInt(y)) die(2, "%s: expected integers", a);
        } else if (!strcmp(a, "--jaccard"))
            argRange(a, needArg(argc, argv, &i), 0.01, 1, &o.jLo, &o.jHi);
        else if (!strcmp(a, "--exact"))
            o.exactP = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!strcmp(a, "--cosmetic"))
            o.cosmeticP = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!strcmp(a, "--decoys"))
            o.decoys = (unsigned)argNum(a, needArg(argc, argv, &i), 0, 1000);
        else if (!strcmp(a, "--unrelated-max"))
            o.unrelMax = argNum(a, needArg(argc, argv, &i), 0.05, 1);
        else if (!strcmp(a, "--words")) {
            argRange(a, needArg(argc, argv, &i), 10, 1e6, &x, &y);
            o.wMin = (unsigned)x;
            o.wMax = (unsigned)y;
        } else if (!strcmp(a, "--mean-words"))
            o.wMean = argNum(a, needArg(argc, argv, &i), 10, 1e6);
        else if (!strcmp(a, "--french"))
            o.frenchP = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!strcmp(a, "--truth")) o.truthPath = needArg(argc, argv, &i);
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else die(2, "dedup: unknown option '%s' (gen --help)", a);
    }
    if (o.families == (size_t)-1) o.families = o.docs / 20;
    if (o.exactP + o.cosmeticP > 1) die(2, "--exact + --cosmetic > 1");
    if (o.decoys && o.unrelMax >= o.jLo)
        die(2, "--unrelated-max %g must be below the --jaccard range",
            o.unrelMax);
    if (o.famMax + o.decoys > 65535) die(2, "families too large");
    uint64_t const planted = familyDocs(&o);
    if (planted > o.docs)
        die(2, "%zu families of %u-%u docs (+%u decoys) need %" PRIu64
            " documents, more than --docs %zu", o.families, o.famMin,
            o.famMax, o.decoys, planted, o.docs);
    runDedup(&o);
    return 0;
}

static int mainReuse(int argc, char **argv)
{
    reuseOpts o = {1, 1000, (size_t)-1, 2, 6, 40, 200, 0.3, 0.9, 0.01, 0.05,
                   0.04, 0.5, 0.7, 80, 1500, 400, NULL, NULL, 0};
    for (int i = 2; i < argc; i++) {
        const char *const a = argv[i];
        double x, y;
        if (!strcmp(a, "-q")) o.quiet = 1;
        else if (!strcmp(a, "--docs"))
            o.docs = (size_t)argNum(a, needArg(argc, argv, &i), 0, 1e9);
        else if (!strcmp(a, "--seed"))
            o.seed = (uint64_t)argNum(a, needArg(argc, argv, &i), 0, 9e15);
        else if (!strcmp(a, "--groups"))
            o.groups = (size_t)argNum(a, needArg(argc, argv, &i), 0, 1e9);
        else if (!strcmp(a, "--reprints")) {
            argRange(a, needArg(argc, argv, &i), 1, 1000, &x, &y);
            if (!isInt(x) || !isInt(y)) die(2, "%s: expected integers", a);
            o.repMin = (unsigned)x;
            o.repMax = (unsigned)y;
        } else if (!strcmp(a, "--keep"))
            argRange(a, needArg(argc, argv, &i), 0, 1, &o.keepLo, &o.keepHi);
        else if (!strcmp(a, "--edits"))
            argRange(a, needArg(argc, argv, &i), 0, 0.5, &o.editLo, &o.editHi);
        else if (!strcmp(a, "--sites"))
            o.sites = (unsigned)argNum(a, needArg(argc, argv, &i), 2, 1e5);
        else if (!strcmp(a, "--stock"))
            o.nstock = (unsigned)argNum(a, needArg(argc, argv, &i), 1, 1e6);
        else if (!strcmp(a, "--stock-rate"))
            o.stockRate = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!strcmp(a, "--pages"))
            o.pageP = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!strcmp(a, "--words")) {
            argRange(a, needArg(argc, argv, &i), 10, 1e6, &x, &y);
            o.wMin = (unsigned)x;
            o.wMax = (unsigned)y;
        } else if (!strcmp(a, "--mean-words"))
            o.wMean = argNum(a, needArg(argc, argv, &i), 10, 1e6);
        else if (!strcmp(a, "--french"))
            o.frenchP = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!strcmp(a, "--truth")) o.truthPath = needArg(argc, argv, &i);
        else if (!strcmp(a, "--passages"))
            o.passagesPath = needArg(argc, argv, &i);
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else die(2, "reuse: unknown option '%s' (gen --help)", a);
    }
    if (o.groups == (size_t)-1) o.groups = o.docs / 20;
    if (o.repMax >= 65535) die(2, "--reprints too large");
    uint64_t planted = 0;
    rng rs = rngFor(o.seed, S_FAMSIZE, 0, 0); /* as runReuse() draws them */
    for (size_t g = 0; g < o.groups; g++)
        planted += 1 + rngRange(&rs, o.repMin, o.repMax);
    if (planted > o.docs)
        die(2, "%zu groups of 1 + %u-%u reprints need %" PRIu64
            " documents, more than --docs %zu", o.groups, o.repMin, o.repMax,
            planted, o.docs);
    runReuse(&o);
    return 0;
}

/* gen check / gen eval: --truth FILE, a few options, an optional input. */
static int mainScore(int argc, char **argv, int check)
{
    const char *truth = NULL, *in = NULL, *passages = NULL;
    double lo = 0, hi = 1, unrel = 1, minF1 = 0;
    for (int i = 2; i < argc; i++) {
        const char *const a = argv[i];
        if (!strcmp(a, "--truth")) truth = needArg(argc, argv, &i);
        else if (check && !strcmp(a, "--jaccard"))
            argRange(a, needArg(argc, argv, &i), 0, 1, &lo, &hi);
        else if (check && !strcmp(a, "--passages"))
            passages = needArg(argc, argv, &i);
        else if (check && !strcmp(a, "--unrelated-max"))
            unrel = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (!check && !strcmp(a, "--min-f1"))
            minF1 = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (a[0] == '-' && a[1]) die(2, "unknown option '%s'", a);
        else if (in) die(2, "one input file at most");
        else in = a;
    }
    if (truth == NULL) die(2, "%s needs --truth FILE", argv[1]);
    if (passages) return runCheckReuse(truth, passages, in);
    return check ? runCheck(truth, in, lo, hi, unrel)
                 : runEval(truth, in, minF1);
}

static int mainSpans(int argc, char **argv)
{
    const char *pairs = NULL, *in = NULL;
    double min = 0.9;
    for (int i = 2; i < argc; i++) {
        const char *const a = argv[i];
        if (!strcmp(a, "--pairs")) pairs = needArg(argc, argv, &i);
        else if (!strcmp(a, "--min"))
            min = argNum(a, needArg(argc, argv, &i), 0, 1);
        else if (a[0] == '-' && a[1]) die(2, "unknown option '%s'", a);
        else if (in) die(2, "one input file at most");
        else in = a;
    }
    if (pairs == NULL) die(2, "spans needs --pairs FILE");
    return runSpans(pairs, in, min);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "dedup")) return mainDedup(argc, argv);
    if (!strcmp(argv[1], "reuse")) return mainReuse(argc, argv);
    if (!strcmp(argv[1], "check")) return mainScore(argc, argv, 1);
    if (!strcmp(argv[1], "eval")) return mainScore(argc, argv, 0);
    if (!strcmp(argv[1], "spans")) return mainSpans(argc, argv);
    die(2, "unknown mode '%s' (gen --help)", argv[1]);
    return 2;
}
