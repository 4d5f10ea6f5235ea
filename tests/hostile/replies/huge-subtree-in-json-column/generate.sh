# A 5.8 MB subtree for a column of type json, next to a good record.
sed 's/^  modified: { path: modified, type: datetime }$/&\n  extra: { path: extra, type: json }/' \
    "$HOSTILE_DIR/replies/job.yml" >job.yml
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":2,"items":[{"id":1,"name":"a","extra":['
  yes '"abcdefghijklmnopqrstuvwxyz0123456789",' | head -n 150000 | tr -d '\n'; printf '"end"]},{"id":2,"name":"ok","extra":{"a":1}}]}}'; } >reply
