/* Unit tests of util/graph (the writers' escaping, exact output) and job/plan_diagram (the
 * plan's graph and its text, secrets redacted, for every format). */
#include <stdlib.h>

#include "check.h"
#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "plan_diagram.h"

/* g written in fmt, in a static buffer. */
static const char *written(const sl_graph *g, sl_graph_format fmt)
{
    static char buf[2048];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    CHECK(f != NULL);
    CHECK(sl_graph_write(g, fmt, f) == 0);
    fclose(f);
    return buf;
}

static void test_escaping(void)
{
    sl_graph *g = sl_graph_new("t\"1\n");
    int a = sl_graph_node(g, SL_GRAPH_ROUND, "a\"b]\n#<c>|&`\\\t <- <!x%");
    int b = sl_graph_node(g, SL_GRAPH_STORE, "db");
    CHECK(a == 0 && b == 1);
    CHECK(sl_graph_edge(g, a, b, "x\"y", false) == 0);
    CHECK(sl_graph_note(g, b, "n") == 2);
    CHECK(sl_graph_edge(g, a, 7, NULL, false) == -1); /* no node 7 */
    CHECK(sl_graph_note(g, -1, "n") == -1);
    CHECK(sl_graph_n_nodes(g) == 3 && sl_graph_n_edges(g) == 2);
    /* the accessors the status page of sluice serve draws with */
    CHECK(sl_graph_node_shape(g, 1) == SL_GRAPH_STORE && sl_graph_node_shape(g, 2) == SL_GRAPH_NOTE);
    CHECK_STR(sl_graph_node_label(g, 1), "db");
    int from = -1, to = -1;
    const char *label = NULL;
    bool dashed = true;
    sl_graph_edge_get(g, 0, &from, &to, &label, &dashed);
    CHECK(from == 0 && to == 1 && !dashed);
    CHECK_STR(label, "x\"y");
    sl_graph_edge_get(g, 1, &from, &to, &label, &dashed);
    CHECK(from == 2 && to == 1 && dashed && label == NULL);
    CHECK_STR(written(g, SL_GRAPH_MERMAID),
              "%% t\"1 \nflowchart TB\n"
              "    classDef note fill:#fff8dc,stroke:#b8a36b,stroke-dasharray:3 3,"
              "text-align:left\n"
              "    n0(\"a#34;b]<br/>#35;#60;c>#124;#38;#96;\\  <- #60;!x#37;\")\n"
              "    n1[(\"db\")]\n"
              "    n2[\"n\"]:::note\n"
              "    n0 -->|\"x#34;y\"| n1\n"
              "    n2 -.- n1\n");
    CHECK_STR(written(g, SL_GRAPH_DOT),
              "digraph plan {\n"
              "    graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, labelloc=t, "
              "label=\"t\\\"1\\l\\l\"];\n"
              "    node [fontname=\"Helvetica\", fontsize=10];\n"
              "    edge [fontname=\"Helvetica\", fontsize=9];\n"
              "    n0 [shape=box, style=rounded, label=\"a\\\"b]\\l#<c>|&`\\\\  <- <!x%\\l\"];\n"
              "    n1 [shape=cylinder, label=\"db\\l\"];\n"
              "    n2 [shape=note, style=filled, fillcolor=\"#fff8dc\", label=\"n\\l\"];\n"
              "    n0 -> n1 [label=\"x\\\"y\\l\"];\n"
              "    n2 -> n1 [style=dashed, arrowhead=none];\n"
              "}\n");
    sl_graph_free(g);
    sl_graph_free(NULL);
}

static const char job[] = "version: 1\n"
                          "name: diag\n"
                          "source:\n"
                          "  endpoint: ${env:DIAG_URL}\n"
                          "  method: m.search\n"
                          "  signer: { type: none }\n"
                          "  request: { method: GET, headers: { X-Key: \"${env:DIAG_KEY}\" } }\n"
                          "  window: { from_param: f, to_param: t, start: \"2024-01-01 00:00:00\" }\n"
                          "  paging: { page_param: p, size_param: s, total: total }\n"
                          "  records: items\n"
                          "target: { dsn: \"${env:DIAG_DSN}\", table: t, key: [id] }\n"
                          "columns:\n"
                          "  id: { path: id, type: bigint, required: true }\n"
                          "children:\n"
                          "  - table: lines\n"
                          "    each: lines[*]\n"
                          "    key: [line_id]\n"
                          "    columns:\n"
                          "      line_id: { path: n, type: int }\n"
"      id: { from_parent: id }\n";

/* What `sluice plan --format fmt` prints (sl_plan_print, as the CLI calls it), owned; NULL
 * when it failed. */
static char *printed(const sl_plan *plan, sl_plan_format fmt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return NULL;
    int rc = sl_plan_print(plan, fmt, mem);
    if (fclose(mem) != 0 || rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void test_plan(void)
{
    setenv("DIAG_URL", "https://h.example/Url-Zq1", 1);
    setenv("DIAG_KEY", "Key-Zq2", 1);
    setenv("DIAG_DSN", "mysql://u:Pw-Zq3@h/db", 1);
    sl_diag *diag = sl_diag_new("diag.yml");
    sl_compile_options opts = {.resolve_secrets = true};
    sl_plan *plan = sl_compile_text("diag.yml", job, sizeof job - 1, &opts, diag);
    if (!plan || sl_diag_errors(diag))
        sl_diag_print(diag, stderr);
    CHECK(plan != NULL && sl_diag_errors(diag) == 0);
    for (int fmt = SL_PLAN_TEXT; plan && fmt <= SL_PLAN_DOT; fmt++) {
        char *text = printed(plan, (sl_plan_format)fmt);
        CHECK(text != NULL);
        if (!text)
            continue;
        CHECK(!strstr(text, "Zq1") && !strstr(text, "Zq2") && !strstr(text, "Zq3"));
        CHECK(strstr(text, "env:DIAG_KEY") && strstr(text, "env:DIAG_DSN"));
        CHECK(strstr(text, "lines[*]") != NULL);
        free(text);
    }
    sl_graph *g = plan ? sl_plan_graph_new(plan) : NULL;
    /* source, signer, windows, pager, records, 2 tables, target; limits and rejects notes */
    CHECK(g && sl_graph_n_nodes(g) == 10 && sl_graph_n_edges(g) == 9);
    sl_graph_free(g);
    sl_plan_free(plan);
    sl_diag_free(diag);
    CHECK(sl_plan_format_parse("dot") == SL_PLAN_DOT);
    CHECK(sl_plan_format_parse("mermaid") == SL_PLAN_MERMAID);
    CHECK(sl_plan_format_parse("text") == SL_PLAN_TEXT);
    CHECK(sl_plan_format_parse("svg") == -1);
}

int main(void)
{
    test_escaping();
    test_plan();
    return check_done();
}
