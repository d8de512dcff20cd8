#include <stdio.h>
#include <string.h>

#include "greet.h"

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "world";

	if (strlen(name) > 64) {
		fprintf(stderr, "hello: name too long\n");
		return 1;
	}
	greet(name);
	return 0;
}
