# A 10 MB name for a varchar(64) column, next to a good record.
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":2,"items":[{"id":1,"name":"'
  head -c 10485760 /dev/zero | tr '\0' 'x'; printf '"},{"id":2,"name":"ok"}]}}'; } >reply
