# src/: main and the command-line front end, one file per command group.
certcon_SOURCES += \
	src/main.c \
	src/cli.c src/cli.h \
	src/proto.c src/proto.h \
	src/serve.c src/serve.h \
	src/http.c src/http.h \
	src/http_tls.c src/http_tls.h \
	src/client.c src/client.h \
	src/config_file.c src/config_file.h \
	src/commands.c src/commands.h \
	src/console.c src/console.h \
	src/cmd_init.c \
	src/cmd_audit.c \
	src/cmd_dir.c \
	src/cmd_template.c \
	src/cmd_lint.c \
	src/cmd_account.c \
	src/cmd_gpo.c \
	src/cmd_ocsp.c \
	src/cmd_ops.c \
	src/cmd_acme.c \
	src/acme_va.c src/acme_va.h
# The HTTP side of the service (src/http.c) speaks through libmicrohttpd.
certcon_CPPFLAGS += $(MHD_CFLAGS)
certcon_LDADD += $(MHD_LIBS)
# ACME validation reads DNS answers with libresolv (src/acme_va.c)
certcon_LDADD += -lresolv
