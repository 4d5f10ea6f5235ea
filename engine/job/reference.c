/* reference.c: the JSON Schema (schemas/job.schema.json) and the Markdown reference
 * (docs/job-format.md, and so `sluice gen man5`) generated from the option tables, each
 * typed section's kinds from their descriptors. See reference.h. */
#include "reference.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "convert.h"
#include "expr.h"
#include "job_options.h"
#include "jpath.h"
#include "kind.h"
#include "regex.h"
#include "timeutil.h"
#include "yaml_load.h"

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const sl_opt_table no_keys = {"", "", NULL, 0}; /* a kind without keys of its own */

/* ---- JSON Schema ----------------------------------------------------------------------- */

static json_t *schema_of_table(const sl_opt_table *t);
static json_t *schema_of_kinds(const sl_opt *row);

static json_t *schema_string(const char *pattern)
{
    json_t *s = json_pack("{s:s}", "type", "string");
    if (pattern)
        json_object_set_new(s, "pattern", json_string(pattern));
    return s;
}

static json_t *schema_scalar(const sl_opt *row)
{
    static const char dur[] = "[0-9]+(ms|s|m|h|d)";
    switch (row->type) {
    case SL_T_INT: {
        json_t *s = json_pack("{s:s}", "type", "integer");
        if (sl_opt_bounded(row)) {
            json_object_set_new(s, "minimum", json_integer(row->min));
            if (row->max != INT64_MAX)
                json_object_set_new(s, "maximum", json_integer(row->max));
        }
        return s;
    }
    case SL_T_DURATION: return schema_string("^[0-9]+(ms|s|m|h|d)$");
    case SL_T_RANGE: {
        char pat[128];
        snprintf(pat, sizeof pat, "^%s\\.\\.%s$", dur, dur);
        return schema_string(pat);
    }
    case SL_T_BOOL: return json_pack("{s:s}", "type", "boolean");
    case SL_T_ENUM: {
        json_t *e = json_array();
        for (size_t i = 0; row->names[i]; i++)
            json_array_append_new(e, json_string(row->names[i]));
        return json_pack("{s:s,s:o}", "type", "string", "enum", e);
    }
    case SL_T_SIZE:
        return json_pack("{s:[{s:s,s:i},o]}", "oneOf", "type", "integer", "minimum", 0,
                         schema_string("^[0-9]+(K|M|G|KiB|MiB|GiB)?$"));
    case SL_T_DATETIME:
        return schema_string("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$");
    case SL_T_TIMEZONE: return schema_string("^([+-][0-9]{2}:[0-9]{2}|Z|UTC)$");
    case SL_T_IDENT: return schema_string("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    default: return schema_string(NULL);
    }
}

/* One branch of a typed section's oneOf: the kind's keys and its `type` value (required
 * unless the kind is the row's default). */
static json_t *schema_of_kind(const sl_opt *row, const sl_kind *k)
{
    json_t *b = schema_of_table(k->opts ? k->opts : &no_keys);
    json_object_set_new(b, "description", json_string(k->doc));
    json_object_set_new(json_object_get(b, "properties"), "type",
                        json_pack("{s:s}", "const", k->name));
    if (row->def && !strcmp(row->def, k->name))
        return b;
    json_t *req = json_object_get(b, "required");
    if (!req)
        json_object_set_new(b, "required", req = json_array());
    json_array_insert_new(req, 0, json_string("type"));
    return b;
}

/* A typed section: `type` names a kind, and the keys are those of exactly one kind. */
static json_t *schema_of_kinds(const sl_opt *row)
{
    const sl_kind_family *f = sl_kind_family_of(row);
    json_t *names = json_array(), *branches = json_array();
    for (size_t i = 0; i < f->n_kinds; i++) {
        json_array_append_new(names, json_string(f->kinds[i]->name));
        json_array_append_new(branches, schema_of_kind(row, f->kinds[i]));
    }
    json_t *type = json_pack("{s:s,s:o,s:s}", "type", "string", "enum", names, "description",
                             "the kind; the other keys are the kind's own");
    if (row->def)
        json_object_set_new(type, "default", json_string(row->def));
    return json_pack("{s:s,s:{s:o},s:o}", "type", "object", "properties", "type", type, "oneOf",
                     branches);
}

static json_t *schema_of_row(const sl_opt *row)
{
    json_t *s;
    switch (row->type) {
    case SL_T_LIST: {
        json_t *item = row->names ? schema_scalar(&(sl_opt){.type = SL_T_ENUM, .names = row->names})
                                  : json_pack("{s:s}", "type", "string");
        s = json_pack("{s:[O,{s:s,s:o,s:i}]}", "oneOf", item, "type", "array", "items", item,
                      "minItems", 1);
        break;
    }
    case SL_T_ANY:
        s = json_pack("{s:[s,s,s,s]}", "type", "string", "number", "boolean", "null");
        break;
    case SL_T_OBJECT: s = json_pack("{s:s}", "type", "object"); break;
    case SL_T_SECTION: s = schema_of_table(row->sub); break;
    case SL_T_KIND: s = schema_of_kinds(row); break;
    case SL_T_MAPOF:
        s = json_pack("{s:s,s:{s:s},s:o}", "type", "object", "propertyNames", "pattern",
                      "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "additionalProperties",
                      schema_of_table(row->sub));
        break;
    case SL_T_SEQOF:
        s = json_pack("{s:s,s:o}", "type", "array", "items", schema_of_table(row->sub));
        break;
    default: s = schema_scalar(row); break;
    }
    if ((row->type == SL_T_MAPOF || row->type == SL_T_SEQOF) && sl_opt_bounded(row))
        json_object_set_new(s, row->type == SL_T_MAPOF ? "maxProperties" : "maxItems",
                            json_integer(row->max));
    json_object_set_new(s, "description", json_string(row->doc));
    if (row->def && row->type != SL_T_KIND) { /* a table's defaults are valid (the loader
                                                  * applies them) */
        if (row->type == SL_T_INT)
            json_object_set_new(s, "default", json_integer(strtoll(row->def, NULL, 10)));
        else if (row->type == SL_T_BOOL)
            json_object_set_new(s, "default", json_boolean(!strcmp(row->def, "true")));
        else
            json_object_set_new(s, "default", json_string(row->def));
    }
    return s;
}

/* A table that holds itself (a child's `children` are children) is written once under
 * $defs and referred to inside itself: the tables being written, and the one to define. */
static const sl_opt_table *writing[16];
static size_t n_writing;
static const sl_opt_table *recursive;

static json_t *schema_of_table(const sl_opt_table *t)
{
    for (size_t i = 0; i < n_writing; i++)
        if (writing[i] == t) {
            char ref[96];
            snprintf(ref, sizeof ref, "#/$defs/%s", t->name);
            recursive = t;
            return json_pack("{s:s}", "$ref", ref);
        }
    if (n_writing == sizeof writing / sizeof writing[0])
        return json_pack("{s:s}", "type", "object"); /* no table nests this deep */
    writing[n_writing++] = t;
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < t->n_rows; i++) {
        json_object_set_new(props, t->rows[i].key, schema_of_row(&t->rows[i]));
        if (t->rows[i].flags & SL_OF_REQUIRED)
            json_array_append_new(req, json_string(t->rows[i].key));
    }
    json_t *s = json_pack("{s:s,s:s,s:o,s:b}", "type", "object", "description", t->doc,
                          "properties", props, "additionalProperties", 0);
    if (json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    n_writing--;
    return s;
}

/* Adds $defs for the table that holds itself, if one did. */
static void add_defs(json_t *schema)
{
    const sl_opt_table *t = recursive;
    if (!t)
        return;
    json_object_set_new(schema, "$defs", json_pack("{s:o}", t->name, schema_of_table(t)));
}

int sl_options_schema(FILE *out)
{
    json_t *body = schema_of_table(&sl_opts_job);
    json_t *s = json_pack("{s:s,s:s,s:s}", "$schema",
                          "https://json-schema.org/draft/2020-12/schema", "$id",
                          "https://sluice.local/schemas/job.schema.json", "title",
                          "sluice job file");
    if (!body || !s || json_object_update(s, body) != 0) {
        json_decref(body);
        json_decref(s);
        return -1;
    }
    json_decref(body);
    add_defs(s);
    int rc = json_dumpf(s, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(s);
    return rc == 0 ? 0 : -1;
}

/* ---- Markdown reference ---------------------------------------------------------------- */

static const char *type_name(const sl_opt *row)
{
    static const char *const names[] = {
        [SL_T_STRING] = "string",     [SL_T_SECRET] = "secret",     [SL_T_INT] = "integer",
        [SL_T_DURATION] = "duration", [SL_T_RANGE] = "duration range", [SL_T_BOOL] = "bool",
        [SL_T_ENUM] = "enum",         [SL_T_SIZE] = "size",         [SL_T_DATETIME] = "datetime",
        [SL_T_TIMEZONE] = "timezone", [SL_T_JPATH] = "JSON path",   [SL_T_EXPR] = "condition",
        [SL_T_REGEX] = "regex",       [SL_T_IDENT] = "SQL name",    [SL_T_LIST] = "list of names",
        [SL_T_ANY] = "scalar",        [SL_T_OBJECT] = "map",        [SL_T_SECTION] = "section",
        [SL_T_MAPOF] = "map of sections", [SL_T_SEQOF] = "list of sections",
        [SL_T_KIND] = "typed section",
    };
    return names[row->type];
}

static void kind_list(const sl_kind_family *f, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->n_kinds && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                                 f->kinds[i]->name);
}

static void ref_row(const sl_opt *row, FILE *out)
{
    char lo[32], hi[32], bounds[96] = "";
    if (row->type == SL_T_KIND)
        kind_list(sl_kind_family_of(row), bounds, sizeof bounds);
    else if (row->names)
        sl_names_text(row->names, bounds, sizeof bounds);
    else if (sl_opt_bounded(row) && row->type != SL_T_RANGE) {
        sl_opt_bound_text(row, row->min, lo, sizeof lo);
        sl_opt_bound_text(row, row->max, hi, sizeof hi);
        if (row->max == INT64_MAX)
            snprintf(bounds, sizeof bounds, ">= %s", lo);
        else
            snprintf(bounds, sizeof bounds, "%s .. %s", lo, hi);
    }
    const char *sub = row->sub ? row->sub->name : NULL;
    fprintf(out, "| `%s` | %s%s%s%s | %s | %s | ", row->key, type_name(row),
            sub ? " (" : "", sub ? sub : "", sub ? ")" : "",
            row->flags & SL_OF_REQUIRED ? "**required**" : row->def ? row->def : "-",
            bounds[0] ? bounds : "-");
    for (const char *p = row->doc; *p; p++) {
        if (*p == '|')
            fputc('\\', out); /* a bare | would end the Markdown table cell */
        fputc(*p, out);
    }
    fputs(" |\n", out);
}

static void ref_table(const sl_opt_table *t, const char *where, FILE *out)
{
    fprintf(out, "\n## `%s`\n\n%s (%s).\n\n", t->name, t->doc, where);
    fputs("| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < t->n_rows; i++)
        ref_row(&t->rows[i], out);
}

/* A typed section: its `type`, then each kind's own keys. */
static void ref_kinds(const sl_opt *row, const char *where, FILE *out)
{
    const sl_kind_family *f = sl_kind_family_of(row);
    const char *names[SL_MAX_KINDS + 1];
    sl_kind_names(f, names);
    sl_opt type = {.key = "type", .type = SL_T_ENUM, .flags = row->def ? 0 : SL_OF_REQUIRED,
                   .def = row->def, .min = 1, .names = names,
                   .doc = "the kind; the other keys are the kind's own (below)"};
    fprintf(out, "\n## `%s`\n\n%s (%s).\n\n", f->section.name, f->section.doc, where);
    fputs("| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n", out);
    ref_row(&type, out);
    for (size_t i = 0; i < f->n_kinds; i++) {
        const sl_kind *k = f->kinds[i];
        fprintf(out, "\n## `%s` type `%s`\n\n%s\n", f->section.name, k->name, k->doc);
        if (!k->opts || !k->opts->n_rows) {
            fputs("\nNo other keys.\n", out);
            continue;
        }
        fputs("\n| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n", out);
        for (size_t r = 0; r < k->opts->n_rows; r++)
            ref_row(&k->opts->rows[r], out);
    }
}

/* The option keys a converter accepts, from its convert.def bits. */
static void conv_options(unsigned options, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *keys;
    } opts[] = {{SL_OPT_FROM, "`from`"},       {SL_OPT_TZ, "`timezone`"},
                {SL_OPT_MAP, "`map`"},         {SL_OPT_JOIN, "`join`"},
                {SL_OPT_PATTERN, "`pattern`"}, {SL_OPT_GROUP, "`group`"},
                {SL_OPT_OVERFLOW, "`on_overflow`"}};
    size_t used = 0;
    snprintf(buf, len, "-");
    for (size_t i = 0; i < N_ROWS(opts) && used < len; i++)
        if (options & opts[i].bit)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                     opts[i].keys);
}

