/* abi_check.c - plugin/ld_plugin_abi.h against binutils' plugin-api.h.
 *
 * provcc-ld declares the plugin interface itself (see plugin/README.md,
 * "Licensing"); this test, built only where binutils-dev installed
 * plugin-api.h and never shipped, checks at compile time that every tag
 * number, enum value, structure size and member offset agrees with the
 * header the linkers are built from.  Running it only reports success.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <plugin-api.h>

#include "ld_plugin_abi.h"

#define SAME(a, b) _Static_assert((long)(a) == (long)(b), #a " != " #b)

SAME(LDPS_OK, PVLD_OK);
SAME(LDPS_NO_SYMS, PVLD_NO_SYMS);
SAME(LDPS_BAD_HANDLE, PVLD_BAD_HANDLE);
SAME(LDPS_ERR, PVLD_ERR);

SAME(LDPO_REL, PVLD_OUT_REL);
SAME(LDPO_EXEC, PVLD_OUT_EXEC);
SAME(LDPO_DYN, PVLD_OUT_DYN);
SAME(LDPO_PIE, PVLD_OUT_PIE);

SAME(LDPL_INFO, PVLD_INFO);
SAME(LDPL_WARNING, PVLD_WARNING);
SAME(LDPL_ERROR, PVLD_ERROR);
SAME(LDPL_FATAL, PVLD_FATAL);

SAME(LDPT_NULL, PVLD_TAG_NULL);
SAME(LDPT_API_VERSION, PVLD_TAG_API_VERSION);
SAME(LDPT_GOLD_VERSION, PVLD_TAG_GOLD_VERSION);
SAME(LDPT_LINKER_OUTPUT, PVLD_TAG_LINKER_OUTPUT);
SAME(LDPT_OPTION, PVLD_TAG_OPTION);
SAME(LDPT_REGISTER_CLAIM_FILE_HOOK, PVLD_TAG_REGISTER_CLAIM_FILE_HOOK);
SAME(LDPT_REGISTER_ALL_SYMBOLS_READ_HOOK,
    PVLD_TAG_REGISTER_ALL_SYMBOLS_READ_HOOK);
SAME(LDPT_REGISTER_CLEANUP_HOOK, PVLD_TAG_REGISTER_CLEANUP_HOOK);
SAME(LDPT_ADD_SYMBOLS, PVLD_TAG_ADD_SYMBOLS);
SAME(LDPT_GET_SYMBOLS, PVLD_TAG_GET_SYMBOLS);
SAME(LDPT_ADD_INPUT_FILE, PVLD_TAG_ADD_INPUT_FILE);
SAME(LDPT_MESSAGE, PVLD_TAG_MESSAGE);
SAME(LDPT_GET_INPUT_FILE, PVLD_TAG_GET_INPUT_FILE);
SAME(LDPT_RELEASE_INPUT_FILE, PVLD_TAG_RELEASE_INPUT_FILE);
SAME(LDPT_ADD_INPUT_LIBRARY, PVLD_TAG_ADD_INPUT_LIBRARY);
SAME(LDPT_OUTPUT_NAME, PVLD_TAG_OUTPUT_NAME);
SAME(LDPT_SET_EXTRA_LIBRARY_PATH, PVLD_TAG_SET_EXTRA_LIBRARY_PATH);
SAME(LDPT_GNU_LD_VERSION, PVLD_TAG_GNU_LD_VERSION);
SAME(LDPT_GET_VIEW, PVLD_TAG_GET_VIEW);
SAME(LDPT_GET_INPUT_SECTION_COUNT, PVLD_TAG_GET_INPUT_SECTION_COUNT);
SAME(LDPT_GET_INPUT_SECTION_TYPE, PVLD_TAG_GET_INPUT_SECTION_TYPE);
SAME(LDPT_GET_INPUT_SECTION_NAME, PVLD_TAG_GET_INPUT_SECTION_NAME);
SAME(LDPT_GET_INPUT_SECTION_CONTENTS, PVLD_TAG_GET_INPUT_SECTION_CONTENTS);
SAME(LDPT_UPDATE_SECTION_ORDER, PVLD_TAG_UPDATE_SECTION_ORDER);
SAME(LDPT_ALLOW_SECTION_ORDERING, PVLD_TAG_ALLOW_SECTION_ORDERING);
SAME(LDPT_GET_SYMBOLS_V2, PVLD_TAG_GET_SYMBOLS_V2);
SAME(LDPT_ALLOW_UNIQUE_SEGMENT_FOR_SECTIONS,
    PVLD_TAG_ALLOW_UNIQUE_SEGMENT_FOR_SECTIONS);
SAME(LDPT_UNIQUE_SEGMENT_FOR_SECTIONS, PVLD_TAG_UNIQUE_SEGMENT_FOR_SECTIONS);
SAME(LDPT_GET_SYMBOLS_V3, PVLD_TAG_GET_SYMBOLS_V3);
SAME(LDPT_GET_INPUT_SECTION_ALIGNMENT,
    PVLD_TAG_GET_INPUT_SECTION_ALIGNMENT);
SAME(LDPT_GET_INPUT_SECTION_SIZE, PVLD_TAG_GET_INPUT_SECTION_SIZE);
SAME(LDPT_REGISTER_NEW_INPUT_HOOK, PVLD_TAG_REGISTER_NEW_INPUT_HOOK);
SAME(LDPT_GET_WRAP_SYMBOLS, PVLD_TAG_GET_WRAP_SYMBOLS);
SAME(LDPT_ADD_SYMBOLS_V2, PVLD_TAG_ADD_SYMBOLS_V2);
SAME(LDPT_GET_API_VERSION, PVLD_TAG_GET_API_VERSION);
/* LDPT_REGISTER_CLAIM_FILE_HOOK_V2 (35) is newer than binutils 2.40's
 * header; an enumerator cannot be tested with #ifdef. */

SAME(sizeof(enum ld_plugin_tag), sizeof(int));
SAME(sizeof(struct ld_plugin_tv), sizeof(struct pvld_tv));
SAME(offsetof(struct ld_plugin_tv, tv_tag), offsetof(struct pvld_tv, tag));
SAME(offsetof(struct ld_plugin_tv, tv_u), offsetof(struct pvld_tv, u));
SAME(sizeof(((struct ld_plugin_tv *)0)->tv_u),
    sizeof(((struct pvld_tv *)0)->u));

SAME(sizeof(struct ld_plugin_input_file), sizeof(struct pvld_input_file));
SAME(offsetof(struct ld_plugin_input_file, name),
    offsetof(struct pvld_input_file, name));
SAME(offsetof(struct ld_plugin_input_file, fd),
    offsetof(struct pvld_input_file, fd));
SAME(offsetof(struct ld_plugin_input_file, offset),
    offsetof(struct pvld_input_file, offset));
SAME(offsetof(struct ld_plugin_input_file, filesize),
    offsetof(struct pvld_input_file, filesize));
SAME(offsetof(struct ld_plugin_input_file, handle),
    offsetof(struct pvld_input_file, handle));

/* The hooks return the status enum: same size as the linker expects. */
SAME(sizeof(enum ld_plugin_status), sizeof(enum pvld_status));

int main(void)
{
	puts("abi_check: ld_plugin_abi.h agrees with plugin-api.h");
	return 0;
}
