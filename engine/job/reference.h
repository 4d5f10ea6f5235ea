/* reference.h: the job file's JSON Schema and Markdown reference, generated from the option
 * tables and the kinds' descriptors (checked in as schemas/job.schema.json and
 * docs/job-format.md; ctest cases.generated-* fail when they drift). */
#ifndef SLUICE_REFERENCE_H
#define SLUICE_REFERENCE_H

#include <stdio.h>

/* Prints the JSON Schema of a job file. Returns 0 or -1. */
int sl_options_schema(FILE *out);
/* Prints the job format reference (Markdown). */
void sl_options_reference(FILE *out);

#endif
