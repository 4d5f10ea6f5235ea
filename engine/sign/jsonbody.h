/* jsonbody.h: a request's parameters as a JSON body (source.request.body: json), for APIs
 * that take {"filter": {"updated_from": ...}, "page": {"size": 50}}. The parameters are the
 * ones a form would carry, each with its type: the filter's members (source.params, the window
 * bounds, an auth parameter), the method when set, the page (a number, or a cursor's text) and
 * its size. The job's template places them: a string that is exactly "{name}" becomes the
 * parameter `name` (dropped when the request has none, e.g. a cursor on a first page); the
 * parameters it does not place go at the top level, in request order (the compiler refuses a
 * template whose top-level key has the name of a parameter it does not place). */
#ifndef SLUICE_JSONBODY_H
#define SLUICE_JSONBODY_H

#include <stddef.h>

#include "sign.h"

/* The JSON body of r (r->json_body is its template, an object), compact, its members in the
 * template's order: owned text, its length in *len; NULL when out of memory. */
char *sl_json_body_new(const sl_page_req *r, size_t *len);
/* Sets out (zeroed) to a POST of r's JSON body, without a query: SL_OK, or SL_ERR_INTERNAL
 * when out of memory. */
sl_status sl_request_json(const sl_page_req *r, sl_request *out);

#endif