/* Column types, from the converter list (convert.def) so the reference never drifts. */
static void ref_types(FILE *out)
{
    fputs("\n## Column types\n\n`type` names a converter; it also decides the MySQL column type.\n\n"
          "| type | arguments | options | meaning |\n|---|---|---|---|\n",
          out);
    char opts[160];
#define SL_CONV(id, name, min_args, max_args, options, doc)                                   \
    conv_options(options, opts, sizeof opts);                                                \
    fprintf(out, "| `%s` | %s | %s | %s |\n", name,                                           \
            max_args == 0   ? "-"                                                           \
            : min_args == 2 ? "`(p,s)`"                                                     \
            : min_args == 1 ? "`(n)`"                                                       \
                            : "`(n)` optional",                                             \
            opts, doc);
#include "convert.def"
#undef SL_CONV
}

/* Examples of every time form and of minor units: each value was checked by hand (and by
 * the unit tests test_timeutil and test_convert). */
static const char times_notes[] =
    "\n## Times and money\n\n"
    "**Window bounds** (`source.window.format`), for the window 2024-03-03 00:00:00 .. "
    "23:59:59 in `timezone: \"+08:00\"`:\n\n"
    "| `format` | `from_param` | `to_param` |\n|---|---|---|\n"
    "| `\"%Y-%m-%d %H:%M:%S\"` (default) | `2024-03-03 00:00:00` | `2024-03-03 23:59:59` |\n"
    "| `iso8601` | `2024-03-03T00:00:00+08:00` | `2024-03-03T23:59:59+08:00` |\n"
    "| `epoch` | `1709395200` | `1709481599` |\n"
    "| `epoch_ms` | `1709395200000` | `1709481599000` |\n"
    "| `\"%Y-%m-%dT%H:%M:%SZ\"` with `timezone: UTC` | `2024-03-02T16:00:00Z` | "
    "`2024-03-03T15:59:59Z` |\n\n"
    "Both ends are inclusive whole seconds (`epoch_ms` sends the second's first millisecond); "
    "consecutive windows share their boundary second (docs/sync-rules.md).\n\n"
    "**Record times** (`type: datetime`, `from: auto`, the default) in a job whose "
    "`window.timezone` is `+08:00`:\n\n"
    "| value | column `timezone` | stored |\n|---|---|---|\n"
    "| `\"2024-03-03 15:23:32\"` | any | `2024-03-03 15:23:32` (as written) |\n"
    "| `\"2024-03-03T15:23:32\"` | any | `2024-03-03 15:23:32` (no offset: as written) |\n"
    "| `\"2024-03-03T15:23:32+08:00\"` | - | `2024-03-03 15:23:32` (the job's zone) |\n"
    "| `\"2024-03-03T07:23:32.250Z\"` | - | `2024-03-03 15:23:32` (fractions dropped) |\n"
    "| `\"2024-03-02 18:23:32-0500\"` | `UTC` | `2024-03-02 23:23:32` (the column's zone) |\n"
    "| `1709450612000` | `\"+08:00\"` | `2024-03-03 15:23:32` (epoch ms) |\n"
    "| `1709450612` | - | `2024-03-03 07:23:32` (epochs: `+00:00` unless `timezone`) |\n\n"
    "ISO-8601 takes `T` or a space, an optional fraction, and `Z`, `+hh:mm`, `+hhmm` or "
    "`+hh`. `from: string` accepts only `YYYY-MM-DD HH:MM:SS`.\n\n"
    "**Money in minor units** (`type: \"minor(19,2)\"`: cents, fen): `1999` or `\"1999\"` is "
    "`19.99`, `-250` is `-2.50`, `\"9223372036854775807\"` is `92233720368547758.07`, exact at "
    "any size; `\"19.99\"` is rejected (not a whole number of minor units), and so is a value "
    "with more integer digits than the column holds.\n\n"
    "**`sluice verify`** counts the rows of each window by `target.window_column`: a "
    "`datetime` in the zone its values are written in, an `int` or `bigint` holding epoch "
    "seconds or milliseconds (both are counted), or text holding the bounds as "
    "`window.format` writes them.\n";

