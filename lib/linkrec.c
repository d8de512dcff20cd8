/* linkrec.c - the link predicate builder; see linkrec.h. */
#include "linkrec.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII)

void pv_linkrec_init(struct pv_linkrec *lr)
{
	lr->files = json_array();
	lr->file_index = json_object();
	lr->compiles = json_array();
	lr->compile_index = json_object();
	lr->inputs = json_array();
}

void pv_linkrec_free(struct pv_linkrec *lr)
{
	json_decref(lr->files);
	json_decref(lr->file_index);
	json_decref(lr->compiles);
	json_decref(lr->compile_index);
	json_decref(lr->inputs);
	memset(lr, 0, sizeof(*lr));
}

/* The index of file object F in the table, added when new; NULL when F
 * is not {"path": string, "sha256": string}. */
static json_t *file_ref(struct pv_linkrec *lr, const json_t *f)
{
	const char *path = json_string_value(json_object_get(f, "path"));
	const char *sha = json_string_value(json_object_get(f, "sha256"));
	json_t *idx;
	char *key;

	if (!path || !sha || json_object_size(f) != 2)
		return NULL;
	key = pv_xasprintf("%s %s", sha, path);
	idx = json_object_get(lr->file_index, key);
	if (!idx) {
		idx = json_integer((json_int_t)json_array_size(lr->files));
		json_object_set_new(lr->file_index, key, idx);
		json_array_append_new(lr->files,
		    json_pack("{s:s,s:s}", "path", path, "sha256", sha));
	}
	free(key);
	return json_incref(idx);
}

/* Replace OBJ[NAME], a file object, by its index. */
static int compact_member(struct pv_linkrec *lr, json_t *obj,
    const char *name)
{
	json_t *ref = file_ref(lr, json_object_get(obj, name));

	if (!ref)
		return -1;
	json_object_set_new(obj, name, ref);
	return 0;
}

/* Replace each file object of the array OBJ[NAME] by its index. */
static int compact_array(struct pv_linkrec *lr, json_t *obj,
    const char *name)
{
	json_t *a = json_object_get(obj, name), *v;
	size_t i;

	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, v) {
		json_t *ref = file_ref(lr, v);

		if (!ref)
			return -1;
		json_array_set_new(a, i, ref);
	}
	return 0;
}

static int compact_record(struct pv_linkrec *lr, json_t *r)
{
	json_t *tc = json_object_get(r, "toolchain");

	if (!json_is_object(tc) ||
	    compact_member(lr, r, "source") < 0 ||
	    compact_array(lr, r, "responseFiles") < 0 ||
	    compact_array(lr, r, "inputs") < 0 ||
	    compact_member(lr, tc, "driver") < 0 ||
	    compact_array(lr, tc, "programs") < 0)
		return -1;
	if (json_object_get(tc, "launcher"))
		return compact_member(lr, tc, "launcher");
	return 0;
}

long pv_linkrec_add_compile(struct pv_linkrec *lr, const json_t *record)
{
	json_t *r = json_deep_copy(record), *idx;
	char *text;
	long n;

	if (!json_is_object(r) || compact_record(lr, r) < 0) {
		json_decref(r);
		return -1;
	}
	text = json_dumps(r, JSON_FLAGS);
	if (!text) {
		json_decref(r);
		return -1;
	}
	idx = json_object_get(lr->compile_index, text);
	if (idx) {
		n = (long)json_integer_value(idx);
		json_decref(r);
	} else {
		n = (long)json_array_size(lr->compiles);
		json_object_set_new(lr->compile_index, text, json_integer(n));
		json_array_append_new(lr->compiles, r);
	}
	free(text);
	return n;
}

void pv_linkrec_add_input(struct pv_linkrec *lr, json_t *input)
{
	json_array_append_new(lr->inputs, input);
}

json_t *pv_linkrec_predicate(struct pv_linkrec *lr, json_t *link)
{
	json_t *p = json_object();

	json_object_set_new(p, "version", json_integer(1));
	json_object_set_new(p, "link", link);
	json_object_set(p, "files", lr->files);
	json_object_set(p, "compiles", lr->compiles);
	json_object_set(p, "inputs", lr->inputs);
	pv_linkrec_free(lr);
	return p;
}
