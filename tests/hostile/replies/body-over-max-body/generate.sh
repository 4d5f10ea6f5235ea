# A 2 MB reply against a job whose max_body is 1M.
sed 's/^  records: data.items$/&\n  max_body: 1M/' "$HOSTILE_DIR/replies/job.yml" >job.yml
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":1,"items":[{"id":1,"name":"'
  head -c 2097152 /dev/zero | tr '\0' 'x'; printf '"}]}}'; } >reply
