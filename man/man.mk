# man/: the manual pages.
dist_man_MANS += man/certcon.1 man/certcon.conf.5 man/certcon-templates.5
