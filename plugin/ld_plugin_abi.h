/* ld_plugin_abi.h - the part of the GNU linker plugin interface that
 * provcc-ld uses, declared from its published description
 * (https://gcc.gnu.org/wiki/whopr/driver, "Linker Plugin Interface").
 *
 * This is deliberately not binutils' plugin-api.h: that header is
 * GPL-3.0-or-later, and provcc does not need it.  What a plugin and a
 * linker share is a binary interface -- the numbering of the transfer
 * vector tags, the layout of two structures and the calling convention
 * of a few callbacks -- and that is all this file states, under provcc's
 * own names (PVLD_*).  tests/plugin/abi_check.c compares every value and
 * offset here with plugin-api.h when that header is installed (test
 * builds only; nothing shipped includes it).
 *
 * Only what provcc-ld reads or calls is declared.  The interface is
 * append-only: tags are never renumbered, so a linker newer than this
 * file simply offers tags we skip.
 */
#ifndef PROVCC_LD_PLUGIN_ABI_H
#define PROVCC_LD_PLUGIN_ABI_H

#include <sys/types.h>

/* Status returned by the plugin's hooks and by the linker's callbacks. */
enum pvld_status {
	PVLD_OK = 0,		/* LDPS_OK */
	PVLD_NO_SYMS = 1,	/* LDPS_NO_SYMS */
	PVLD_BAD_HANDLE = 2,	/* LDPS_BAD_HANDLE */
	PVLD_ERR = 3,		/* LDPS_ERR */
};

/* Value of the LDPT_LINKER_OUTPUT tag: what the link produces. */
enum pvld_output_type {
	PVLD_OUT_REL = 0,	/* LDPO_REL: -r */
	PVLD_OUT_EXEC = 1,	/* LDPO_EXEC: position-dependent executable */
	PVLD_OUT_DYN = 2,	/* LDPO_DYN: shared library */
	PVLD_OUT_PIE = 3,	/* LDPO_PIE */
};

/* Message levels of the LDPT_MESSAGE callback. */
enum pvld_level {
	PVLD_INFO = 0,		/* LDPL_INFO */
	PVLD_WARNING = 1,	/* LDPL_WARNING */
	PVLD_ERROR = 2,		/* LDPL_ERROR */
	PVLD_FATAL = 3,		/* LDPL_FATAL */
};

/* Transfer vector tags.  The numbers are the ABI. */
enum pvld_tag {
	PVLD_TAG_NULL = 0,			/* end of the vector */
	PVLD_TAG_API_VERSION = 1,		/* val */
	PVLD_TAG_GOLD_VERSION = 2,		/* val: gold's version */
	PVLD_TAG_LINKER_OUTPUT = 3,		/* val: enum pvld_output_type */
	PVLD_TAG_OPTION = 4,			/* string: one -plugin-opt */
	PVLD_TAG_REGISTER_CLAIM_FILE_HOOK = 5,
	PVLD_TAG_REGISTER_ALL_SYMBOLS_READ_HOOK = 6,
	PVLD_TAG_REGISTER_CLEANUP_HOOK = 7,
	PVLD_TAG_ADD_SYMBOLS = 8,
	PVLD_TAG_GET_SYMBOLS = 9,
	PVLD_TAG_ADD_INPUT_FILE = 10,
	PVLD_TAG_MESSAGE = 11,
	PVLD_TAG_GET_INPUT_FILE = 12,
	PVLD_TAG_RELEASE_INPUT_FILE = 13,
	PVLD_TAG_ADD_INPUT_LIBRARY = 14,
	PVLD_TAG_OUTPUT_NAME = 15,		/* string: the -o file */
	PVLD_TAG_SET_EXTRA_LIBRARY_PATH = 16,
	PVLD_TAG_GNU_LD_VERSION = 17,		/* val: major * 100 + minor */
	PVLD_TAG_GET_VIEW = 18,
	PVLD_TAG_GET_INPUT_SECTION_COUNT = 19,
	PVLD_TAG_GET_INPUT_SECTION_TYPE = 20,
	PVLD_TAG_GET_INPUT_SECTION_NAME = 21,
	PVLD_TAG_GET_INPUT_SECTION_CONTENTS = 22,
	PVLD_TAG_UPDATE_SECTION_ORDER = 23,
	PVLD_TAG_ALLOW_SECTION_ORDERING = 24,
	PVLD_TAG_GET_SYMBOLS_V2 = 25,
	PVLD_TAG_ALLOW_UNIQUE_SEGMENT_FOR_SECTIONS = 26,
	PVLD_TAG_UNIQUE_SEGMENT_FOR_SECTIONS = 27,
	PVLD_TAG_GET_SYMBOLS_V3 = 28,
	PVLD_TAG_GET_INPUT_SECTION_ALIGNMENT = 29,
	PVLD_TAG_GET_INPUT_SECTION_SIZE = 30,
	PVLD_TAG_REGISTER_NEW_INPUT_HOOK = 31,
	PVLD_TAG_GET_WRAP_SYMBOLS = 32,
	PVLD_TAG_ADD_SYMBOLS_V2 = 33,
	PVLD_TAG_GET_API_VERSION = 34,
	PVLD_TAG_REGISTER_CLAIM_FILE_HOOK_V2 = 35,
	PVLD_TAG_COUNT_KNOWN = 36,		/* first number we have no name for */
};

/* An input file as the linker shows it to the claim-file hook.  For an
 * archive member NAME is the archive, OFFSET the member's first byte in
 * it and FILESIZE the member's size; otherwise OFFSET is 0.  FD is open
 * for reading and owned by the linker (it may be shared between the
 * members of one archive): a plugin reads it with pread only. */
struct pvld_input_file {
	const char *name;
	int fd;
	off_t offset;
	off_t filesize;
	void *handle;
};

typedef enum pvld_status (*pvld_claim_file_fn)(
    const struct pvld_input_file *file, int *claimed);
typedef enum pvld_status (*pvld_all_symbols_read_fn)(void);
/* gold: told of inputs added after all_symbols_read (tag 31). */
typedef enum pvld_status (*pvld_new_input_fn)(
    const struct pvld_input_file *file);
typedef enum pvld_status (*pvld_cleanup_fn)(void);

typedef enum pvld_status (*pvld_register_claim_file_fn)(
    pvld_claim_file_fn hook);
typedef enum pvld_status (*pvld_register_all_symbols_read_fn)(
    pvld_all_symbols_read_fn hook);
typedef enum pvld_status (*pvld_register_cleanup_fn)(pvld_cleanup_fn hook);
typedef enum pvld_status (*pvld_register_new_input_fn)(
    pvld_new_input_fn hook);
typedef enum pvld_status (*pvld_message_fn)(int level, const char *format,
    ...);
/* Tag 10: adds an object file to the link; called from the
 * all-symbols-read hook. */
typedef enum pvld_status (*pvld_add_input_file_fn)(const char *pathname);

/* One transfer vector entry.  The tag is an enum in the interface; an
 * enum of these values has the size and alignment of int in every ABI
 * the GNU linkers support, so int is what is declared here. */
struct pvld_tv {
	int tag;
	union {
		int val;
		const char *string;
		pvld_register_claim_file_fn register_claim_file;
		pvld_register_all_symbols_read_fn register_all_symbols_read;
		pvld_register_cleanup_fn register_cleanup;
		pvld_register_new_input_fn register_new_input;
		pvld_message_fn message;
		pvld_add_input_file_fn add_input_file;
		/* Other callbacks: only their presence is recorded. */
		void (*other)(void);
	} u;
};

#endif