/* A full refresh: the whole job file of a small dimension table. */
static const char refresh_notes[] =
    "\n## Full refresh\n\n"
    "A job without `source.window` reads everything on every run (paging as `source.paging` "
    "says; no window bounds are sent) into shadow tables `<table>__sluice_new` and swaps them "
    "in with one `RENAME TABLE`: rows deleted at the source disappear, and a reader sees the "
    "old table or the new one, never a mix (docs/sink.md, \"Full refresh\"). The guard "
    "(`target.refresh`) refuses an empty read, or one with more than `max_drop_percent` fewer "
    "rows than the table, with exit 9 and the table unchanged; `sluice run --force-refresh` "
    "accepts it. Such a job has no watermark. Its table names leave room for the shadow's "
    "suffix (at most 52 characters), and the database user needs the DROP privilege. From "
    "`mappings/examples/rest_shops.yml`:\n\n"
    "```yaml\nsource:\n"
    "  endpoint: ${env:REST_SHOPS_URL}\n  method: \"\"\n  signer: { type: none }\n"
    "  auth: { type: bearer, token: \"${env:REST_TOKEN}\" }\n"
    "  request: { method: GET }\n"
    "  paging: { type: offset, offset_param: offset, limit_param: limit, limit: 50, "
    "total: total }\n"
    "  records: data\n"
    "target:\n  dsn: ${env:SLUICE_DB}\n  table: rest_shops\n  key: [id]\n"
    "  refresh: { max_drop_percent: 50, allow_empty: false }\n"
    "```\n";

