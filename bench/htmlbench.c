/*
 * htmlbench.c - speed and quality of calque_extractHtml() on web pages,
 * and a seeded generator of realistic news pages to measure them on.
 *
 *   htmlbench [-t SECONDS] [-v] FILE...   throughput: the files are
 *                                         extracted in turn, over and over,
 *                                         for at least SECONDS (default 2)
 *   htmlbench -q [-v] FILE...             quality: bag-of-words precision
 *                                         and recall of each FILE against
 *                                         the FILE minus ".html" plus ".txt"
 *   htmlbench -o DIR FILE...              writes each page's extracted text
 *                                         (title, blank line, text) to
 *                                         DIR/basename.out, for diffing two
 *                                         builds
 *   -m MODE                               how the page reaches gumbo: 2
 *                                         (default) through the pre-pass, 1
 *                                         the pre-pass removing no subtree,
 *                                         0 as it is (gumbo alone): -o with
 *                                         -m 0 and -m 2 must write the same
 *   htmlbench gen [-s SEED] [-n N] DIR    writes N generated pages
 *                                         DIR/gNNN.html with their expected
 *                                         text DIR/gNNN.txt
 *
 * Throughput is in MB (10^6 bytes) of the ORIGINAL page bytes per second
 * of this thread's CPU time (one core; wall time is printed too, the
 * machine may be shared). Pages are read into memory first; one
 * extractor serves all pages, as in a crawl.
 *
 * The generated pages follow what real news pages are made of: most of
 * their bytes are markup with long class names, inline CSS, analytics
 * scripts, JSON-LD and a framework's JSON state (which repeats the article
 * text), SVG icons, a mega menu, share bars, related-article cards,
 * comments, a sidebar and a footer, around an article of 6-20 paragraphs
 * with links, entities and subheadings. Three families: a modern
 * framework site (60% of pages, 150-450 KB), WordPress (30%, 50-150 KB)
 * and a table layout of the 2000s (10%, 20-60 KB). The expected text is
 * the headline, standfirst, paragraphs, subheadings, list items and
 * quotes. A seed gives the same pages on every machine (xorshift64*, no
 * libm).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calque.h"

#include "html/html.h" /* calque__htmlSetTame(): how the page reaches gumbo */

