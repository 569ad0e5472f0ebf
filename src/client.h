/*
 * `certcon --connect SOCKET ...`: the client of the CA service. It hands the
 * command line, its standard streams and its terminal to the service, does
 * the file reads and writes the command asks for with its own permissions,
 * passes on terminal resizes, and exits with the status the service sends.
 */
#ifndef CERTCON_CLIENT_H
#define CERTCON_CLIENT_H

/*
 * Runs argv (argv[0] the program, --connect already taken out) in the
 * service listening at path; returns the command's exit status.
 */
int client_main(const char *path, int argc, char **argv, const char *script);

#endif
