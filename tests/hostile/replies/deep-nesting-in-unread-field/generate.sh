# 1,000,000 nested lists in a field the mapping does not read.
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":1,"items":[{"id":1,"name":"a","junk":'
  head -c 1000000 /dev/zero | tr '\0' '['; head -c 1000000 /dev/zero | tr '\0' ']'; printf '}]}}'; } >reply
