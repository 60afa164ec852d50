/*
 * calque.h - public API of the calque library.
 *
 * calque finds copies, reused passages, stories and threads in large
 * collections of news and web text. The library is organised in levels:
 *
 *   1. Basics: version, errors, memory hooks.
 *   2. Text: normalisation, tokens with byte spans, shingles.
 *   3. Sketches: MinHash signatures, LSH parameters, Jaccard.
 *   4. Input: streaming readers for JSONL, text, WARC, WET and HTML,
 *      gzip and zstd; dates.
 *   5. Dedup: exact and near-duplicate clustering of a whole collection.
 *   6. HTML: the main text and title of a web page (boilerplate removed).
 *   7. Reuse: passages shared between documents, with byte offsets.
 *   8. Clean: boilerplate lines found across a collection, removed.
 *
 * Conventions: every status function returns 0 (or a count) on success and
 * a negative CALQUE_E* code on failure; objects are opaque handles made by a
 * calque_createX() function and released by calque_freeX(), which accepts
 * NULL. The library never prints, never exits and never aborts on bad input.
 * One handle must not be used by two threads at once; distinct handles may.
 */
#ifndef CALQUE_H
#define CALQUE_H

#include <stddef.h>
#include <stdint.h>

#include "calque_errors.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && (__GNUC__ >= 4)
#define CALQUELIB_API __attribute__((visibility("default")))
#else
#define CALQUELIB_API
#endif

/*-************************************************************************
 *  1. Basics
 **************************************************************************/
#define CALQUE_VERSION_MAJOR 0
#define CALQUE_VERSION_MINOR 1
#define CALQUE_VERSION_RELEASE 0
#define CALQUE_VERSION_NUMBER                                                 \
    (CALQUE_VERSION_MAJOR * 10000 + CALQUE_VERSION_MINOR * 100 +             \
     CALQUE_VERSION_RELEASE)
#define CALQUE_VERSION_STRING "0.1.0"

/*! calque_versionNumber() :
 *  @return the version of the linked library, as CALQUE_VERSION_NUMBER. */
CALQUELIB_API unsigned calque_versionNumber(void);

/*! calque_errorName() :
 *  @return a static, human readable text for an error code (0 or negative).
 *  Unknown codes give "unknown error". */
CALQUELIB_API const char *calque_errorName(int code);

/*! calque_customMem :
 *  Allocator hooks. Every allocation the library makes goes through them.
 *  A NULL pointer to this struct, or a struct with NULL alloc, selects
 *  malloc/free. alloc must return memory aligned for any type. */
typedef struct {
    void *(*alloc)(void *opaque, size_t size);
    void (*free)(void *opaque, void *ptr);
    void *opaque;
} calque_customMem;

/*-************************************************************************
 *  2. Text: normalisation, tokens, shingles
 **************************************************************************/
/*! calque_token :
 *  One word of a document. `hash` is the 64-bit hash of the normalised
 *  word; [start, end) is its byte span in the ORIGINAL text. */
typedef struct {
    uint64_t hash;
    uint32_t start; /* first byte, inclusive */
    uint32_t end;   /* last byte, exclusive */
} calque_token;

typedef struct {
    int keepAccents; /* 1: keep accents for matching (default 0: strip) */
} calque_textOptions;

typedef struct calque_tokenizer_s calque_tokenizer;

/*! calque_createTokenizer() :
 *  @opt may be NULL for defaults. @mem may be NULL.
 *  @return a tokenizer, or NULL when out of memory. */
CALQUELIB_API calque_tokenizer *calque_createTokenizer(
    const calque_textOptions *opt, const calque_customMem *mem);
CALQUELIB_API void calque_freeTokenizer(calque_tokenizer *tk);

/*! calque_tokenize() :
 *  Normalises @text (Unicode NFKC, case folding, typographic quotes,
 *  apostrophes, dashes and spaces unified, whitespace collapsed, accents
 *  removed unless keepAccents) and splits it into tokens: maximal runs of
 *  letters and digits (combining marks inside a word belong to it); each
 *  CJK ideograph, kana and hangul syllable is a token of its own.
 *  Invalid UTF-8 is read as U+FFFD (not a letter) and counted.
 *  @text need not be NUL terminated; @len < 2^32.
 *  On success *tokens points to *ntokens tokens owned by @tk, valid until
 *  the next call on @tk.
 *  @return 0, CALQUE_ENOMEM, or CALQUE_EPARAM (len too large). */
CALQUELIB_API int calque_tokenize(calque_tokenizer *tk, const char *text,
                                  size_t len, const calque_token **tokens,
                                  size_t *ntokens);

/*! calque_normalizedText() :
 *  The normalised text of the last calque_tokenize() call (no NUL
 *  terminator), owned by @tk, valid until the next call. */
CALQUELIB_API void calque_normalizedText(const calque_tokenizer *tk,
                                         const char **text, size_t *len);

