/*
 * error.c - names of error codes and the library version.
 */
#include "common/common.h"

const char *calque_errorName(int code)
{
    switch (code) {
#define CALQUE_ERROR_CASE_(name, value, text)                                 \
    case -(value): return text;
        CALQUE_LIST_ERRORS(CALQUE_ERROR_CASE_)
#undef CALQUE_ERROR_CASE_
    default: return "unknown error";
    }
}

unsigned calque_versionNumber(void)
{
    return CALQUE_VERSION_NUMBER;
}
