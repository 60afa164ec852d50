/*
 * test_date.c - unit tests of calque_parseDate() and calque_formatDate():
 * ISO 8601, RFC 2822 and epoch notations, zones, leap years and leap
 * seconds, range limits, bad inputs, and a differential test against
 * glibc's timegm() on random dates.
 */
#include <time.h>

#include "calque.h"
#include "test.h"

/* Parses @s (NUL terminated) and writes the result as ISO, or "bad". */
static const char *iso(const char *s)
{
    static char out[CALQUE_DATE_SIZE];
    int64_t t = 0;
    int const rc = calque_parseDate(s, strlen(s), &t);
    if (rc != 0) {
        ASSERT_EQ(rc, CALQUE_EDATE);
        return "bad";
    }
    ASSERT_EQ(calque_formatDate(t, out, sizeof out), 20);
    return out;
}

static int64_t epoch(const char *s)
{
    int64_t t = 0;
    int const rc = calque_parseDate(s, strlen(s), &t);
    if (rc != 0) TEST_FAIL_("'%s' did not parse: %d", s, rc);
    return t;
}

TEST(date_iso8601)
{
    ASSERT_EQ(epoch("2026-03-03"), 1772496000);
    ASSERT_EQ(epoch("2026-03-03T10:00:00Z"), 1772532000);
    ASSERT_STR_EQ(iso("2026-03-03T10:00:00Z"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00:00+01:00"), "2026-03-03T09:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00:00+0100"), "2026-03-03T09:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00:00+01"), "2026-03-03T09:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00:00-05:30"), "2026-03-03T15:30:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03 10:00:07"), "2026-03-03T10:00:07Z");
    ASSERT_STR_EQ(iso("2026-03-03t10:00:07z"), "2026-03-03T10:00:07Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00:07.999Z"), "2026-03-03T10:00:07Z");
    ASSERT_STR_EQ(iso("2026-03-03T10:00:07,5+02:00"),
                  "2026-03-03T08:00:07Z");
    ASSERT_STR_EQ(iso("2026-03-03 10:00:00 UTC"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("20260303T100000Z"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("20260303T1000+0100"), "2026-03-03T09:00:00Z");
    ASSERT_STR_EQ(iso("  2026-03-03T10:00:00Z \n"), "2026-03-03T10:00:00Z");
    /* The zone moves the day, month and year. */
    ASSERT_STR_EQ(iso("2026-01-01T00:30:00+01:00"), "2025-12-31T23:30:00Z");
    ASSERT_STR_EQ(iso("2025-12-31T23:30:00-01:00"), "2026-01-01T00:30:00Z");
    /* Need not be NUL terminated: only len bytes are read. */
    int64_t t = 0;
    ASSERT_EQ(calque_parseDate("2026-03-03XYZ", 10, &t), 0);
    ASSERT_EQ(t, 1772496000);
}

TEST(date_leap_years_and_seconds)
{
    ASSERT_STR_EQ(iso("2024-02-29"), "2024-02-29T00:00:00Z");
    ASSERT_STR_EQ(iso("2000-02-29"), "2000-02-29T00:00:00Z");
    ASSERT_STR_EQ(iso("2023-02-29"), "bad");
    ASSERT_STR_EQ(iso("1900-02-29"), "bad");
    ASSERT_STR_EQ(iso("2100-02-29"), "bad");
    ASSERT_STR_EQ(iso("2024-02-30"), "bad");
    ASSERT_STR_EQ(iso("2024-04-31"), "bad");
    ASSERT_STR_EQ(iso("2024-12-31"), "2024-12-31T00:00:00Z");
    ASSERT_EQ(epoch("2024-03-01") - epoch("2024-02-28"), 2 * 86400);
    ASSERT_EQ(epoch("2023-03-01") - epoch("2023-02-28"), 86400);
    ASSERT_EQ(epoch("2001-01-01") - epoch("2000-01-01"), 366 * 86400);
    /* A leap second is the first second of the next minute; 24:00 is
     * the end of the day. */
    ASSERT_STR_EQ(iso("2016-12-31T23:59:60Z"), "2017-01-01T00:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T24:00:00Z"), "2026-03-04T00:00:00Z");
    ASSERT_STR_EQ(iso("2026-03-03T24:00:01Z"), "bad");
}

TEST(date_rfc2822)
{
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 +0100"),
                  "2026-03-03T09:00:00Z");
    ASSERT_EQ(epoch("Tue, 03 Mar 2026 10:00:00 +0100"), 1772528400);
    ASSERT_STR_EQ(iso("3 Mar 2026 10:00 GMT"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("Tuesday, 3 mar 2026 10:00:00 -0000"),
                  "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 EST"),
                  "2026-03-03T15:00:00Z");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 PDT"),
                  "2026-03-03T17:00:00Z");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 UT"),
                  "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 +0100 (CET)"),
                  "2026-03-03T09:00:00Z");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("03 Mar 26 10:00:00 +0000"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("03 Mar 99 10:00:00 +0000"), "1999-03-03T10:00:00Z");
    ASSERT_EQ(epoch("03 Mar 99 10:00:00 +0000"), 920455200);
    ASSERT_STR_EQ(iso("Sun, 01 Jan 2023 00:30:00 +0100"),
                  "2022-12-31T23:30:00Z");
    ASSERT_STR_EQ(iso("Mon, 29 Feb 2027 10:00:00 +0000"), "bad");
    ASSERT_STR_EQ(iso("Tue, 32 Mar 2026 10:00:00 +0000"), "bad");
    ASSERT_STR_EQ(iso("Tue, 03 Foo 2026 10:00:00 +0000"), "bad");
    ASSERT_STR_EQ(iso("Tue 03 Mar 2026 10:00:00 +0000"), "bad");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 +01"), "bad");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 CET"), "bad");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026 10:00:00 +0100 (CET"), "bad");
    ASSERT_STR_EQ(iso("Tue, 03 Mar 2026"), "bad");
}

