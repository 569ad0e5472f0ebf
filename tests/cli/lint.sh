# Lint before sign: requests whose certificate would break an RFC 5280 rule
# are recorded as failed with each broken rule named, through submit and
# enroll, and nothing is issued; `certcon lint` checks certificates and
# CRLs made by OpenSSL and GnuTLS with the same rules.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
W="Web Server"
S=$SCRATCH
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$S/k.pem" 2>/dev/null

# certificate and serial tables, for "nothing was issued" checks
issued_state() {
    sqlite3 "$DB" 'SELECT count(*) FROM certificate; SELECT count(*) FROM serial_used;' \
        2>/dev/null | tr '\n' ' '
}

# refused RULE DESCRIPTION certcon-args...: the request fails, its Failed row
# names RULE, and no certificate or serial was added.
refused() {
    local rule=$1 d=$2 before
    shift 2
    before=$(issued_state)
    run "$@"
    is "$RC" 1 "$d: refused"
    like "$OUT" "^[0-9]+	(failed|denied)		.*Broken rules: ([a-z0-9_]+, )*$rule" "$d: names $rule"
    local id=${OUT%%	*}
    local row
    row=$("$CERTCON" --db "$DB" --tsv ca list failed | awk -F'\t' -v id="$id" '$1 == id')
    like "$row" "$rule" "$d: the Failed row names $rule"
    is "$(issued_state)" "$before" "$d: no certificate issued"
}

# req FILE openssl-req-args...: a DER request for the lab's key
req() {
    local f=$1
    shift
    openssl req -new -key "$S/k.pem" -outform DER -out "$S/$f" "$@" 2>/dev/null ||
        echo "Bail out! openssl req $*"
}
# gnutls_req FILE CN: a DER request whose CN is any string (GnuTLS applies no bound)
gnutls_req() {
    printf 'cn = "%s"\n' "$2" >"$S/req.tmpl"
    certtool --generate-request --load-privkey "$S/k.pem" --template "$S/req.tmpl" --outder \
        --outfile "$S/$1" 2>/dev/null || echo "Bail out! certtool --generate-request"
}
long() { printf "%${1}s" '' | tr ' ' "$2"; }

# --- requests through submit ---
submit() { refused "$1" "$2" --tsv submit --for Administrator --template "$W" "$S/$3"; }
gnutls_req cn65.der "$(long 65 a)"
submit e_subject_common_name_max_length "65-character CN" cn65.der
for n in 1024 2000 10000; do
    gnutls_req "cn$n.der" "$(long "$n" a)"
    submit e_subject_common_name_max_length "$n-byte CN" "cn$n.der"
done
E65=$(for i in $(seq 65); do printf 'é'; done)
gnutls_req e65.der "$E65"
submit e_subject_common_name_max_length "65 x é" e65.der
req ctl.der -subj "/CN=$(printf 'a\001b').contoso.com"
submit e_name_control_character "a control character in the CN" ctl.der
req del.der -subj "/CN=$(printf 'a\177b').contoso.com"
submit e_name_control_character "DEL in the CN" del.der
req dup.der -subj /CN=dup.contoso.com -addext 'subjectAltName=DNS:a.contoso.com' \
    -addext '2.5.29.17=DER:300F820D622E636F6E746F736F2E636F6D'
submit e_ext_duplicate "the same extension twice" dup.der
req emptysan.der -subj /CN=e.contoso.com -addext '2.5.29.17=DER:3000'
submit e_san_empty "an empty SAN" emptysan.der
req rid.der -subj /CN=r.contoso.com -addext 'subjectAltName=RID:1.2.3.4'
submit e_san_type_not_allowed "a registeredID SAN" rid.der
printf '[dn]\nCN=evil\n[r]\nsubjectAltName=dirName:dn\n' >"$S/dn.cnf"
cat /etc/ssl/openssl.cnf "$S/dn.cnf" >"$S/req.cnf"
req dirname.der -subj /CN=d.contoso.com -config "$S/req.cnf" -reqexts r
submit e_san_type_not_allowed "a directoryName SAN" dirname.der
req ip3.der -subj /CN=ip.contoso.com -addext '2.5.29.17=DER:30058703010203'
submit e_san_ip_address_bad_length "a 3-octet iPAddress" ip3.der
req badmail.der -subj /CN=m.contoso.com -addext 'subjectAltName=email:no-at-sign'
submit e_san_rfc822_name_bad_syntax "an rfc822Name without @" badmail.der
req baddns.der -subj /CN=h.contoso.com -addext 'subjectAltName=DNS:not a host!!'
submit e_san_dns_name_bad_label "a dNSName with spaces" baddns.der
# a Failed row names the bad dNSName itself, beside a good one, not only the rule
named() {
    local name=$1 f=$2 pat=$3
    req "$f" -subj /CN=h.contoso.com -addext "subjectAltName=DNS:ok.contoso.com,DNS:$name"
    submit e_san_dns_name_bad_label "dNSName $name" "$f"
    local id=${OUT%%	*}
    like "$("$CERTCON" --db "$DB" --tsv ca list failed | awk -F'\t' -v id="$id" '$1 == id')" \
        "dNSName \"$pat\" has (a|an empty) label" "the Failed row names the dNSName $name"
}
named 'not a host!!' baddns1.der 'not a host!!'
named '-bad-' baddns2.der '-bad-'
named '../../etc' baddns3.der '\.\./\.\./etc'
req wild.der -subj /CN=w.contoso.com -addext 'subjectAltName=DNS:www.*.contoso.com'
submit e_san_dns_name_bad_wildcard "a wildcard inside a name" wild.der

