/*
 * names.c - which elements the extractor skips for their attributes: the
 * hidden attribute, aria-hidden="true", an inline style hiding them, a
 * landmark role that holds no article, or a class or id naming
 * boilerplate ("comments", "related-posts", "share-bar", "sidebar", "ad",
 * "lire-aussi"...).
 *
 * Both the pre-pass (tame.c, on the raw attribute values, to skip such
 * subtrees before gumbo sees them) and the walk (blocks.c, on gumbo's
 * values) ask calque__htmlAttrsHide(), so they agree on every element.
 *
 * Class tokens are split into words at '-', '_', ':' and lower to upper
 * case changes ("relatedPosts"). Each word is looked up in one sorted
 * table: boilerplate words (matching exactly, or as prefixes when long),
 * state words that turn a boilerplate word into a state ("has-comments",
 * "sidebar-left", "tag-ads"), and content words ("article", "entry",
 * "contenu") that keep an element another token would drop.
 */
#include "html/html.h"

/* Words of class and id values. Boilerplate words match as prefixes when
 * long ("comments", "commentaires"), exactly when short; state words turn
 * a boilerplate word into a state ("has-comments", "sidebar-left"); good
 * words name the article itself. Sorted by first letter. */
enum { W_BAD = 1, W_BADPREFIX, W_STATE, W_GOOD };
#define W_(s, k) {s, sizeof(s) - 1, k}
static const struct {
    const char *w;
    uint8_t len, kind;
} htmlWords[] = {
    W_("active", W_STATE), W_("ad", W_BAD), W_("ads", W_BAD),
    W_("adv", W_BAD), W_("advert", W_BADPREFIX), W_("alireaussi", W_BAD),
    W_("allowed", W_STATE), W_("also", W_BAD), W_("article", W_GOOD),
    W_("aussi", W_BAD), W_("auteur", W_BAD), W_("author", W_BAD),
    W_("axeptio", W_BADPREFIX),
    W_("banner", W_BADPREFIX), W_("body", W_GOOD), W_("bottom", W_STATE),
    W_("breadcrumb", W_BADPREFIX), W_("byline", W_BADPREFIX),
    W_("cat", W_STATE), W_("category", W_STATE),
    W_("closed", W_STATE), W_("cmp", W_BADPREFIX),
    W_("comment", W_BADPREFIX),
    W_("consent", W_BADPREFIX), W_("content", W_GOOD),
    W_("contenu", W_GOOD), W_("cookie", W_BADPREFIX), W_("corps", W_GOOD),
    W_("count", W_STATE), W_("counter", W_STATE),
    W_("date", W_BAD), W_("dateline", W_BADPREFIX),
    W_("didomi", W_BADPREFIX), W_("disabled", W_STATE),
    W_("disqus", W_BADPREFIX),
    W_("enabled", W_STATE), W_("entry", W_GOOD),
    W_("footer", W_BADPREFIX),
    W_("gdpr", W_BAD),
    W_("has", W_STATE), W_("hidden", W_BAD), W_("hide", W_BAD),
    W_("icon", W_STATE), W_("invisible", W_BAD), W_("is", W_STATE),
    W_("left", W_STATE), W_("lire", W_BAD), W_("lireaussi", W_BAD),
    W_("login", W_BAD),
    W_("main", W_GOOD), W_("masthead", W_BADPREFIX), W_("menu", W_BAD),
    W_("meta", W_BAD),
    W_("modal", W_BAD), W_("most", W_BAD), W_("mostpopular", W_BAD),
    W_("mostread", W_BAD),
    W_("nav", W_BAD), W_("navbar", W_BADPREFIX),
    W_("navigation", W_BADPREFIX), W_("nb", W_STATE),
    W_("newsletter", W_BADPREFIX), W_("no", W_STATE),
    W_("number", W_STATE),
    W_("off", W_STATE), W_("offscreen", W_BAD), W_("on", W_STATE),
    W_("onetrust", W_BADPREFIX),
    W_("open", W_STATE), W_("outbrain", W_BADPREFIX),
    W_("overlay", W_BAD),
    W_("pager", W_BAD), W_("pagination", W_BADPREFIX),
    W_("paywall", W_BADPREFIX),
    W_("partage", W_BADPREFIX), W_("popular", W_BADPREFIX),
    W_("popup", W_BADPREFIX), W_("post", W_GOOD), W_("print", W_BAD),
    W_("promo", W_BAD), W_("promos", W_BAD), W_("pub", W_BAD),
    W_("publicit", W_BADPREFIX),
    W_("recommend", W_BADPREFIX), W_("related", W_BADPREFIX),
    W_("replies", W_BAD), W_("reply", W_BAD), W_("reseaux", W_BADPREFIX),
    W_("respond", W_BAD), W_("rgpd", W_BAD), W_("right", W_STATE),
    W_("share", W_BAD), W_("sharer", W_BAD), W_("sharing", W_BADPREFIX),
    W_("sidebar", W_BADPREFIX), W_("signature", W_BAD),
    W_("signup", W_BADPREFIX),
    W_("skip", W_BAD), W_("social", W_BADPREFIX),
    W_("sponsor", W_BADPREFIX), W_("sr", W_BAD), W_("story", W_GOOD),
    W_("subscri", W_BADPREFIX),
    W_("taboola", W_BADPREFIX), W_("tag", W_STATE), W_("tags", W_BAD),
    W_("tarteaucitron", W_BADPREFIX), W_("text", W_GOOD),
    W_("texte", W_GOOD), W_("toggle", W_STATE), W_("toolbar", W_BADPREFIX),
    W_("top", W_STATE), W_("topbar", W_BAD), W_("trending", W_BADPREFIX),
    W_("widget", W_BADPREFIX), W_("with", W_STATE),
};
#undef W_
#define HTML_NWORDS (sizeof htmlWords / sizeof htmlWords[0])

