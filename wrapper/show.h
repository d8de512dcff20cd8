/* show.h - `provcc show`: print the provenance recorded in files. */
#ifndef PROVCC_SHOW_H
#define PROVCC_SHOW_H

int pv_cmd_show(int argc, char **argv);

#endif