/*! calque_invalidUtf8() :
 *  @return how many invalid UTF-8 sequences the last call replaced. */
CALQUELIB_API size_t calque_invalidUtf8(const calque_tokenizer *tk);

/*! calque_shingleCount() :
 *  @return how many shingles of @ngram words a text of @ntokens tokens
 *  has: ntokens - ngram + 1, 1 when 0 < ntokens < ngram, 0 when empty. */
CALQUELIB_API size_t calque_shingleCount(size_t ntokens, unsigned ngram);

/*! calque_shingleHashes() :
 *  Writes the 64-bit hashes of the word @ngram-grams of @tokens into @out,
 *  which has room for calque_shingleCount(ntokens, ngram) values.
 *  @return the number written. */
CALQUELIB_API size_t calque_shingleHashes(const calque_token *tokens,
                                          size_t ntokens, unsigned ngram,
                                          uint64_t *out);

/*-************************************************************************
 *  3. Sketches: MinHash, LSH, Jaccard
 **************************************************************************/
typedef struct calque_minhash_s calque_minhash;

/*! calque_createMinhash() :
 *  @perms hash functions (1..4096), derived from @seed only: signatures
 *  are identical across runs, machines and thread counts.
 *  @return NULL on bad parameters or out of memory. */
CALQUELIB_API calque_minhash *calque_createMinhash(
    unsigned perms, uint64_t seed, const calque_customMem *mem);
CALQUELIB_API void calque_freeMinhash(calque_minhash *mh);

/*! calque_minhashSign() :
 *  Writes the signature of the set of @n shingle hashes into @sig (perms
 *  values). Order and repeats of the shingles do not matter. An empty set
 *  gives all UINT32_MAX. */
CALQUELIB_API void calque_minhashSign(const calque_minhash *mh,
                                      const uint64_t *shingles, size_t n,
                                      uint32_t *sig);

/*! calque_minhashEstimate() :
 *  @return the share of equal positions of two signatures: an unbiased
 *  estimate of the Jaccard similarity of their sets. */
CALQUELIB_API double calque_minhashEstimate(const uint32_t *a,
                                            const uint32_t *b,
                                            unsigned perms);

/*! calque_lshOptimal() :
 *  Chooses bands × rows ≤ perms for a Jaccard @threshold by minimising
 *  fpWeight * P(false positive) + fnWeight * P(false negative), the
 *  probabilities integrated over [0, threshold] and [threshold, 1].
 *  @return 0 or CALQUE_EPARAM. */
CALQUELIB_API int calque_lshOptimal(double threshold, unsigned perms,
                                    double fpWeight, double fnWeight,
                                    unsigned *bands, unsigned *rows);

/*! calque_jaccardSorted() :
 *  @return |A ∩ B| / |A ∪ B| of two strictly increasing arrays; 1.0 when
 *  both are empty. */
CALQUELIB_API double calque_jaccardSorted(const uint64_t *a, size_t na,
                                          const uint64_t *b, size_t nb);

/*! calque_sortUnique() :
 *  Sorts the @n values of @v and removes repeats, using @tmp (room for
 *  n values, owned by the caller) as scratch. @return the new count. */
CALQUELIB_API size_t calque_sortUnique(uint64_t *v, size_t n, uint64_t *tmp);

/*-************************************************************************
 *  4. Input: streaming readers
 **************************************************************************/
typedef enum {
    CALQUE_FORMAT_AUTO = 0, /* from magic bytes and file name */
    CALQUE_FORMAT_JSONL,    /* one JSON object a line */
    CALQUE_FORMAT_TEXT,     /* the whole file is one document */
    CALQUE_FORMAT_WARC,     /* WARC 1.0/1.1: HTML responses and resources
                               become documents (main text extracted) */
    CALQUE_FORMAT_WET,      /* WARC of conversion records (Common Crawl
                               WET): their plain text as is */
    CALQUE_FORMAT_HTML      /* the whole file is one web page */
} calque_format;

typedef struct {
    calque_format format;
    const char *idField;   /* JSONL id field, default "id" */
    const char *textField; /* JSONL text field, default "text" */
    size_t maxRecord;      /* largest record in bytes, default 1 GiB */
    const char *dateField; /* JSONL date field (see calque_parseDate()),
                              default NULL: none */
    unsigned threads;      /* WARC: threads that extract the text of HTML
                              pages, reading ahead a batch of records;
                              0 or 1 (default): the calling thread */
} calque_readerOptions;

/*! calque_record :
 *  One document as read. All pointers are owned by the reader and valid
 *  until the next call on it. */
