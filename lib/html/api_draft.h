/*-************************************************************************
 *  6. HTML: the main text of a web page
 **************************************************************************/
/*! calque_htmlParams :
 *  Parameters of the article extractor. The classification is jusText's;
 *  its defaults are jusText's too. */
typedef struct {
    const char *language;        /* stop-word list: "fr", "en", "de",
                                    "es", "it", "pt", "nl"; NULL or "auto"
                                    (default): chosen per page; "none":
                                    length and links only */
    unsigned lengthLow;          /* blocks shorter than this (code points)
                                    are short, default 70 */
    unsigned lengthHigh;         /* blocks longer than this with enough
                                    stop words are good, default 200 */
    double stopwordsLow;         /* stop-word share of near-good blocks,
                                    default 0.30 */
    double stopwordsHigh;        /* stop-word share of good blocks, default
                                    0.32 */
    double maxLinkDensity;       /* share of link text above which a block
                                    is bad, default 0.2 */
    unsigned maxHeadingDistance; /* characters between a heading and the
                                    good text that keeps it, default 200 */
    size_t maxMemory;            /* bytes the HTML parser may use for one
                                    page; 0 (default): 64 MiB + 32 bytes
                                    per input byte */
    int allBlocks;               /* 1: keep every block, boilerplate too
                                    (the text of the page without the
                                    dropped elements); default 0 */
} calque_htmlParams;

/*! calque_initHtmlParams() : fills @p with the defaults. */
CALQUELIB_API void calque_initHtmlParams(calque_htmlParams *p);

typedef struct calque_htmlExtractor_s calque_htmlExtractor;

/*! calque_createHtmlExtractor() :
 *  @p may be NULL for defaults. @mem may be NULL. The extractor keeps its
 *  buffers from page to page; use one per thread.
 *  @return the extractor, or NULL with *err set (CALQUE_EPARAM for bad
 *  parameters or an unknown language, CALQUE_ENOMEM). @err may be NULL. */
CALQUELIB_API calque_htmlExtractor *calque_createHtmlExtractor(
    const calque_htmlParams *p, const calque_customMem *mem, int *err);
CALQUELIB_API void calque_freeHtmlExtractor(calque_htmlExtractor *ex);

/*! calque_extractHtml() :
 *  Extracts the main text (the article) and the title of the web page
 *  @html (@len bytes, need not be NUL terminated).
 *  @charsetHint is the charset of the HTTP Content-Type header, or NULL;
 *  a byte order mark overrides it, and it overrides <meta charset>. With
 *  neither, the page is read as UTF-8 when it is valid UTF-8, else as
 *  windows-1252. Undecodable bytes become U+FFFD.
 *  On success *text points to *textLen bytes of UTF-8: the kept blocks
 *  (paragraphs, headings, list items, cells) with whitespace collapsed,
 *  separated by "\n\n" ("\n" between items of one list), and *title to
 *  *titleLen bytes (the <title>, else og:title; may be empty). Both are
 *  NUL terminated, owned by @ex and valid until its next call. @title
 *  and @titleLen may be NULL.
 *  @return 0; CALQUE_EBINARY when the body is not text (control bytes);
 *  CALQUE_ETOOBIG when the page is over 1 GiB or the parser would exceed
 *  maxMemory; CALQUE_ENOMEM; CALQUE_EPARAM for NULL arguments. */
CALQUELIB_API int calque_extractHtml(calque_htmlExtractor *ex,
                                     const char *html, size_t len,
                                     const char *charsetHint,
                                     const char **text, size_t *textLen,
                                     const char **title, size_t *titleLen);

/*! calque_htmlInfo : how the last page was read. */
typedef struct {
    const char *charset;  /* encoding used: "UTF-8", "WINDOWS-1252", ...
                             (valid until the next call) */
    const char *charsetFrom; /* "bom", "hint", "meta", "default" (valid
                                UTF-8) or "fallback" (windows-1252) */
    const char *language; /* stop-word list used: "fr", "en", ..., "none" */
    uint64_t replaced;    /* undecodable sequences replaced by U+FFFD */
    size_t blocks;        /* text blocks found */
    size_t goodBlocks;    /* blocks kept */
    size_t droppedTags;   /* start tags removed for nesting deeper than 512
                             (0 on sane pages) */
} calque_htmlInfo;

/*! calque_htmlGetInfo() : fills @info about the last calque_extractHtml()
 *  call on @ex (zeros before the first). */
CALQUELIB_API void calque_htmlGetInfo(const calque_htmlExtractor *ex,
                                      calque_htmlInfo *info);
