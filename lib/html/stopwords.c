/*
 * stopwords.c - short lists of the most frequent function words of seven
 * languages, and a hash set to look words up in all of them at once.
 *
 * The lists were written for calque from general knowledge of each
 * language: articles, pronouns, prepositions, conjunctions, auxiliaries
 * and the commonest adverbs, about 150-200 words each, lower case, with
 * accents. Elided forms are listed without their apostrophe ("l", "qu",
 * "dell") because the tokenizer of classify.c splits words there. In
 * running prose these words make up 35-55% of the tokens; in menus,
 * lists of links and captions far fewer, which is what the jusText
 * classification relies on.
 *
 * The set is built once per extractor (no mutable globals): every distinct
 * word gets an entry with the mask of the languages listing it, and a
 * power-of-two table of slots is probed linearly.
 */
#include "html/html.h"

static const char *const stopFr[] = {
    "a", "à", "afin", "ai", "ailleurs", "ainsi", "alors", "après", "as",
    "au", "aucun", "aucune", "aujourd", "auquel", "aussi", "autant",
    "autre", "autres", "aux", "auxquels", "avaient", "avais", "avait",
    "avant", "avec", "avez", "avoir", "avons", "ayant", "beaucoup", "bien",
    "c", "ça", "car", "ce", "ceci", "cela", "celle", "celles", "celui",
    "cependant", "certains", "certaines", "ces", "cet", "cette", "ceux",
    "chaque", "chez", "comme", "comment", "contre", "d", "dans", "de",
    "déjà", "depuis", "des", "dès", "deux", "doit", "donc", "dont", "du",
    "durant", "elle", "elles", "en", "encore", "entre", "es", "est", "et",
    "étaient", "était", "étant", "été", "être", "eu", "eux", "fait",
    "faire", "font", "fut", "hui", "ici", "il", "ils", "j", "jamais", "je",
    "jusqu", "l", "la", "là", "laquelle", "le", "lequel", "les",
    "lesquels", "leur", "leurs", "lors", "lorsque", "lui", "m", "ma",
    "mais", "malgré", "me", "même", "mêmes", "mes", "moi", "moins", "mon",
    "n", "ne", "ni", "non", "nos", "notre", "nous", "on", "ont", "or",
    "ou", "où", "oui", "par", "parce", "parmi", "pas", "pendant", "peu",
    "peut", "peuvent", "plus", "plusieurs", "plutôt", "pour", "pourquoi",
    "pourtant", "puis", "qu", "quand", "que", "quel", "quelle", "quelles",
    "quelque", "quelques", "quels", "qui", "quoi", "rien", "s", "sa",
    "sans", "sauf", "se", "selon", "sera", "serait", "seront", "ses", "si",
    "sinon", "soit", "son", "sont", "sous", "sur", "t", "ta", "tandis",
    "tant", "te", "tes", "toi", "ton", "toujours", "tous", "tout", "toute",
    "toutes", "très", "trop", "tu", "un", "une", "vers", "via", "voici",
    "voilà", "vos", "votre", "vous", "y",
};

static const char *const stopEn[] = {
    "a", "about", "above", "after", "again", "against", "all", "also",
    "although", "am", "among", "an", "and", "another", "any", "are",
    "around", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "could", "d", "did",
    "didn", "do", "does", "doesn", "doing", "don", "down", "during",
    "each", "either", "even", "ever", "every", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "however", "i", "if", "in",
    "into", "is", "isn", "it", "its", "itself", "just", "ll", "many", "may",
    "me", "might", "more", "most", "much", "must", "my", "myself",
    "neither", "no", "nor", "not", "now", "of", "off", "often", "on",
    "once", "one", "only", "or", "other", "others", "our", "ours",
    "ourselves", "out", "over", "own", "per", "rather", "re", "s", "said",
    "same", "says", "several", "she", "should", "since", "so", "some",
    "still", "such", "t", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those",
    "though", "through", "thus", "to", "too", "toward", "towards", "two",
    "under", "until", "up", "upon", "us", "ve", "very", "was", "wasn",
    "we", "well", "were", "what", "when", "where", "whether", "which",
    "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "won", "would", "yet", "you", "your", "yours", "yourself",
};

