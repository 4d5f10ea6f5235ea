# One record whose unread field `junk` holds 20 million empty lists (60 MB).
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":1,"items":[{"id":1,"name":"a","junk":['
  yes '[],' | head -n 20000000 | tr -d '\n'; printf '[]]}]}}'; } >reply
