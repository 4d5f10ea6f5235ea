/* serve_page.c: the status page: plain HTML with its style inline, no script and no outside
 * asset (the listener's Content-Security-Policy forbids both). Every text that comes from a
 * job file or a run is escaped; none of it holds a secret (run messages and reload errors are
 * redacted before they are kept). The plan's diagram shows what `sluice plan` shows: values
 * written in the job file (an endpoint, a header) as they are, secrets masked, and a value
 * read through a ${env:}/${file:} reference only as that reference, never the value. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"
#include "options.h"
#include "timeutil.h"

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}.ok{color:#176f2c}.bad{color:#b00020;font-weight:600}"
    ".note{color:#666}section{margin:1em 0 2em}"
    ".plan{font-size:13px}.stage{display:inline-block;border:1px solid #889;border-radius:4px;"
    "padding:.3em .6em;background:#fafafc;max-width:70em}.round,.store{border-radius:1em}"
    ".store{background:#eef4ff}.remark{background:#fff8dc;border:1px dashed #b8a36b;"
    "margin-top:.3em;padding:.2em .4em}.next{display:flex;gap:1.5em;align-items:flex-start}"
    ".arrow{color:#556;margin:.2em 0 .2em 1em}summary{color:#556}";

static void put_time(FILE *f, int64_t epoch_s)
{
    char t[20];
    if (epoch_s == INT64_MIN || epoch_s == INT64_MAX / 1000) {
        fputs("-", f);
        return;
    }
    sl_time_format(epoch_s, 0, t);
    fprintf(f, "%s UTC", t);
}

static void put_schedule(FILE *f, const sl_schedule_plan *s)
{
    if (s->every_ms) {
        char d[32];
        sl_duration_format(s->every_ms, d, sizeof d);
        fprintf(f, "every %s", d);
        return;
    }
    int off = s->tz_offset_s < 0 ? -s->tz_offset_s : s->tz_offset_s;
    fputs("cron <code>", f);
    sv_html_escape(f, s->cron_text);
    fprintf(f, "</code> at %c%02d:%02d", s->tz_offset_s < 0 ? '-' : '+', off / 3600,
            off / 60 % 60);
}

static void put_last_run(FILE *f, const sv_job *j)
{
    if (j->pid) {
        fputs("<td class=\"note\">running since ", f);
        put_time(f, j->started_ms / 1000);
        fputs("</td>", f);
        return;
    }
    if (!j->ran) {
        fputs("<td class=\"note\">none yet</td>", f);
        return;
    }
    fprintf(f, "<td><span class=\"%s\">%s</span> at ", j->last_status ? "bad" : "ok",
            sv_outcome_name(j->last_status));
    put_time(f, j->last_end_ms / 1000);
    fprintf(f, ", %" PRIu64 " rows, %" PRIu64 " rejects, %.1f s", j->last_rows,
            j->last_rejects, j->last_elapsed_s);
    const char *said[] = {j->last_message, j->last_quality, j->last_volume};
    const char *what[] = {"", "quality: ", "volume out of band: "};
    for (size_t k = 0; k < 3; k++) {
        if (!said[k][0])
            continue;
        fprintf(f, "<br><span class=\"bad\">%s", what[k]);
        sv_html_escape(f, said[k]);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

static void put_row(FILE *f, const sv_job *j, int64_t now_s)
{
    fputs("<tr><td>", f);
    sv_html_escape(f, j->who);
    fputs("<br><span class=\"note\">", f);
    sv_html_escape(f, j->file);
    fputs("</span>", f);
    if (j->reload_error) {
        fputs("<br><span class=\"bad\">the file no longer compiles, the previous plan runs: ", f);
        sv_html_escape(f, j->reload_error);
        fputs("</span>", f);
    }
    fputs("</td><td>", f);
    put_schedule(f, &j->plan->schedule);
    fputs("</td>", f);
    put_last_run(f, j);
    const sl_alert_plan *a = j->plan->alerts;
    int64_t lag = j->watermark == INT64_MIN ? 0 : now_s - j->watermark;
    if (j->watermark == INT64_MIN)
        fputs("<td class=\"note\">unknown</td>", f);
    else if (a && a->max_lag_ms && lag * 1000 > a->max_lag_ms)
        fprintf(f, "<td class=\"bad\">%" PRId64 " s (late)</td>", lag);
    else
        fprintf(f, "<td>%" PRId64 " s</td>", lag);
    fprintf(f, "<td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>", j->rows, j->rejects);
    put_time(f, j->next_ms / 1000);
    fputs("</td></tr>\n", f);
}

char *sv_page_html(const sv_service *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int64_t now_s = sv_now_ms() / 1000;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<title>sluice serve</title><style>%s</style></head><body>\n"
               "<h1>sluice serve</h1>\n<p class=\"note\">%zu jobs, %d running; started ",
            style, s->n_jobs, s->running);
    put_time(f, s->started_ms / 1000);
    fputs(", now ", f);
    put_time(f, now_s);
    fputs(". <a href=\"metrics\">metrics</a></p>\n<table id=\"jobs\"><tr><th>job</th>"
          "<th>schedule</th><th>last run</th><th>lag</th><th>rows</th><th>rejects</th>"
          "<th>next run</th></tr>\n", f);
    for (size_t i = 0; i < s->n_jobs; i++)
        put_row(f, &s->jobs[i], now_s);
    fputs("</table>\n", f);
    for (size_t i = 0; i < s->n_jobs; i++) {
        const sv_job *j = &s->jobs[i], *prev = i ? j - 1 : NULL;
        if (prev && j->account && prev->account && !strcmp(prev->plan->name, j->plan->name))
            continue; /* the accounts of a job share its diagram */
        fputs("<section class=\"job\"><h2>", f);
        sv_html_escape(f, j->plan->name);
        fputs("</h2>\n", f);
        sv_diagram_html(f, s->jobs[i].plan);
        fputs("</section>\n", f);
    }
    fputs("</body></html>\n", f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
