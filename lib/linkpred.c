/* linkpred.c - expand the compact compile records of a link predicate;
 * see linkpred.h. */
#include "linkpred.h"
#include "record.h"

#include <string.h>

/* A copy of the file object FILES[INDEX], or NULL. */
static json_t *file_at(const json_t *files, const json_t *index)
{
	json_int_t i;
	json_t *f;

	if (!json_is_integer(index))
		return NULL;
	i = json_integer_value(index);
	if (i < 0 || (size_t)i >= json_array_size(files))
		return NULL;
	f = json_array_get(files, (size_t)i);
	if (!json_is_string(json_object_get(f, "path")) ||
	    !json_is_string(json_object_get(f, "sha256")))
		return NULL;
	return json_deep_copy(f);
}

/* Replace OBJ[KEY], an index, by the file it names. */
static int expand_member(json_t *obj, const char *key, const json_t *files)
{
	json_t *f = file_at(files, json_object_get(obj, key));

	if (!f)
		return -1;
	json_object_set_new(obj, key, f);
	return 0;
}

/* Replace every item of the array OBJ[KEY] by the file it names. */
static int expand_list(json_t *obj, const char *key, const json_t *files)
{
	json_t *list = json_object_get(obj, key), *f;
	size_t i;

	if (!json_is_array(list))
		return -1;
	for (i = 0; i < json_array_size(list); i++) {
		f = file_at(files, json_array_get(list, i));
		if (!f)
			return -1;
		json_array_set_new(list, i, f);
	}
	return 0;
}

json_t *pv_linkpred_expand_compile(const json_t *compact,
    const json_t *files, const char **why)
{
	json_t *r = json_deep_copy(compact), *tc;
	struct pv_record rec;

	tc = json_object_get(r, "toolchain");
	if (!json_is_object(r) || !json_is_object(tc) ||
	    expand_member(r, "source", files) < 0 ||
	    expand_list(r, "responseFiles", files) < 0 ||
	    expand_list(r, "inputs", files) < 0 ||
	    expand_member(tc, "driver", files) < 0 ||
	    expand_list(tc, "programs", files) < 0 ||
	    (json_object_get(tc, "launcher") &&
	    expand_member(tc, "launcher", files) < 0)) {
		*why = "a compile record names a file not in the table";
		json_decref(r);
		return NULL;
	}
	/* What show and the collector read must be a compile record. */
	if (pv_record_from_json(r, &rec) < 0) {
		*why = "not a compile record of a known version";
		json_decref(r);
		return NULL;
	}
	pv_record_free(&rec);
	return r;
}

json_t *pv_linkpred_expand(const json_t *predicate, const char **why)
{
	const json_t *files = json_object_get(predicate, "files");
	const json_t *compiles = json_object_get(predicate, "compiles");
	json_t *out, *list, *r, *c;
	size_t i;

	if (!json_is_object(predicate) || !json_is_array(files) ||
	    !json_is_array(compiles)) {
		*why = "the link predicate has no files or compiles array";
		return NULL;
	}
	list = json_array();
	json_array_foreach(compiles, i, c) {
		r = pv_linkpred_expand_compile(c, files, why);
		if (!r) {
			json_decref(list);
			return NULL;
		}
		json_array_append_new(list, r);
	}
	out = json_deep_copy(predicate);
	json_object_set_new(out, "compiles", list);
	return out;
}
