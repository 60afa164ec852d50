/*
 * calque.h - public API of the calque library.
 *
 * calque finds copies, reused passages, stories and threads in large
 * collections of news and web text. The library is organised in levels:
 *
 *   1. Basics: version, errors, memory hooks.
 *   2. Text: normalisation, tokens with byte spans, shingles.
 *   3. Sketches: MinHash signatures, LSH parameters, Jaccard.
 *   4. Input: streaming readers for JSONL, text, gzip and zstd.
 *   5. Dedup: exact and near-duplicate clustering of a whole collection.
 *   7. Reuse: passages shared between documents, with byte offsets.
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
    CALQUE_FORMAT_TEXT      /* the whole file is one document */
} calque_format;

typedef struct {
    calque_format format;
    const char *idField;   /* JSONL id field, default "id" */
    const char *textField; /* JSONL text field, default "text" */
    size_t maxRecord;      /* largest record in bytes, default 1 GiB */
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
                         for JSONL, the whole file for text */
    size_t rawLen;
    uint64_t number;  /* 1-based record number within this input */
    uint64_t line;    /* 1-based line where the record starts */
} calque_record;

typedef struct calque_reader_s calque_reader;

/*! calque_openReader() :
 *  Reads from file descriptor @fd (which the reader does not close),
 *  decompressing gzip and zstd on the fly (recognised by their magic
 *  bytes). @name is used to guess the format when opt->format is AUTO
 *  (".jsonl", ".json", ".ndjson", optionally followed by ".gz"/".zst",
 *  are JSONL; other names are text) and may be NULL (JSONL).
 *  Memory grows only with the largest record, never with the input.
 *  @return the reader, or NULL with *err set. */
CALQUELIB_API calque_reader *calque_openReader(int fd, const char *name,
                                               const calque_readerOptions *opt,
                                               const calque_customMem *mem,
                                               int *err);
CALQUELIB_API void calque_freeReader(calque_reader *r);

/*! calque_readRecord() :
 *  @return 1 with *rec filled, 0 at the end of the input, or a negative
 *  code. After CALQUE_EJSON, CALQUE_EFIELD or CALQUE_ETOOBIG the reader is
 *  positioned after the bad record and may be called again (that record
 *  is skipped); after other errors the input cannot be read further.
 *  calque_readerLine() and calque_readerDetail() describe the error. */
CALQUELIB_API int calque_readRecord(calque_reader *r, calque_record *rec);

/*! calque_readerLine() :
 *  @return the 1-based line of the last record read or of the error. */
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
 *  of the last JSONL record start (0 for text). With calque_recordText()
 *  this lets a caller get a text back later from a plain file instead of
 *  keeping it. */
CALQUELIB_API uint64_t calque_readerOffset(const calque_reader *r);

/*! calque_readerCompressed() :
 *  @return 1 when the input is gzip or zstd (known once a record was
 *  read), 0 otherwise. */
CALQUELIB_API int calque_readerCompressed(const calque_reader *r);

/*! calque_recordText() :
 *  Extracts the text of one record again from its raw bytes, exactly as
 *  the reader did: @raw is a JSONL line (without its newline) read with
 *  options @opt, or the contents of a text file when opt->format is
 *  CALQUE_FORMAT_TEXT. Writes the text into @dst (capacity @dstCap, owned
 *  by the caller) and its length into *len. Allocates scratch of about
 *  4 * rawLen bytes through @mem (may be NULL) and frees it.
 *  @return 0, CALQUE_EJSON, CALQUE_EFIELD, CALQUE_ETOOBIG (dstCap too
 *  small) or CALQUE_ENOMEM. */
CALQUELIB_API int calque_recordText(const calque_readerOptions *opt,
                                    const char *raw, size_t rawLen, char *dst,
                                    size_t dstCap, size_t *len,
                                    const calque_customMem *mem);

/*! calque_readerInvalidUtf8() :
 *  @return invalid UTF-8 sequences replaced by U+FFFD in texts so far. */
CALQUELIB_API uint64_t calque_readerInvalidUtf8(const calque_reader *r);

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
                               of their words); 0.6 also finds paraphrase */
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
} calque_reuseStats;

/*! calque_reuseGetStats() : figures so far into *s. */
CALQUELIB_API void calque_reuseGetStats(const calque_reuse *r,
                                        calque_reuseStats *s);

#ifdef __cplusplus
}
#endif
#endif /* CALQUE_H */
