# The front ends reach the CA through the operations table only: no object
# of the command line, the service (src/) or the console (libui.a) calls a
# function of the core library (libcertcon.a) but the operations (ops_*)
# and the short list of helpers below, which neither read nor change the
# CA's state, decide rights nor open transactions. Linking tells: `nm` on
# the built objects, each call not on the list named with its file.
#
# What a front end may call besides ops_*:
#   *_free                     releasing what an operation returned
#   strlist_*, pkix_buf_*      lists of strings and byte buffers
#   cc_*                       status, text, time, clock and file helpers (ca/util, status, clock)
#   ctx_*                      making the caller's context
#   store_open, store_close    opening the database; with what opening sets on the handle
#   store_set_label, store_set_tokens_at_restart   (src/cli.c's cli_open)
#   authz_resolve              who the caller is, before there is a context to ask with
#   *_name, *_format, *_parse  value formatters and parsers
#   and these pure helpers on values already in memory:
pure="request_pem_encode labsnap_name_ok exercise_find ocsp_answer_status pulse_report_failed
gpo_settings_text gpo_policy_bits template_settings template_is_builtin template_is_machine
template_version_string template_copy template_name_for template_subject_supplied
template_exportable template_key_accepts template_default_key request_key_types
acl_equal acl_find oid_is_valid dir_check_attribute authority_base_url_check
authority_urls_get export_extension coach_note_key"
# src/http.c alone also calls the protocol modules it serves (bytes in, bytes out):
http_protocols="ocsp_respond est_handle acme_handle"

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
BUILD=$(cd "$TESTS_BUILDDIR/.." && pwd)
NM=${NM:-nm}
plan 5

# the check looks where the objects are (a wrong directory must not pass)
objects=$(ls "$BUILD"/src/certcon-*.o 2>/dev/null)
n=$(printf '%s\n' "$objects" | grep -c .)
ok $([ "$n" -gt 20 ] && echo 0 || echo 1) "the front end's objects are found ($n files)"
core=$("$NM" --defined-only "$BUILD/libcertcon.a" 2>/dev/null | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
    sort -u)
ok $(printf '%s\n' "$core" | grep -qx 'ops_call' && echo 0 || echo 1) \
    "libcertcon.a defines ops_call"
ok $([ -f "$BUILD/libui.a" ] && echo 0 || echo 1) "the console's library is found"

allowed_re="^(ops_|strlist_|pkix_buf_|cc_|ctx_)|_free\$|_name\$|_format\$|_parse\$"
allowed_re="$allowed_re|^(store_open|store_close|store_set_label|store_set_tokens_at_restart)\$"
allowed_re="$allowed_re|^authz_resolve\$|^($(echo $pure | tr ' ' '|'))\$"
http_re="^($(echo $http_protocols | tr ' ' '|'))\$"

# offenders FILE...: "file: symbol" for each call into the core that is not allowed
offenders() {
    "$NM" -A -u "$@" 2>/dev/null |
        awk -v core="$core" -v allowed="$allowed_re" -v http="$http_re" -v build="$BUILD/" '
            BEGIN { n = split(core, c, "\n"); for (i = 1; i <= n; i++) in_core[c[i]] = 1 }
            {
                file = $1; sub(/:$/, "", file); sym = $NF
                if (!(sym in in_core) || sym ~ allowed) next
                if (file ~ /certcon-http\.o$/ && sym ~ http) next
                if (index(file, build) == 1) file = substr(file, length(build) + 1)
                print file ": " sym
            }' | sort -u
}

# none FOUND DESCRIPTION: passes when nothing was found, else names each call
none() {
    [ -z "$1" ]
    ok $? "$2"
    [ -z "$1" ] || printf '%s\n' "$1" | sed 's/^/#   /'
}

# shellcheck disable=SC2086 # one word per object
none "$(offenders $objects)" "the command line and the service call the core through operations only"
none "$(offenders "$BUILD/libui.a")" "the console calls the core through operations only"
[ "$_tap_failed" -eq 0 ]