/* One example of every pager: the shapes e2e.rest_pagers syncs against tools/rest-mock (the
 * jobs of mappings/examples/ hold them too, validated by cases.example-mappings-validate). */
static const char paging_notes[] =
    "\n## Pagers (`source.paging`)\n\n"
    "What each one guarantees while records change is in docs/sync-rules.md (\"What each pager "
    "guarantees\"); `sluice validate` warns about a pager that cannot promise no missed "
    "records.\n\n"
    "- page numbers, the total in the body (the default pager; last page first, counted): "
    "`{ page_param: page, size_param: per_page, first_page: 1, size: 50, total: total }`\n"
    "- offset and limit, the total in the `X-Total-Count` header: `{ type: offset, "
    "offset_param: offset, limit_param: limit, limit: 50, total_from: header, total_header: "
    "X-Total-Count }`\n"
    "- no total at all (first page to last, until a short or empty page; validate warns): "
    "`{ type: offset, offset_param: offset, limit_param: limit, limit: 50, total_from: none }`\n"
    "- a cursor from the body, sent back as `?cursor=` (`holds: key`: the API resumes after "
    "the last record's sort key): `{ type: cursor, cursor_param: cursor, limit_param: limit, "
    "limit: 50, next: next_cursor, holds: key }`\n"
    "- a cursor from a header: `{ type: cursor, cursor_param: cursor, next_header: "
    "X-Next-Cursor, holds: key }`\n"
    "- the next URL from the body: `{ type: link, next: links.next, limit_param: limit, "
    "limit: 50, holds: key }`\n"
    "- the next URL from the header `Link: <https://api.example.com/v1/orders?cursor=x>; "
    "rel=\"next\"`: `{ type: link, limit_param: limit, limit: 50, holds: key }`\n\n"
    "A `cursor` is not sent on a window's first request; a reply without a next cursor (absent, "
    "null or empty) ends the window. A `link` request goes to the next URL as it is (its query "
    "holds the parameters; auth and the signer still apply); a relative URL is resolved "
    "against the one it came from, and one on another origin than `source.endpoint` is "
    "refused. A cursor or a URL that repeats one received before fails the run (the API pages "
    "in a loop). `holds` (`key` or `position`, the default) says what the API's token carries; "
    "it decides the guarantee, not the requests.\n";

