/*
 * certcon ocsp respond: the CA's OCSP responder without the network. A DER
 * request made anywhere (openssl ocsp -reqout) is answered the way the
 * service's /ocsp answers it, and the DER response is written to a file
 * for the client to read (openssl ocsp -respin).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "cmd_ca.h"
#include "commands.h"
#include "ocsp.h"
#include "ops.h"
#include "status.h"

int
cmd_ocsp_respond(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ocsp", "respond");
    static const struct option opts[] = {{"in", required_argument, NULL, 'i'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *in = NULL, *out = NULL;
    int force = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'i':
            in = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'f':
            force = 1;
            break;
        default:
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (in == NULL)
        return cli_usage_error(c, cmd, "--in REQUEST-FILE is required");
    if (force && out == NULL)
        return cli_usage_error(c, cmd, "--force needs --out FILE");
    if (out == NULL && isatty(STDOUT_FILENO)) {
        cli_error("the response is DER: give --out FILE or redirect standard output");
        return CLI_USAGE;
    }
    if (out && cmd_ca_check_writable(c, out, force) != CLI_OK)
        return CLI_FAILED;
    void *req = NULL;
    size_t n = 0;
    char *cause = NULL;
    /* a longer file is read one byte past the limit, and answered malformedRequest */
    int rc = cli_read_file(c, in, OCSP_MAX_REQUEST_SIZE, &req, &n, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    if (cli_open(c, 0) != CLI_OK) {
        free(req);
        return CLI_FAILED;
    }
    struct ops_ocsp_request ask = {req, n};
    struct ocsp_answer a;
    rc = ops_call(&c->cx, OP_OCSP_RESPOND, &ask, &a, &cause);
    free(req);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    int status = ocsp_answer_status(&a);
    int r = CLI_OK;
    if (out != NULL) {
        r = cmd_ca_write_file(c, out, a.der, a.len, 0644, force);
    } else if (fwrite(a.der, 1, a.len, stdout) != a.len || fflush(stdout) != 0) {
        cli_error("cannot write the response to standard output");
        r = CLI_FAILED;
    }
    if (r == CLI_OK && status == OCSP_SUCCESSFUL) {
        char when[32];
        /* standard output may hold the response itself */
        cli_fprintf(c, out ? stdout : stderr, "successful: next update %s\n",
                    cc_time_format(a.next_update, when, sizeof when));
    } else if (r == CLI_OK) {
        cli_error("%s: %s", ocsp_status_name(status), cause ? cause : "the request was refused");
        r = CLI_FAILED;
    }
    free(cause);
    ocsp_answer_free(&a);
    return r;
}
