/*
 * test.h - a small unit-test framework. A test is
 *
 *     TEST(tokenize_ascii) { ASSERT_EQ(1, 1); }
 *
 * in any .c file of tests/unit; it registers itself. The runner (runner.c)
 * runs each test in a child process with a time limit. Assertions print
 * both values and the place, then fail the test.
 */
#ifndef CALQUE_TEST_H
#define CALQUE_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn, const char *file);

#define TEST(name)                                                            \
    static void test_##name(void);                                            \
    __attribute__((constructor)) static void test_reg_##name(void)            \
    {                                                                         \
        test_register(#name, test_##name, __FILE__);                          \
    }                                                                         \
    static void test_##name(void)

#define TEST_FAIL_(...)                                                       \
    do {                                                                      \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                     \
        fprintf(stderr, __VA_ARGS__);                                         \
        fprintf(stderr, "\n");                                                \
        exit(1);                                                              \
    } while (0)

#define ASSERT(c)                                                             \
    do {                                                                      \
        if (!(c)) TEST_FAIL_("assertion failed: %s", #c);                     \
    } while (0)
#define ASSERT_EQ(a, b)                                                       \
    do {                                                                      \
        long long const a_ = (long long)(a), b_ = (long long)(b);             \
        if (a_ != b_)                                                         \
            TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_);             \
    } while (0)
#define ASSERT_U64_EQ(a, b)                                                   \
    do {                                                                      \
        uint64_t const a_ = (uint64_t)(a), b_ = (uint64_t)(b);                \
        if (a_ != b_)                                                         \
            TEST_FAIL_("%s == %s: %" PRIu64 " != %" PRIu64, #a, #b, a_, b_);  \
    } while (0)
#define ASSERT_NE(a, b)                                                       \
    do {                                                                      \
        long long const a_ = (long long)(a), b_ = (long long)(b);             \
        if (a_ == b_) TEST_FAIL_("%s != %s: both %lld", #a, #b, a_);          \
    } while (0)
#define ASSERT_NEAR(a, b, eps)                                                \
    do {                                                                      \
        double const a_ = (a), b_ = (b);                                      \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                          \
            TEST_FAIL_("%s ~ %s: %g vs %g (eps %g)", #a, #b, a_, b_,          \
                       (double)(eps));                                        \
    } while (0)
#define ASSERT_STR_EQ(a, b)                                                   \
    do {                                                                      \
        const char *const a_ = (a), *const b_ = (b);                          \
        if (strcmp(a_, b_) != 0)                                              \
            TEST_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_, b_);         \
    } while (0)
#define ASSERT_MEM_EQ(a, b, n)                                                \
    do {                                                                      \
        if (memcmp((a), (b), (n)) != 0)                                       \
            TEST_FAIL_("%s == %s: \"%.*s\" != \"%.*s\"", #a, #b, (int)(n),    \
                       (const char *)(a), (int)(n), (const char *)(b));       \
    } while (0)

/* A deterministic generator for tests (xorshift64*). */
static inline uint64_t test_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

#endif
