#ifndef GREET_H
#define GREET_H

/* Write a greeting for NAME to standard output. */
void greet(const char *name);

#endif
