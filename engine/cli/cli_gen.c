/* cli_gen.c: see cli_gen.h. The man pages are plain man(7) macros that groff renders without
 * warnings (tests/cli/generated.sh); the completions are scripts whose per-command data comes
 * from the rows, around a fixed skeleton. */
#include "cli_gen.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reference.h"

/* ---- roff ---------------------------------------------------------------------------------- */

/* Decodes the UTF-8 sequence at s (len bytes left) into *cp; returns its length, 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
    if (!n || n > len)
        return 0;
    *cp = s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    return n;
}

/* Writes len bytes of s as roff text: '\' and '-' escaped (so options copy as typed), a '.' or
 * '\'' that would start a line made literal, other than ASCII as \[uXXXX]. */
static void roff(const char *s, size_t len, bool bol, FILE *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (bol && (c == '.' || c == '\''))
            fputs("\\&", out);
        bol = c == '\n';
        unsigned cp;
        size_t n;
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-')
            fputs("\\-", out);
        else if (c < 0x80)
            fputc(c, out);
        else if ((n = utf8_decode((const unsigned char *)s + i, len - i, &cp)) > 0) {
            fprintf(out, "\\[u%04X]", cp);
            i += n - 1;
        } else
            fputc('?', out);
    }
}

static void roff_str(const char *s, bool bol, FILE *out)
{
    roff(s, strlen(s), bol, out);
}

/* Writes Markdown inline text as roff: `code` and **strong** bold, *emphasis* italic, \| a
 * bar (the table cell escape of options.c). */
static void md_inline(const char *s, size_t len, FILE *out)
{
    size_t i = 0, plain = 0; /* s[plain..i) is text not yet written */
    while (i < len) {
        const char *open = NULL, *end = NULL, *font = "\\fB";
        size_t olen = 1;
        if (s[i] == '`')
            end = memchr(s + i + 1, '`', len - i - 1);
        else if (s[i] == '*' && i + 1 < len && s[i + 1] == '*')
            end = memmem(s + i + 2, len - i - 2, "**", 2), olen = 2;
        else if (s[i] == '*' && i + 1 < len && s[i + 1] != ' ')
            end = memchr(s + i + 1, '*', len - i - 1), font = "\\fI";
        else if (s[i] == '\\' && i + 1 < len && s[i + 1] == '|')
            open = s + i;
        if (!end && !open) {
            i++;
            continue;
        }
        roff(s + plain, i - plain, plain == 0, out);
        if (open) { /* \| */
            fputc('|', out);
            plain = i += 2;
            continue;
        }
        fputs(font, out);
        roff(s + i + olen, (size_t)(end - (s + i + olen)), false, out);
        fputs("\\fR", out);
        plain = i = (size_t)(end - s) + olen;
    }
    roff(s + plain, len - plain, plain == 0, out);
}

static void md_inline_str(const char *s, FILE *out)
{
    md_inline(s, strlen(s), out);
}

/* ---- sluice(1) ----------------------------------------------------------------------------- */

