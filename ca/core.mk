# ca/: the core library, first half (store, directory, templates, ACLs,
# audit, labs). No curses, no prompts, no exit().
libcertcon_a_SOURCES += \
	ca/status.c ca/status.h \
	ca/util.c ca/util.h \
	ca/clock.c ca/clock.h \
	ca/context.c ca/context.h \
	ca/store.c ca/store.h \
	ca/directory.c ca/directory.h \
	ca/acl.c ca/acl.h \
	ca/oids.c ca/oids.h \
	ca/template.c ca/template.h \
	ca/audit.c ca/audit.h \
	ca/authz.c ca/authz.h \
	ca/lint.c ca/lint.h \
	ca/autoenroll.c ca/autoenroll.h \
	ca/lab.c ca/lab.h