/* ---- Files -------------------------------------------------------------- */
static char *readFile(const char *path, size_t *len)
{
    FILE *const f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *const nb = realloc(buf, cap + 1);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t const got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

static double clockOf(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#include "../tests/bow.h"

/* ---- The generator ------------------------------------------------------ */
typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static void sbPut(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *const np = realloc(b->p, cap);
        if (np == NULL) {
            fprintf(stderr, "htmlbench: out of memory\n");
            exit(1);
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sbStr(sbuf *b, const char *s)
{
    sbPut(b, s, strlen(s));
}

static void sbf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sbf(sbuf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int const n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sbPut(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n
                                                     : sizeof tmp - 1);
}

static uint64_t rngState;

static uint64_t rnd(void)
{
    uint64_t x = rngState;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rngState = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [lo, hi]. */
static unsigned rr(unsigned lo, unsigned hi)
{
    return lo + (unsigned)(rnd() % (uint64_t)(hi - lo + 1));
}

static int chance(unsigned percent)
{
    return rr(1, 100) <= percent;
}

static const char *const frStop[] = {
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "à", "en",
    "que", "qui", "dans", "pour", "sur", "par", "pas", "plus", "ne", "se",
    "il", "elle", "ils", "au", "aux", "avec", "ce", "cette", "son", "sa",
    "ses", "leur", "est", "sont", "a", "ont", "été", "mais", "ou", "comme",
    "nous", "vous", "on", "tout", "très", "aussi", "depuis", "entre",
    "sans", "sous", "après", "avant", "selon", "encore", "déjà", "où"};
static const char *const enStop[] = {
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on",
    "with", "as", "by", "at", "from", "it", "his", "her", "they", "have",
    "has", "had", "be", "been", "are", "were", "not", "but", "or", "this",
    "which", "their", "an", "will", "would", "there", "after", "before",
    "more", "than", "about", "into", "over", "also", "its", "who"};
static const char *const syl[] = {
    "ma", "ri", "to", "lu", "ne", "sa", "po", "ca", "de", "mi", "ro",
    "tal", "ber", "con", "vel", "lin", "mon", "gra", "pré", "é", "ré",
    "ta", "ge", "qué", "ment", "tion", "che", "val", "nor", "bu", "fi"};
#define NSYL (sizeof syl / sizeof syl[0])

/* One content word (2-4 syllables; English drops the accents). */
static void genWord(sbuf *b, int en)
{
    unsigned const n = rr(2, 4);
    for (unsigned i = 0; i < n; i++) {
        const char *s = syl[rnd() % NSYL];
        if (en && (unsigned char)s[strlen(s) - 1] >= 0x80) s = "e";
        if (en && strncmp(s, "pré", 4) == 0) s = "pre";
        if (en && strncmp(s, "ré", 3) == 0) s = "re";
        if (en && strncmp(s, "qué", 4) == 0) s = "que";
        sbStr(b, s);
    }
}

/* A sentence of 8-25 words into @html (escaped, with entities) and @txt
 * (plain). French gets typographic apostrophes, sometimes as entities,
 * and no-break spaces before colons. */
static void genSentence(sbuf *html, sbuf *txt, int en, int links)
{
    unsigned const n = rr(8, 25);
    int inLink = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i) {
            sbStr(html, " ");
            sbStr(txt, " ");
        }
        if (links && !inLink && chance(3)) {
            sbf(html, "<a href=\"https://www.example.com/%s/%u-%u.html\" "
                      "class=\"link link--internal\">",
                en ? "news" : "actualite", rr(1000, 99999), rr(1, 999));
            inLink = (int)rr(1, 4);
        }
        sbuf w = {0};
        if (chance(48)) {
            sbStr(&w, en ? enStop[rnd() % (sizeof enStop / sizeof *enStop)]
                         : frStop[rnd() % (sizeof frStop / sizeof *frStop)]);
        } else if (chance(6)) {
            sbf(&w, "%u", rr(2, 2024));
        } else {
            genWord(&w, en);
        }
        if (i == 0 && w.p[0] >= 'a' && w.p[0] <= 'z') w.p[0] -= 32;
        if (!en && i > 0 && chance(5)) {
            /* l’ or d’ before the word, spelled several ways. */
            char const c = chance(50) ? 'l' : 'd';
            const char *const apo[] = {"&#8217;", "&rsquo;", "\xE2\x80\x99",
                                       "'"};
            unsigned const k = rr(0, 3);
            sbf(html, "%c%s", c, apo[k]);
            sbf(txt, "%c%s", c, k == 3 ? "'" : "\xE2\x80\x99");
        }
        sbStr(html, w.p);
        sbStr(txt, w.p);
        free(w.p);
        if (inLink && --inLink == 0) sbStr(html, "</a>");
        if (i + 1 < n && chance(7)) {
            sbStr(html, ",");
            sbStr(txt, ",");
        } else if (i + 1 < n && chance(1)) {
            sbStr(html, en ? " &amp;" : "&nbsp;:");
            sbStr(txt, en ? " &" : "\xC2\xA0:");
        }
    }
    if (inLink) sbStr(html, "</a>");
    sbStr(html, ".");
    sbStr(txt, ".");
}

static void genText(sbuf *html, sbuf *txt, int en, unsigned sentences,
                    int links)
{
    for (unsigned s = 0; s < sentences; s++) {
        if (s) {
            sbStr(html, " ");
            sbStr(txt, " ");
        }
        genSentence(html, txt, en, links);
    }
}

/* A few words of menu or card text (not expected in the output). */
static void genLabel(sbuf *b, int en, unsigned words)
{
    for (unsigned i = 0; i < words; i++) {
        if (i) sbStr(b, " ");
        sbuf w = {0};
        genWord(&w, en);
        if (i == 0) w.p[0] = (char)(w.p[0] - 32 * (w.p[0] >= 'a'));
        sbStr(b, w.p);
        free(w.p);
    }
}

static void genCss(sbuf *b, unsigned rules)
{
    sbStr(b, "<style>");
    for (unsigned i = 0; i < rules; i++)
        sbf(b, ".c-%x__el-%u{display:flex;margin:%upx %upx;color:#%06x;"
               "font:%u %upx/1.4 var(--font-%u)}@media (min-width:%upx)"
               "{.c-%x__el-%u{padding:0 %upx}}\n",
            (unsigned)(rnd() & 0xFFFF), rr(1, 9), rr(0, 40), rr(0, 40),
            (unsigned)(rnd() & 0xFFFFFF), rr(3, 9) * 100, rr(11, 40),
            rr(1, 4), rr(4, 12) * 100, (unsigned)(rnd() & 0xFFFF), rr(1, 9),
            rr(4, 60));
    sbStr(b, "</style>\n");
}

static void genScript(sbuf *b, unsigned bytes)
{
    sbStr(b, "<script>");
    size_t const start = b->len;
    while (b->len - start < bytes)
        sbf(b, "!function(e,t){var n=e.q%u||[];for(var i=0;i<n.length;i++)"
               "{if(n[i]&&n[i].v<%u){t.push({id:\"%x\",ts:%u});}}"
               "e.dataLayer=e.dataLayer||[];}(window,[]);",
            rr(1, 99), rr(1, 999), (unsigned)rnd(), rr(100000, 999999));
    sbStr(b, "</script>\n");
}

/* An icon: an inline SVG with a long path. */
static void genSvg(sbuf *b)
{
    sbf(b, "<svg class=\"icon icon--%u\" width=\"24\" height=\"24\" "
           "viewBox=\"0 0 24 24\" aria-hidden=\"true\"><path d=\"M",
        rr(1, 60));
    unsigned const n = rr(20, 60);
    for (unsigned i = 0; i < n; i++)
        sbf(b, "%u.%u %u.%u%s", rr(0, 23), rr(0, 99), rr(0, 23), rr(0, 99),
            i + 1 < n ? (chance(20) ? "L" : "C") : "Z");
    sbStr(b, "\" fill=\"currentColor\"/></svg>");
}

static void genImg(sbuf *b)
{
    unsigned const id = rr(100000, 999999);
    sbf(b, "<img class=\"media__img\" loading=\"lazy\" alt=\"\" "
           "src=\"https://img.example.com/%u/640.jpg\" srcset=\"",
        id);
    for (unsigned w = 320; w <= 1920; w += 320)
        sbf(b, "https://img.example.com/%u/%u.jpg %uw%s", id, w, w,
            w < 1920 ? ", " : "");
    sbStr(b, "\" sizes=\"(min-width: 1024px) 700px, 100vw\" width=\"640\" "
             "height=\"360\">");
}

/* The JSON state of a framework (Next.js style): the article again, then
 * related items; @txt is the expected text, repeated as strings. */
static void genJsonState(sbuf *b, const sbuf *txt, unsigned items)
{
    sbStr(b, "<script id=\"__NEXT_DATA__\" type=\"application/json\">"
             "{\"props\":{\"pageProps\":{\"article\":{\"body\":\"");
    for (size_t i = 0; i < txt->len; i++) {
        char const c = txt->p[i];
        if (c == '\n') sbStr(b, "\\n");
        else if (c == '"') sbStr(b, "\\\"");
        else if (c == '<') sbStr(b, "\\u003c");
        else sbPut(b, &c, 1);
    }
    sbStr(b, "\"},\"related\":[");
    for (unsigned i = 0; i < items; i++)
        sbf(b, "%s{\"id\":%u,\"url\":\"/article/%u\",\"image\":{\"src\":"
               "\"https://img.example.com/%u/640.jpg\",\"w\":640,\"h\":360},"
               "\"section\":\"s%u\",\"premium\":%s}",
            i ? "," : "", rr(1, 999999), rr(1, 999999), rr(1, 999999),
            rr(1, 20), chance(30) ? "true" : "false");
    sbStr(b, "]}}}</script>\n");
}

static void genMenu(sbuf *b, int en, unsigned sections, unsigned links)
{
    sbStr(b, "<nav class=\"mega-menu\" aria-label=\"Menu principal\">"
             "<ul class=\"mega-menu__list\">\n");
    for (unsigned s = 0; s < sections; s++) {
        sbStr(b, "<li class=\"mega-menu__item\"><button class=\"mega-menu__"
                 "toggle\" aria-expanded=\"false\">");
        genLabel(b, en, 1);
        genSvg(b);
        sbStr(b, "</button><ul class=\"mega-menu__sub\">");
        for (unsigned l = 0; l < links; l++) {
            sbf(b, "<li class=\"mega-menu__sub-item\"><a class=\"mega-menu__"
                   "link\" href=\"/rubrique/%u/%u\" data-track=\"menu-%u-%u\">",
                s, l, s, l);
            genLabel(b, en, rr(1, 3));
            sbStr(b, "</a></li>");
        }
        sbStr(b, "</ul></li>\n");
    }
    sbStr(b, "</ul></nav>\n");
}

static void genCards(sbuf *b, int en, const char *cls, unsigned n)
{
    sbf(b, "<section class=\"%s\"><h2 class=\"%s__title\">%s</h2>"
           "<div class=\"cards\">\n",
        cls, cls, en ? "Related articles" : "Sur le même sujet");
    for (unsigned i = 0; i < n; i++) {
        sbf(b, "<div class=\"card card--%u\"><a class=\"card__link\" "
               "href=\"/article/%u\"><figure class=\"card__media\">",
            rr(1, 3), rr(1, 999999));
        genImg(b);
        sbStr(b, "</figure><h3 class=\"card__title\">");
        genLabel(b, en, rr(5, 10));
        sbStr(b, "</h3></a><p class=\"card__teaser\">");
        genLabel(b, en, rr(8, 16));
        sbStr(b, "</p></div>\n");
    }
    sbStr(b, "</div></section>\n");
}

static void genComments(sbuf *b, int en, unsigned n, int wp)
{
    sbStr(b, wp ? "<div id=\"comments\" class=\"comments-area\">"
                  "<ol class=\"comment-list\">\n"
                : "<section class=\"comments\" id=\"comments\">\n");
    for (unsigned i = 0; i < n; i++) {
        sbuf t = {0};
        sbf(b, "<%s class=\"comment\" id=\"comment-%u\"><div class=\""
               "comment-author\">",
            wp ? "li" : "div", rr(1, 99999));
        genLabel(b, en, 2);
        sbStr(b, "</div><div class=\"comment-content\"><p>");
        genText(b, &t, en, rr(1, 4), 0);
        free(t.p);
        sbf(b, "</p></div></%s>\n", wp ? "li" : "div");
    }
    sbStr(b, wp ? "</ol></div>\n" : "</section>\n");
}

static void genFooter(sbuf *b, int en, unsigned cols)
{
    sbStr(b, "<footer class=\"site-footer\"><div class=\"site-footer__"
             "cols\">");
    for (unsigned c = 0; c < cols; c++) {
        sbStr(b, "<div class=\"site-footer__col\"><h4>");
        genLabel(b, en, 1);
        sbStr(b, "</h4><ul>");
        for (unsigned l = rr(6, 12); l > 0; l--) {
            sbf(b, "<li><a href=\"/page/%u\">", rr(1, 9999));
            genLabel(b, en, rr(1, 3));
            sbStr(b, "</a></li>");
        }
        sbStr(b, "</ul></div>");
    }
    sbf(b, "</div><p class=\"legal\">&copy; %u ", rr(2015, 2024));
    genLabel(b, en, 6);
    sbStr(b, "</p></footer>\n");
}

/* The article body: paragraphs, subheadings, a list, a quote, ad slots,
 * an inline "read also" box. Appends the expected text to @txt. */
static void genBody(sbuf *b, sbuf *txt, int en, int modern)
{
    unsigned const paras = rr(6, 20);
    for (unsigned i = 0; i < paras; i++) {
        if (i > 1 && chance(18)) {
            sbStr(b, modern ? "<h2 class=\"article__sub-heading\">" : "<h2>");
            sbStr(txt, "\n\n");
            sbuf h = {0};
            genSentence(&h, txt, en, 0);
            sbPut(b, h.p, h.len - 1); /* without the final dot */
            txt->len--;
            txt->p[txt->len] = 0;
            free(h.p);
            sbStr(b, "</h2>\n");
        }
        if (i > 2 && chance(10)) {
            sbf(b, "<div class=\"ad ad--inread\" id=\"ad-%u\" data-slot=\""
                   "inread-%u\" data-sizes=\"[[300,250],[1,1]]\"></div>\n",
                i, i);
            if (modern) genScript(b, rr(300, 1200));
        }
        if (i > 2 && chance(8)) {
            sbStr(b, "<div class=\"read-also\"><span>");
            sbStr(b, en ? "Read also" : "Lire aussi");
            sbf(b, "</span><a href=\"/article/%u\">", rr(1, 999999));
            genLabel(b, en, rr(6, 10));
            sbStr(b, "</a></div>\n");
        }
        if (i > 2 && chance(8)) {
            sbStr(b, "<ul class=\"article__list\">");
            for (unsigned k = rr(3, 5); k > 0; k--) {
                sbStr(b, "<li>");
                sbStr(txt, txt->len ? "\n\n" : "");
                genText(b, txt, en, 1, 0);
                sbStr(b, "</li>");
            }
            sbStr(b, "</ul>\n");
        } else if (i > 2 && chance(6)) {
            sbStr(b, "<blockquote class=\"quote\"><p>");
            sbStr(txt, txt->len ? "\n\n" : "");
            genText(b, txt, en, rr(2, 3), 0);
            sbStr(b, "</p></blockquote>\n");
        }
        sbStr(b, modern ? "<p class=\"article__paragraph\">" : "<p>");
        sbStr(txt, txt->len ? "\n\n" : "");
        genText(b, txt, en, rr(2, 6), 1);
        sbStr(b, "</p>\n");
    }
}

static void genHead(sbuf *b, const char *title, int en, int modern)
{
    sbf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8"
           "\"><meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\"><title>%s</title>\n",
        en ? "en" : "fr", title);
    for (unsigned i = rr(10, modern ? 40 : 15); i > 0; i--)
        sbf(b, "<meta property=\"og:x%u\" content=\"https://www.example.com"
               "/%u/%x\">\n<link rel=\"preload\" href=\"/_next/static/chunks/"
               "%x.js\" as=\"script\" crossorigin=\"anonymous\">\n",
            i, rr(1, 99999), (unsigned)rnd(), (unsigned)rnd());
    genCss(b, rr(modern ? 60 : 20, modern ? 250 : 80));
    sbf(b, "<script type=\"application/ld+json\">{\"@context\":\"https://"
           "schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"%s\","
           "\"datePublished\":\"2024-0%u-1%uT08:00:00+02:00\"}</script>\n",
        title, rr(1, 9), rr(0, 9));
    for (unsigned i = rr(modern ? 4 : 1, modern ? 12 : 4); i > 0; i--)
        genScript(b, rr(500, modern ? 8000 : 2000));
    sbStr(b, "</head>\n");
}

/* Writes one page of family @kind (0 modern, 1 WordPress, 2 tables). */
static void genPage(sbuf *b, sbuf *txt, int kind)
{
    int const en = chance(40);
    sbuf head = {0}, body = {0}, lead = {0}, btxt = {0};
    sbuf htitle = {0};
    genSentence(&htitle, &head, en, 0);
    htitle.p[--htitle.len] = 0;
    head.p[--head.len] = 0;
    genSentence(&lead, &btxt, en, 0);
    genBody(&body, &btxt, en, kind == 0);
    sbStr(txt, head.p);
    sbStr(txt, "\n\n");
    sbStr(txt, btxt.p);
    genHead(b, htitle.p, en, kind == 0);
    if (kind == 2) {
        sbStr(b, "<body bgcolor=\"#ffffff\"><center><table width=\"780\" "
                 "border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr>"
                 "<td colspan=\"2\"><img src=\"/img/logo.gif\" width=\"780\""
                 " height=\"90\"></td></tr><tr><td width=\"160\" valign=\""
                 "top\" class=\"menu\">");
        for (unsigned i = rr(15, 30); i > 0; i--) {
            sbf(b, "<a href=\"/rub%u.html\"><font face=\"Arial\" size=\"1\">",
                rr(1, 99));
            genLabel(b, en, rr(1, 2));
            sbStr(b, "</font></a><br>\n");
        }
        sbf(b, "</td><td valign=\"top\"><font face=\"Arial\" size=\"4\"><b>"
               "%s</b></font><br><br>\n<font face=\"Arial\" size=\"2\"><i>",
            htitle.p);
        sbPut(b, lead.p, lead.len);
        sbStr(b, "</i></font>\n");
        sbPut(b, body.p, body.len);
        sbStr(b, "</td></tr><tr><td colspan=\"2\" class=\"footer\">"
                 "<font size=\"1\">&copy; ");
        genLabel(b, en, 5);
        sbStr(b, "</font></td></tr></table></center></body></html>\n");
    } else {
        int const modern = kind == 0;
        sbf(b, "<body class=\"%s\">\n", modern ? "page page--article theme-"
                                                 "light"
                                               : "post-template-default "
                                                 "single single-post");
        if (modern) {
            sbStr(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" style=\""
                     "display:none\">");
            for (unsigned i = rr(10, 30); i > 0; i--) {
                sbf(b, "<symbol id=\"i%u\" viewBox=\"0 0 24 24\">", i);
                genSvg(b);
                sbStr(b, "</symbol>");
            }
            sbStr(b, "</svg>\n<div id=\"didomi-host\" class=\"didomi-popup\">"
                     "<div class=\"didomi-popup__content\"><p>");
            sbuf t = {0};
            genText(b, &t, en, 3, 0);
            free(t.p);
            sbStr(b, "</p><button class=\"didomi-accept\">OK</button></div>"
                     "</div>\n");
        }
        sbStr(b, "<div id=\"page\" class=\"site\"><header class=\"site-"
                 "header\"><a class=\"logo\" href=\"/\">");
        genSvg(b);
        sbStr(b, "</a>");
        genMenu(b, en, rr(modern ? 6 : 4, modern ? 12 : 8),
                rr(modern ? 8 : 3, modern ? 20 : 8));
        sbStr(b, "<form class=\"search-form\" action=\"/recherche\"><input "
                 "type=\"search\" name=\"q\" placeholder=\"Rechercher\">"
                 "<button type=\"submit\">");
        genSvg(b);
        sbStr(b, "</button></form></header>\n");
        sbf(b, "<main id=\"main\" class=\"site-main\"><article class=\"%s\">"
               "<header class=\"%s\"><h1 class=\"%s\">%s</h1>"
               "<p class=\"%s\">",
            modern ? "article article--news" : "post type-post hentry",
            modern ? "article__header" : "entry-header",
            modern ? "article__title" : "entry-title", htitle.p,
            modern ? "article__desc" : "entry-summary");
        sbPut(b, lead.p, lead.len);
        sbStr(b, "</p><div class=\"article__meta\"><span class=\"author\">");
        genLabel(b, en, 2);
        sbf(b, "</span> <time datetime=\"2024-06-12T18:42:00+02:00\">12/06/"
               "2024</time></div></header>\n<div class=\"share-bar\">");
        for (unsigned i = rr(3, 6); i > 0; i--) {
            sbf(b, "<button class=\"share-bar__btn share-bar__btn--%u\" "
                   "data-network=\"n%u\">",
                i, i);
            genSvg(b);
            sbStr(b, "</button>");
        }
        sbStr(b, "</div>\n<figure class=\"article__media\">");
        genImg(b);
        sbStr(b, "<figcaption>");
        genLabel(b, en, rr(6, 14));
        sbf(b, "</figcaption></figure>\n<div class=\"%s\">\n",
            modern ? "article__content" : "entry-content");
        sbPut(b, body.p, body.len);
        sbStr(b, "</div><div class=\"tags\">");
        for (unsigned i = rr(2, 6); i > 0; i--) {
            sbf(b, "<a class=\"tag\" href=\"/tag/%u\">", rr(1, 999));
            genLabel(b, en, 1);
            sbStr(b, "</a> ");
        }
        sbStr(b, "</div></article>\n");
        genCards(b, en, "related-articles", rr(4, modern ? 12 : 6));
        genComments(b, en, rr(0, 12), !modern);
        sbStr(b, "</main>\n<aside class=\"sidebar\"><div class=\"widget "
                 "most-read\"><ol>");
        for (unsigned i = rr(5, 10); i > 0; i--) {
            sbf(b, "<li><a href=\"/article/%u\">", rr(1, 999999));
            genLabel(b, en, rr(5, 9));
            sbStr(b, "</a></li>");
        }
        sbStr(b, "</ol></div></aside>\n");
        genFooter(b, en, rr(3, 6));
        sbStr(b, "</div>\n");
        if (modern) genJsonState(b, txt, rr(10, 60));
        for (unsigned i = rr(modern ? 3 : 1, modern ? 10 : 4); i > 0; i--)
            genScript(b, rr(300, modern ? 6000 : 1500));
        sbStr(b, "</body></html>\n");
    }
    free(head.p);
    free(body.p);
    free(lead.p);
    free(btxt.p);
    free(htitle.p);
}

static int writeFile(const char *path, const sbuf *b)
{
    FILE *const f = fopen(path, "wb");
    if (f == NULL) return -1;
    size_t const w = fwrite(b->p, 1, b->len, f);
    return fclose(f) == 0 && w == b->len ? 0 : -1;
}

static int cmdGen(int argc, char **argv)
{
    uint64_t seed = 1;
    unsigned n = 50;
    int i = 2;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = (unsigned)strtoul(argv[++i], NULL, 10);
        else
            return fprintf(stderr, "htmlbench gen: bad option %s\n", argv[i]),
                   2;
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: htmlbench gen [-s SEED] [-n N] DIR\n");
        return 2;
    }
    mkdir(argv[i], 0777);
    size_t total = 0;
    for (unsigned k = 0; k < n; k++) {
        rngState = (seed + 1) * 0x9E3779B97F4A7C15ULL + k * 0xBF58476D1CE4E5B9ULL;
        rngState |= 1;
        for (int w = 0; w < 4; w++) rnd();
        unsigned const r = rr(1, 10);
        int const kind = r <= 6 ? 0 : r <= 9 ? 1 : 2;
        sbuf html = {0}, txt = {0};
        genPage(&html, &txt, kind);
        sbStr(&txt, "\n");
        char path[4096];
        snprintf(path, sizeof path, "%s/g%03u.html", argv[i], k);
        int err = writeFile(path, &html);
        snprintf(path, sizeof path, "%s/g%03u.txt", argv[i], k);
        err |= writeFile(path, &txt);
        if (err) {
            fprintf(stderr, "htmlbench gen: cannot write %s\n", path);
            return 1;
        }
        total += html.len;
        free(html.p);
        free(txt.p);
    }
    printf("%u pages, %.1f MB of HTML in %s\n", n, (double)total / 1e6,
           argv[i]);
    return 0;
}

/* ---- Measures ----------------------------------------------------------- */
typedef struct {
    const char *path;
    char *html;
    size_t len;
} page;

static int cmdRun(int argc, char **argv)
{
    double seconds = 2;
    int quality = 0, verbose = 0, mode = 2;
    const char *outDir = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "-q") == 0)
            quality = 1;
        else if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            outDir = argv[++i];
        else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
            mode = atoi(argv[++i]);
        else
            return fprintf(stderr, "htmlbench: bad option %s\n", argv[i]), 2;
    }
    if (i >= argc) {
        fprintf(stderr,
                "usage: htmlbench [-t SECONDS] [-q] [-v] [-o DIR] [-m MODE] "
                "FILE...\n"
                "       htmlbench gen [-s SEED] [-n N] DIR\n");
        return 2;
    }
    size_t const n = (size_t)(argc - i);
    page *const pages = calloc(n, sizeof *pages);
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        pages[k].path = argv[i + (int)k];
        pages[k].html = readFile(pages[k].path, &pages[k].len);
        if (pages[k].html == NULL) {
            fprintf(stderr, "htmlbench: cannot read %s\n", pages[k].path);
            return 1;
        }
        total += pages[k].len;
    }
    int err = 0;
    calque_htmlExtractor *const ex = calque_createHtmlExtractor(NULL, NULL,
                                                               &err);
    if (ex == NULL) return fprintf(stderr, "htmlbench: %d\n", err), 1;
    calque__htmlSetTame(ex, mode);
    const char *text, *title;
    size_t textLen, titleLen;
    if (quality || outDir) {
        double sumP = 0, sumR = 0, minP = 1, minR = 1;
        size_t scored = 0;
        for (size_t k = 0; k < n; k++) {
            int const r = calque_extractHtml(ex, pages[k].html, pages[k].len,
                                             NULL, &text, &textLen, &title,
                                             &titleLen);
            if (r != 0) {
                printf("%s: error %d\n", pages[k].path, r);
                continue;
            }
            const char *const base = strrchr(pages[k].path, '/');
            char path[4096];
            if (outDir) {
                snprintf(path, sizeof path, "%s/%s.out", outDir,
                         base ? base + 1 : pages[k].path);
                FILE *const f = fopen(path, "wb");
                if (f == NULL) return fprintf(stderr, "cannot write\n"), 1;
                fprintf(f, "%s\n\n%s\n", title, text);
                fclose(f);
            }
            if (!quality) continue;
            size_t const pl = strlen(pages[k].path);
            if (pl < 5 || pl - 5 + 5 >= sizeof path) continue;
            memcpy(path, pages[k].path, pl - 5);
            strcpy(path + pl - 5, ".txt");
            size_t wl;
            char *const want = readFile(path, &wl);
            if (want == NULL) continue;
            double p, rc;
            precisionRecall(want, text, &p, &rc);
            free(want);
            if (verbose) printf("%-40s P %.3f R %.3f\n", pages[k].path, p, rc);
            sumP += p;
            sumR += rc;
            minP = p < minP ? p : minP;
            minR = rc < minR ? rc : minR;
            scored++;
        }
        if (quality && scored)
            printf("%zu pages: average P %.3f R %.3f, worst P %.3f R %.3f\n",
                   scored, sumP / (double)scored, sumR / (double)scored, minP,
                   minR);
    } else {
        double *const cpu = calloc(n, sizeof *cpu);
        size_t rounds = 0;
        double const w0 = clockOf(CLOCK_MONOTONIC);
        double const c0 = clockOf(CLOCK_THREAD_CPUTIME_ID);
        double c = c0;
        while (c - c0 < seconds || rounds == 0) {
            for (size_t k = 0; k < n; k++) {
                double const a = clockOf(CLOCK_THREAD_CPUTIME_ID);
                int const r = calque_extractHtml(ex, pages[k].html,
                                                 pages[k].len, NULL, &text,
                                                 &textLen, &title, &titleLen);
                if (r != 0 && rounds == 0)
                    printf("%s: error %d\n", pages[k].path, r);
                c = clockOf(CLOCK_THREAD_CPUTIME_ID);
                cpu[k] += c - a;
            }
            rounds++;
        }
        double const wall = clockOf(CLOCK_MONOTONIC) - w0;
        if (verbose)
            for (size_t k = 0; k < n; k++)
                printf("%-40s %9zu B %7.1f MB/s\n", pages[k].path,
                       pages[k].len,
                       (double)pages[k].len * (double)rounds / cpu[k] / 1e6);
        double const mb = (double)total * (double)rounds / 1e6;
        printf("%zu pages, %.2f MB, %zu rounds: %.1f MB/s (CPU %.2f s), "
               "%.1f MB/s wall\n",
               n, (double)total / 1e6, rounds, mb / (c - c0), c - c0,
               mb / wall);
        free(cpu);
    }
    calque_freeHtmlExtractor(ex);
    for (size_t k = 0; k < n; k++) free(pages[k].html);
    free(pages);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "gen") == 0) return cmdGen(argc, argv);
    return cmdRun(argc, argv);
}