static void man1_option(const char *name, char short_name, const char *arg, const char *help,
                        FILE *out)
{
    fputs(".TP\n", out);
    if (short_name)
        fprintf(out, "\\fB\\-%c\\fR, ", short_name);
    fputs("\\fB\\-\\-", out);
    roff_str(name, false, out);
    fputs("\\fR", out);
    if (arg) {
        fputs(" \\fI", out);
        roff_str(arg, false, out);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    md_inline_str(help, out);
    fputc('\n', out);
}

static void man1_command(const cli_cmd *c, FILE *out)
{
    fputs(".SS \"", out);
    roff_str(c->name, false, out);
    fputc(' ', out);
    roff_str(c->operands, false, out);
    fputs("\"\n", out);
    md_inline_str(c->summary, out);
    fputs(".\n.PP\n", out);
    md_inline_str(c->help, out);
    fputs(".PP\nOptions:\n", out);
    for (int id = 0; id < CLI_N_OPTS; id++) {
        if (!(c->opts & CLI_OPT(id)))
            continue;
        cli_opt_doc d = sl_cli_opt_doc((cli_opt_id)id);
        man1_option(d.name, d.short_name, d.arg, d.help, out);
    }
    man1_option("help", 'h', NULL, "print this help", out);
}

static const char man1_head[] =
    ".TH SLUICE 1 \"\" sluice \"sluice manual\"\n"
    ".nh\n"
    ".SH NAME\n"
    "sluice \\- sync a paged, signed HTTP API into MySQL or MariaDB tables, as a job file says\n"
    ".SH SYNOPSIS\n";

static const char man1_description[] =
    ".SH DESCRIPTION\n"
    "\\fBsluice\\fR is a declarative ETL engine. A YAML job file (\\fBsluice\\-job\\fR(5))\n"
    "describes an HTTP API (its signing, time windows, paging and error rules) and the tables\n"
    "its records land in; sluice compiles the file into a plan and syncs the API into the\n"
    "tables window by window, moving the job's watermark only past windows written in full.\n"
    "Secrets are read from the environment or from files named in the job\n"
    "(\\fB${env:NAME}\\fR, \\fB${file:PATH}\\fR) and never appear in any output.\n"
    ".PP\n"
    "This page is generated from the command table of the program (\\fBsluice gen man1\\fR),\n"
    "like \\fBsluice \\fIcommand\\fB \\-\\-help\\fR.\n"
    ".SH COMMANDS\n";

static const char man1_tail[] =
    ".SH ENVIRONMENT\n"
    ".TP\n"
    ".B SLUICE_NOW\n"
    "fixes the engine's clock (\"YYYY\\-MM\\-DD HH:MM:SS\", in the job's timezone), unless\n"
    "\\fB\\-\\-now\\fR is given.\n"
    ".PP\n"
    "Job files name the variables they read their secrets from, as \\fB${env:NAME}\\fR.\n"
    ".SH SEE ALSO\n"
    "\\fBsluice\\-job\\fR(5); the documentation in the source tree: README.md,\n"
    "docs/sync\\-rules.md, docs/deploy.md.\n";

static void man1(const cli_cmd *cmds, size_t n, FILE *out)
{
    fputs(man1_head, out);
    for (size_t i = 0; i < n; i++) {
        fputs("\\fBsluice ", out);
        roff_str(cmds[i].name, false, out);
        fputs("\\fR \\fI", out);
        roff_str(cmds[i].operands, false, out);
        fputs("\\fR [\\fIoptions\\fR]\n.br\n", out);
    }
    fputs("\\fBsluice help\\fR [\\fIcommand\\fR]\n.br\n\\fBsluice \\-\\-version\\fR\n", out);
    fputs(man1_description, out);
    for (size_t i = 0; i < n; i++)
        man1_command(&cmds[i], out);
    fputs(".SH EXIT STATUS\n", out);
    for (size_t i = 0; i < sl_cli_n_exits; i++) {
        fprintf(out, ".TP\n%d\n", sl_cli_exits[i].code);
        md_inline_str(sl_cli_exits[i].meaning, out);
        fputc('\n', out);
    }
    fputs(man1_tail, out);
}

/* ---- sluice-job(5): docs/job-format.md in roff --------------------------------------------- */

enum { MD_MAX_CELLS = 8 };

typedef struct md_span {
    const char *p;
    size_t len;
} md_span;

/* Splits a Markdown table line into its cells (trimmed; \| does not split). Returns how many. */
static size_t md_cells(const char *line, size_t len, md_span *cells)
{
    size_t n = 0, start = 1; /* after the leading '|' */
    for (size_t i = 1; i < len && n < MD_MAX_CELLS; i++) {
        if (line[i] != '|' || line[i - 1] == '\\')
            continue;
        size_t a = start, b = i;
        while (a < b && line[a] == ' ')
            a++;
        while (b > a && line[b - 1] == ' ')
            b--;
        cells[n++] = (md_span){line + a, b - a};
        start = i + 1;
    }
    return n;
}

/* A table row as a tagged paragraph: the first cell is the tag, the middle cells are
 * "header: value" (unless "-"), the last cell is the text. */
static void md_row(const md_span *head, size_t n_head, const md_span *cells, size_t n,
                   FILE *out)
{
    fputs(".TP\n", out);
    md_inline(cells[0].p, cells[0].len, out);
    fputc('\n', out);
    bool any = false;
    for (size_t i = 1; i + 1 < n; i++) {
        if (cells[i].len == 1 && cells[i].p[0] == '-')
            continue;
        fputs(any ? "; " : "", out);
        if (i < n_head) {
            md_inline(head[i].p, head[i].len, out);
            fputs(": ", out);
        }
        md_inline(cells[i].p, cells[i].len, out);
        any = true;
    }
    if (any)
        fputs("\n.br\n", out);
    if (n > 1)
        md_inline(cells[n - 1].p, cells[n - 1].len, out);
    fputc('\n', out);
}

/* Converts the reference's Markdown (headings, paragraphs, tables: what options.c writes). */
static void md_to_man(const char *md, FILE *out)
{
    md_span head[MD_MAX_CELLS], cells[MD_MAX_CELLS];
    size_t n_head = 0;
    bool in_table = false;
    for (const char *line = md; *line;) {
        size_t len = strcspn(line, "\n");
        if (len == 0) {
            in_table = false;
        } else if (!strncmp(line, "## ", 3)) {
            fputs(".SH \"", out);
            md_inline(line + 3, len - 3, out);
            fputs("\"\n", out);
        } else if (line[0] == '|' && !in_table) {
            n_head = md_cells(line, len, head);
            in_table = true;
        } else if (line[0] == '|' && strncmp(line, "|---", 4)) {
            md_row(head, n_head, cells, md_cells(line, len, cells), out);
        } else if (line[0] != '|' && strncmp(line, "# ", 2)) {
            fputs(".PP\n", out);
            md_inline(line, len, out);
            fputc('\n', out);
        }
        line += len + (line[len] == '\n');
    }
}

static const char man5_head[] =
    ".TH SLUICE\\-JOB 5 \"\" sluice \"sluice manual\"\n"
    ".nh\n"
    ".SH NAME\n"
    "sluice\\-job \\- the sluice job file: an API, the tables it lands in, and the mapping\n"
    ".SH DESCRIPTION\n"
    "A job file is a YAML file read by \\fBsluice\\fR(1). This page is generated from the\n"
    "option tables of the program (\\fBsluice gen man5\\fR), like docs/job-format.md and the\n"
    "JSON Schema (\\fBsluice validate \\-\\-print\\-schema\\fR).\n";

static int man5(FILE *out)
{
    char *md = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&md, &len);
    if (!mem)
        return SL_ERR_INTERNAL;
    sl_options_reference(mem);
    if (fclose(mem) != 0) {
        free(md);
        return SL_ERR_INTERNAL;
    }
    fputs(man5_head, out);
    md_to_man(md, out);
    fputs(".SH \"SEE ALSO\"\n\\fBsluice\\fR(1)\n", out);
    free(md);
    return SL_OK;
}