static const char *const stopDe[] = {
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also",
    "am", "an", "andere", "anderen", "anderer", "auch", "auf", "aus",
    "bei", "beim", "bereits", "bin", "bis", "bist", "da", "dabei",
    "dadurch", "daher", "damit", "dann", "das", "dass", "daß", "dein",
    "deine", "dem", "den", "denn", "der", "deren", "des", "dessen", "dich",
    "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "dir",
    "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "einige", "er", "es", "etwa", "etwas", "euch",
    "euer", "für", "gegen", "gewesen", "habe", "haben", "hat", "hatte",
    "hatten", "heute", "hier", "hinter", "ich", "ihm", "ihn", "ihnen",
    "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "immer", "in", "ins",
    "ist", "ja", "jede", "jedem", "jeden", "jeder", "jedes", "jedoch",
    "jetzt", "kann", "kein", "keine", "keinen", "können", "könnte", "man",
    "manche", "mehr", "mein", "meine", "mich", "mir", "mit", "muss",
    "musste", "nach", "neben", "nicht", "nichts", "noch", "nun", "nur",
    "ob", "oder", "ohne", "schon", "sehr", "sei", "sein", "seine",
    "seinem", "seinen", "seiner", "seit", "sich", "sie", "sind", "so",
    "solche", "soll", "sollen", "sollte", "sondern", "sowie", "über", "um",
    "und", "uns", "unser", "unsere", "unter", "viel", "viele", "vom", "von",
    "vor", "während", "war", "waren", "was", "weil", "weiter", "welche",
    "welcher", "wenn", "wer", "werden", "wie", "wieder", "will", "wir",
    "wird", "wo", "wurde", "wurden", "zu", "zum", "zur", "zwar", "zwei",
    "zwischen",
};

static const char *const stopEs[] = {
    "a", "al", "algo", "algunos", "ambos", "ante", "antes", "aquí", "así",
    "aún", "aunque", "bajo", "bien", "cada", "casi", "como", "cómo", "con",
    "contra", "cual", "cuando", "cuándo", "cuyo", "de", "del", "desde",
    "después", "dijo", "donde", "dos", "durante", "e", "el", "él", "ella",
    "ellas", "ellos", "en", "entonces", "entre", "era", "eran", "es",
    "esa", "esas", "ese", "eso", "esos", "esta", "está", "estaba", "están",
    "estar", "este", "esto", "estos", "fue", "fueron", "ha", "había",
    "han", "hace", "hacia", "hasta", "hay", "la", "las", "le", "les", "lo",
    "los", "más", "me", "mi", "mientras", "misma", "mismo", "mucho",
    "muchos", "muy", "nada", "ni", "no", "nos", "nosotros", "o", "otra",
    "otras", "otro", "otros", "para", "pero", "poco", "por", "porque",
    "puede", "pues", "que", "qué", "quien", "quienes", "se", "sea",
    "según", "ser", "será", "sería", "si", "sí", "sido", "sin", "sino",
    "sobre", "solo", "sólo", "son", "su", "sus", "también", "tan", "tanto",
    "te", "tener", "tiene", "tienen", "todo", "todos", "tras", "tu", "tú",
    "un", "una", "unas", "uno", "unos", "vez", "y", "ya", "yo",
};

