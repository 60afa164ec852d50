/*
 * date.c - calque_parseDate() and calque_formatDate(): the dates of
 * documents (a JSONL field, WARC-Date) read in the usual notations and
 * written as ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ".
 *
 * How: a small hand-written parser per notation over a cursor, no locale,
 * no libc time functions (strptime and timegm depend on the locale and the
 * environment, and mktime on the time zone). Calendar dates become days
 * since 1970-01-01 with the days-from-civil formula of H. Hinnant
 * (proleptic Gregorian calendar), and back. The notation is chosen by the
 * first characters: four digits and '-' (or eight digits and 'T') start
 * ISO 8601, a number alone is epoch seconds, anything else is tried as
 * RFC 2822. Years are limited to 0000-9999 so that every date can be
 * written back in the fixed ISO form.
 */
#include "io/io.h"

/* Seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define MIN_EPOCH (-62167219200LL)
#define MAX_EPOCH (253402300799LL)

typedef struct {
    const char *p, *e; /* unread characters */
} cursor;

static int atEnd(const cursor *c)
{
    return c->p == c->e;
}

static int peek(const cursor *c)
{
    return c->p < c->e ? (unsigned char)*c->p : -1;
}

static int isDigitChar(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int isSpaceChar(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static void skipSpaces(cursor *c)
{
    while (c->p < c->e && isSpaceChar((unsigned char)*c->p)) c->p++;
}

/* Does the next character equal @ch? If so, consumes it. */
static int accept(cursor *c, int ch)
{
    if (peek(c) != ch) return 0;
    c->p++;
    return 1;
}

/* Reads exactly @n digits into *v. @return 1, or 0 (nothing consumed). */
static int digits(cursor *c, unsigned n, int *v)
{
    if ((size_t)(c->e - c->p) < n) return 0;
    int x = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!isDigitChar((unsigned char)c->p[i])) return 0;
        x = 10 * x + (c->p[i] - '0');
    }
    c->p += n;
    *v = x;
    return 1;
}

/* Reads 1 to @max digits into *v. @return how many were read. */
static unsigned someDigits(cursor *c, unsigned max, int *v)
{
    unsigned n = 0;
    int x = 0;
    while (n < max && isDigitChar(peek(c))) {
        x = 10 * x + (*c->p - '0');
        c->p++;
        n++;
    }
    *v = x;
    return n;
}

/* Skips a decimal fraction (',' or '.' then digits) if one follows. A
 * separator without digits is an error. @return 1, or 0 on error. */
static int skipFraction(cursor *c)
{
    if (peek(c) != '.' && peek(c) != ',') return 1;
    c->p++;
    if (!isDigitChar(peek(c))) return 0;
    while (isDigitChar(peek(c))) c->p++;
    return 1;
}

/* Does the text at the cursor start with the ASCII word @w, ignoring
 * case? If so, consumes it. */
static int acceptWord(cursor *c, const char *w)
{
    size_t const n = strlen(w);
    if ((size_t)(c->e - c->p) < n) return 0;
    for (size_t i = 0; i < n; i++)
        if ((c->p[i] | 0x20) != w[i]) return 0;
    c->p += n;
    return 1;
}

/* ---- Calendar ---------------------------------------------------------- */

static int isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int monthDays(int y, int m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
                                           31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; y >= 0). */
static int64_t daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t const era = (y >= 0 ? y : y - 399) / 400;
    int64_t const yoe = y - era * 400;
    int64_t const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse of daysFromCivil(). */
