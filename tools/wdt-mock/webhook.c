/* webhook.c: a stand-in alert webhook for sluice's tests. POST /_webhook stores the JSON body
 * (compacted to one line) and answers like a WeCom/DingTalk robot; GET /_webhook returns every
 * body received so far, one JSON document per line. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mock.h"

static pthread_mutex_t webhook_lock = PTHREAD_MUTEX_INITIALIZER;
static mock_buf webhook_bodies; /* one compact JSON document per line */

void mock_webhook(bool post, const char *body, size_t len, mock_reply *rep)
{
    if (!post) {
        pthread_mutex_lock(&webhook_lock);
        mock_buf_add(&rep->body, webhook_bodies.s ? webhook_bodies.s : "", webhook_bodies.len);
        pthread_mutex_unlock(&webhook_lock);
        return;
    }
    json_t *doc = json_loadb(body, len, 0, NULL);
    char *line = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!line) {
        rep->http = 400;
        mock_buf_str(&rep->body, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
        return;
    }
    pthread_mutex_lock(&webhook_lock);
    mock_buf_str(&webhook_bodies, line);
    mock_buf_str(&webhook_bodies, "\n");
    pthread_mutex_unlock(&webhook_lock);
    free(line);
    mock_buf_str(&rep->body, "{\"errcode\":0,\"errmsg\":\"ok\"}");
}