/* ---- completions --------------------------------------------------------------------------- */

/* The operand at position pos of a command's synopsis ("show|reset JOB.yml"; options and their
 * placeholders, as in "JOB.yml --from T --to T", are skipped), into buf; false past the end.
 * *rest is set when the operand repeats ("JOB.yml..."). */
static bool operand_at(const char *synopsis, int pos, char *buf, size_t size, bool *rest)
{
    const char *p = synopsis;
    for (int i = 0; *p;) {
        size_t len = strcspn(p, " ");
        bool option = p[0] == '-';
        if (!option && i++ == pos) {
            *rest = len > 3 && !strncmp(p + len - 3, "...", 3);
            snprintf(buf, size, "%.*s", (int)(len - (*rest ? 3 : 0)), p);
            return true;
        }
        p += len + (p[len] == ' ');
        if (option) /* its placeholder */
            p += strcspn(p, " "), p += *p == ' ';
    }
    return false;
}

/* Writes an operand's alternatives ("show|reset") as space-separated words. */
static void words_of(const char *alternatives, FILE *out)
{
    for (const char *p = alternatives; *p; p++)
        fputc(*p == '|' ? ' ' : *p, out);
}

/* Writes the long options that take a value and whose placeholder is ph, '|'-separated. */
static bool options_with_arg(const char *ph, FILE *out)
{
    bool any = false;
    for (int id = 0; id < CLI_N_OPTS; id++) {
        cli_opt_doc d = sl_cli_opt_doc((cli_opt_id)id);
        if (d.arg && (!ph || !strcmp(d.arg, ph)))
            any = fprintf(out, "%s--%s", any ? "|" : "", d.name) > 0;
    }
    return any;
}