typedef struct {
    const char *id;   /* the id as a JSON value, exactly as in the input (a
                         string with its quotes and escapes, or a number);
                         NULL when the record has none */
    size_t idLen;
    const char *text; /* the text, UTF-8; escapes decoded */
    size_t textLen;
    const char *raw;  /* the record as read: the line without its newline
                         for JSONL, the whole file for text and HTML, the
                         WARC record (header and block, without the CRLF
                         CRLF after it) for WARC and WET */
    size_t rawLen;
    uint64_t number;  /* 1-based record number within this input (WARC:
                         every WARC record counts, skipped ones too) */
    uint64_t line;    /* 1-based line where the record starts; the record
                         number for WARC and WET */
    const char *url;  /* WARC-Target-URI, or NULL */
    size_t urlLen;
    const char *date; /* "YYYY-MM-DDTHH:MM:SSZ" (UTC) from WARC-Date or
                         the JSONL dateField, or NULL (absent or
                         unparseable) */
    size_t dateLen;
    const char *title; /* HTML <title> (WARC, HTML), or NULL */
    size_t titleLen;
} calque_record;

typedef struct calque_reader_s calque_reader;

/*! calque_openReader() :
 *  Reads from file descriptor @fd (which the reader does not close),
 *  decompressing gzip and zstd on the fly (recognised by their magic
 *  bytes). When opt->format is AUTO the format comes from @name, which
 *  may be NULL: ".jsonl", ".json", ".ndjson" are JSONL, ".warc" WARC,
 *  ".wet" WET, ".html" and ".htm" HTML, each optionally followed by
 *  ".gz"/".zst"; other names are text, NULL is JSONL. Then, at the first
 *  calque_readRecord(), the first decompressed bytes may override it:
 *  "WARC/1.0" or "WARC/1.1" make WARC (WET for a ".wet" name), and
 *  "<!doctype html", "<html" or "<head" (any case, after an optional
 *  byte order mark and whitespace) make HTML, unless the name is JSONL.
 *  Memory grows only with the largest record, never with the input.
 *  @return the reader, or NULL with *err set. */
CALQUELIB_API calque_reader *calque_openReader(int fd, const char *name,
                                               const calque_readerOptions *opt,
                                               const calque_customMem *mem,
                                               int *err);
CALQUELIB_API void calque_freeReader(calque_reader *r);

/*! calque_readRecord() :
 *  @return 1 with *rec filled, 0 at the end of the input, or a negative
 *  code. After CALQUE_EJSON, CALQUE_EFIELD, CALQUE_ETOOBIG or CALQUE_EWARC
 *  the reader is positioned after the bad record and may be called again
 *  (that record is skipped; after CALQUE_EWARC the reader looks for the
 *  next line starting with "WARC/"); after other errors the input cannot
 *  be read further. calque_readerLine() and calque_readerDetail() describe
 *  the error.
 *  WARC and WET: records that are not documents (other types, non-HTML
 *  or binary payloads, HTTP errors, pages without main text...) are
 *  skipped silently and counted (calque_readerGetStats()). An HTML page
 *  whose body is binary gives CALQUE_EBINARY. See docs/formats.md. */
CALQUELIB_API int calque_readRecord(calque_reader *r, calque_record *rec);

/*! calque_readerLine() :
 *  @return the 1-based line of the last record read or of the error; for
 *  WARC and WET, the 1-based number of that WARC record (the detail of
 *  an error gives its byte offset in the decompressed input). */
CALQUELIB_API uint64_t calque_readerLine(const calque_reader *r);

/*! calque_readerDetail() :
 *  @return a short text saying what was wrong with the last bad record
 *  (e.g. "expected ':' after key at byte 17"), owned by the reader. */
CALQUELIB_API const char *calque_readerDetail(const calque_reader *r);

/*! calque_readerFormat() :
 *  @return the format in use (never AUTO). */
CALQUELIB_API calque_format calque_readerFormat(const calque_reader *r);

/*! calque_readerOffset() :
 *  @return the byte offset, in the decompressed input, where the raw bytes
 *  of the last JSONL, WARC or WET record start (0 for text and HTML).
 *  With calque_recordText() this lets a caller get a text back later from
 *  a plain file instead of keeping it. */
CALQUELIB_API uint64_t calque_readerOffset(const calque_reader *r);

/*! calque_readerCompressed() :
 *  @return 1 when the input is gzip or zstd (known once a record was
 *  read), 0 otherwise. */
CALQUELIB_API int calque_readerCompressed(const calque_reader *r);

/*! calque_recordText() :
 *  Extracts the text of one record again from its raw bytes, exactly as
 *  the reader did: @raw is a JSONL line (without its newline) read with
 *  options @opt, the contents of a text or HTML file when opt->format is
 *  CALQUE_FORMAT_TEXT or CALQUE_FORMAT_HTML, or one WARC record (its
 *  calque_record.raw) for CALQUE_FORMAT_WARC and CALQUE_FORMAT_WET. Writes
 *  the text into @dst (capacity @dstCap, owned by the caller) and its
 *  length into *len. Allocates scratch of about 4 * rawLen bytes through
 *  @mem (may be NULL) and frees it; HTML also needs an HTML extractor,
 *  made and freed here (its parser may take up to 32 bytes a byte).
 *  @return 0, CALQUE_EJSON, CALQUE_EFIELD, CALQUE_ETOOBIG (dstCap too
 *  small), CALQUE_EWARC (not a WARC record the reader makes a document
 *  of), CALQUE_EBINARY or CALQUE_ENOMEM. */
