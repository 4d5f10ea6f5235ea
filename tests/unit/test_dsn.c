/* test_dsn.c: mysql:// URL parsing, percent-decoding, and that errors never show the password. */
#include <string.h>

#include "check.h"
#include "dsn.h"

static void test_tcp(void)
{
    sl_dsn d;
    sl_error err = {0};
    CHECK(sl_dsn_parse("mysql://sluice:p%40ss%3Aw%2Frd@127.0.0.1:33306/db_1", &d, &err) == SL_OK);
    CHECK_STR(d.user, "sluice");
    CHECK_STR(d.password, "p@ss:w/rd");
    CHECK_STR(d.host, "127.0.0.1");
    CHECK(d.port == 33306);
    CHECK_STR(d.database, "db_1");
    CHECK(d.socket == NULL);
    char desc[256];
    sl_dsn_describe(&d, desc, sizeof desc);
    CHECK_STR(desc, "sluice@127.0.0.1:33306/db_1");
    sl_dsn_clear(&d);
}

static void test_socket_and_raw_at(void)
{
    sl_dsn d;
    sl_error err = {0};
    CHECK(sl_dsn_parse("mysql://u@localhost/shop?socket=/tmp/my%20db/mysqld.sock", &d, &err) ==
          SL_OK);
    CHECK_STR(d.user, "u");
    CHECK_STR(d.password, "");
    CHECK_STR(d.host, "localhost");
    CHECK(d.port == 0);
    CHECK_STR(d.socket, "/tmp/my db/mysqld.sock");
    char desc[256];
    sl_dsn_describe(&d, desc, sizeof desc);
    CHECK_STR(desc, "u@localhost/shop (socket /tmp/my db/mysqld.sock)");
    sl_dsn_clear(&d);

    CHECK(sl_dsn_parse("mysql://u:a@b@h/db", &d, &err) == SL_OK);
    CHECK_STR(d.password, "a@b");
    CHECK(d.port == 0);
    sl_dsn_clear(&d);
}

/* RFC 3986 with a lenient userinfo: it ends at the LAST '@', so a password may hold raw '@',
 * '/', '?' and ':' (the issue's DSN put "ss/w@rd" into the host and database, and from there
 * into stderr and the webhook). User and password are percent-decoded. */
static void test_password_with_raw_delimiters(void)
{
    static const struct {
        const char *url, *user, *password, *host, *database;
        unsigned port;
    } cases[] = {
        {"mysql://u:p@ss/w@rd@db.example:3307/shop", "u", "p@ss/w@rd", "db.example", "shop", 3307},
        {"mysql://u:a/b?c=d@h/db", "u", "a/b?c=d", "h", "db", 0},
        {"mysql://u:x:y@@h/db", "u", "x:y@", "h", "db", 0},
        {"mysql://us%3Aer:p%2F%40w@h/db", "us:er", "p/@w", "h", "db", 0},
        {"mysql://u:/x/@[::1]:3306/db", "u", "/x/", "::1", "db", 3306},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sl_dsn d;
        sl_error err = {0};
        CHECK(sl_dsn_parse(cases[i].url, &d, &err) == SL_OK);
        CHECK_STR(d.user, cases[i].user);
        CHECK_STR(d.password, cases[i].password);
        CHECK_STR(d.host, cases[i].host);
        CHECK_STR(d.database, cases[i].database);
        CHECK(d.port == cases[i].port);
        char desc[256];
        sl_dsn_describe(&d, desc, sizeof desc);
        CHECK(strstr(desc, cases[i].password) == NULL);
        sl_dsn_clear(&d);
    }
    /* The query after the database is still read: '@' and '/' there do not move the host. */
    sl_dsn d;
    sl_error err = {0};
    CHECK(sl_dsn_parse("mysql://u:p@w/x@localhost/db?socket=/run/my%40sql/s.sock", &d, &err) ==
          SL_OK);
    CHECK_STR(d.password, "p@w/x");
    CHECK_STR(d.host, "localhost");
    CHECK_STR(d.socket, "/run/my@sql/s.sock");
    sl_dsn_clear(&d);
}

/* Each bad URL fails with SL_ERR_CONFIG, a message naming the part, and no trace of "s3cret". */
static void test_errors(void)
{
    static const struct {
        const char *url, *want;
    } cases[] = {
        {"postgres://u:s3cret@h/db", "target dsn: must start with mysql://"},
        {"mysql://u:s3cret@h", "target dsn: missing /database"},
        {"mysql://h:1/db", "target dsn: missing user@ before the host"},
        {"mysql://u:s3cret@h:0/db", "target dsn: the port must be 1..65535"},
        {"mysql://u:s3cret@h:70000/db", "target dsn: the port must be 1..65535"},
        {"mysql://u:s3cret@h:12x/db", "target dsn: the port must be 1..65535"},
        {"mysql://u:s3cret%zz@h/db", "target dsn: bad percent-escape in the password"},
        {"mysql://u:s3cret%00@h/db", "target dsn: bad percent-escape in the password"},
        {"mysql://u:s3cret@/db", "target dsn: the host is empty"},
        {"mysql://u:s3cret@h/", "target dsn: the database is empty"},
        {"mysql://:s3cret@h/db", "target dsn: the user is empty"},
        {"mysql://u:s3cret@h/db?sockt=/x", "target dsn: unknown option 'sockt' (allowed: socket)"},
        {"", "target dsn is empty"},
        {"mysql://u:s3cret/x@y@/db", "target dsn: the host is empty"},
        {"mysql://u:s3cret/x@y@h:9x/db", "target dsn: the port must be 1..65535"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sl_dsn d;
        sl_error err = {0};
        CHECK(sl_dsn_parse(cases[i].url, &d, &err) == SL_ERR_CONFIG);
        CHECK_STR(err.msg, cases[i].want);
        CHECK(strstr(err.msg, "s3cret") == NULL && strstr(err.msg, "x@y") == NULL);
        CHECK(d.user == NULL && d.password == NULL);
    }
}

int main(void)
{
    test_tcp();
    test_socket_and_raw_at();
    test_password_with_raw_delimiters();
    test_errors();
    return check_done();
}