static void bash_options(const cli_cmd *c, FILE *out)
{
    fprintf(out, "        %s) echo \"", c->name);
    for (int id = 0; id < CLI_N_OPTS; id++) {
        if (!(c->opts & CLI_OPT(id)))
            continue;
        cli_opt_doc d = sl_cli_opt_doc((cli_opt_id)id);
        if (d.short_name)
            fprintf(out, "-%c ", d.short_name);
        fprintf(out, "--%s ", d.name);
    }
    fputs("-h --help\" ;;\n", out);
}

/* The words a command takes at operand positions that are fixed lists (state: show reset). */
static void bash_words(const cli_cmd *c, FILE *out)
{
    char op[64];
    bool rest;
    for (int pos = 0; operand_at(c->operands, pos, op, sizeof op, &rest); pos++) {
        if (!strchr(op, '|'))
            continue;
        fprintf(out, "        %s:%d) echo \"", c->name, pos);
        words_of(op, out);
        fputs("\" ;;\n", out);
    }
}

static const char bash_tail[] =
    "    esac\n"
    "}\n\n"
    "# _sluice_jobs WORD: job files (*.yml, *.yaml) and folders starting with WORD.\n"
    "_sluice_jobs() {\n"
    "    local f\n"
    "    compopt -o filenames 2>/dev/null || true\n"
    "    while IFS= read -r f; do\n"
    "        if [[ -d $f || $f == *.yml || $f == *.yaml ]]; then COMPREPLY+=(\"$f\"); fi\n"
    "    done < <(compgen -f -- \"$1\")\n"
    "}\n\n"
    "_sluice() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd=${COMP_WORDS[1]}\n"
    "    local i n=0 words\n"
    "    COMPREPLY=()\n"
    "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
    "        COMPREPLY=($(compgen -W \"$_sluice_commands help -h --help --version\" -- \"$cur\"))\n"
    "        return 0\n"
    "    fi\n"
    "    if [ \"$cmd\" = help ]; then\n"
    "        [ \"$COMP_CWORD\" -ne 2 ] || COMPREPLY=($(compgen -W \"$_sluice_commands\" -- \"$cur\"))\n"
    "        return 0\n"
    "    fi\n"
    "    case $prev in\n"
    "        @DIR@) COMPREPLY=($(compgen -d -- \"$cur\")); compopt -o filenames 2>/dev/null || true; return 0 ;;\n"
    "        @FILE@) COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null || true; return 0 ;;\n"
    "@WORDS@"
    "        @ANY@) return 0 ;;\n"
    "    esac\n"
    "    if [[ $cur == -* ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$(_sluice_options \"$cmd\")\" -- \"$cur\"))\n"
    "        return 0\n"
    "    fi\n"
    "    for ((i = 2; i < COMP_CWORD; i++)); do # the operand's position: options are skipped\n"
    "        case ${COMP_WORDS[i]} in\n"
    "            @ANY@) i=$((i + 1)) ;;\n"
    "            -*) ;;\n"
    "            *) n=$((n + 1)) ;;\n"
    "        esac\n"
    "    done\n"
    "    words=$(_sluice_words \"$cmd:$n\")\n"
    "    if [ -n \"$words\" ]; then\n"
    "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
    "    else\n"
    "        _sluice_jobs \"$cur\"\n"
    "    fi\n"
    "    return 0\n"
    "}\n\n"
    "complete -F _sluice sluice\n";