CALQUELIB_API int calque_recordText(const calque_readerOptions *opt,
                                    const char *raw, size_t rawLen, char *dst,
                                    size_t dstCap, size_t *len,
                                    const calque_customMem *mem);

/*! calque_readerInvalidUtf8() :
 *  @return invalid UTF-8 sequences replaced by U+FFFD in texts so far. */
CALQUELIB_API uint64_t calque_readerInvalidUtf8(const calque_reader *r);

/*! calque_readerStats :
 *  What a reader handed out and what it skipped, so far. */
typedef struct {
    uint64_t documents;     /* records handed out */
    uint64_t skippedType;   /* WARC records of other types: request,
                               metadata, warcinfo, revisit... */
    uint64_t skippedMedia;  /* payloads that are not HTML (conversion
                               records: not text/plain), by Content-Type
                               or, without one, by their first bytes */
    uint64_t skippedStatus; /* HTTP responses with a status outside 2xx */
    uint64_t skippedBinary; /* HTML or text payloads that are binary */
    uint64_t skippedHttp;   /* HTTP payloads that cannot be decoded: no
                               HTTP header, broken gzip, unknown
                               Content-Encoding */
    uint64_t skippedEmpty;  /* pages without any main text */
    uint64_t tooBig;        /* records (or decoded payloads) over
                               maxRecord: CALQUE_ETOOBIG */
    uint64_t malformed;     /* WARC records with a bad header or a wrong
                               Content-Length: CALQUE_EWARC */
    uint64_t truncated;     /* WARC records cut by the end of the input:
                               CALQUE_EWARC */
    uint64_t resyncBytes;   /* bytes passed over to find the next record
                               after a malformed one */
    uint64_t badDates;      /* dates present but unparseable (the record
                               then has no date) */
} calque_readerStats;

/*! calque_readerGetStats() : the figures of @r so far into *s. */
CALQUELIB_API void calque_readerGetStats(const calque_reader *r,
                                         calque_readerStats *s);

/*! calque_readerSkipped() :
 *  @return the records of @r that were not handed out: the sum of the
 *  skipped*, tooBig, malformed and truncated figures. */
CALQUELIB_API uint64_t calque_readerSkipped(const calque_reader *r);

#define CALQUE_DATE_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/*! calque_parseDate() :
 *  Reads the date @s (@len bytes, need not be NUL terminated; spaces
 *  around it are ignored) written as
 *    - ISO 8601 / RFC 3339: "2026-03-03", "2026-03-03T10:00",
 *      "2026-03-03T10:00:00.123+01:00" ('T' or a space; zone "Z", "+HH",
 *      "+HHMM", "+HH:MM", " UTC" or none, which means UTC; a fraction of
 *      a second is dropped), or the basic "20260303T100000Z";
 *    - RFC 2822: "Tue, 03 Mar 2026 10:00:00 +0100" (day name optional;
 *      zones +HHMM, UT, GMT, the US zones EST...PDT, military letters as
 *      UTC; no zone means UTC; two-digit years as RFC 2822 says);
 *    - epoch seconds: "1772528400", "-86400", "1772528400.5" (a number
 *      alone, its fraction dropped).
 *  Years 0000 to 9999 only; calendar fields are checked (leap years,
 *  days of the month, a leap second :60 reads as the next second).
 *  @return 0 with *epochSeconds (seconds since 1970-01-01T00:00:00Z) set,
 *  CALQUE_EDATE when the text is not such a date, or CALQUE_EPARAM. */
CALQUELIB_API int calque_parseDate(const char *s, size_t len,
                                   int64_t *epochSeconds);

/*! calque_formatDate() :
 *  Writes @epochSeconds as "YYYY-MM-DDTHH:MM:SSZ" and a NUL into @dst
 *  (@cap >= CALQUE_DATE_SIZE bytes, owned by the caller).
 *  @return 20, or CALQUE_EPARAM (small @cap, a year outside 0..9999). */
CALQUELIB_API int calque_formatDate(int64_t epochSeconds, char *dst,
                                    size_t cap);

/*-************************************************************************
 *  5. Dedup: exact and near-duplicate documents
 **************************************************************************/
typedef struct {
    unsigned ngram;     /* words per shingle, default 5 */
    unsigned perms;     /* MinHash permutations, default 128 */
    uint64_t seed;      /* default 1 */
    double threshold;   /* Jaccard threshold, default 0.8 */
    unsigned bands;     /* LSH bands; 0 (default): optimal for threshold */
    unsigned rows;      /* LSH rows per band; 0: optimal */
    int verifyEstimate; /* 0 (default): verify pairs with the exact Jaccard
                           of the shingle sets, recomputed from the text;
                           1: with the signature estimate */
    int keepLongest;    /* 0 (default): the first document of a cluster
                           represents it; 1: the longest */
    int allPairs;       /* 1: verify every candidate pair so that
                           calque_dedupPair() lists them all; 0 (default):
                           skip pairs already joined by verified pairs */
    int keepAccents;    /* see calque_textOptions */
    unsigned threads;   /* worker threads, 0 (default): all cores */
    /* Optional progress report of calque_dedupFinish(), called from the
     * calling thread only. */
    void (*progress)(void *opaque, const char *phase, uint64_t done,
                     uint64_t total);
    void *progressOpaque;
} calque_dedupParams;