# --- the same through enroll ---
enroll() { refused "$1" "$2" --tsv enroll --for Administrator --template "$W" "${@:3}"; }
enroll e_san_dns_name_bad_label "enroll --dns 'not a host!!'" --cn h.contoso.com --dns 'not a host!!'
enroll e_san_dns_name_bad_label "enroll --dns -bad-" --cn h.contoso.com --dns -bad-
enroll e_san_dns_name_bad_label "enroll --dns ../../etc" --cn h.contoso.com --dns ../../etc
enroll e_san_dns_name_label_too_long "enroll --dns with a 64-character label" \
    --cn h.contoso.com --dns "$(long 64 a).contoso.com"
enroll e_san_dns_name_too_long "enroll --dns of 254 characters" --cn h.contoso.com \
    --dns "$(long 50 a).$(long 50 b).$(long 50 c).$(long 50 d).$(long 50 e)"
enroll e_subject_common_name_max_length "enroll --cn of 100 characters" --cn "$(long 100 x)"
enroll e_name_control_character "enroll --cn with an escape" --cn "$(printf 'a\033[2Jb')"
enroll e_san_rfc822_name_bad_syntax "enroll --email a@" --cn h.contoso.com --email 'a@'

# what passes is issued and loads in OpenSSL
E40=$(for i in $(seq 40); do printf 'é'; done)
run_ok "40 x é is 40 characters: issued" --tsv enroll --for Administrator --template "$W" \
    --cn "$E40"
like "$OUT" "	issued	" "40 x é issued"
req good.der -subj /CN=ok.contoso.com -addext 'subjectAltName=DNS:ok.contoso.com,DNS:*.contoso.com,IP:10.0.0.1'
run_ok "a good request is issued" --tsv submit --for Administrator --template "$W" \
    "$S/good.der" --out "$S/good.pem"
like "$OUT" "	issued	" "issued"
cc ca cert --out "$S/ca.pem" >/dev/null
ssl_verify "$S/ca.pem" "$S/good.pem"
ok $? "the issued certificate verifies with openssl"
run_ok "the issued certificate passes certcon lint" lint "$S/good.pem"
like "$OUT" "ok" "reported ok"

# a template that asks for keyCertSign on an end-entity certificate: the
# request passes policy, the built certificate fails lint and is not signed
cc template duplicate "$W" "KU Test" >/dev/null
cc template set "KU Test" key-usage digitalSignature,keyCertSign >/dev/null
cc ca enable "KU Test" >/dev/null
refused e_key_usage_cert_sign_without_ca "keyCertSign without cA" --tsv enroll \
    --for Administrator --template "KU Test" --cn ku.contoso.com
like "$OUT" "0x800b0108" "CERT_E_MALFORMED"
run_ok "the CA's own CRL" ca crl --out "$S/ca.crl"
run_ok "the CA's CRL passes certcon lint" lint "$S/ca.crl"

# --- certcon lint on certificates made with OpenSSL and GnuTLS ---
x509() { # FILE openssl-req-args...
    local f=$1
    shift
    openssl req -x509 -key "$S/k.pem" -days 30 -out "$S/$f" "$@" 2>/dev/null ||
        echo "Bail out! openssl req -x509 $*"
}
lint_finds() { # RULE FILE description
    run_fails 1 "$3: lint fails" lint "$S/$2"
    like "$OUT" "error +$1 +RFC" "$3: $1 with its section"
}
x509 ok.pem -subj /CN=ok.example.com -set_serial 0x01020304 -addext 'subjectAltName=DNS:ok.example.com'
openssl x509 -in "$S/ok.pem" -noout 2>/dev/null
ok $? "openssl loads the good certificate"
run_ok "a good OpenSSL certificate passes" lint "$S/ok.pem"
openssl x509 -in "$S/ok.pem" -outform DER -out "$S/ok.der"
run_ok "the same in DER passes" lint "$S/ok.der"
x509 s0.pem -subj /CN=x -set_serial 0
lint_finds e_serial_number_not_positive s0.pem "serial 0"
x509 sneg.pem -subj /CN=x -set_serial -5
lint_finds e_serial_number_not_positive sneg.pem "negative serial"
x509 s21.pem -subj /CN=x -set_serial 0x0102030405060708090a0b0c0d0e0f101112131415
lint_finds e_serial_number_too_long s21.pem "21-octet serial"
x509 s20.pem -subj /CN=x -set_serial 0x0102030405060708090a0b0c0d0e0f1011121314
run_ok "a 20-octet serial passes" lint "$S/s20.pem"
printf 'cn = "%s"\nserial = 5\nexpiration_days = 10\n' "$(long 100 a)" >"$S/long.tmpl"
certtool --generate-self-signed --load-privkey "$S/k.pem" --template "$S/long.tmpl" \
    --outfile "$S/cn100.pem" 2>/dev/null
