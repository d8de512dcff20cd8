/* linkpred.h - the link predicate (type PV_LINK_PREDICATE_TYPE): its
 * compile records are stored compact, every file object replaced by
 * its index into the predicate's deduplicated "files" table.
 *
 * File objects of a compile record (docs/format.md section 4):
 * "source", the items of "responseFiles" and "inputs",
 * "toolchain"."driver", the items of "toolchain"."programs" and
 * "toolchain"."launcher" when present.
 */
#ifndef PROVCC_LINKPRED_H
#define PROVCC_LINKPRED_H

#include <jansson.h>

/* The full compile record of the compact record COMPACT, each index
 * replaced by a copy of FILES[index].  A new reference, or NULL with a
 * static reason in *why when an index is not an integer naming a file
 * object {path, sha256} of FILES, or the result is not a compile record
 * pv_record_from_json accepts. */
json_t *pv_linkpred_expand_compile(const json_t *compact,
    const json_t *files, const char **why);

/* A copy of PREDICATE with its "compiles" expanded; NULL with a reason
 * when it is not an object, lacks "files" or "compiles", or a record
 * does not expand. */
json_t *pv_linkpred_expand(const json_t *predicate, const char **why);

#endif
