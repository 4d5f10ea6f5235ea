# A child whose each path goes through two lists (issue 9 item 16: rows collapsed silently).
sed "s/each: lines\[\*\]/each: lines[*].parts[*]/" "$HOSTILE_DIR/replies/job.yml" >job.yml