/*! calque_initDedupParams() : fills @p with the defaults. */
CALQUELIB_API void calque_initDedupParams(calque_dedupParams *p);

/*! calque_textSource :
 *  How calque_dedupFinish() gets a document's text back to verify pairs:
 *  fetch() copies the text of document @doc (0-based, in the order of
 *  calque_dedupAdd()) into @dst, whose capacity is the length given to
 *  calque_dedupAdd(), and returns 0, or a negative value on failure.
 *  It is called from several threads at once. */
typedef struct {
    int (*fetch)(void *opaque, uint64_t doc, char *dst, size_t len);
    void *opaque;
} calque_textSource;

typedef struct calque_dedup_s calque_dedup;

/*! calque_createDedup() :
 *  @return a dedup context, or NULL with *err set (CALQUE_EPARAM for bad
 *  parameters, CALQUE_ENOMEM, CALQUE_ETHREAD). */
CALQUELIB_API calque_dedup *calque_createDedup(const calque_dedupParams *p,
                                               const calque_customMem *mem,
                                               int *err);
CALQUELIB_API void calque_freeDedup(calque_dedup *d);

/*! calque_dedupAdd() :
 *  Adds the next document. @text is copied; the work is done by the
 *  worker threads. Memory kept per document is about 4*perms + 32 bytes.
 *  @return 0 or a negative code. */
CALQUELIB_API int calque_dedupAdd(calque_dedup *d, const char *text,
                                  size_t len);

/*! calque_dedupFinish() :
 *  Runs LSH, verifies candidate pairs and builds the clusters. @src is
 *  needed unless verifyEstimate is set (then it may be NULL).
 *  @return 0 or a negative code (CALQUE_ESOURCE when fetch failed). */
CALQUELIB_API int calque_dedupFinish(calque_dedup *d,
                                     const calque_textSource *src);

typedef struct {
    uint64_t cluster;  /* index of the cluster's representative */
    double similarity; /* Jaccard to the representative (1.0 for itself
                          and exact copies) */
    int duplicate;     /* 0 for the representative, 1 otherwise */
    int exact;         /* 1 when its normalised text equals the
                          representative's */
} calque_dedupInfo;

/*! calque_dedupResult() : after calque_dedupFinish(), the cluster of
 *  document @doc. @return 0, CALQUE_ENOTFOUND or CALQUE_ESTATE. */
CALQUELIB_API int calque_dedupResult(const calque_dedup *d, uint64_t doc,
                                     calque_dedupInfo *out);

/*! calque_dedupPairCount(), calque_dedupPair() : the verified pairs, a < b,
 *  sorted by (a, b). Exact copies pair with their representative. */
CALQUELIB_API uint64_t calque_dedupPairCount(const calque_dedup *d);
CALQUELIB_API int calque_dedupPair(const calque_dedup *d, uint64_t k,
                                   uint64_t *a, uint64_t *b,
                                   double *jaccard);

typedef struct {
    uint64_t documents;
    uint64_t exactDuplicates; /* documents equal to an earlier one */
    uint64_t nearDuplicates;  /* other duplicates */
    uint64_t clusters;        /* clusters of two or more documents */
    uint64_t candidatePairs;
    uint64_t verifiedPairs;   /* candidates at or above the threshold */
    uint64_t invalidUtf8;
    unsigned bands, rows;     /* the LSH parameters in use */
} calque_dedupStats;

/*! calque_dedupGetStats() : figures so far. */
CALQUELIB_API void calque_dedupGetStats(const calque_dedup *d,
                                        calque_dedupStats *s);

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

/*-************************************************************************
 *  7. Reuse: passages shared between documents
 **************************************************************************/