static void civilFromDays(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t const era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t const doe = z - era * 146097;
    int64_t const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t const mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Checks a broken-down time and turns it into epoch seconds, minus the
 * zone offset @zone (seconds east of UTC). Seconds may be 60 (a leap
 * second, read as the first second of the next minute) and the hour 24
 * when minutes and seconds are 0 (the end of the day).
 * @return 0, or CALQUE_EDATE when a field is out of range. */
static int toEpoch(int y, int mo, int d, int h, int mi, int s, int zone,
                   int64_t *t)
{
    RETURN_ERROR_IF(y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
                        d > monthDays(y, mo),
                    CALQUE_EDATE);
    RETURN_ERROR_IF(h > 24 || mi > 59 || s > 60 ||
                        (h == 24 && (mi != 0 || s != 0)),
                    CALQUE_EDATE);
    int64_t const v = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
                      s - zone;
    RETURN_ERROR_IF(v < MIN_EPOCH || v > MAX_EPOCH, CALQUE_EDATE);
    *t = v;
    return 0;
}

/* ---- ISO 8601 ---------------------------------------------------------- */

/* A zone: Z, +HH, +HHMM, +HH:MM (or '-'), or " UTC"/" GMT"; none is UTC.
 * @return 1 with *zone in seconds east, or 0. */
static int isoZone(cursor *c, int *zone)
{
    *zone = 0;
    if (atEnd(c)) return 1;
    if (accept(c, 'Z') || accept(c, 'z')) return 1;
    int const sign = peek(c);
    if (sign == '+' || sign == '-') {
        c->p++;
        int hh, mm = 0;
        if (!digits(c, 2, &hh)) return 0;
        if (accept(c, ':')) {
            if (!digits(c, 2, &mm)) return 0;
        } else if (isDigitChar(peek(c)) && !digits(c, 2, &mm)) {
            return 0;
        }
        if (hh > 23 || mm > 59) return 0;
        *zone = (sign == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        return 1;
    }
    skipSpaces(c);
    return acceptWord(c, "utc") || acceptWord(c, "gmt");
}

/* YYYY-MM-DD[(T| )HH:MM[:SS[.f]][zone]] or YYYYMMDDTHHMM[SS[.f]][zone]. */
static int parseIso(cursor *c, int64_t *t)
{
    int y, mo, d, h = 0, mi = 0, s = 0, zone = 0;
    if (!digits(c, 4, &y)) return CALQUE_EDATE;
    int const extended = accept(c, '-');
    if (!digits(c, 2, &mo)) return CALQUE_EDATE;
    if (extended && !accept(c, '-')) return CALQUE_EDATE;
    if (!digits(c, 2, &d)) return CALQUE_EDATE;
    if (!atEnd(c)) {
        int const sep = peek(c);
        if (sep != 'T' && sep != 't' && !(extended && sep == ' '))
            return CALQUE_EDATE;
        c->p++;
        if (!digits(c, 2, &h)) return CALQUE_EDATE;
        if (extended && !accept(c, ':')) return CALQUE_EDATE;
        if (!digits(c, 2, &mi)) return CALQUE_EDATE;
        if (extended ? accept(c, ':') : isDigitChar(peek(c))) {
            if (!digits(c, 2, &s)) return CALQUE_EDATE;
            if (!skipFraction(c)) return CALQUE_EDATE;
        }
        if (!isoZone(c, &zone)) return CALQUE_EDATE;
    } else if (!extended) {
        return CALQUE_EDATE; /* eight digits alone are epoch seconds */
    }
    if (!atEnd(c)) return CALQUE_EDATE;
    return toEpoch(y, mo, d, h, mi, s, zone, t);
}

/* ---- Epoch seconds ----------------------------------------------------- */

/* [-]digits[.digits]: seconds since 1970-01-01T00:00:00Z. A fraction is
 * dropped (towards the earlier second). */
static int parseEpoch(cursor *c, int64_t *t)
{
    int const neg = accept(c, '-');
    if (!isDigitChar(peek(c))) return CALQUE_EDATE;
    int64_t v = 0;
    while (isDigitChar(peek(c))) {
        v = 10 * v + (*c->p++ - '0');
        RETURN_ERROR_IF(v > MAX_EPOCH + 1, CALQUE_EDATE);
    }
    int const fraction = peek(c) == '.';
    int nonzero = 0;
    if (fraction) {
        c->p++;
        if (!isDigitChar(peek(c))) return CALQUE_EDATE;
        while (isDigitChar(peek(c))) nonzero |= *c->p++ != '0';
    }
    if (!atEnd(c)) return CALQUE_EDATE;
    if (neg) v = -v - (nonzero ? 1 : 0);
    RETURN_ERROR_IF(v < MIN_EPOCH || v > MAX_EPOCH, CALQUE_EDATE);
    *t = v;
    return 0;
}

/* ---- RFC 2822 ---------------------------------------------------------- */

static const char *const monthNames[12] = {"jan", "feb", "mar", "apr",
                                           "may", "jun", "jul", "aug",
                                           "sep", "oct", "nov", "dec"};
static const char *const dayNames[7][2] = {
    {"monday", "mon"},     {"tuesday", "tue"}, {"wednesday", "wed"},
    {"thursday", "thu"},   {"friday", "fri"},  {"saturday", "sat"},
    {"sunday", "sun"}};

/* RFC 2822 zones: +HHMM/-HHMM, UT, UTC, GMT, the US zones of RFC 822 and
 * the military letters (which RFC 2822 says to read as -0000: UTC).
 * @return 1 with *zone in seconds east, or 0. */
static int rfcZone(cursor *c, int *zone)
{
    static const struct {
        const char *name;
        int hours;
    } named[] = {{"utc", 0},  {"ut", 0},   {"gmt", 0},  {"est", -5},
                 {"edt", -4}, {"cst", -6}, {"cdt", -5}, {"mst", -7},
                 {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
    *zone = 0;
    int const sign = peek(c);
    if (sign == '+' || sign == '-') {
        c->p++;
        int hh, mm;
        if (!digits(c, 2, &hh) || !digits(c, 2, &mm)) return 0;
        if (hh > 23 || mm > 59) return 0;
        *zone = (sign == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        return 1;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (acceptWord(c, named[i].name)) {
            *zone = named[i].hours * 3600;
            return 1;
        }
    }
    int const ch = peek(c) | 0x20;
    if (ch >= 'a' && ch <= 'z' && ch != 'j') {
        c->p++;
        return 1;
    }
    return 0;
}

/* [Day,] D Mon YYYY HH:MM[:SS] zone [(comment)]. Two-digit years are
 * 2000-2049 and 1950-1999, three-digit ones 1900 + y (RFC 2822 4.3). A
 * missing zone is read as UTC. */
static int parseRfc2822(cursor *c, int64_t *t)
{
    for (int i = 0; i < 7; i++) {
        if (acceptWord(c, dayNames[i][0]) || acceptWord(c, dayNames[i][1])) {
            skipSpaces(c);
            if (!accept(c, ',')) return CALQUE_EDATE;
            skipSpaces(c);
            break;
        }
    }
    int d, mo = 0, y, h, mi, s = 0, zone = 0;
    if (someDigits(c, 2, &d) == 0) return CALQUE_EDATE;
    skipSpaces(c);
    for (int i = 0; i < 12 && mo == 0; i++)
        if (acceptWord(c, monthNames[i])) mo = i + 1;
    if (mo == 0) return CALQUE_EDATE;
    skipSpaces(c);
    unsigned const yd = someDigits(c, 4, &y);
    if (yd < 2) return CALQUE_EDATE;
    if (yd == 2) y += y < 50 ? 2000 : 1900;
    if (yd == 3) y += 1900;
    skipSpaces(c);
    if (!digits(c, 2, &h) || !accept(c, ':') || !digits(c, 2, &mi))
        return CALQUE_EDATE;
    if (accept(c, ':') && !digits(c, 2, &s)) return CALQUE_EDATE;
    skipSpaces(c);
    if (!atEnd(c) && peek(c) != '(' && !rfcZone(c, &zone))
        return CALQUE_EDATE;
    skipSpaces(c);
    if (accept(c, '(')) { /* a comment, e.g. "(CET)" */
        while (!atEnd(c) && peek(c) != ')') c->p++;
        if (!accept(c, ')')) return CALQUE_EDATE;
        skipSpaces(c);
    }
    if (!atEnd(c)) return CALQUE_EDATE;
    if (h == 24) return CALQUE_EDATE;
    return toEpoch(y, mo, d, h, mi, s, zone, t);
}

/* ---- Public ------------------------------------------------------------ */

/* Does the text start like an ISO date: YYYY- or YYYYMMDDT? */
static int looksIso(const cursor *c)
{
    size_t const n = (size_t)(c->e - c->p);
    for (size_t i = 0; i < 4; i++)
        if (i >= n || !isDigitChar((unsigned char)c->p[i])) return 0;
    if (n > 4 && c->p[4] == '-') return 1;
    for (size_t i = 4; i < 8; i++)
        if (i >= n || !isDigitChar((unsigned char)c->p[i])) return 0;
    return n > 8 && (c->p[8] == 'T' || c->p[8] == 't');
}

int calque_parseDate(const char *s, size_t len, int64_t *epochSeconds)
{
    RETURN_ERROR_IF(s == NULL || epochSeconds == NULL, CALQUE_EPARAM);
    cursor c = {s, s + len};
    skipSpaces(&c);
    while (c.e > c.p && isSpaceChar((unsigned char)c.e[-1])) c.e--;
    RETURN_ERROR_IF(atEnd(&c), CALQUE_EDATE);
    int64_t t = 0;
    int rc;
    if (looksIso(&c)) {
        rc = parseIso(&c, &t);
    } else {
        cursor e = c;
        rc = parseEpoch(&e, &t);
        if (rc != 0) rc = parseRfc2822(&c, &t);
    }
    if (rc == 0) *epochSeconds = t;
    return rc;
}

int calque_formatDate(int64_t t, char *dst, size_t cap)
{
    RETURN_ERROR_IF(dst == NULL || cap < CALQUE_DATE_SIZE, CALQUE_EPARAM);
    RETURN_ERROR_IF(t < MIN_EPOCH || t > MAX_EPOCH, CALQUE_EPARAM);
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int y, m, d;
    civilFromDays(days, &y, &m, &d);
    int const h = (int)(secs / 3600), mi = (int)(secs / 60 % 60),
              s = (int)(secs % 60);
    int const v[6] = {y, m, d, h, mi, s};
    static const char widths[6] = {4, 2, 2, 2, 2, 2};
    static const char after[6] = {'-', '-', 'T', ':', ':', 'Z'};
    char *o = dst;
    for (int i = 0; i < 6; i++) {
        int x = v[i];
        for (int k = widths[i] - 1; k >= 0; k--) {
            o[k] = (char)('0' + x % 10);
            x /= 10;
        }
        o += widths[i];
        *o++ = after[i];
    }
    *o = 0;
    return (int)(o - dst);
}
