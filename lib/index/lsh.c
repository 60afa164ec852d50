/*
 * lsh.c - choice of the LSH banding for a Jaccard threshold.
 *
 * With b bands of r rows, two sets of Jaccard s share at least one band
 * with probability 1 - (1 - s^r)^b. As datasketch does, we pick the (b, r)
 * with b * r <= K that minimises the weighted areas of false positives
 * (that curve integrated over [0, T]) and false negatives (its complement
 * integrated over [T, 1]). Integrals use Simpson's rule.
 */
#include <math.h>

#include "common/common.h"

static double collide(double s, unsigned b, unsigned r)
{
    return 1.0 - pow(1.0 - pow(s, (double)r), (double)b);
}

/* Simpson's rule of f(s) or 1 - f(s) over [lo, hi]. */
static double integrate(double lo, double hi, unsigned b, unsigned r,
                        int complement)
{
    enum { STEPS = 200 };
    double const h = (hi - lo) / STEPS;
    double sum = 0.0;
    for (int i = 0; i <= STEPS; i++) {
        double const s = lo + h * i;
        double f = collide(s, b, r);
        if (complement) f = 1.0 - f;
        double const w = (i == 0 || i == STEPS) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        sum += w * f;
    }
    return sum * h / 3.0;
}

int calque_lshOptimal(double threshold, unsigned perms, double fpWeight,
                      double fnWeight, unsigned *bands, unsigned *rows)
{
    RETURN_ERROR_IF(!(threshold > 0.0 && threshold <= 1.0), CALQUE_EPARAM);
    RETURN_ERROR_IF(perms == 0 || perms > 4096, CALQUE_EPARAM);
    RETURN_ERROR_IF(!(fpWeight >= 0.0 && fnWeight >= 0.0), CALQUE_EPARAM);
    double best = INFINITY;
    unsigned bb = 1, br = perms;
    for (unsigned b = 1; b <= perms; b++) {
        for (unsigned r = 1; r <= perms / b; r++) {
            double const fp = integrate(0.0, threshold, b, r, 0);
            double const fn = integrate(threshold, 1.0, b, r, 1);
            double const err = fpWeight * fp + fnWeight * fn;
            if (err < best) {
                best = err;
                bb = b;
                br = r;
            }
        }
    }
    *bands = bb;
    *rows = br;
    return 0;
}
