# Two windows of 30 minutes: the first window's replies are good, the second's truncated.
sed 's/^    start: .*/&\n    max_span: 30m/' "$HOSTILE_DIR/replies/job.yml" >job.yml
cp reply.good reply.1
