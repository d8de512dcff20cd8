/* elfobj.h - write a small relocatable object that holds one provcc
 * note in an allocated section, for a linker to place inside a loaded
 * segment of its output.
 */
#ifndef PROVCC_ELFOBJ_H
#define PROVCC_ELFOBJ_H

#include <stddef.h>

/* Write to PATH an ET_REL object holding section SECNAME (SHT_NOTE,
 * SHF_ALLOC, alignment 4) with one provcc note of TYPE and descriptor
 * DESC.  Class, byte order, OS ABI, machine and flags are those of the
 * ELF object TEMPLATE (LEN bytes in memory), one of the link's own
 * inputs, so that the linker takes the object as compatible; so is its
 * .note.gnu.property section, copied as it is: property merging is an
 * AND or an OR over the inputs, which an input repeated leaves unchanged
 * (a missing one would clear bits such as x86 IBT/SHSTK in the output).
 * Returns 0, or -1 with a static reason in *why. */
int pv_elf_write_note_object(const char *path, const void *tmpl, size_t len,
    const char *secname, unsigned type, const unsigned char *desc,
    size_t desclen, const char **why);

/* Whether LEN bytes at IMG are an ELF relocatable object (not LLVM
 * bitcode, not an archive): usable as TEMPLATE above. */
int pv_elf_is_relocatable(const void *img, size_t len);

#endif
