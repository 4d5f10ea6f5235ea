/* check.h: a minimal assertion kit for unit tests; main() returns check_done(). */
#ifndef SLUICE_CHECK_H
#define SLUICE_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failed_count;
static int check_total_count;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        check_total_count++;                                                         \
        if (!(cond)) {                                                               \
            check_failed_count++;                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_STR(got, want)                                                          \
    do {                                                                              \
        const char *check_g_ = (got), *check_w_ = (want);                             \
        check_total_count++;                                                          \
        if (!check_g_ || strcmp(check_g_, check_w_) != 0) {                           \
            check_failed_count++;                                                     \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,   \
                    check_g_ ? check_g_ : "(null)", check_w_);                        \
        }                                                                             \
    } while (0)

static inline int check_done(void)
{
    printf("%d checks, %d failed\n", check_total_count, check_failed_count);
    return check_failed_count ? 1 : 0;
}
#endif