TEST(date_epoch_seconds)
{
    ASSERT_STR_EQ(iso("0"), "1970-01-01T00:00:00Z");
    ASSERT_STR_EQ(iso("1772532000"), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso(" 1772532000.9 "), "2026-03-03T10:00:00Z");
    ASSERT_STR_EQ(iso("-1"), "1969-12-31T23:59:59Z");
    ASSERT_STR_EQ(iso("-1.5"), "1969-12-31T23:59:58Z");
    ASSERT_STR_EQ(iso("-1.0"), "1969-12-31T23:59:59Z");
    ASSERT_STR_EQ(iso("20260303"), "1970-08-23T11:51:43Z"); /* a number */
    ASSERT_STR_EQ(iso("253402300799"), "9999-12-31T23:59:59Z");
    ASSERT_STR_EQ(iso("253402300800"), "bad");
    ASSERT_STR_EQ(iso("-62167219200"), "0000-01-01T00:00:00Z");
    ASSERT_STR_EQ(iso("-62167219201"), "bad");
    ASSERT_STR_EQ(iso("99999999999999999999999"), "bad");
    ASSERT_STR_EQ(iso("1e9"), "bad");
    ASSERT_STR_EQ(iso("12."), "bad");
    ASSERT_STR_EQ(iso("--1"), "bad");
}

