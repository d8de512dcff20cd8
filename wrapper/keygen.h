/* keygen.h - `provcc keygen`: make a signing key pair. */
#ifndef PROVCC_KEYGEN_H
#define PROVCC_KEYGEN_H

/* ARGV[0] is "keygen".  Returns the exit status. */
int pv_cmd_keygen(int argc, char **argv);

#endif
