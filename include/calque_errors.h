/*
 * calque_errors.h - the list of error codes of the calque library.
 *
 * Every status function of the library returns 0 on success or one of the
 * negative codes below. The values are pinned forever: new codes are only
 * ever appended.
 */
#ifndef CALQUE_ERRORS_H
#define CALQUE_ERRORS_H

#define CALQUE_LIST_ERRORS(X)                                                 \
    X(OK, 0, "no error")                                                      \
    X(NOMEM, 1, "out of memory")                                              \
    X(PARAM, 2, "invalid parameter")                                          \
    X(IO, 3, "input/output error")                                            \
    X(JSON, 4, "malformed JSON")                                              \
    X(FIELD, 5, "missing or non-string field")                                \
    X(NUL, 6, "NUL byte in text")                                             \
    X(TRUNCATED, 7, "truncated compressed input")                             \
    X(COMPRESSED, 8, "corrupt compressed input")                              \
    X(TOOBIG, 9, "record too large")                                          \
    X(STATE, 10, "call not allowed in this state")                            \
    X(SOURCE, 11, "text source callback failed")                              \
    X(WARC, 12, "malformed WARC record")                                      \
    X(THREAD, 13, "cannot start a thread")                                    \
    X(NOTFOUND, 14, "no such document")                                       \
    X(BINARY, 15, "binary content, not text")                                 \
    X(DATE, 16, "unparseable date")

typedef enum {
#define CALQUE_ERROR_ENUM_(name, value, text) CALQUE_E##name = -(value),
    CALQUE_LIST_ERRORS(CALQUE_ERROR_ENUM_)
#undef CALQUE_ERROR_ENUM_
} calque_error;

#endif /* CALQUE_ERRORS_H */
