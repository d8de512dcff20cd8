/* sbomwrite.h - the collector's outputs from a finished component model
 * (sbommodel.h): CycloneDX 1.6 and SPDX 2.3 JSON, and the SLSA
 * provenance statement.  docs/collect.md gives every field choice.
 * Each returns the document as text (pv_sbom_dump: indent 2, keys
 * sorted, final newline; the statement compact and canonical),
 * malloc'd; the output depends only on the model, VERSION and
 * $SOURCE_DATE_EPOCH.
 */
#ifndef PROVCC_SBOMWRITE_H
#define PROVCC_SBOMWRITE_H

#include <jansson.h>

#include "sbommodel.h"

char *pv_sbom_cyclonedx(const struct pv_sbom *m, const char *version);
char *pv_sbom_spdx(const struct pv_sbom *m, const char *version);

/* The git facts of the build root for externalParameters.source:
 * borrowed, may be NULL. */
char *pv_slsa_statement(const struct pv_sbom *m, const char *version,
    const json_t *source, size_t *len);

#endif