TEST(date_bad_inputs)
{
    static const char *const bad[] = {
        "", "   ", "yesterday", "2026-13-01", "2026-00-10",
        "2026-03-00", "2026-3-3", "2026-03-03T", "2026-03-03T10",
        "2026-03-03T25:00", "2026-03-03T10:60", "2026-03-03T10:00:61",
        "2026-03-03Tjunk", "2026-03-03 junk", "2026-03-03T10:00:00+25:00",
        "2026-03-03T10:00:00+01:60", "2026-03-03T10:00:00.Z",
        "2026-03-03T10:00:00Zjunk", "10000-01-01", "+0100",
        "2026/03/03", "03/03/2026", "20260303T", "2026-0303",
        "9999-12-31T23:59:59-01:00", "\xff\xfe", "2026-03-03\0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 42;
        size_t const n = i + 1 == sizeof bad / sizeof bad[0]
                             ? 11 /* with the NUL */
                             : strlen(bad[i]);
        int const rc = calque_parseDate(bad[i], n, &t);
        if (rc != CALQUE_EDATE)
            TEST_FAIL_("'%s' parsed (%d) as %lld", bad[i], rc,
                       (long long)t);
        ASSERT_EQ(t, 42); /* untouched */
    }
    int64_t t;
    ASSERT_EQ(calque_parseDate(NULL, 0, &t), CALQUE_EPARAM);
    ASSERT_EQ(calque_parseDate("0", 1, NULL), CALQUE_EPARAM);
    ASSERT_STR_EQ(calque_errorName(CALQUE_EDATE), "unparseable date");
}

TEST(date_format_limits)
{
    char out[CALQUE_DATE_SIZE];
    ASSERT_EQ(calque_formatDate(0, out, sizeof out), 20);
    ASSERT_STR_EQ(out, "1970-01-01T00:00:00Z");
    ASSERT_EQ(calque_formatDate(-62167219200LL, out, sizeof out), 20);
    ASSERT_STR_EQ(out, "0000-01-01T00:00:00Z");
    ASSERT_EQ(calque_formatDate(253402300799LL, out, sizeof out), 20);
    ASSERT_STR_EQ(out, "9999-12-31T23:59:59Z");
    ASSERT_EQ(calque_formatDate(253402300800LL, out, sizeof out),
              CALQUE_EPARAM);
    ASSERT_EQ(calque_formatDate(-62167219201LL, out, sizeof out),
              CALQUE_EPARAM);
    ASSERT_EQ(calque_formatDate(0, out, CALQUE_DATE_SIZE - 1), CALQUE_EPARAM);
    ASSERT_EQ(calque_formatDate(0, NULL, 64), CALQUE_EPARAM);
}

TEST(date_random_against_timegm)
{
    /* Random times from 1900 to 2199 written in each notation, checked
     * against glibc's timegm(), and round trips through formatDate. */
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
    uint64_t seed = 0x5EEDDA7E;
    for (int i = 0; i < 20000; i++) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = (int)(test_rand(&seed) % 300);
        tm.tm_mon = (int)(test_rand(&seed) % 12);
        tm.tm_mday = 1 + (int)(test_rand(&seed) % 28);
        tm.tm_hour = (int)(test_rand(&seed) % 24);
        tm.tm_min = (int)(test_rand(&seed) % 60);
        tm.tm_sec = (int)(test_rand(&seed) % 60);
        int const zone = (int)(test_rand(&seed) % (2 * 14 * 60 + 1)) -
                         14 * 60; /* minutes east */
        int64_t const want = (int64_t)timegm(&tm) - zone * 60;
        int const az = zone < 0 ? -zone : zone;
        char s[96];
        snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, zone < 0 ? '-' : '+', az / 60,
                 az % 60);
        ASSERT_EQ(epoch(s), want);
        snprintf(s, sizeof s, "%d %s %d %02d:%02d:%02d %c%02d%02d",
                 tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, zone < 0 ? '-' : '+', az / 60,
                 az % 60);
        ASSERT_EQ(epoch(s), want);
        char out[CALQUE_DATE_SIZE];
        ASSERT_EQ(calque_formatDate(want, out, sizeof out), 20);
        ASSERT_EQ(epoch(out), want);
        snprintf(s, sizeof s, "%lld", (long long)want);
        ASSERT_EQ(epoch(s), want);
    }
}