/* One `case $prev` line per option whose value is one of a list (placeholder "a|b|c"). */
static void bash_value_words(FILE *out)
{
    for (int id = 0; id < CLI_N_OPTS; id++) {
        cli_opt_doc d = sl_cli_opt_doc((cli_opt_id)id);
        if (!d.arg || !strchr(d.arg, '|'))
            continue;
        fprintf(out, "        --%s) COMPREPLY=($(compgen -W \"", d.name);
        words_of(d.arg, out);
        fputs("\" -- \"$cur\")); return 0 ;;\n", out);
    }
}

/* Writes bash_tail with @DIR@, @FILE@ and @ANY@ replaced by the options taking such a value,
 * and @WORDS@ by the lines completing the values of options that take one of a list. */
static void bash_skeleton(FILE *out)
{
    for (const char *p = bash_tail; *p;) {
        const char *at = strchr(p, '@');
        if (!at) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(at - p), out);
        const char *end = strchr(at + 1, '@');
        if (!strncmp(at, "@WORDS@", 7))
            bash_value_words(out);
        else if (!strncmp(at, "@DIR@", 5))
            options_with_arg("DIR", out);
        else if (!strncmp(at, "@FILE@", 6))
            options_with_arg("FILE", out);
        else
            options_with_arg(NULL, out);
        p = end + 1;
    }
}

