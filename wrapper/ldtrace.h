/* ldtrace.h - the inputs of an lld link, read from the dependency file
 * (--dependency-file) and the extraction list (--why-extract) it wrote.
 */
#ifndef PROVCC_LDTRACE_H
#define PROVCC_LDTRACE_H

#include <jansson.h>

/* The inputs as a JSON array in the form of the linker plugin's
 * manifest "inputs" (plugin/README.md): each file read, in order; for
 * an archive, each member linked (extracted, or all members of an
 * archive under --whole-archive in ARGV).  CWD is lld's working
 * directory.  NULL with a reason in *why. */
json_t *pv_ldtrace_inputs(const char *depfile, const char *whyfile,
    const char *cwd, int argc, char *const argv[], const char **why);

#endif
