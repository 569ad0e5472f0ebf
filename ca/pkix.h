/*
 * DER the CA needs beyond what GnuTLS builds: the definitions of
 * ca/pkix.asn loaded once into libtasn1, and small helpers to encode and
 * decode the Microsoft template extensions, the SID extension, the
 * enrollment name-value pair, times, and to join pre-encoded pieces under
 * one tag (lengths come from libtasn1's asn1_length_der). Everything returns
 * a status from status.h; buffers are malloc'ed and owned by the caller.
 */
#ifndef CERTCON_PKIX_H
#define CERTCON_PKIX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libtasn1.h>

#include "util.h"

/* An owned byte buffer (free with pkix_buf_free). */
struct pkix_buf {
    unsigned char *p;
    size_t n;
};

void pkix_buf_free(struct pkix_buf *b);
int pkix_buf_set(struct pkix_buf *b, const void *p, size_t n);
int pkix_buf_append(struct pkix_buf *b, const void *p, size_t n);

/* The tree of ca/pkix.asn, built on first use; NULL if libtasn1 refused it. */
asn1_node pkix_definitions(void);
/* Creates an element of a type of ca/pkix.asn ("CertconPKIX.Extension"). */
int pkix_element(const char *type, asn1_node *out, char **cause);
/* DER of element (or of its part name, NULL for the whole) into out. */
int pkix_der(asn1_node el, const char *name, struct pkix_buf *out, char **cause);

/*
 * Appends tag, DER length and content to out: the one way pre-encoded pieces
 * are joined (SEQUENCE 0x30, [3] 0xA3, OCTET STRING 0x04, ...).
 */
int pkix_wrap(struct pkix_buf *out, unsigned char tag, const void *content, size_t n);

/*
 * Reads the TLV header at p (n bytes available): *tag, content length *len;
 * returns the header size, or -1 when the TLV does not fit in n bytes.
 */
long pkix_tlv(const unsigned char *p, size_t n, unsigned char *tag, size_t *len);

/* An RFC 5280 Time string: UTCTime through 2049, GeneralizedTime after. */
void pkix_time_string(time_t t, char *buf, size_t size, int *generalized);
/* Writes a Time CHOICE at name ("validity.notBefore") of el. */
int pkix_write_time(asn1_node el, const char *name, time_t t);

/* One Extension TLV with extnID oid and the given value DER. */
int pkix_extension(const char *oid, int critical, const void *value, size_t n,
                   struct pkix_buf *out, char **cause);

/* 1.3.6.1.4.1.311.20.2: BMPString of the template's cn. */
int pkix_template_name_encode(const char *cn, struct pkix_buf *out, char **cause);
/* Accepts BMPString, UTF8String or SEQUENCE { UTF8String }; *cn allocated. */
int pkix_template_name_decode(const void *der, size_t n, char **cn);
/* 1.3.6.1.4.1.311.21.7 */
int pkix_template_info_encode(const char *oid, uint32_t major, uint32_t minor,
                              struct pkix_buf *out, char **cause);
/* major/minor are -1 when absent; *oid allocated. */
int pkix_template_info_decode(const void *der, size_t n, char **oid, int64_t *major,
                              int64_t *minor);
/* 1.3.6.1.4.1.311.21.10 (and the same syntax for 2.5.29.32 without qualifiers). */
int pkix_policies_encode(const struct strlist *oids, struct pkix_buf *out, char **cause);
int pkix_policies_decode(const void *der, size_t n, struct strlist *oids);
/* 1.2.840.113549.1.9.15 (RFC 4262): capabilities without parameters, in the given order. */
int pkix_smime_capabilities_encode(const struct strlist *oids, struct pkix_buf *out, char **cause);
/* 1.3.6.1.4.1.311.25.2 with the SID in its string form. */
int pkix_sid_encode(const char *sid, struct pkix_buf *out, char **cause);
/* The enrollment name-value pair attribute 1.3.6.1.4.1.311.13.2.1; both allocated. */
int pkix_name_value_decode(const void *der, size_t n, char **name, char **value);
int pkix_name_value_encode(const char *name, const char *value, struct pkix_buf *out,
                           char **cause);

/* UTF-8 <-> UTF-16BE for BMPString. */
int pkix_utf8_to_bmp(const char *s, struct pkix_buf *out);
char *pkix_bmp_to_utf8(const unsigned char *p, size_t n);

/* Lower-case hex of n bytes; allocated. */
char *pkix_hex(const unsigned char *p, size_t n);
/* Parses hex (colons and blanks allowed) into out; CC_EINVAL when malformed. */
int pkix_unhex(const char *s, struct pkix_buf *out);

#endif
