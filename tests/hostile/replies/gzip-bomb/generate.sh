# 256 MiB of spaces after the JSON's opening brace, gzip-compressed to about 1 MB: the decoded
# reply passes max_body (64M) long before its end.
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: gzip\n\n'
  { printf '{"status":0,"data":{"total":1,"items":['; head -c 268435456 /dev/zero | tr '\0' ' '; printf ']}}'; } | gzip -1; } >reply