typedef struct {
    unsigned ngram;         /* words per seed n-gram, default 5 */
    double maxDf;           /* n-grams found in more documents than this
                               never seed a match: >= 1 is a count
                               (default 100), in (0, 1) a share of the
                               documents (at least 2) */
    unsigned minSeeds;      /* n-grams two documents must share to be
                               aligned, default 3 */
    unsigned minWords;      /* shorter passages are dropped, default 20 */
    double minIdentity;     /* passages have at least this identity,
                               default 0.9 (their spans then share >= 90%
                               of their words)... */
    double paraphraseIdentity; /* ...except in a pair with no such passage:
                               paraphrase, whose passages have at least
                               this identity, default 0.6 (>= minIdentity:
                               no paraphrase); one below minIdentity
                               rewords a phrase (one text has two words
                               more than the other in a stretch of unequal
                               words): word edits alone, as copies are
                               edited, keep minIdentity; and it never runs
                               across a sentence one text adds whole
                               (docs/reuse.md) */
    unsigned minGroupWords; /* two documents are in one group when their
                               passages total this many words, default 40 */
    int keepAccents;        /* see calque_textOptions */
    unsigned threads;       /* worker threads, 0 (default): all cores */
    /* Optional progress report of calque_reuseFinish(), called from the
     * calling thread only. */
    void (*progress)(void *opaque, const char *phase, uint64_t done,
                     uint64_t total);
    void *progressOpaque;
} calque_reuseParams;

/*! calque_initReuseParams() : fills @p with the defaults. */
CALQUELIB_API void calque_initReuseParams(calque_reuseParams *p);

typedef struct calque_reuse_s calque_reuse;

/*! calque_createReuse() :
 *  @p may be NULL for defaults; @mem may be NULL.
 *  @return a reuse context, or NULL with *err set (CALQUE_EPARAM for bad
 *  parameters, CALQUE_ENOMEM, CALQUE_ETHREAD). Free it with
 *  calque_freeReuse(). */
CALQUELIB_API calque_reuse *calque_createReuse(const calque_reuseParams *p,
                                               const calque_customMem *mem,
                                               int *err);

/*! calque_freeReuse() : releases @r and all results. Accepts NULL. */
CALQUELIB_API void calque_freeReuse(calque_reuse *r);

/*! calque_reuseAdd() :
 *  Adds the next document (numbered from 0 in the order of the calls).
 *  @text (UTF-8, @len < 2^32 bytes) is copied; worker threads tokenise it
 *  and index its distinct word n-grams. The text itself is not kept: it
 *  is fetched again at calque_reuseFinish(). Memory kept per document is
 *  8 bytes plus 8 bytes per distinct n-gram in the index.
 *  @return 0, CALQUE_ESTATE (after finish), CALQUE_ETOOBIG or
 *  CALQUE_ENOMEM. */
CALQUELIB_API int calque_reuseAdd(calque_reuse *r, const char *text,
                                  size_t len);

/*! calque_reuseFinish() :
 *  Finds the n-grams shared by 2 to maxDf documents, the pairs of
 *  documents sharing at least minSeeds of them, and aligns each such pair
 *  on texts fetched through @src (called from several threads at once)
 *  to find its passages; then builds the groups. Results do not depend
 *  on the thread count.
 *  @return 0, CALQUE_ESOURCE (fetch failed), CALQUE_ESTATE (called twice),
 *  CALQUE_ENOMEM or another code of the tokenizer. */
CALQUELIB_API int calque_reuseFinish(calque_reuse *r,
                                     const calque_textSource *src);

/*! calque_reusePairInfo :
 *  A pair of documents with at least one shared passage, a < b. */
typedef struct {
    uint64_t a, b;        /* documents, in the order they were added */
    double aCoverage;     /* share of a's words inside the passages */
    double bCoverage;     /* share of b's words inside the passages */
    uint64_t passages;    /* number of passages, >= 1 */
    uint64_t words;       /* total words of the passages */
} calque_reusePairInfo;

/*! calque_reusePassage :
 *  One passage: bytes [aStart, aEnd) of document a's ORIGINAL text match
 *  bytes [bStart, bEnd) of b's; each span starts at a word's first byte
 *  and ends after a word's last byte. */
typedef struct {
    uint64_t aStart, aEnd;
    uint64_t bStart, bEnd;
    uint64_t words;       /* words of the passage in the document where it
                             is longer */
    double identity;      /* equal words / alignment columns (equal and
                             substituted word pairs, words on one side) */
} calque_reusePassage;

/*! calque_reusePairCount() :
 *  @return the number of pairs found by calque_reuseFinish() (0 before). */
CALQUELIB_API uint64_t calque_reusePairCount(const calque_reuse *r);

/*! calque_reusePair() :
 *  Pair @k (0-based; pairs are sorted by (a, b)) into *out.
 *  @return 0, CALQUE_ENOTFOUND (k out of range) or CALQUE_ESTATE. */
CALQUELIB_API int calque_reusePair(const calque_reuse *r, uint64_t k,
                                   calque_reusePairInfo *out);

/*! calque_reusePassageAt() :
 *  Passage @k of pair @pair (passages sorted by aStart, then bStart).
 *  @return 0, CALQUE_ENOTFOUND or CALQUE_ESTATE. */
CALQUELIB_API int calque_reusePassageAt(const calque_reuse *r, uint64_t pair,
                                        uint64_t k, calque_reusePassage *out);

/*! calque_reuseDocInfo :
 *  A document's reuse group and how much of it is reused. */
