/* test_sink_kind.c: the sink factory (sinks.def, sl_sink_open by the DSN's scheme), the
 * converters' logical types, and the MySQL dialect that writes them, including the engine's own
 * tables exactly as the sink created them before types became logical. No database needed. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "convert.h"
#include "dsn.h"
#include "sink.h"
#include "sink_fixture.h"
#include "sink_int.h"
#include "sql.h"

static void test_schemes(void)
{
    CHECK_STR(sl_dsn_schemes(), "mysql://");
    CHECK(sl_dsn_sink("mysql://u@h/db") == 0);
    CHECK(sl_dsn_sink("postgres://u@h/db") == -1);
    CHECK(sl_dsn_sink("mysqlx://u@h/db") == -1);
    CHECK(sl_dsn_sink("mysql:/u@h/db") == -1);
    CHECK(sl_dsn_sink("") == -1);
    CHECK(sl_dsn_sink(NULL) == -1);

    sl_dsn d;
    sl_error err = {0};
    CHECK(sl_dsn_parse("mysql://u:pw@db.example/shop", &d, &err) == SL_OK);
    CHECK_STR(d.scheme, "mysql");
    char desc[256];
    sl_dsn_describe(&d, desc, sizeof desc); /* no port: the sink's default (sinks.def) */
    CHECK_STR(desc, "u@db.example:3306/shop");
    sl_dsn_clear(&d);
}

/* An unknown scheme is refused before any connection, naming the known ones, never the URL. */
static void test_open_unknown_scheme(void)
{
    fixture f;
    fixture_init(&f, "_kind", "postgres://u:s3cret@h/db");
    sl_error err = {0};
    sl_sink *s = sl_sink_open(&f.plan, &err);
    CHECK(s == NULL);
    CHECK(err.code == SL_ERR_CONFIG);
    CHECK_STR(err.msg, "target dsn: must start with mysql://");
    CHECK(strstr(err.msg, "s3cret") == NULL);
    fixture_free(&f);
}

/* The kind follows the DSN; a DSN not read (a dry-run) gets the first of sinks.def. */
static void test_kind_of(void)
{
    fixture f;
    fixture_init(&f, "_kind", "mysql://u@h/db");
    CHECK_STR(sl_sink_kind_of(&f.plan)->scheme, "mysql");
    f.plan.target.dsn = NULL;
    CHECK_STR(sl_sink_kind_of(&f.plan)->scheme, "mysql");
    CHECK_STR(sl_sink_kind_of(&f.plan)->preamble, "SET NAMES utf8mb4;\n\n");
    fixture_free(&f);
}

static sl_ltype conv_type(const char *type)
{
    sl_conv *c = fixture_conv(type);
    sl_ltype t = c ? sl_conv_type(c) : (sl_ltype){SL_LT_JSON, -1, -1};
    sl_conv_free(c);
    return t;
}

static bool same(sl_ltype a, sl_ltype b)
{
    return a.kind == b.kind && a.n == b.n && a.scale == b.scale;
}

static void test_conv_types(void)
{
    CHECK(same(conv_type("int"), (sl_ltype){SL_LT_INT, 0, 0}));
    CHECK(same(conv_type("bigint"), (sl_ltype){SL_LT_BIGINT, 0, 0}));
    CHECK(same(conv_type("decimal(19,4)"), (sl_ltype){SL_LT_DECIMAL, 19, 4}));
    CHECK(same(conv_type("varchar(64)"), (sl_ltype){SL_LT_VARCHAR, 64, 0}));
    CHECK(same(conv_type("text"), (sl_ltype){SL_LT_TEXT, 0, 0}));
    CHECK(same(conv_type("datetime"), (sl_ltype){SL_LT_DATETIME, 0, 0}));
    CHECK(same(conv_type("bool"), (sl_ltype){SL_LT_BOOL, 0, 0}));
    CHECK(same(conv_type("json"), (sl_ltype){SL_LT_JSON, 0, 0}));
    CHECK(same(conv_type("join"), (sl_ltype){SL_LT_TEXT, 0, 0}));
    CHECK(same(conv_type("join(255)"), (sl_ltype){SL_LT_VARCHAR, 255, 0}));

    json_t *map = json_pack("{s:s, s:s}", "1", "open", "2", "closed");
    sl_conv_spec spec = {.type = "enum", .map = map};
    sl_error err = {0};
    sl_conv *c = sl_conv_compile(&spec, &err, NULL);
    CHECK(c && same(sl_conv_type(c), (sl_ltype){SL_LT_VARCHAR, 6, 0}));
    CHECK(c && strcmp(sl_conv_sql_type(c), "VARCHAR(6)") == 0);
    sl_conv_free(c);
    json_decref(map);
}