void calque__htmlWordsInit(calque__htmlWords *t)
{
    size_t k = 0;
    for (int c = 0; c < 26; c++) {
        t->first[c] = (uint8_t)k;
        while (k < HTML_NWORDS && htmlWords[k].w[0] == 'a' + c) k++;
    }
    t->first[26] = (uint8_t)k;
}

static int nmLower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The kind of the lower-case word @w (@n bytes), 0 when none. */
static int nmWordKind(const calque__htmlWords *t, const char *w, size_t n)
{
    if (w[0] < 'a' || w[0] > 'z') return 0;
    unsigned const c = (unsigned)(w[0] - 'a');
    for (size_t k = t->first[c]; k < t->first[c + 1]; k++) {
        size_t const len = htmlWords[k].len;
        if ((htmlWords[k].kind == W_BADPREFIX ? n >= len : n == len) &&
            memcmp(htmlWords[k].w, w, len) == 0)
            return htmlWords[k].kind;
    }
    return 0;
}

/* Classifies one class token (or an id): 1 boilerplate, 2 content, 0
 * neither. The token is split into words at '-', '_', ':' and lower to
 * upper case changes ("relatedPosts"). */
static int nmClassToken(const calque__htmlWords *t, const char *s, size_t n)
{
    int bad = 0, good = 0, state = 0;
    size_t i = 0;
    while (i < n) {
        char w[24];
        size_t k = 0;
        while (i < n && (s[i] == '-' || s[i] == '_' || s[i] == ':')) i++;
        while (i < n && s[i] != '-' && s[i] != '_' && s[i] != ':') {
            if (k && s[i] >= 'A' && s[i] <= 'Z' && s[i - 1] >= 'a' &&
                s[i - 1] <= 'z')
                break;
            if (k < sizeof w) w[k] = (char)nmLower((unsigned char)s[i]);
            k++;
            i++;
        }
        if (k == 0 || k > sizeof w) continue;
        int const kind = nmWordKind(t, w, k);
        bad |= kind == W_BAD || kind == W_BADPREFIX;
        state |= kind == W_STATE;
        good |= kind == W_GOOD;
    }
    if (bad) return state ? 0 : 1;
    return good ? 2 : 0;
}

static int nmSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does a class or id value name boilerplate? @bad and @good collect
 * whether one of its tokens does and whether one names content.
 * @return 1 when a token is a spelling of hidden text ("sr-only"). */
static int nmTokens(const calque__htmlWords *t, const char *s, size_t n,
                    int *bad, int *good)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && nmSpace(s[i])) i++;
        size_t const tok = i;
        while (i < n && !nmSpace(s[i])) i++;
        size_t const k = i - tok;
        if (k == 0) continue;
        if ((k == 7 && memcmp(s + tok, "sr-only", 7) == 0) ||
            (k == 15 && memcmp(s + tok, "visually-hidden", 15) == 0) ||
            (k == 18 && memcmp(s + tok, "screen-reader-text", 18) == 0))
            return 1;
        int const kind = nmClassToken(t, s + tok, k);
        *bad |= kind == 1;
        *good |= kind == 2;
    }
    return 0;
}

/* Case-insensitive search of lower-case @needle in @s (@n bytes). */
static int nmContains(const char *s, size_t n, const char *needle)
{
    size_t const k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && nmLower((unsigned char)s[i + j]) == needle[j]) j++;
        if (j == k) return 1;
    }
    return 0;
}

/* Does an inline style hide the element? Spaces are ignored; only the
 * first 255 other characters are looked at. */
static int nmStyleHides(const char *s, size_t n)
{
    char buf[256];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof buf - 1; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            buf[k++] = (char)nmLower((unsigned char)s[i]);
    return nmContains(buf, k, "display:none") ||
           nmContains(buf, k, "visibility:hidden");
}

/* Is a role one of the landmark or widget roles that hold no article? */
static int nmBadRole(const char *s, size_t n)
{
    static const char *const roles[] = {
        "navigation", "banner", "contentinfo", "complementary", "search",
        "menu", "menubar", "dialog", "alertdialog", "toolbar", NULL};
    for (const char *const *r = roles; *r; r++)
        if (strlen(*r) == n && memcmp(*r, s, n) == 0) return 1;
    return 0;
}

int calque__htmlAttrsHide(const calque__htmlWords *t,
                          const calque__htmlAttrs *a, int root)
{
    if (a->hidden) return 1;
    if (a->aria && nmContains(a->aria, a->ariaLen, "true")) return 1;
    if (a->style && nmStyleHides(a->style, a->styleLen)) return 1;
    if (a->role && nmBadRole(a->role, a->roleLen)) return 1;
    if (root || (a->cls == NULL && a->id == NULL)) return 0;
    int bad = 0, good = 0;
    if (a->cls && nmTokens(t, a->cls, a->clsLen, &bad, &good)) return 1;
    if (a->id && nmTokens(t, a->id, a->idLen, &bad, &good)) return 1;
    return bad && !good;
}