/* One example of every request shape and of a recipe (e2e.rest_get_headers, e2e.rest_auth,
 * e2e.rest_json_body and e2e.recipe_rest_mock send them to tools/rest-mock; the recipe is
 * tests/unit/data/signing/top_md5.yml, checked against its vector by test_recipe). */
static const char request_notes[] =
    "\n## Requests (`source.request`)\n\n"
    "The parameters of a request are the window bounds, `source.params`, the method when "
    "`source.method` is not empty, the pager's (page and size, offset and limit, a cursor) and "
    "an auth or signer parameter. With window 2024-03-03 00:00:00 .. 23:59:59 (`format: "
    "iso8601`, +08:00) and page 2 of 50:\n\n"
    "```yaml\n# a GET: the parameters in the query string\n"
    "request: { method: GET, headers: { Accept: application/json } }\n"
    "# GET /v1/orders?updated_from=2024-03-03T00%3A00%3A00%2B08%3A00&...&page=2&per_page=50\n\n"
    "# a POST with a form body (the default)\n"
    "request: { method: POST }\n"
    "# application/x-www-form-urlencoded:\n"
    "#   updated_from=2024-03-03T00%3A00%3A00%2B08%3A00&...&page=2&per_page=50\n\n"
    "# a POST with a JSON body, placed by a template\n"
    "request:\n  method: POST\n  body: json\n  json:\n"
    "    filter: { updated_from: \"{updated_from}\", updated_to: \"{updated_to}\", "
    "status: paid }\n"
    "    page: { number: \"{page}\", size: \"{per_page}\" }\n"
    "# application/json:\n"
    "#   {\"filter\":{\"updated_from\":\"2024-03-03T00:00:00+08:00\",\"updated_to\":\"...\",\n"
    "#    \"status\":\"paid\"},\"page\":{\"number\":2,\"size\":50}}\n```\n\n"
    "In a JSON body a placeholder takes its parameter's type: the page, its size, an offset "
    "and the window bounds in `epoch`/`epoch_ms` are numbers, `source.params` keep the type "
    "they have in the file; a placeholder of a parameter the request lacks (a cursor on a "
    "window's first page) is dropped with its member; the parameters the template does not "
    "place go at its top level. A signer's own parameters (a recipe's) go in the query string "
    "then, and the recipe may sign the exact body (`body_param`, `{body}`; docs/signing.md).\n\n"
    "A signing recipe (Taobao TOP's MD5 sign; docs/signing.md has every step):\n\n"
    "```yaml\nsigner:\n  type: recipe\n  secret: ${env:TOP_APP_SECRET}\n"
    "  add: { app_key: \"${env:TOP_APP_KEY}\", format: json, v: \"2.0\", sign_method: md5 }\n"
    "  timestamp: \"%Y-%m-%d %H:%M:%S\"\n  timestamp_zone: \"+08:00\"\n"
    "  timestamp_param: timestamp\n  exclude: [sign]\n  skip_empty: true\n"
    "  before: \"{secret}\"\n  after: \"{secret}\"\n  hash: md5\n  encoding: hex-upper\n"
    "  sign_param: sign\n```\n";

