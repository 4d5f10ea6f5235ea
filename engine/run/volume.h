/* volume.h: the volume baseline (the job's `volume` section; docs/volume.md). After a run,
 * each hour (or day) whose end the run's range passed is compared with the same hour of the
 * previous days in the table: under min_share (or over max_share) of their median is out of
 * band. Counts come from one query on the parent table (sl_sink_volume_read); rows and sums
 * are compared as exact decimals. The verdicts live in a fixed-size struct (no pointers) so a
 * run's summary can be copied whole, e.g. from `sluice serve`'s child to its status page. */
#ifndef SLUICE_VOLUME_H
#define SLUICE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "decimal.h"
#include "error.h"
#include "plan.h"

typedef struct sl_sink sl_sink;

enum { SL_VOLUME_KEEP = 8,    /* out-of-band buckets kept for the summary, alert and page */
       SL_VOLUME_TEXT = 48 }; /* a decimal's text kept in a verdict */

/* Where a bucket stands against its band. */
typedef enum sl_volume_side { SL_VOL_IN = 0, SL_VOL_LOW = -1, SL_VOL_HIGH = 1 } sl_volume_side;

/* One judged bucket. Times are the time column's civil time as epoch seconds (its zone's
 * wall clock read as UTC), so sl_time_format(start, 0, ...) prints it as the table holds it. */
typedef struct sl_volume_verdict {
    int64_t start;               /* the bucket's first second */
    int n_history;               /* previous days in its history */
    int64_t rows;
    char rows_median[24];        /* the history's median of rows ("92", "92.5") */
    sl_volume_side rows_side;
    char sum[SL_VOLUME_TEXT];    /* the sum column's sum, "" without one */
    char sum_median[SL_VOLUME_TEXT];
    sl_volume_side sum_side;
} sl_volume_verdict;

/* A run's verdicts. */
typedef struct sl_volume_result {
    bool checked;                /* the check ran; else skipped says why ("" without volume) */
    char skipped[96];
    int64_t by_s;                /* the plan's bucket: 3600 or 86400 */
    uint32_t judged;             /* buckets compared with their history */
    uint32_t out_of_band;
    uint32_t short_history;      /* not judged: fewer than min_history previous days */
    uint32_t zero_median;        /* not judged: the history's median is 0 (nothing to scale) */
    sl_volume_verdict out[SL_VOLUME_KEEP]; /* the first out-of-band buckets, oldest first */
    size_t n_out;
    bool has_latest;
    sl_volume_verdict latest;    /* the latest bucket judged, in band or not */
} sl_volume_result;

/* ---- the band (pure; unit-tested) ---- */

/* *twice = twice the median of v[0..n) (n >= 1; v is sorted in place), exactly: odd n, twice
 * the middle value; even n, the sum of the two middle ones. False past the decimal's digits. */
bool sl_volume_median2(sl_dec *v, size_t n, sl_dec *twice);
/* Where value stands against the band of the median (given twice): LOW when value < min_bp
 * x median, HIGH when max_bp > 0 and value > max_bp x median (shares in 1/100 of %). */
sl_volume_side sl_volume_band(const sl_dec *value, const sl_dec *twice, int64_t min_bp,
                              int64_t max_bp);

/* ---- the check ---- */

/* Judges the buckets whose end lies in (from, to] (epoch seconds, UTC; at most the last
 * history's worth) against plan->volume, reading the counts through sink; fills *out
 * (out->checked false with the reason when it could not). Returns SL_OK or the sink's
 * failure (described in err), which leaves the run's outcome alone. */
sl_status sl_volume_check(const sl_plan *plan, sl_sink *sink, int64_t from, int64_t to,
                          sl_volume_result *out, sl_error *err);

/* ---- as the outside world reads it ---- */

/* One bucket's verdict: "2024-01-09 14:00: 9 rows, under 20.00% of the median 93.5 (7 days)"
 * (and the sum's when the plan has one). */
void sl_volume_verdict_text(const sl_plan *plan, const sl_volume_verdict *v, char *buf,
                            size_t n);
/* The result in one line: "24 hours judged, 1 out of band, 2 not judged (history under 3
 * days)", or why it was skipped. */
void sl_volume_summary_text(const sl_plan *plan, const sl_volume_result *r, char *buf,
                            size_t n);
/* True when the run found a bucket out of band (what alerts.on: volume sends on). */
bool sl_volume_alarm(const sl_volume_result *r);
/* The summary's lines: "  volume      <summary>", then one line per out-of-band bucket. */
void sl_volume_print(const sl_plan *plan, const sl_volume_result *r, FILE *out);
/* The out-of-band buckets' verdicts joined by "; " into buf ("" when none). */
void sl_volume_failures(const sl_plan *plan, const sl_volume_result *r, char *buf, size_t n);
/* {"checked", "judged", "out_of_band", "not_judged", "buckets": [{"start", "rows",
 * "rows_median", "rows_side", ("sum", "sum_median", "sum_side")}]} (owned), NULL when out of
 * memory. */
json_t *sl_volume_json(const sl_plan *plan, const sl_volume_result *r);
/* The Prometheus lines of the result, labelled with labels (owned text), NULL when out of
 * memory. */
char *sl_volume_metrics(const sl_volume_result *r, const char *labels);

#endif
