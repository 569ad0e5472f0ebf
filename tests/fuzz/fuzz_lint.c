/*
 * `certcon lint`'s parsing: any bytes through certlint_data, the way the
 * command reads a file (DER, or PEM with CERTIFICATE and X509 CRL blocks),
 * and the same bytes as a bare certificate, CRL and request, the way the CA
 * lints what it is about to sign or has just received. Every finding must
 * name a rule of the table.
 */
#include "config.h"

#include <stdlib.h>

#include "certlint.h"
#include "fuzz.h"

static void
check_result(struct certlint_result *r)
{
    size_t errors = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct certlint_rule_info *info = certlint_rule(r->v[i].rule);
        if (info == NULL || info->name == NULL)
            fuzz_die("a finding names no rule");
        errors += info->error != 0;
    }
    if (errors != r->errors)
        fuzz_die("the error count does not match the findings");
    char *names = certlint_error_names(r);
    if ((names != NULL) != (r->errors > 0) && !r->oom)
        fuzz_die("error names disagree with the error count");
    free(names);
    certlint_result_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct certlint_object *objs = NULL;
    size_t n = 0;
    char *cause = NULL;
    if (certlint_data(data, size, &objs, &n, &cause) == CC_OK) {
        for (size_t i = 0; i < n; i++) {
            check_result(&objs[i].result);
        }
    }
    certlint_objects_free(objs, n);
    free(cause);

    struct certlint_context ctx = {1764000000, 1924000000};
    struct certlint_result r = {0};
    for (int tbs = 0; tbs < 2; tbs++) {
        if (certlint_certificate(data, size, tbs, &ctx, &r) == CC_OK)
            check_result(&r);
        certlint_result_free(&r);
        if (certlint_crl(data, size, tbs, &r) == CC_OK)
            check_result(&r);
        certlint_result_free(&r);
    }
    for (int names = 0; names < 2; names++) {
        if (certlint_request(data, size, names, &r) == CC_OK)
            check_result(&r);
        certlint_result_free(&r);
    }
    return 0;
}