/* One example of every auth method, as e2e.rest_auth syncs tools/rest-mock with each. */
static const char auth_notes[] =
    "\n## Auth (`source.auth`)\n\n"
    "Every secret is a reference; `sluice plan` prints where it comes from, never its value.\n\n"
    "- none (the default): `{ type: none }`\n"
    "- a bearer token: `{ type: bearer, token: \"${env:API_TOKEN}\" }` sends "
    "`Authorization: Bearer <token>`\n"
    "- an API key in a header: `{ type: api-key, key: \"${env:API_KEY}\" }` sends "
    "`X-API-Key: <key>`; `header: X-Auth-Key` names another header\n"
    "- an API key as a parameter: `{ type: api-key, key: \"${env:API_KEY}\", param: api_key }` "
    "adds `api_key=<key>` to the parameters (the query of a GET; signed like the others)\n"
    "- HTTP basic: `{ type: basic, username: \"${env:API_USER}\", password: "
    "\"${env:API_PASSWORD}\" }`\n"
    "- OAuth2 client credentials: `{ type: oauth2, token_url: "
    "https://auth.example.com/oauth/token, client_id: \"${env:CLIENT_ID}\", client_secret: "
    "\"${env:CLIENT_SECRET}\", scope: \"orders:read\" }`\n\n"
    "`oauth2` POSTs `grant_type=client_credentials` with the client's id, secret and scope as a "
    "form to `token_url` when the first request needs a token, sends it as a bearer token, and "
    "fetches another a quarter of its life (at most 60 s) before its `expires_in` runs out. A "
    "request answered 401 gets a new token and is sent again, once; until a first reply has "
    "passed, once in all. A token endpoint that fails for now (5xx, 429, no reply, a reply "
    "cut short) is a transient failure of the request (`source.retry`); one that refuses the "
    "client (4xx) fails the run with its own message: `the token endpoint answered HTTP 401: "
    "{\"error\":\"invalid_client\",...}`. The token is never printed.\n";

static const char quality_notes[] =
    "\nEach rule checks the parent row's converted values (what the table will hold) of one "
    "record that converted without a reject; reject rules run first, so warn rules and "
    "`not_null` count only the rows that are written. A NULL passes every kind but "
    "`not_null` (use `required` to reject it); in a `check` it reads as `null`, so "
    "`paid <= billed` is false when either is NULL. More in docs/quality.md.\n\n"
    "```yaml\nquality:\n"
    "  - { name: billed_in_range, column: billed, min: 0, max: 100000 }\n"
    "  - { name: ref_format, column: ref_no, pattern: '^T\\d{8,}$' }\n"
    "  - { name: known_state, column: state, values: [new, open, closed], action: warn }\n"
    "  - { name: contact_filled, column: contact, not_null: 95% }\n"
    "  - { name: ref_unique, column: ref_no, unique: true }\n"
    "  - { name: paid_le_billed, check: paid <= billed }\n"
    "```\n";

static const char volume_notes[] =
    "\nThe volume baseline judges each hour (or day) a run completed, up to `now - lag` and at "
    "most the last `history` of them: its rows in the parent table (by the time column's "
    "hour, in that column's zone), and the `sum` column's sum, against the median of the same "
    "hour on each previous day inside the synced range (a day without rows counts as 0). Under "
    "`min_share` or over `max_share` of the median is out of band: a summary line, a warning, "
    "`alerts.on: [volume]` and the `sluice_run_volume_*` metrics. Hours with fewer than "
    "`min_history` previous days, or a median of 0 rows, are not judged (the summary counts "
    "them). A job with accounts has one baseline per account. More in docs/volume.md.\n\n"
    "```yaml\nvolume:\n  by: hour\n  sum: billed\n  min_share: 20%\n  max_share: 500%\n"
    "  history: 7d\n  min_history: 3\n```\n";