static void test_type_names(void)
{
    static const struct {
        sl_ltype t;
        const char *want;
    } cases[] = {
        {{SL_LT_INT, 0, 0}, "INT"},
        {{SL_LT_BIGINT, 0, 0}, "BIGINT"},
        {{SL_LT_DECIMAL, 19, 4}, "DECIMAL(19,4)"},
        {{SL_LT_BOOL, 0, 0}, "TINYINT(1)"},
        {{SL_LT_DATETIME, 0, 0}, "DATETIME"},
        {{SL_LT_DATETIME, 3, 0}, "DATETIME(3)"},
        {{SL_LT_TIMESTAMP, 3, 0}, "TIMESTAMP(3)"},
        {{SL_LT_VARCHAR, 64, 0}, "VARCHAR(64)"},
        {{SL_LT_TEXT, 0, 0}, "TEXT"},
        {{SL_LT_JSON, 0, 0}, "LONGTEXT"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[48];
        sl_sql_type_name(cases[i].t, got, sizeof got);
        CHECK_STR(got, cases[i].want);
    }
}

/* The engine's tables, as tests/golden/dry-run-replay/expected.sql has them (named here after
 * the fixture's state and reject tables). */
static const char *const engine_ddl[] = {
    "CREATE TABLE IF NOT EXISTS `sl_kind_state` (\n"
    "  `job` VARCHAR(64) NOT NULL COMMENT 'job name',\n"
    "  `watermark` BIGINT NOT NULL COMMENT 'synced up to here: epoch seconds, UTC',\n"
    "  `watermark_text` VARCHAR(32) NOT NULL COMMENT 'the watermark in the window zone',\n"
    "  `updated_at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE "
    "CURRENT_TIMESTAMP(3),\n"
    "  PRIMARY KEY (`job`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
    "CREATE TABLE IF NOT EXISTS `sl_kind_runs` (\n"
    "  `id` BIGINT NOT NULL AUTO_INCREMENT,\n"
    "  `job` VARCHAR(64) NOT NULL,\n"
    "  `started_at` DATETIME(3) NOT NULL COMMENT 'UTC',\n"
    "  `ended_at` DATETIME(3) COMMENT 'UTC; NULL while running or after a crash',\n"
    "  `status` VARCHAR(16) NOT NULL COMMENT 'running, ok, or the failure (sl_status name)',\n"
    "  `message` VARCHAR(1024),\n"
    "  `windows` BIGINT NOT NULL DEFAULT '0',\n"
    "  `pages` BIGINT NOT NULL DEFAULT '0',\n"
    "  `rows_written` BIGINT NOT NULL DEFAULT '0',\n"
    "  `rejects` BIGINT NOT NULL DEFAULT '0',\n"
    "  `retries` BIGINT NOT NULL DEFAULT '0',\n"
    "  `throttles` BIGINT NOT NULL DEFAULT '0',\n"
    "  `watermark_from` BIGINT COMMENT 'epoch seconds at the start',\n"
    "  `watermark_to` BIGINT COMMENT 'epoch seconds at the end',\n"
    "  PRIMARY KEY (`id`),\n"
    "  KEY `sluice_job` (`job`,`started_at`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
    "CREATE TABLE IF NOT EXISTS `sl_kind_rejects` (\n"
    "  `id` BIGINT NOT NULL AUTO_INCREMENT,\n"
    "  `job` VARCHAR(64) NOT NULL,\n"
    "  `record_key` VARCHAR(255) COMMENT 'the key cells, comma-separated',\n"
    "  `column_name` VARCHAR(64),\n"
    "  `reason` VARCHAR(1024) NOT NULL,\n"
    "  `raw` LONGTEXT COMMENT 'the record as JSON',\n"
    "  `created_at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
    "  PRIMARY KEY (`id`),\n"
    "  KEY `sluice_job` (`job`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
};

static void test_engine_tables(void)
{
    fixture f;
    fixture_init(&f, "_kind", NULL);
    sl_error err = {0};
    sl_ddl *ddl = sl_ddl_new(&f.plan, &err);
    CHECK(ddl && sl_ddl_count(ddl) == 5);
    for (size_t i = 0; ddl && i < 3; i++) {
        sl_sqlbuf b;
        sl_sqlbuf_init(&b, 8192);
        CHECK(sl_sql_create_table(&b, sl_ddl_table_at(ddl, 2 + i)) == 0);
        CHECK_STR(b.data, engine_ddl[i]);
        sl_sqlbuf_free(&b);
    }
    sl_ddl_free(ddl);
    fixture_free(&f);
}

int main(void)
{
    test_schemes();
    test_open_unknown_scheme();
    test_kind_of();
    test_conv_types();
    test_type_names();
    test_engine_tables();
    return check_done();
}