typedef struct {
    uint64_t group;       /* index of the group's first document (itself
                             when it shares with no one): groups are the
                             connected components of the pairs whose
                             passages total >= minGroupWords words */
    uint64_t words;       /* words of the document */
    uint64_t reusedWords; /* its words inside any passage of any pair */
} calque_reuseDocInfo;

/*! calque_reuseDoc() :
 *  After calque_reuseFinish(), fills *out for document @doc.
 *  @return 0, CALQUE_ENOTFOUND or CALQUE_ESTATE. */
CALQUELIB_API int calque_reuseDoc(const calque_reuse *r, uint64_t doc,
                                  calque_reuseDocInfo *out);

typedef struct {
    uint64_t documents;
    uint64_t words;          /* tokens of all documents */
    uint64_t postings;       /* (document, distinct n-gram) entries */
    uint64_t distinctNgrams; /* distinct n-grams of the collection */
    uint64_t sharedNgrams;   /* n-grams in 2..maxDf documents */
    uint64_t frequentNgrams; /* n-grams in more than maxDf documents */
    uint64_t maxDf;          /* the document-frequency bound in use */
    uint64_t candidatePairs; /* pairs sharing >= minSeeds n-grams */
    uint64_t pairs;          /* candidate pairs with >= 1 passage */
    uint64_t passages;
    uint64_t groups;         /* groups of two or more documents */
    uint64_t boundedPairs;   /* pairs whose alignment hit a work bound */
    uint64_t indexBytes;     /* peak bytes of the n-gram index */
    uint64_t invalidUtf8;
    uint64_t alignedPairs;   /* candidate pairs whose shared n-grams form
                                two runs or one of minWords words: the
                                pairs aligned */
} calque_reuseStats;

/*! calque_reuseGetStats() : figures so far into *s. */
CALQUELIB_API void calque_reuseGetStats(const calque_reuse *r,
                                        calque_reuseStats *s);

/*-************************************************************************
 *  8. Clean: corpus-level boilerplate removal
 **************************************************************************/
/* Lines that recur across many documents of a collection (navigation,
 * cookie notices, share buttons, footers) are boilerplate. A first pass
 * counts, for every distinct line, the documents it occurs in
 * (calque_lineCounts); a second pass removes from each text the lines
 * found in at least minDocs documents (calque_cleaner). Lines are texts
 * between '\n' and are compared normalised (CCNet style): case folded,
 * accents, punctuation and symbols removed, each run of digits mapped to
 * one 0, whitespace collapsed, so "(c) 2023 Le Monde, 12 commentaires"
 * and "© 2024 LE MONDE - 345 commentaires" are one line. Lines without a letter or digit (blank, "* * *") are never
 * counted and never boilerplate. Any text repeated in minDocs documents
 * counts, including an article reprinted that often. */

typedef struct calque_lineCounts_s calque_lineCounts;

/*! calque_createLineCounts() :
 *  Makes an empty table of line counts.
 *  @maxLines bounds the distinct lines it holds (0: 64 Mi, at most 3e9):
 *  once that many are in, lines already there are still counted and new
 *  ones are dropped (and counted in droppedLines), so memory does not grow
 *  with the input. A slot takes 12 bytes (16 with @trackFirst) and at most
 *  3/4 of the slots are used: 16 bytes per distinct line in a full table
 *  (21.3 with @trackFirst), up to 1.5 times that while it grows.
 *  @trackFirst : 1 to also keep each line's first document, which
 *  calque_cleanParams.dedupLines needs.
 *  @mem may be NULL.
 *  @return the table, to free with calque_freeLineCounts(), or NULL with
 *  *err (may be NULL) set to CALQUE_EPARAM or CALQUE_ENOMEM. */
CALQUELIB_API calque_lineCounts *calque_createLineCounts(
    uint64_t maxLines, int trackFirst, const calque_customMem *mem,
    int *err);

/*! calque_freeLineCounts() : releases @lc. Accepts NULL. */
CALQUELIB_API void calque_freeLineCounts(calque_lineCounts *lc);

/*! calque_lineCountsAdd() :
 *  Counts the lines of document @doc: @text, @len bytes of UTF-8 (need
 *  not be NUL terminated; invalid bytes read as U+FFFD). A line that
 *  occurs several times in the document counts once. The first document
 *  of a line is the least @doc it was counted with; with trackFirst, @doc
 *  must be below UINT32_MAX. Not thread-safe: one table per thread, then
 *  calque_mergeLineCounts().
 *  @return 0, CALQUE_EPARAM or CALQUE_ENOMEM (the table stays usable). */
CALQUELIB_API int calque_lineCountsAdd(calque_lineCounts *lc, uint64_t doc,
                                       const char *text, size_t len);

/*! calque_mergeLineCounts() :
 *  Adds the counts of @src into @dst (counts add up, first documents take
 *  the least), within @dst's maxLines. For counting on several threads:
 *  each thread counts a disjoint share of the documents into its own
 *  table. @src is unchanged.
 *  @return 0, CALQUE_EPARAM (@dst tracks first documents and @src does
 *  not) or CALQUE_ENOMEM (@dst then holds part of @src). */