static const char reference_notes[] =
    "\n## Conditions (`errors[].when`)\n\n"
    "Operands are JSON paths into the reply (`response.code`, `response.data.list[0].x`), "
    "`@status` (the reply's HTTP status), `@header.NAME` (the value of the reply's header NAME, "
    "any case, as a string: `@header.x-rate-limit-remaining == 0`; missing when the reply has "
    "none), numbers, `\"strings\"`, `true`, `false`, `null` and parenthesised conditions. Comparisons: `==`, `!=`, `<`, `<=`, `>`, `>=`; `=~` and `!~` "
    "match a PCRE2 pattern (UTF mode) given as a string. Combine with `&&`, `||`, `!` (`&&` binds tighter). A path "
    "missing from the reply is unequal to everything: `==` is false, `!=` is true. A number "
    "also equals a string holding that number (`\"7\" == 7`). In strings only `\\\"` and "
    "`\\\\` are escapes, so regex escapes like `\\d` are written once.\n\n"
    "A rule whose condition names `@status` is tried on every reply, before the status's own "
    "handling, with the body decoded as JSON (or, when it is not JSON, its text as a string); "
    "the other rules see HTTP 200 replies only. Without a matching rule, a 429 and a 503 with "
    "`Retry-After` (seconds or an HTTP date) wait as asked (up to `source.limits.max_wait`), "
    "other 5xx and 408 are retried with backoff, and any other status fails the run. For "
    "example, to split on a 422 and fail on a 401 with the API's own message:\n\n"
    "```yaml\nerrors:\n"
    "  - { when: '@status == 422 && error == \"range_too_wide\"', then: split }\n"
    "  - { when: '@status == 401', then: fail, message: message, hint: check the token }\n"
    "```\n"
    "\n## Child tables\n\n"
    "A list inside each record is a child table (`children`); a list inside each of a child's "
    "items is a child of that child (the child's own `children`), and so on. Every child "
    "copies each key column of its parent with `from_parent`: that link is how its rows are "
    "found; its own `key` may hold the copies (order id + line number). A record's rows at "
    "every depth are replaced together with it, in the batch's transaction: a line item gone "
    "from an order takes its discounts with it, a discount gone from a line item disappears. "
    "Orders with line items with discounts:\n\n"
    "```yaml\ncolumns:\n"
    "  id: { path: id, type: bigint, required: true }\n"
    "children:\n"
    "  - table: order_items\n"
    "    each: items[*]\n"
    "    key: [order_id, line_no]\n"
    "    columns:\n"
    "      order_id: { from_parent: id }\n"
    "      line_no: { path: line, type: int, required: true }\n"
    "      sku: { path: sku, type: varchar(16) }\n"
    "    children:\n"
    "      - table: order_item_discounts\n"
    "        each: discounts[*]\n"
    "        key: [order_id, line_no, code]\n"
    "        columns:\n"
    "          order_id: { from_parent: order_id }\n"
    "          line_no: { from_parent: line_no }\n"
    "          code: { path: code, type: varchar(32), required: true }\n"
    "          amount: { path: amount, type: \"decimal(12,2)\" }\n"
    "```\n\n"
    "A child without a copy of each key column of its parent, a table name used twice and "
    "children nested deeper than the limit below are errors (nesting cannot loop: anchors and "
    "aliases are refused). How the rows are replaced: docs/sink.md.\n"
    "\n## References and secrets\n\n"
    "A value written exactly `${env:NAME}` or `${file:PATH}` is read from the environment or "
    "from a file (relative paths start at the job file's folder; one trailing newline is "
    "dropped). Only text values may be references. Every value read this way is a secret, "
    "whichever option holds it (a `method` or a `hint` too): it never appears in messages, "
    "logs, alerts or `sluice plan`, which prints `<secret from env:NAME>` in its place. Any "
    "other text that would show it, or a part of it, or the DSN's password, shows `***` "
    "instead, whatever its length and letter case: so keep settings that are no secret in the "
    "file. `sluice validate` checks references without reading them, so it runs where "
    "secrets are absent; `sluice validate --strict`, `plan --strict`, `run` and `dry-run` "
    "read them, and an unset variable or unreadable file is an error at its position.\n"
    "\n## YAML notes\n\n"
    "Inside `{ }` and `[ ]`, a comma ends a value and braces are syntax: quote values that "
    "hold them, e.g. `{ type: \"decimal(19,4)\", dsn: \"${env:SLUICE_DB}\" }`. (An unquoted "
    "`decimal(19,4)` there is accepted with a warning.) Anchors, aliases, tags, duplicate "
    "keys, tabs in indentation and several documents in one file are errors. Numbers and "
    "booleans are written without quotes; `\"1000\"` is text.\n"
    "\n## Diagnostics\n\n"
    "Every problem is reported as `file:line:col: error: message` (1-based; the file as "
    "given), followed by the source line and a caret, and a final `N errors`. The compiler "
    "works in stages (YAML, references, option tables, cross-checks) and reports everything "
    "a stage finds before stopping. `sluice validate` exits 0 when every file is valid "
    "(warnings allowed), 3 when one is not, 2 on a bad command line. Golden examples of "
    "every message live in tests/cases/.\n";

/* The limits that keep `validate` (and every command) within tens of MiB and about a second,
 * whatever the file holds. */
