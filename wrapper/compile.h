/* compile.h - the wrapper's compile path. */
#ifndef PROVCC_COMPILE_H
#define PROVCC_COMPILE_H

/* Run COMPILER (a resolved path) with ARGV (argv[0] is the compiler name
 * as the build gave it).  Compiles are recorded; everything else is
 * passed through by exec.  Returns an exit status only when it does not
 * exit or exec itself. */
int pv_compile_main(const char *compiler, int argc, char **argv,
    int masquerade);

#endif