static const char *const stopIt[] = {
    "a", "ad", "agli", "ai", "al", "all", "alla", "alle", "allo", "anche",
    "ancora", "avere", "aveva", "avevano", "c", "che", "chi", "ci", "come",
    "con", "contro", "così", "cui", "da", "dagli", "dai", "dal", "dall",
    "dalla", "dalle", "dallo", "degli", "dei", "del", "dell", "della",
    "delle", "dello", "di", "dopo", "dove", "e", "è", "ed", "era", "erano",
    "essere", "fa", "fino", "fra", "fu", "furono", "già", "gli", "ha",
    "hanno", "ho", "i", "il", "in", "invece", "io", "l", "la", "le", "lei",
    "li", "lo", "loro", "lui", "ma", "mentre", "mi", "mio", "molto", "ne",
    "negli", "nei", "nel", "nell", "nella", "nelle", "nello", "noi", "non",
    "nostro", "o", "ogni", "oppure", "per", "perché", "però", "più", "poi",
    "poco", "prima", "proprio", "qual", "quale", "quali", "quando",
    "quanto", "quella", "quelle", "quelli", "quello", "quest", "questa",
    "queste", "questi", "questo", "qui", "se", "secondo", "sei", "sempre",
    "senza", "si", "sia", "siamo", "sono", "sopra", "sotto", "stata",
    "stato", "stati", "su", "sua", "sue", "sui", "sul", "sull", "sulla",
    "suo", "suoi", "tra", "tuttavia", "tutta", "tutti", "tutto", "un",
    "una", "uno", "viene", "voi", "vostro",
};

static const char *const stopPt[] = {
    "a", "à", "ainda", "ao", "aos", "após", "aquela", "aquele", "aqueles",
    "aquilo", "as", "às", "assim", "até", "cada", "com", "como", "contra",
    "da", "das", "de", "dela", "dele", "deles", "depois", "desde", "disse",
    "do", "dois", "dos", "durante", "e", "é", "ela", "elas", "ele", "eles",
    "em", "entre", "era", "eram", "essa", "essas", "esse", "esses", "esta",
    "está", "estão", "estas", "estava", "este", "estes", "eu", "fazer",
    "foi", "foram", "há", "isso", "isto", "já", "lhe", "lhes", "mais",
    "mas", "me", "mesmo", "meu", "minha", "muito", "na", "nas", "não",
    "nem", "no", "nos", "nós", "num", "numa", "o", "onde", "os", "ou",
    "para", "pela", "pelas", "pelo", "pelos", "pode", "por", "porque",
    "quando", "que", "quem", "se", "segundo", "seja", "sem", "sendo",
    "ser", "seu", "seus", "sido", "só", "sobre", "sua", "suas", "também",
    "tão", "te", "tem", "têm", "ter", "teu", "tinha", "toda", "todas",
    "todo", "todos", "tudo", "um", "uma", "umas", "uns", "vai", "vez",
    "você", "vocês",
};

static const char *const stopNl[] = {
    "aan", "al", "alle", "alles", "als", "altijd", "ander", "andere",
    "ben", "bij", "daar", "dan", "dat", "de", "der", "deze", "die", "dit",
    "doch", "doen", "door", "dus", "echter", "een", "eens", "en", "er",
    "ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft",
    "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik",
    "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me", "meer",
    "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets",
    "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over",
    "reeds", "sinds", "steeds", "te", "tegen", "toch", "toen", "tot",
    "tussen", "twee", "u", "uit", "uw", "van", "veel", "volgens", "voor",
    "waar", "want", "waren", "was", "wat", "we", "weer", "wel", "werd",
    "wie", "wij", "wil", "worden", "wordt", "zal", "ze", "zei", "zelf",
    "zich", "zij", "zijn", "zo", "zonder", "zou", "zullen",
};

#define STOP_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *code;
    const char *const *words;
    size_t n;
} stopLangs[CALQUE__NLANG] = {
    {"fr", stopFr, STOP_COUNT(stopFr)}, {"en", stopEn, STOP_COUNT(stopEn)},
    {"de", stopDe, STOP_COUNT(stopDe)}, {"es", stopEs, STOP_COUNT(stopEs)},
    {"it", stopIt, STOP_COUNT(stopIt)}, {"pt", stopPt, STOP_COUNT(stopPt)},
    {"nl", stopNl, STOP_COUNT(stopNl)},
};

