sed 's/max_rejects: 100/max_rejects: 0/' "$HOSTILE_DIR/replies/job.yml" >job.yml
