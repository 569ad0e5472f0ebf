/*
 * Raw signing rate of a key, for tests/bench/issue: signs a certificate-
 * sized buffer with gnutls_privkey_sign_data2 for about two seconds and
 * prints signatures per second. Usage: bench_sign KEY.pem
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_sign KEY.pem\n");
        return 2;
    }
    gnutls_datum_t file;
    if (gnutls_load_file(argv[1], &file) < 0) {
        fprintf(stderr, "bench_sign: cannot read %s\n", argv[1]);
        return 1;
    }
    gnutls_privkey_t key;
    gnutls_privkey_init(&key);
    if (gnutls_privkey_import_x509_raw(key, &file, GNUTLS_X509_FMT_PEM, NULL, 0) < 0) {
        fprintf(stderr, "bench_sign: %s is not a key\n", argv[1]);
        return 1;
    }
    unsigned bits;
    int pk = gnutls_privkey_get_pk_algorithm(key, &bits);
    gnutls_sign_algorithm_t sign = pk == GNUTLS_PK_RSA ? GNUTLS_SIGN_RSA_SHA256
                                   : pk == GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_SIGN_EDDSA_ED25519
                                   : bits > 256 ? GNUTLS_SIGN_ECDSA_SHA384
                                                : GNUTLS_SIGN_ECDSA_SHA256;
    unsigned char tbs[700];
    memset(tbs, 0x5a, sizeof tbs);
    gnutls_datum_t data = {tbs, sizeof tbs};
    long n = 0;
    double start = now_seconds(), t;
    do {
        gnutls_datum_t sig;
        tbs[n % sizeof tbs]++;
        if (gnutls_privkey_sign_data2(key, sign, 0, &data, &sig) < 0)
            return 1;
        gnutls_free(sig.data);
        n++;
        t = now_seconds() - start;
    } while (t < 2.0);
    printf("%.0f\n", (double)n / t);
    gnutls_privkey_deinit(key);
    gnutls_free(file.data);
    return 0;
}
