/* test_diag.c: printed diagnostics stay one line per item whatever a message quotes (a job's
 * value may hold a line break or a terminal escape), and a message cut at the length cap
 * ends on a UTF-8 character boundary; the excerpt is the line YAML numbers (CR is a break). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"

/* The printed diagnostics of diag (owned). */
static char *printed(const sl_diag *diag)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    sl_diag_print(diag, f);
    fclose(f);
    return out;
}

int main(void)
{
    sl_diag *d = sl_diag_new("job.yml");
    /* the fuzz_job finding: "name: 9d:mese\n\n o" folds to a value with a line break */
    sl_diag_error(d, (sl_pos){2, 7}, "'%s' is not a valid SQL name", "9d:mese\no");
    sl_diag_warning(d, (sl_pos){3, 1}, "value '%s'", "a\r\x1b[2Jb\x7f\tc");
    char *out = printed(d);
    CHECK_STR(out, "job.yml:2:7: error: '9d:mese\\no' is not a valid SQL name\n"
                   "job.yml:3:1: warning: value 'a\\r\\x1b[2Jb\\x7f\\tc'\n"
                   "1 error\n");
    free(out);
    sl_diag_free(d);

    /* 400 three-byte characters: more than the 1024-byte cap, cut between characters */
    char big[1300] = "";
    for (int i = 0; i < 400; i++)
        strcat(big, "\xe4\xb8\xad");
    d = sl_diag_new("job.yml");
    sl_diag_error(d, (sl_pos){0, 0}, "x%s", big);
    out = printed(d);
    const char *msg = out + strlen("job.yml: error: x");
    size_t n = strcspn(msg, "\n");
    CHECK(n > 900 && n % 3 == 0);
    free(out);
    sl_diag_free(d);

    /* YAML's line breaks (libyaml numbers lines by them): CR alone, CR LF, LF, NEL, LS, PS */
    static const char src[] = "a: 1\rb: 2\r\nc: 3\nd: 4\xc2\x85" "e: 5\xe2\x80\xa8" "f: 6\xe2\x80\xa9" "g: x";
    d = sl_diag_new("job.yml");
    sl_diag_set_source(d, src, sizeof src - 1);
    sl_diag_error(d, (sl_pos){2, 4}, "b");
    sl_diag_error(d, (sl_pos){7, 4}, "g");
    out = printed(d);
    CHECK_STR(out, "job.yml:2:4: error: b\n    2 | b: 2\n      |    ^\n"
                   "job.yml:7:4: error: g\n    7 | g: x\n      |    ^\n2 errors\n");
    free(out);
    sl_diag_free(d);
    return check_done();
}