static void bash(const cli_cmd *cmds, size_t n, FILE *out)
{
    fputs("# bash completion for sluice. Generated by `sluice gen bash` from the command table\n"
          "# (engine/cli/cli.c); do not edit. Install as\n"
          "# /usr/share/bash-completion/completions/sluice, or source it.\n\n"
          "_sluice_commands=\"",
          out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
    fputs("\"\n\n# _sluice_options CMD: the options CMD takes.\n_sluice_options() {\n"
          "    case $1 in\n",
          out);
    for (size_t i = 0; i < n; i++)
        bash_options(&cmds[i], out);
    fputs("    esac\n}\n\n# _sluice_words CMD:POS: the words operand POS of CMD can be, if a "
          "fixed list.\n_sluice_words() {\n    case $1 in\n",
          out);
    for (size_t i = 0; i < n; i++)
        bash_words(&cmds[i], out);
    bash_skeleton(out);
}

/* Writes s for inside a single-quoted zsh word and an _arguments [description]: on one line,
 * quotes and brackets escaped. */
static void zsh_desc(const char *s, FILE *out)
{
    for (; *s; s++) {
        if (*s == '\n')
            fputc(' ', out);
        else if (*s == '\'')
            fputs("'\\''", out);
        else if (*s == '[' || *s == ']')
            fprintf(out, "\\%c", *s);
        else
            fputc(*s, out);
    }
}

/* The _arguments action completing an option's placeholder. */
static const char *zsh_action(const char *arg)
{
    return !strcmp(arg, "DIR") ? "_directories" : !strcmp(arg, "FILE") ? "_files" : " ";
}

static void zsh_option(const cli_opt_doc *d, FILE *out)
{
    for (int form = d->short_name ? 0 : 1; form < 2; form++) {
        if (form == 0)
            fprintf(out, "                '-%c", d->short_name);
        else
            fprintf(out, "                '--%s%s", d->name, d->arg ? "=" : "");
        fputc('[', out);
        zsh_desc(d->help, out);
        fputc(']', out);
        if (d->arg && strchr(d->arg, '|')) { /* one of a list */
            fputs(":value:(", out);
            words_of(d->arg, out);
            fputc(')', out);
        } else if (d->arg) {
            fprintf(out, ":%s:%s", d->arg, zsh_action(d->arg));
        }
        fputs("' \\\n", out);
    }
}

static void zsh_command(const cli_cmd *c, FILE *out)
{
    fprintf(out, "            %s)\n            _arguments -s \\\n", c->name);
    for (int id = 0; id < CLI_N_OPTS; id++) {
        if (!(c->opts & CLI_OPT(id)))
            continue;
        cli_opt_doc d = sl_cli_opt_doc((cli_opt_id)id);
        zsh_option(&d, out);
    }
    fputs("                '(- *)'{-h,--help}'[print this help]' \\\n", out);
    char op[64];
    bool rest = false;
    for (int pos = 0; operand_at(c->operands, pos, op, sizeof op, &rest); pos++) {
        if (rest)
            fputs("                '*:job file:_sluice_jobs' \\\n", out);
        else if (strchr(op, '|')) {
            fprintf(out, "                '%d:%s:(", pos + 1, "action");
            words_of(op, out);
            fputs(")' \\\n", out);
        } else
            fprintf(out, "                '%d:job file:_sluice_jobs' \\\n", pos + 1);
    }
    fputs("                && ret=0\n            ;;\n", out);
}

static const char zsh_head[] =
    "#compdef sluice\n"
    "# zsh completion for sluice. Generated by `sluice gen zsh` from the command table\n"
    "# (engine/cli/cli.c); do not edit. Install as _sluice in a folder of $fpath\n"
    "# (/usr/share/zsh/vendor-completions).\n\n"
    "_sluice_jobs() {\n"
    "    _files -g '*.(yml|yaml)(-.)'\n"
    "}\n\n"
    "_sluice() {\n"
    "    local curcontext=$curcontext state line ret=1\n"
    "    local -a commands\n"
    "    commands=(\n";

static const char zsh_middle[] =
    "    )\n"
    "    _arguments -C \\\n"
    "        '(- *)'{-h,--help}'[print the usage]' \\\n"
    "        '(- *)--version[print the version]' \\\n"
    "        '1: :->command' \\\n"
    "        '*:: :->args' && ret=0\n"
    "    case $state in\n"
    "    command)\n"
    "        _describe -t commands 'sluice command' commands && ret=0\n"
    "        ;;\n"
    "    args)\n"
    "        curcontext=${curcontext%:*:*}:sluice-$words[1]:\n"
    "        case $words[1] in\n"
    "            help)\n"
    "            _describe -t commands 'sluice command' commands && ret=0\n"
    "            ;;\n";

static void zsh(const cli_cmd *cmds, size_t n, FILE *out)
{
    fputs(zsh_head, out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "        '%s:", cmds[i].name);
        zsh_desc(cmds[i].summary, out);
        fputs("'\n", out);
    }
    fputs("        'help:print the help of a command'\n", out);
    fputs(zsh_middle, out);
    for (size_t i = 0; i < n; i++)
        zsh_command(&cmds[i], out);
    fputs("        esac\n        ;;\n    esac\n    return ret\n}\n\n_sluice \"$@\"\n", out);
}

int sl_cli_gen(const char *what, const cli_cmd *cmds, size_t n, FILE *out)
{
    if (!what)
        return sl_cli_usage_error("gen", "wants man1, man5, bash or zsh");
    if (!strcmp(what, "man1"))
        man1(cmds, n, out);
    else if (!strcmp(what, "man5"))
        return man5(out);
    else if (!strcmp(what, "bash"))
        bash(cmds, n, out);
    else if (!strcmp(what, "zsh"))
        zsh(cmds, n, out);
    else
        return sl_cli_usage_error("gen", "wants man1, man5, bash or zsh, not '%s'", what);
    return SL_OK;
}
