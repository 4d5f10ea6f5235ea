# A 60 MB record list of `{}` (20 million records); the job keys them all to id 0 (a default),
# so one row results and memory is the only thing tested.
sed 's/id: { path: id, type: bigint, required: true }/id: { path: id, type: bigint, default: 0 }/' \
    "$HOSTILE_DIR/replies/job.yml" >job.yml
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":1,"items":['
  yes '{},' | head -n 20000000 | tr -d '\n'; printf '{}]}}'; } >reply