lint_finds e_subject_common_name_max_length cn100.pem "a CN of 100 characters"
x509 san.pem -subj /CN=x -addext 'subjectAltName=DNS:-bad-,IP:1.2.3.4'
lint_finds e_san_dns_name_bad_label san.pem "a bad dNSName"
x509 ku.pem -subj /CN=x -addext keyUsage=keyCertSign -addext basicConstraints=CA:FALSE
lint_finds e_key_usage_cert_sign_without_ca ku.pem "keyCertSign without CA:TRUE"
# OpenSSL replaces a repeated extension, so the second SAN is made as an
# issuerAltName and its OID patched (lint reads structure, not the signature)
x509 ian.pem -subj /CN=x -addext 'subjectAltName=DNS:a.example.com' \
    -addext 'issuerAltName=DNS:b.example.com' -outform DER
perl -0777 -pe 's/\x06\x03\x55\x1d\x12/\x06\x03\x55\x1d\x11/' "$S/ian.pem" >"$S/dupx.der"
openssl x509 -inform DER -in "$S/dupx.der" -noout -text 2>/dev/null |
    grep -c 'Subject Alternative Name' >"$S/nsan"
is "$(cat "$S/nsan")" 2 "openssl loads a certificate with two SANs"
lint_finds e_ext_duplicate dupx.der "duplicate extensions"
cat "$S/ok.pem" "$S/s0.pem" >"$S/two.pem"
run_fails 1 "two certificates in one file" lint "$S/two.pem"
like "$OUT" "certificate 2 +error +e_serial_number_not_positive" "the second one is named"

# CRLs made with openssl ca
mkdir -p "$S/oca"
: >"$S/oca/index.txt"
echo 01 >"$S/oca/crlnumber"
cat >"$S/oca/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $S/oca/index.txt
crlnumber = $S/oca/crlnumber
default_md = sha256
default_crl_days = 7
[crlext]
authorityKeyIdentifier = keyid
[bare]
CNF
x509 oca.pem -subj '/CN=Test CA' -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign -addext subjectKeyIdentifier=hash
openssl ca -config "$S/oca/ca.cnf" -gencrl -keyfile "$S/k.pem" -cert "$S/oca.pem" \
    -crlexts crlext -out "$S/good.crl" 2>/dev/null
openssl crl -in "$S/good.crl" -noout 2>/dev/null
ok $? "openssl loads its CRL"
run_ok "a CRL with a number and an AKI passes" lint "$S/good.crl"
like "$OUT" "CRL 1 +ok" "reported as a CRL"
grep -v '^crlnumber' "$S/oca/ca.cnf" >"$S/oca/bare.cnf"
openssl ca -config "$S/oca/bare.cnf" -gencrl -keyfile "$S/k.pem" -cert "$S/oca.pem" \
    -crlexts bare -out "$S/bare.crl" 2>/dev/null
lint_finds e_crl_number_missing bare.crl "a CRL without cRLNumber"
like "$OUT" "e_crl_aki_missing" "and without an AKI"

# bad files
printf 'not a certificate\n' >"$S/garbage.pem"
run_fails 1 "a file without a certificate" lint "$S/garbage.pem"
like "$ERR" "no certificate or CRL" "says so"
run_fails 1 "a missing file" lint "$S/missing.pem"
run_fails 2 "no file at all" lint

# the rules: listed by --rules and in certcon(1)
run_ok "lint --rules" --tsv lint --rules
MAN="${TESTS_SRCDIR:-$(dirname "$0")/..}/../man/certcon.1"
missing=
for r in $(printf '%s\n' "$OUT" | cut -f1); do
    grep -q "^\.B $(printf '%s' "$r" | sed 's/-/\\\\-/g')\$" "$MAN" || missing="$missing $r"
done
is "$missing" "" "certcon(1) lists every rule"
like "$OUT" "e_serial_number_too_long	error	RFC 5280 4.1.2.2" "rules carry severity and section"
done_testing