const char *calque__langCode(unsigned i)
{
    return i < CALQUE__NLANG ? stopLangs[i].code : "none";
}

int calque__langIndex(const char *code)
{
    if (strcmp(code, "none") == 0) return CALQUE__NLANG;
    for (int i = 0; i < CALQUE__NLANG; i++)
        if (strcmp(code, stopLangs[i].code) == 0) return i;
    return -1;
}

/* A word as its key: its bytes, zero-padded to 16 (no stop word is
 * longer; calque__stopSetInit() checks). */
static void stopKey(uint64_t key[2], const uint8_t *w, size_t len)
{
    key[0] = key[1] = 0;
    memcpy(key, w, len);
}

static uint32_t stopHash(const uint64_t key[2])
{
    uint64_t const h = (key[0] ^ (key[1] * 0x9E3779B97F4A7C15ULL)) *
                       0xBF58476D1CE4E5B9ULL;
    return (uint32_t)(h >> 32);
}

/* Finds the slot of @key: the one holding it, or the empty one where it
 * would go. */
static uint32_t stopProbe(const calque__stopSet *s, const uint64_t key[2])
{
    uint32_t i = stopHash(key) & s->mask;
    for (;;) {
        uint32_t const e = s->slots[i];
        if (e == 0) return i;
        const calque__stopEntry *const x = &s->entries[e - 1];
        if (x->key[0] == key[0] && x->key[1] == key[1]) return i;
        i = (i + 1) & s->mask;
    }
}

int calque__stopSetInit(const calque__mem *m, calque__stopSet *s)
{
    size_t total = 0;
    for (int l = 0; l < CALQUE__NLANG; l++) total += stopLangs[l].n;
    size_t nslots = 16;
    while (nslots < total * 4) nslots *= 2;
    memset(s, 0, sizeof *s);
    s->entries = calque__malloc(m, total * sizeof *s->entries);
    s->slots = calque__calloc(m, nslots, sizeof *s->slots);
    if (s->entries == NULL || s->slots == NULL) {
        calque__stopSetFree(m, s);
        return CALQUE_ENOMEM;
    }
    s->mask = (uint32_t)nslots - 1;
    for (int l = 0; l < CALQUE__NLANG; l++)
        for (size_t k = 0; k < stopLangs[l].n; k++) {
            const uint8_t *const w = (const uint8_t *)stopLangs[l].words[k];
            size_t const len = strlen((const char *)w);
            if (len == 0 || len > CALQUE__STOP_MAXLEN) {
                calque__stopSetFree(m, s);
                return CALQUE_EPARAM;
            }
            uint64_t key[2];
            stopKey(key, w, len);
            uint32_t const slot = stopProbe(s, key);
            if (len > s->maxLen) s->maxLen = len;
            if (s->slots[slot] == 0) {
                calque__stopEntry *const x = &s->entries[s->n++];
                x->key[0] = key[0];
                x->key[1] = key[1];
                x->langs = 0;
                s->slots[slot] = (uint32_t)s->n;
            }
            s->entries[s->slots[slot] - 1].langs |= (uint8_t)(1u << l);
        }
    return 0;
}

void calque__stopSetFree(const calque__mem *m, calque__stopSet *s)
{
    calque__free(m, s->entries);
    calque__free(m, s->slots);
    memset(s, 0, sizeof *s);
}

unsigned calque__stopLookup(const calque__stopSet *s, const uint8_t *w,
                            size_t len)
{
    if (len == 0 || len > s->maxLen) return 0;
    uint64_t key[2];
    stopKey(key, w, len);
    uint32_t const e = s->slots[stopProbe(s, key)];
    return e ? s->entries[e - 1].langs : 0;
}
