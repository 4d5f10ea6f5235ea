/* guess_emit.c: the job skeleton as YAML, laid out as the shipped mappings are: what the
 * replies showed is filled in, what they cannot show (the endpoint, the signer and its keys,
 * the request's parameter names) is a FILL-IN placeholder that still validates. */
#include <inttypes.h>
#include <string.h>

#include "guess_int.h"
#include "pii.h"
#include "kind.h"
#include "timeutil.h"

/* Plain is safe for s: no YAML syntax (in a flow collection, brackets are), no other type. */
static bool plain_ok(const char *s, bool flow)
{
    static const char *const words[] = {"true", "false", "null", "yes", "no", "on", "off",
                                        "y", "n"};
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.' || *p == '-' ||
              (!flow && (*p == '[' || *p == ']' || *p == '*'))))
            return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcasecmp(s, words[i]))
            return false;
    return true;
}

/* Writes s as a YAML scalar: plain when safe (in a flow collection when flow), else
 * double-quoted. */
static void gs_yaml_scalar(const char *s, bool flow, FILE *out)
{
    if (plain_ok(s, flow)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_duration(int64_t s, FILE *out)
{
    if (s > 0 && s % 86400 == 0)
        fprintf(out, "%" PRId64 "d", s / 86400);
    else if (s > 0 && s % 3600 == 0)
        fprintf(out, "%" PRId64 "h", s / 3600);
    else if (s > 0 && s % 60 == 0)
        fprintf(out, "%" PRId64 "m", s / 60);
    else
        fprintf(out, "%" PRId64 "s", s);
}

/* True when every reply came from a recorded file named after its window. */
static bool recorded(const gs_model *m)
{
    for (size_t i = 0; i < m->n_windows; i++)
        if (!m->windows[i].named)
            return false;
    return m->n_windows > 0;
}

int gs_window_tz(const gs_model *m)
{
    if (!recorded(m))
        return 0;
    int64_t off = -(m->windows[0].from % 86400);
    if (off < -12 * 3600) /* zones run from -12:00 to +14:00 */
        off += 86400;
    return off % 900 == 0 ? (int)off : 0;
}

/* The zone as a job writes it: "+08:00". */
static void tz_text(int off, char out[8])
{
    int a = off < 0 ? -off : off;
    snprintf(out, 8, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

static void put_header(const gs_model *m, const char *dir, const char *sample, FILE *out)
{
    fprintf(out, "# Guessed by `sluice guess` from %s%s%s: %zu %s, %zu records.\n",
            dir ? dir : "", dir && sample ? " and " : "", sample ? sample : "", m->n_replies,
            m->n_replies == 1 ? "reply" : "replies", m->n_records);
    fputs("# Before use: fill in every FILL-IN, check the key and each type against what the API\n"
          "# may send beyond these samples, then `sluice validate` this file.\n", out);
    if (!recorded(m))
        return;
    char a[20], b[20];
    sl_time_format(m->windows[0].from, gs_window_tz(m), a);
    sl_time_format(m->windows[m->n_windows - 1].to, gs_window_tz(m), b);
    fprintf(out, "# Offline, over the same replies:\n"
                 "#   sluice dry-run JOB.yml --replay %s --from \"%s\" --to \"%s\" "
                 "--max-windows %zu\n", dir, a, b, m->n_windows);
}

/* The env variable name for key: JOBNAME_KEY in upper case; returns the bytes written. */
static int put_env(const char *job, const char *key, FILE *out)
{
    fputs("${env:", out);
    for (const char *s = job; *s; s++)
        fputc(*s >= 'a' && *s <= 'z' ? *s - 32 : *s, out);
    fputc('_', out);
    for (const char *s = key; *s; s++)
        fputc(*s >= 'a' && *s <= 'z' ? *s - 32 : *s, out);
    fputc('}', out);
    return (int)(strlen(job) + strlen(key) + 8);
}

/* The signer: `none` (validates anywhere), then each kind from the registry, commented out,
 * with its secrets as references and its other required keys as FILL-IN. */
static void put_signer(const char *job, FILE *out)
{
    const sl_kind_family *f = &sl_kinds_signer;
    fputs("  signer:                                    # FILL-IN: how requests are signed\n"
          "    type: none\n", out);
    for (size_t k = 0; k < f->n_kinds; k++) {
        const sl_kind *kd = f->kinds[k];
        if (!kd->opts || kd->opts->n_rows == 0)
            continue;
        fprintf(out, "    # type: %s\n", kd->name);
        for (size_t r = 0; r < kd->opts->n_rows; r++) {
            const sl_opt *row = &kd->opts->rows[r];
            if (row->type == SL_T_SECRET) {
                fprintf(out, "    # %s: ", row->key);
                put_env(job, row->key, out);
                fputc('\n', out);
            } else if (row->flags & SL_OF_REQUIRED) {
                fprintf(out, "    # %s: FILL-IN\n", row->key);
            }
        }
    }
}

static void put_window(const gs_model *m, FILE *out)
{
    char tz[8];
    tz_text(gs_window_tz(m), tz);
    fputs("  window:\n"
          "    from_param: FILL-IN-from                 # request parameter of a window's start\n"
          "    to_param: FILL-IN-to                     # and of its end\n"
          "    format: \"%Y-%m-%d %H:%M:%S\"\n", out);
    fprintf(out, "    timezone: \"%s\"%s\n", tz,
            recorded(m) ? "                       # the recorded windows start at midnight there"
                        : "");
    if (!recorded(m)) {
        fputs("    start: \"2024-01-01 00:00:00\"           # FILL-IN: the first instant to sync\n"
              "    max_span: 1d\n", out);
        return;
    }
    char a[20];
    sl_time_format(m->windows[0].from, gs_window_tz(m), a);
    fprintf(out, "    start: \"%s\"           # the first recorded window's start\n", a);
    int64_t span = 0, overlap = 0;
    for (size_t i = 0; i + 1 < m->n_windows; i++) /* the last window may end early */
        if (m->windows[i].to - m->windows[i].from > span)
            span = m->windows[i].to - m->windows[i].from;
    int64_t first = m->windows[0].to - m->windows[0].from;
    if (m->n_windows == 1) /* one window: any span that holds it; a day, if that does */
        span = first < 86400 ? 86400 : first;
    else if (m->windows[0].to > m->windows[1].from)
        overlap = m->windows[0].to - m->windows[1].from;
    fputs("    max_span: ", out);
    put_duration(span, out);
    fputs("\n    overlap: ", out);
    put_duration(overlap < span ? overlap : 0, out);
    fputc('\n', out);
}

static void put_paging(const gs_model *m, FILE *out)
{
    size_t size = 0;
    int64_t first = recorded(m) ? 1 : 0;
    for (size_t i = 0; i < m->n_windows; i++) {
        size = m->windows[i].page_size > size ? m->windows[i].page_size : size;
        if (m->windows[i].min_page < first)
            first = m->windows[i].min_page < 0 ? 0 : m->windows[i].min_page;
    }
    const char *why = "records on a full page";
    if (size == 0) {
        size = m->max_page_records > 50 ? m->max_page_records : 50;
        why = "no reply was followed by a next page: check";
    }
    fputs("  paging:\n"
          "    page_param: FILL-IN-page                 # request parameter of the page number\n"
          "    size_param: FILL-IN-size                 # and of the page size\n", out);
    fprintf(out, "    first_page: %" PRId64 "\n"
                 "    size: %-35zu# %s\n", first, size, why);
    const gs_total *t = gs_best_total(m);
    fputs("    total: ", out);
    gs_yaml_scalar(t ? t->path : "FILL-IN", false, out);
    if (t)
        fprintf(out, "    # in every reply, never below its records; equal to them in %zu of %zu "
                     "windows\n", t->exact, m->n_windows);
    else
        fputs("    # no integer of every reply was a count of its records\n", out);
    fputs("  records: ", out);
    gs_yaml_scalar(m->records, false, out);
    fputs("    # the list of objects the replies hold\n", out);
}

static void put_source(const gs_model *m, const char *job, FILE *out)
{
    fputs("source:\n  endpoint: ", out);
    int n = put_env(job, "endpoint", out);
    fprintf(out, "%*s", n < 33 ? 33 - n : 1, "");
    fputs("# FILL-IN: the API's URL, in the environment\n"
          "  method: FILL-IN                            # the API method, if it takes one\n", out);
    put_signer(job, out);
    fputs("  params: {}                                 # static request parameters\n", out);
    put_window(m, out);
    put_paging(m, out);
    fputs("  # errors: rules reading failure out of a reply (docs/job-format.md, `errors`)\n\n",
          out);
}

/* One column: { path, type, options } and a comment with sample values; a column that looks
 * like personal data is written `personal: clear` for the user to decide, without samples. */
static void put_column(const gs_field *f, bool key, int width, const char *tz, const char *indent,
                       FILE *out)
{
    gs_verdict v;
    gs_type_verdict(&f->type, &v);
    fputs(indent, out);
    gs_yaml_scalar(f->name, false, out);
    fprintf(out, ":%*s{ path: ", width - (int)strlen(f->name) - (plain_ok(f->name, true) ? 0 : 2),
            "");
    gs_yaml_scalar(f->path, true, out);
    fputs(", type: ", out);
    gs_yaml_scalar(v.type, true, out);
    if (v.from)
        fprintf(out, ", from: %s", v.from);
    if (v.timezone)
        fprintf(out, ", timezone: \"%s\"", tz);
    if (key)
        fputs(", required: true", out);
    const char *pii = sl_pii_kind(f->name);
    if (pii) { /* its samples are personal data: not copied into a job file */
        fprintf(out, ", personal: clear }  # looks like %s: mask, hash or drop it "
                     "(docs/personal-data.md)", pii);
        if (v.note)
            fprintf(out, " (%s)", v.note);
        fputc('\n', out);
        return;
    }
    fputs(" }", out);
    if (f->type.n_samples) {
        fputs("  # e.g. ", out);
        for (size_t i = 0; i < f->type.n_samples; i++)
            fprintf(out, "%s%s", i ? ", " : "", f->type.samples[i]);
    }
    if (v.note)
        fprintf(out, "%s(%s)", f->type.n_samples ? " " : "  # ", v.note);
    fputc('\n', out);
}

static int name_width(const gs_table *t, const char *extra)
{
    size_t w = extra ? strlen(extra) : 0;
    for (size_t i = 0; i < t->n_fields; i++)
        w = strlen(t->fields[i].name) > w ? strlen(t->fields[i].name) : w;
    return (int)w + 1;
}

/* A field whose path a child table's `each` covers (a list that was empty in some records). */
static bool shadowed(const gs_model *m, const gs_field *f)
{
    size_t n = strlen(f->path);
    for (size_t i = 1; i < m->n_tables; i++)
        if (!strncmp(m->tables[i].each, f->path, n) && !strcmp(m->tables[i].each + n, "[*]"))
            return true;
    return false;
}

static void put_columns(const gs_model *m, const gs_table *t, size_t key, const char *extra,
                        const char *indent, FILE *out)
{
    int w = name_width(t, extra);
    char tz[8];
    tz_text(gs_window_tz(m), tz);
    for (size_t i = 0; i < t->n_fields; i++)
        if (t != m->tables || !shadowed(m, &t->fields[i]))
            put_column(&t->fields[i], i == key, w, tz, indent, out);
    if (t->n_dropped)
        fprintf(out, "%s# more fields were left out: a table holds at most 1000 here\n", indent);
}

/* The name of the child column copying the parent key: the key's name, unless taken. */
static void parent_col(const gs_table *t, const char *pkey, char *out, size_t cap)
{
    snprintf(out, cap, "%s", pkey);
    for (size_t i = 0; i < t->n_fields; i++)
        if (!strcmp(t->fields[i].name, out)) {
            snprintf(out, cap, "parent_%.55s", pkey);
            i = (size_t)-1;
        }
}

static void put_child(const gs_model *m, const gs_table *t, const char *pkey, FILE *out)
{
    char pcol[72];
    parent_col(t, pkey, pcol, sizeof pcol);
    size_t key = gs_table_key(t);
    fputs("  - table: ", out);
    gs_yaml_scalar(t->name, false, out);
    fputs("\n    each: ", out);
    gs_yaml_scalar(t->each, false, out);
    if (key != SIZE_MAX) {
        fputs("\n    key: [", out);
        gs_yaml_scalar(t->fields[key].name, true, out);
        fprintf(out, "]%*s# no two items share a value (%zu seen)\n", 8, "", t->n_items);
    } else {
        fputs("\n    key: [", out);
        gs_yaml_scalar(pcol, true, out);
        fputs(", ", out);
        gs_yaml_scalar(t->fields[0].name, true, out);
        fputs("]    # FILL-IN: no item field was unique: choose the key\n", out);
    }
    fputs("    columns:\n", out);
    put_columns(m, t, key, pcol, "      ", out);
    int w = name_width(t, pcol);
    fputs("      ", out);
    gs_yaml_scalar(pcol, false, out);
    fprintf(out, ":%*s{ from_parent: ", w - (int)strlen(pcol) - (plain_ok(pcol, true) ? 0 : 2),
            "");
    gs_yaml_scalar(pkey, true, out);
    fputs(" }\n", out);
}

void gs_emit(const gs_model *m, const char *dir, const char *sample, FILE *out)
{
    const gs_table *p = &m->tables[0];
    size_t key = gs_table_key(p);
    const char *pkey = p->fields[key == SIZE_MAX ? 0 : key].name;
    put_header(m, dir, sample, out);
    fputs("version: 1\nname: ", out);
    gs_yaml_scalar(p->name, false, out);
    fputs("\n\n", out);
    put_source(m, p->name, out);
    fputs("target:\n  dsn: ${env:SLUICE_DB}\n  table: ", out);
    gs_yaml_scalar(p->name, false, out);
    fputs("\n  key: [", out);
    gs_yaml_scalar(pkey, true, out);
    if (key != SIZE_MAX)
        fprintf(out, "]    # no two records share a value (%zu seen)\n", p->n_items);
    else
        fputs("]    # FILL-IN: no field was unique in every record: choose the key\n", out);
    fputs("\ncolumns:\n", out);
    put_columns(m, p, key, NULL, "  ", out);
    bool any = false;
    for (size_t i = 1; i < m->n_tables; i++) { /* items that were all {} have no columns */
        if (m->tables[i].n_fields == 0)
            continue;
        if (!any)
            fputs("\nchildren:\n", out);
        any = true;
        put_child(m, &m->tables[i], pkey, out);
    }
}