static void ref_limits(FILE *out)
{
    fprintf(out,
            "\n## Limits\n\n"
            "A job file past one of these is refused with an error at the first place past it, "
            "so `sluice validate` (a pre-commit hook) stays within tens of MiB and about a "
            "second on any input:\n\n"
            "| what | at most |\n|---|---|\n"
            "| file size | %d bytes (1 MiB) |\n"
            "| nesting of maps and lists | %d levels |\n"
            "| keys of one map, items of one list | %d |\n"
            "| values in one file (scalars, maps, lists, keys) | %d |\n"
            "| steps of a JSON path (`a.b[0]` has 3) | %d |\n"
            "| columns of one table / of all the job's tables | %d / %d |\n"
            "| child tables (at every depth, in all) / their nesting / error rules | %d / %d / "
            "%d |\n"
            "| a condition: bytes / nesting / operands and operators | %d / %d / %d |\n"
            "| text of a window bound (`window.format`) | %d bytes |\n"
            "| values read through `${env:}`/`${file:}` references, in all | %d bytes |\n\n"
            "A PCRE2 match (a `regex` column, `=~`, a wait pattern) gives up after %d internal "
            "steps or a backtracking depth of %d: in a column that rejects the record with "
            "the reason; in a condition neither `=~` nor `!~` holds.\n",
            SL_YAML_MAX_BYTES, SL_YAML_MAX_DEPTH, SL_YAML_MAX_ENTRIES, SL_YAML_MAX_NODES,
            SL_JPATH_MAX_STEPS, SL_MAX_COLUMNS, SL_MAX_JOB_COLUMNS, SL_MAX_CHILDREN,
            SL_MAX_CHILD_DEPTH, SL_MAX_RULES, SL_EXPR_MAX_TEXT, SL_EXPR_MAX_DEPTH, SL_EXPR_MAX_NODES,
            SL_TIME_FMT_MAX - 1, SL_MAX_REF_BYTES, SL_REGEX_MATCH_LIMIT, SL_REGEX_DEPTH_LIMIT);
}

void sl_options_reference(FILE *out)
{
    fputs("# Job file reference\n\n"
          "Generated by `sluice validate --print-reference` from the engine's option tables "
          "(engine/job/job_options.c and each kind's file); do not edit by hand. The JSON Schema "
          "in "
          "schemas/job.schema.json comes from the same tables.\n\n"
          "Types: a *duration* is a whole number and a unit (`500ms`, `90s`, `5m`, `1h`, "
          "`1d`); a *size* is bytes with an optional `K`, `M` or `G`; a *SQL name* is letters, "
          "digits and `_`, not starting with a digit, at most 64; a *secret* is expected as a "
          "reference `${env:NAME}` (an environment variable) or `${file:PATH}` (a file's "
          "contents without the trailing newline; relative to the job file's folder). Any "
          "text value may be such a reference; values read through references never appear "
          "in any output. Unknown keys are errors.\n",
          out);
    ref_table(&sl_opts_job, "top level", out);
    ref_table(&sl_opts_source, "`source`", out);
    ref_kinds(sl_options_row(&sl_opts_source, "signer"), "`source.signer`", out);
    ref_kinds(sl_options_row(&sl_opts_source, "auth"), "`source.auth`", out);
    ref_table(&sl_opts_window, "`source.window`", out);
    ref_kinds(sl_options_row(&sl_opts_source, "paging"), "`source.paging`", out);
    ref_table(&sl_opts_rule, "each item of `source.errors`", out);
    ref_table(&sl_opts_wait, "`source.errors[].wait`", out);
    ref_table(&sl_opts_limits, "`source.limits`", out);
    ref_table(&sl_opts_retry, "`source.retry`", out);
    ref_table(&sl_opts_request, "`source.request`", out);
    ref_table(&sl_opts_target, "`target`", out);
    ref_table(&sl_opts_refresh, "`target.refresh`", out);
    ref_table(&sl_opts_column, "each entry of `columns` and `children[].columns`", out);
    ref_table(&sl_opts_child, "each item of `children` (and of a child's own `children`)", out);
    ref_table(&sl_opts_alerts, "`alerts`", out);
    ref_table(&sl_opts_schedule, "`schedule`", out);
    ref_table(&sl_opts_quality, "each item of `quality`", out);
    ref_table(&sl_opts_account, "each item of `accounts` (or of the `accounts_file` list)", out);
    fputs(quality_notes, out);
    ref_table(&sl_opts_volume, "`volume`", out);
    fputs(volume_notes, out);
    ref_types(out);
    fputs(times_notes, out);
    fputs(refresh_notes, out);
    fputs(request_notes, out);
    fputs(auth_notes, out);
    fputs(paging_notes, out);
    fputs(reference_notes, out);
    ref_limits(out);
}