CALQUELIB_API int calque_mergeLineCounts(calque_lineCounts *dst,
                                         const calque_lineCounts *src);

/*! calque_lineHash() :
 *  @return the 64-bit hash of the normalised form of the line @line
 *  (@len bytes), as the table keys it; 0 when the line has no letter or
 *  digit. Thread-safe. */
CALQUELIB_API uint64_t calque_lineHash(const char *line, size_t len);

/*! calque_lineCountsGet() :
 *  @return the number of documents the line of hash @hash occurs in
 *  (saturating at UINT32_MAX), 0 when it was never counted or dropped.
 *  *firstDoc (@firstDoc may be NULL) gets its first document, UINT64_MAX
 *  when unknown. Thread-safe while nothing is added to @lc. */
CALQUELIB_API uint32_t calque_lineCountsGet(const calque_lineCounts *lc,
                                            uint64_t hash,
                                            uint64_t *firstDoc);

typedef struct {
    uint64_t documents;     /* documents counted, merged ones included */
    uint64_t lines;         /* lines with a letter or digit, repeats
                               included */
    uint64_t distinctLines; /* lines in the table */
    uint64_t droppedLines;  /* (line, document) counts lost: table full */
    uint64_t slots;         /* slots of the table */
    uint64_t tableBytes;    /* bytes of the table (12 or 16 a slot) */
} calque_lineCountsStats;

/*! calque_lineCountsGetStats() : figures of @lc into *s. */
CALQUELIB_API void calque_lineCountsGetStats(const calque_lineCounts *lc,
                                             calque_lineCountsStats *s);

typedef struct {
    unsigned minDocs; /* lines in at least this many documents are
                         boilerplate; default 10; 0: none (then only
                         dedupLines removes); 1 is invalid */
    int dedupLines;   /* 1: also remove every line already seen, in an
                         earlier document or earlier in this one (needs
                         trackFirst); default 0 */
    int blank;        /* 1: overwrite removed lines with spaces (their
                         newlines stay), so the text keeps its length and
                         every byte offset; default 0: take them out */
    int keepEmptied;  /* 1: leave a text unchanged when every line with a
                         letter or digit would go; default 0 */
} calque_cleanParams;

/*! calque_initCleanParams() : fills @p with the defaults. */
CALQUELIB_API void calque_initCleanParams(calque_cleanParams *p);

typedef struct calque_cleaner_s calque_cleaner;

/*! calque_createCleaner() :
 *  A cleaner judges lines by @lc, which it reads without copying: @lc
 *  must outlive it and nothing may be added to @lc while it cleans.
 *  Several cleaners (one per thread) may share one @lc.
 *  @p may be NULL for defaults, @mem may be NULL.
 *  @return the cleaner, to free with calque_freeCleaner(), or NULL with
 *  *err (may be NULL) set to CALQUE_EPARAM (no @lc, minDocs 1, or
 *  dedupLines without trackFirst) or CALQUE_ENOMEM. */
CALQUELIB_API calque_cleaner *calque_createCleaner(
    const calque_lineCounts *lc, const calque_cleanParams *p,
    const calque_customMem *mem, int *err);

/*! calque_freeCleaner() : releases @c. Accepts NULL. */
CALQUELIB_API void calque_freeCleaner(calque_cleaner *c);

/*! calque_cleanText() :
 *  Cleans document @doc (the number it was counted with), @text of @len
 *  bytes, into @dst, which has room for @len bytes (it may be @text
 *  itself), and sets *dstLen. A line goes when it has a letter or digit
 *  and occurs in minDocs or more documents, or, with dedupLines, was seen
 *  before. Kept lines keep their bytes. Unless blank is set, blank and
 *  punctuation-only lines next to removed ones go too, except the longest
 *  run of blank lines between two kept lines: no debris is left. The
 *  result depends only on @lc, @doc and @text: cleaning a text again, on
 *  any thread, gives the same bytes.
 *  @return 0, CALQUE_EPARAM or CALQUE_ENOMEM. */
CALQUELIB_API int calque_cleanText(calque_cleaner *c, uint64_t doc,
                                   const char *text, size_t len, char *dst,
                                   size_t *dstLen);

typedef struct {
    uint64_t documents;        /* texts cleaned */
    uint64_t lines;            /* their lines with a letter or digit */
    uint64_t boilerplateLines; /* removed: in minDocs or more documents */
    uint64_t repeatedLines;    /* removed: seen before (dedupLines) */
    uint64_t keptWhole;        /* texts left whole by keepEmptied */
    uint64_t bytesIn, bytesOut;
} calque_cleanStats;

/*! calque_cleanerGetStats() : what @c did so far into *s. */
CALQUELIB_API void calque_cleanerGetStats(const calque_cleaner *c,
                                          calque_cleanStats *s);

#ifdef __cplusplus
}
#endif
#endif /* CALQUE_H */
