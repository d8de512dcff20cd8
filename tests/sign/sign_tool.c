/* sign_tool.c - lib/sign.c, lib/dsse.c and `provcc keygen` on the
 * command line, for crosscheck.py:
 *   sign_tool keygen ARGS...             as `provcc keygen ARGS...`
 *   sign_tool sign KEY TYPE BODYFILE     envelope on stdout
 *   sign_tool verify PUBKEY TYPE ENVFILE exit 0 when it verifies, else 1
 */
#include "dsse.h"
#include "keygen.h"
#include "sign.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sign(const char *keyfile, const char *type, const char *file)
{
	struct pv_key *key;
	unsigned char *body;
	const char *why;
	char *env;
	size_t len;

	if (!(key = pv_key_load_private(keyfile, &why))) {
		pv_error("cannot load key", keyfile, why);
		return 1;
	}
	if (pv_read_file(file, &body, &len) < 0) {
		pv_error("cannot read", file, strerror(errno));
		return 1;
	}
	env = pv_dsse_sign(key, type, body, len, &why);
	if (env)
		puts(env);
	else
		pv_error("cannot sign", file, why);
	free(env);
	free(body);
	pv_key_free(key);
	return env ? 0 : 1;
}

static int verify(const char *keyfile, const char *type, const char *file)
{
	struct pv_key *key;
	struct pv_dsse env;
	unsigned char *text;
	const char *why;
	size_t len;
	int rc = 1;

	if (!(key = pv_key_load_public(keyfile, &why))) {
		pv_error("cannot load key", keyfile, why);
		return 1;
	}
	if (pv_read_file(file, &text, &len) < 0) {
		pv_error("cannot read", file, strerror(errno));
		pv_key_free(key);
		return 1;
	}
	if (pv_dsse_parse((char *)text, len, &env, &why) < 0)
		pv_error("malformed envelope", file, why);
	else if (pv_dsse_verify(&env, key, type, &why) < 0)
		pv_error("envelope does not verify", file, why);
	else {
		printf("verified: %zu bytes of %s\n", env.payload_len,
		    env.payload_type);
		rc = 0;
	}
	pv_dsse_free(&env);
	free(text);
	pv_key_free(key);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
		return pv_cmd_keygen(argc - 1, argv + 1);
	if (argc == 5 && strcmp(argv[1], "sign") == 0)
		return sign(argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "verify") == 0)
		return verify(argv[2], argv[3], argv[4]);
	fputs("usage: sign_tool keygen ARGS... | sign KEY TYPE BODYFILE |"
	    " verify PUBKEY TYPE ENVFILE\n", stderr);
	return 2;
}
