/*
 * Request intake: any bytes through request_parse, the way `certcon submit`
 * and the CA take a CSR. Bytes starting with a SEQUENCE tag go through the
 * hand-written DER walk first, everything else (PEM, or DER the walk
 * refuses) through GnuTLS, so one harness covers both paths. A request that
 * parses is also read the way policy reads it.
 */
#include "config.h"

#include "fuzz.h"
#include "request.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct request_info r;
    char *cause = NULL;
    int rc = request_parse(data, size, &r, &cause);
    if (rc == CC_OK) {
        if (r.der.n == 0 || r.spki.n == 0)
            fuzz_die("a parsed request without its DER or public key");
        (void)request_weak_hash(&r);
    }
    request_info_free(&r);
    free(cause);
    return 0;
}
