/* compile.h - the wrapper's compile path. */
#ifndef PROVCC_COMPILE_H
#define PROVCC_COMPILE_H

struct pv_tool;

/* Run the compiler T names (a launcher and the compiler behind it, or
 * the compiler alone) with ARGV: argv[0] is the compiler name as the
 * build gave it, or the launcher's when T->skip.  Compiles are recorded;
 * everything else is passed through by exec.  Returns an exit status
 * only when it does not exit or exec itself. */
int pv_compile_main(const struct pv_tool *t, int argc, char **argv,
    int masquerade);

#endif
