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

enum { STEPS = 200 }; /* Simpson intervals over [0, 1] */

/* Simpson weight of point i of STEPS. */
static double weight(int i)
{
    return (i == 0 || i == STEPS) ? 1.0 : (i % 2 ? 4.0 : 2.0);
}

int calque_lshOptimal(double threshold, unsigned perms, double fpWeight,
                      double fnWeight, unsigned *bands, unsigned *rows)
{
    RETURN_ERROR_IF(!(threshold > 0.0 && threshold <= 1.0), CALQUE_EPARAM);
    RETURN_ERROR_IF(perms == 0 || perms > 4096, CALQUE_EPARAM);
    RETURN_ERROR_IF(!(fpWeight >= 0.0 && fnWeight >= 0.0), CALQUE_EPARAM);
    /* The integrals are over [0, T] and [T, 1]: on a grid of STEPS over
     * [0, 1], points below T count for the false positives, the others
     * for the false negatives (T rounded to the grid). For each r, the
     * miss probability (1 - s^r)^b is built up by one multiplication per
     * b, so no pow() is needed. */
    double s[STEPS + 1], miss[STEPS + 1], keep[STEPS + 1];
    for (int i = 0; i <= STEPS; i++) s[i] = (double)i / STEPS;
    double best = INFINITY;
    unsigned bb = 1, br = perms;
    for (unsigned r = 1; r <= perms; r++) {
        for (int i = 0; i <= STEPS; i++) {
            double sr = 1.0;
            for (unsigned k = 0; k < r; k++) sr *= s[i];
            keep[i] = 1.0 - sr; /* one band misses */
            miss[i] = 1.0;
        }
        for (unsigned b = 1; b <= perms / r; b++) {
            double fp = 0.0, fn = 0.0;
            for (int i = 0; i <= STEPS; i++) {
                miss[i] *= keep[i];
                double const p = 1.0 - miss[i]; /* a candidate */
                if (s[i] < threshold) fp += weight(i) * p;
                else fn += weight(i) * (1.0 - p);
            }
            double const err = (fpWeight * fp + fnWeight * fn) / (3.0 * STEPS);
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
